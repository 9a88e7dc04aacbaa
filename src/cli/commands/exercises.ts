// `backprop-tutor assign` and `backprop-tutor grade`: the exercise workflow of src/exercises/ on
// the command line (docs/exercises.md). grade exits 1 when a submission changed since it was
// graded and was not re-graded (use --regrade ID or --force); assign exits 1 rather than replace
// an existing key with different numbers (use --force).
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
  usage: "backprop-tutor assign SOURCE.ipynb --roster roster.csv --out DIR [--secret S | --secret-file FILE] [--force]",
  options: {
    roster: { value: "roster.csv", help: "the class list: a CSV with an id column (and optionally name, email)" },
    out: { value: "DIR", help: "where the student notebooks (DIR/release/<id>/) and the key (DIR/key/) go" },
    secret: { value: "S", help: "the assignment secret that, with each student id, seeds the variants (default: a new one, written to DIR/key/secret.txt)" },
    "secret-file": { value: "FILE", help: "read the secret from a file instead (e.g. DIR/key/secret.txt to reproduce a release)" },
    force: { help: "replace an existing DIR/key made with another secret, source or roster (the old key is kept in DIR/key/replaced-<time>/)" },
  },
  details: "example:\n  backprop-tutor assign exercises/backprop-1/source.ipynb --roster exercises/backprop-1/roster.csv --out /tmp/class",
  exitCodes: { 1: "the input is wrong (source, roster, secret file), or DIR/key holds a key with other numbers (replace it with --force)" },
  async run(args, io) {
    const [source] = expectPositionals(assignCommand, args, ["SOURCE.ipynb"]);
    let secret = args.values.secret;
    const secretFile = args.values["secret-file"];
    if (secret !== undefined && secretFile !== undefined) throw usageError("assign", "give --secret or --secret-file, not both", "keep one of them");
    if (secretFile !== undefined) {
      secret = (await readFile(secretFile, "utf8").catch(() => { throw usageError(secretFile, "cannot read the secret file", "check the path"); })).trim();
    }
    const r = await assign({ source, roster: required(assignCommand, args, "roster", "roster.csv"), out: required(assignCommand, args, "out", "DIR"), ...(secret ? { secret } : {}), force: args.switches.has("force") });
    io.stdout(`${r.notebooks.length} student notebooks written (${r.key.assignment}).\nanswer key: ${r.keyPath}\n`);
    if (r.generatedSecret) io.stdout("no --secret given: a new secret was written next to the key (secret.txt); keep it to reproduce these variants.\n");
    if (r.replaced) io.stderr(`--force: the earlier key was moved to ${r.replaced}\n`);
    return 0;
  },
};

export const gradeCommand: Command = {
  name: "grade",
  summary: "Grade every submission headless on the tslab kernel; write grades.csv and one feedback page per student.",
  usage: "backprop-tutor grade SUBMISSIONS --key DIR/key/key.json --out DIR/graded [--jobs N] [--force | --regrade ID[,ID...]] [--cell-timeout S] [--timeout S] [--max-output CHARS] [--memory MB] [--quiet]",
  options: {
    key: { value: "key.json", help: "the answer key written by assign" },
    out: { value: "DIR", help: "where grades.csv and the feedback pages go" },
    jobs: { value: "N", help: "submissions graded at once (default: the number of cores)" },
    force: { help: "re-grade every submission already graded" },
    regrade: { value: "ID[,ID...]", help: "re-grade these students only (e.g. a changed submission)" },
    "cell-timeout": { value: "S", help: "seconds one cell may run (default 10)" },
    timeout: { value: "S", help: "seconds one submission may run in all (default 120)" },
    "max-output": { value: "CHARS", help: "output one cell may print (default 65536)" },
    memory: { value: "MB", help: "memory one kernel may use (default 2048)" },
    quiet: { help: "no progress bar" },
  },
  exitCodes: { 1: "the input is wrong (submissions, key), or a submission changed since it was graded and was not re-graded (--regrade ID or --force)" },
  details: "Run as root for the full sandbox (each kernel its own uid); otherwise student code runs as you (docs/exercises.md).\nexample:\n  backprop-tutor grade /tmp/class/submissions --key /tmp/class/key/key.json --out /tmp/class/graded --jobs 2",
  async run(args, io) {
    // the key's path must not be on this process's command line, which any process can read in /proc
    process.title = "backprop-tutor grade";
    const [submissions] = expectPositionals(gradeCommand, args, ["SUBMISSIONS"]);
    const jobs = wholeNumber(args, "jobs", 1, "2");
    const cell = positiveSeconds(args, "cell-timeout"), total = positiveSeconds(args, "timeout"), maxOut = positiveSeconds(args, "max-output"), memory = positiveSeconds(args, "memory");
    if (args.switches.has("force") && args.values.regrade !== undefined) throw usageError("grade", "give --force or --regrade, not both", "--force re-grades everyone, --regrade only the students named");
    const regrade = args.values.regrade?.split(",").map((id) => id.trim()).filter((id) => id !== "");
    const s = await grade({
      submissions,
      key: required(gradeCommand, args, "key", "DIR/key/key.json"),
      out: required(gradeCommand, args, "out", "DIR/graded"),
      ...(jobs !== undefined ? { jobs } : {}),
      force: args.switches.has("force"),
      ...(regrade ? { regrade } : {}),
      progress: !args.switches.has("quiet"),
      limits: { ...(cell ? { cellTimeoutSeconds: cell } : {}), ...(total ? { totalTimeoutSeconds: total } : {}), ...(maxOut ? { maxOutputChars: maxOut } : {}), ...(memory ? { memoryMb: Math.round(memory) } : {}) },
    });
    io.stdout(`graded ${s.graded.length}, skipped ${s.skipped.length} (already graded; --regrade ID or --force to re-grade).\ngrades: ${s.csvPath}\n`);
    if (s.weakSandbox) io.stderr(`warning: ${s.sandbox}\n`);
    for (const u of s.unmatched) io.stderr(`${u.file}: ${u.reason}\n`);
    for (const id of s.stale) io.stderr(`${id}: the submission changed since it was graded; not re-graded (use --regrade ${id}).\n`);
    for (const h of s.history) io.stderr(`kept the earlier result: ${h}\n`);
    return s.stale.length ? 1 : 0;
  },
};
