// `backprop-tutor assign` and `backprop-tutor grade`: the exercise workflow of src/exercises/ on
// the command line (docs/exercises.md). grade exits 1 when a submission changed since it was
// graded and was not re-graded (use --force).
import { readFile } from "node:fs/promises";
import { assign } from "../../exercises/assign.js";
import { grade } from "../../exercises/grade.js";
import { expectPositionals, usageError, wholeNumber, type Command, type ParsedArgs } from "../command.js";

function required(c: Command, args: ParsedArgs, name: string, example: string): string {
  const v = args.values[name];
  if (v === undefined || v === "") throw usageError(c.name, `--${name} is required`, `add --${name} ${example}`);
  return v;
}

function positiveSeconds(args: ParsedArgs, name: string): number | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw usageError(`--${name}`, `must be a positive number, got ${JSON.stringify(v)}`, `e.g. --${name} 30`);
  return n;
}

export const assignCommand: Command = {
  name: "assign",
  summary: "Write one student notebook per roster row, each with its own numbers, and the teacher's answer key.",
  usage: "backprop-tutor assign SOURCE.ipynb --roster roster.csv --out DIR [--secret S | --secret-file FILE]",
  options: {
    roster: { value: "roster.csv", help: "the class list: a CSV with an id column (and optionally name, email)" },
    out: { value: "DIR", help: "where the student notebooks (DIR/students/) and the key (DIR/key/) go" },
    secret: { value: "S", help: "the assignment secret that, with each student id, seeds the variants" },
    "secret-file": { value: "FILE", help: "read the secret from a file instead" },
  },
  details: "example:\n  backprop-tutor assign exercises/backprop-1/source.ipynb --roster exercises/backprop-1/roster.csv --out /tmp/class",
  async run(args, io) {
    const [source] = expectPositionals(assignCommand, args, ["SOURCE.ipynb"]);
    let secret = args.values.secret;
    const secretFile = args.values["secret-file"];
    if (secret !== undefined && secretFile !== undefined) throw usageError("assign", "give --secret or --secret-file, not both", "keep one of them");
    if (secretFile !== undefined) {
      secret = (await readFile(secretFile, "utf8").catch(() => { throw usageError(secretFile, "cannot read the secret file", "check the path"); })).trim();
    }
    const r = await assign({ source, roster: required(assignCommand, args, "roster", "roster.csv"), out: required(assignCommand, args, "out", "DIR"), ...(secret ? { secret } : {}) });
    io.stdout(`${r.notebooks.length} student notebooks written (${r.key.assignment}).\nanswer key: ${r.keyPath}\n`);
    if (r.generatedSecret) io.stdout("no --secret given: a new secret was written next to the key (secret.txt); keep it to reproduce these variants.\n");
    return 0;
  },
};

export const gradeCommand: Command = {
  name: "grade",
  summary: "Grade every submission headless on the tslab kernel; write grades.csv and one feedback page per student.",
  usage: "backprop-tutor grade SUBMISSIONS --key DIR/key/key.json --out DIR/graded [--jobs N] [--force] [--cell-timeout S] [--timeout S] [--max-output CHARS] [--quiet]",
  options: {
    key: { value: "key.json", help: "the answer key written by assign" },
    out: { value: "DIR", help: "where grades.csv and the feedback pages go" },
    jobs: { value: "N", help: "submissions graded at once (default: the number of cores)" },
    force: { help: "re-grade submissions already graded" },
    "cell-timeout": { value: "S", help: "seconds one cell may run" },
    timeout: { value: "S", help: "seconds one submission may run in all" },
    "max-output": { value: "CHARS", help: "output one submission may print" },
    quiet: { help: "no progress bar" },
  },
  details: "example:\n  backprop-tutor grade /tmp/class/submissions --key /tmp/class/key/key.json --out /tmp/class/graded --jobs 2",
  async run(args, io) {
    const [submissions] = expectPositionals(gradeCommand, args, ["SUBMISSIONS"]);
    const jobs = wholeNumber(args, "jobs", 1, "2");
    const cell = positiveSeconds(args, "cell-timeout"), total = positiveSeconds(args, "timeout"), maxOut = positiveSeconds(args, "max-output");
    const s = await grade({
      submissions,
      key: required(gradeCommand, args, "key", "DIR/key/key.json"),
      out: required(gradeCommand, args, "out", "DIR/graded"),
      ...(jobs !== undefined ? { jobs } : {}),
      force: args.switches.has("force"),
      progress: !args.switches.has("quiet"),
      limits: { ...(cell ? { cellTimeoutSeconds: cell } : {}), ...(total ? { totalTimeoutSeconds: total } : {}), ...(maxOut ? { maxOutputChars: maxOut } : {}) },
    });
    io.stdout(`graded ${s.graded.length}, skipped ${s.skipped.length} (already graded; --force to re-grade).\ngrades: ${s.csvPath}\n`);
    for (const id of s.stale) io.stderr(`${id}: the submission changed since it was graded; not re-graded (use --force).\n`);
    for (const h of s.history) io.stderr(`kept the earlier result: ${h}\n`);
    return s.stale.length ? 1 : 0;
  },
};
