// `backprop-tutor assign` and `backprop-tutor grade`: the exercise workflow of src/exercises/ on
// the command line (docs/exercises.md). grade exits 1 when a submission changed since it was
// graded and was not re-graded (use --regrade ID or --force); assign exits 1 rather than replace
// an existing key with different numbers (use --force).
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { assign } from "../../exercises/assign.js";
import { grade } from "../../exercises/grade.js";
import { expectPositionals, usageError, wholeNumber, type Command, type ParsedArgs } from "../command.js";

function required(c: Command, args: ParsedArgs, name: string, example: string): string {
  const v = args.values[name];
  if (v === undefined || v === "") throw usageError(c.name, `--${name} is required`, `add --${name} ${example}`);
  return v;
}

/** A positive number (decimals allowed: seconds), or undefined when the option is absent. */
function positiveNumber(args: ParsedArgs, name: string, example: string): number | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || !(n > 0)) {
    throw usageError(`--${name}`, `must be a positive number, got ${JSON.stringify(v)}`, `e.g. --${name} ${example}`);
  }
  return n;
}

/** The environment variable that names the key, so that its path is on no command line (which every process can read). */
export const KEY_ENV = "BACKPROP_TUTOR_KEY";

/** --due: a date and time (ISO 8601, e.g. 2026-12-01T23:59 local time or with Z / +01:00). */
function dueDate(args: ParsedArgs): Date | undefined {
  const v = args.values.due;
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d\d-\d\d/.test(v) || Number.isNaN(d.getTime())) {
    throw usageError(
      "--due",
      `is not a date and time: ${JSON.stringify(v)}`,
      "e.g. --due 2026-12-01T23:59 (local time) or --due 2026-12-01T22:59Z",
    );
  }
  return d;
}

export const assignCommand: Command = {
  name: "assign",
  summary: "Write one student notebook per roster row, each with its own numbers, and the teacher's answer key.",
  usage:
    "backprop-tutor assign ASSIGNMENT --roster roster.csv --out DIR [--secret S | --secret-file FILE] [--force]\n" +
    "  ASSIGNMENT: an assignment folder (its assignment.json declares the problem, the draws and the questions),\n" +
    "  an assignment.json, or a source notebook of your own (which gets the classic problem)",
  options: {
    roster: { value: "roster.csv", help: "the class list: a CSV with an id column (and optionally name, email)" },
    out: { value: "DIR", help: "where the student notebooks (DIR/release/<id>/) and the key (DIR/key/) go" },
    secret: {
      value: "S",
      help: "the assignment secret that, with each student id, seeds the variants (default: a new one, written to DIR/key/secret.txt)",
    },
    "secret-file": {
      value: "FILE",
      help: "read the secret from a file instead (e.g. DIR/key/secret.txt to reproduce a release)",
    },
    force: {
      help: "replace an existing DIR/key made with another secret, source or roster (the old key is kept in DIR/key/replaced-<time>/)",
    },
  },
  details:
    "examples:\n  backprop-tutor assign exercises/tanh-softmax --roster exercises/tanh-softmax/roster.csv --out /tmp/class\n" +
    "  backprop-tutor assign exercises/backprop-1/source.ipynb --roster exercises/backprop-1/roster.csv --out /tmp/class1\n" +
    "writing an assignment.json: docs/exercises.md",
  exitCodes: {
    1: "the input is wrong (source, roster, secret file), or DIR/key holds a key with other numbers (replace it with --force)",
  },
  async run(args, io) {
    const [source] = expectPositionals(assignCommand, args, ["ASSIGNMENT"]);
    const roster = required(assignCommand, args, "roster", "roster.csv");
    const out = required(assignCommand, args, "out", "DIR");
    if (existsSync(out) && !statSync(out).isDirectory())
      throw usageError("--out", `${out} is a file; assign writes a folder (release/ and key/) there`, "pass a folder");
    let secret = args.values.secret;
    const secretFile = args.values["secret-file"];
    if (secret !== undefined && secretFile !== undefined)
      throw usageError("assign", "give --secret or --secret-file, not both", "keep one of them");
    if (secretFile !== undefined) {
      secret = (
        await readFile(secretFile, "utf8").catch(() => {
          throw usageError(secretFile, "cannot read the secret file", "check the path");
        })
      ).trim();
    }
    const r = await assign({
      source,
      roster,
      out,
      ...(secret ? { secret } : {}),
      force: args.switches.has("force"),
    });
    for (const note of r.notes) io.stderr(`note: ${note}\n`);
    io.stdout(`${r.notebooks.length} student notebooks written (${r.key.assignment}).\nanswer key: ${r.keyPath}\n`);
    if (r.generatedSecret)
      io.stdout(
        "no --secret given: a new secret was written next to the key (secret.txt); keep it to reproduce these variants.\n",
      );
    if (r.replaced) io.stderr(`--force: the earlier key was moved to ${r.replaced}\n`);
    return 0;
  },
};

export const gradeCommand: Command = {
  name: "grade",
  summary:
    "Grade every submission headless on the tslab kernel, each in its own sandbox; write grades.csv, " +
    "Canvas and Moodle imports and one feedback page per student.",
  usage:
    "backprop-tutor grade SUBMISSIONS --out DIR/graded [--key DIR/key/key.json] [--jobs N] [--force | --regrade ID[,ID...]] " +
    "[--students ID[,ID...]] [--canvas-column 'NAME (ID)'] [--missing-zero] [--due DATE] " +
    "[--cell-timeout S] [--timeout S] [--max-output CHARS] [--memory MB] [--processes N] [--unsafe-no-sandbox] [--quiet]",
  options: {
    key: {
      value: "key.json",
      help: `the answer key written by assign (better: set ${KEY_ENV}=path, so the path is on no command line)`,
    },
    out: {
      value: "DIR",
      help: "where grades.csv, canvas.csv, moodle.csv and the feedback pages go (overrides.csv there is yours: it is read, never written)",
    },
    jobs: { value: "N", help: "submissions graded at once (default: the number of cores)" },
    force: { help: "re-grade every submission already graded" },
    regrade: { value: "ID[,ID...]", help: "re-grade these students only (e.g. a changed submission)" },
    students: {
      value: "ID[,ID...]",
      help: "grade only these students; the gradebooks still list every result the --out folder holds",
    },
    "canvas-column": {
      value: "NAME (ID)",
      help: "the assignment's column header in your Canvas export, so canvas.csv updates that assignment (default: the assignment's name, a new column)",
    },
    "missing-zero": { help: "write 0 for a missing submission in canvas.csv and moodle.csv (default: an empty cell)" },
    due: {
      value: "DATE",
      help: "the deadline; nbgrader submissions whose timestamp.txt is later are marked late (e.g. 2026-12-01T23:59)",
    },
    "cell-timeout": { value: "S", help: "seconds one cell may run (default 10; decimals allowed)" },
    timeout: { value: "S", help: "seconds one submission may run in all (default 120)" },
    "max-output": { value: "CHARS", help: "output one cell may print (default 65536)" },
    memory: {
      value: "MB",
      help: "memory one student's processes may use together, shared memory included (default 2048)",
    },
    processes: { value: "N", help: "processes and threads one student may run at once (default 256)" },
    "unsafe-no-sandbox": {
      help: "run student code with no sandbox where bubblewrap cannot make namespaces (trusted notebooks only)",
    },
    quiet: { help: "no progress lines" },
  },
  exitCodes: {
    1:
      "a submission changed since it was graded and was not re-graded (--regrade ID), " +
      "a student could not be graded for the machine's fault (run grade again), or the input is wrong",
  },
  details: `Each student's notebook runs in its own Linux namespaces (bubblewrap): no network, no view of the project,
the key or other students (docs/exercises.md, "The sandbox").
Submissions: SUBMISSIONS/<id>.ipynb, SUBMISSIONS/<id>/*.ipynb, or nbgrader's submitted/<id>/<assignment>/ with timestamp.txt.
Interrupted (Ctrl-C or SIGTERM): exit code 130 or 143.
example:
  ${KEY_ENV}=/tmp/class/key/key.json backprop-tutor grade /tmp/class/submissions --out /tmp/class/graded --jobs 2`,
  async run(args, io) {
    // the key's path must not be on this process's command line, which any process can read in /proc
    process.title = "backprop-tutor grade";
    const [submissions] = expectPositionals(gradeCommand, args, ["SUBMISSIONS"]);
    const jobs = wholeNumber(args, "jobs", 1, "2");
    const cellTimeoutSeconds = positiveNumber(args, "cell-timeout", "10"),
      totalTimeoutSeconds = positiveNumber(args, "timeout", "120");
    const maxOutputChars = wholeNumber(args, "max-output", 1, "65536"),
      memoryMb = wholeNumber(args, "memory", 64, "2048");
    const processes = wholeNumber(args, "processes", 16, "256");
    if (args.switches.has("force") && args.values.regrade !== undefined)
      throw usageError(
        "grade",
        "give --force or --regrade, not both",
        "--force re-grades everyone, --regrade only the students named",
      );
    const ids = (name: string) =>
      args.values[name]
        ?.split(",")
        .map((id) => id.trim())
        .filter((id) => id !== "");
    const regrade = ids("regrade"),
      only = ids("students");
    const canvasColumn = args.values["canvas-column"];
    const key = args.values.key ?? process.env[KEY_ENV];
    if (key === undefined || key === "") {
      throw usageError(
        "grade",
        `no answer key: set ${KEY_ENV} or give --key`,
        `e.g. ${KEY_ENV}=DIR/key/key.json backprop-tutor grade ...`,
      );
    }
    const due = dueDate(args);
    const quiet = args.switches.has("quiet");
    const given = { cellTimeoutSeconds, totalTimeoutSeconds, maxOutputChars, memoryMb, processes };
    const limits = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
    const s = await grade({
      submissions,
      key,
      out: required(gradeCommand, args, "out", "DIR/graded"),
      ...(jobs !== undefined ? { jobs } : {}),
      force: args.switches.has("force"),
      ...(regrade ? { regrade } : {}),
      ...(only ? { students: only } : {}),
      ...(canvasColumn ? { canvasColumn } : {}),
      missingZero: args.switches.has("missing-zero"),
      onWait: (pid) =>
        io.stderr(`another grade (process ${pid}) is writing to this --out folder: waiting for it to finish\n`),
      ...(due ? { due } : {}),
      unsafeNoSandbox: args.switches.has("unsafe-no-sandbox"),
      limits,
      onStart: (c) => io.stderr(`sandbox: ${c.sandbox}\nlimits: ${c.limits}\n`),
      onProgress: (p) => {
        if (p.fault) io.stderr(`NOT graded ${p.student} (${p.done}/${p.total}): ${p.fault}\n`);
        else if (!quiet) io.stderr(`graded ${p.student} (${p.done}/${p.total})\n`);
      },
    });
    io.stdout(
      `graded ${s.graded.length}, skipped ${s.skipped.length} (already graded; --regrade ID or --force to re-grade).\n`,
    );
    io.stdout(`grades: ${s.csvPath}\nCanvas import: ${s.canvasPath}\nMoodle import: ${s.moodlePath}\n`);
    if (!s.sandboxed) io.stderr(`warning: ${s.sandbox}\n`);
    for (const u of s.unmatched) io.stderr(`${u.file}: ${u.reason}\n`);
    for (const id of s.stale)
      io.stderr(`${id}: the submission changed since it was graded; not re-graded (use --regrade ${id}).\n`);
    for (const h of s.history) io.stderr(`kept the earlier result: ${h}\n`);
    for (const f of s.faults)
      io.stderr(`${f.student}: not graded, the machine's fault (not the student's): ${f.reason}\n`);
    const students = `${s.faults.length} student${s.faults.length === 1 ? "" : "s"}`;
    if (s.faults.length) io.stderr(`${students} not graded: run the same grade command again to grade them.\n`);
    if (s.interrupted) return s.interrupted === "SIGINT" ? 130 : 143;
    return s.stale.length || s.faults.length ? 1 : 0;
  },
};
