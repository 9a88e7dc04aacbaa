// `grade`: execute every submission in its own sandboxed kernel, restore hidden tests, compare
// the answers the kernel reports with the key (here, in the grader's process: the key never
// enters a sandbox), and write grades.csv, the Canvas and Moodle imports and one feedback page
// per student.
//
// Nothing one submission does can touch another's grading: each runs in its own namespaces
// under its own whole-student limits (sandbox.ts, limits.ts, run.ts), and every failure of the
// student's becomes a reason in that student's row. A failure of the machine's (the runner
// broke, a kernel never started, grading was interrupted) is nobody's 0: that student gets no
// result, grade says so and exits non-zero, and the next run grades them. Results are per
// student (GRADED/<id>/result.json, written then renamed), so a re-run skips what is graded;
// --force (everyone) or --regrade (named students) re-grades and moves the earlier result to
// GRADED/history/<time>/ once the new one is there; --students grades a subset. One grading at
// a time holds the folder (lock.ts); the gradebooks come from every result in it. The
// teacher's GRADED/overrides.csv is applied on every run. What a student's run reports is
// bounded before it is parsed (untrusted.ts).
import { existsSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { rename } from "node:fs/promises";
import { join, relative } from "node:path";
import { isTutorError, TutorError } from "../engine/errors.js";
import { readKey, type AnswerKey, type StudentKey } from "./assign.js";
import { copyKatexAssets, type FeedbackParts, type StudentResult, type TestScore } from "./feedback.js";
import { readOverrides, type Pending } from "./gradebook.js";
import {
  CHECKS,
  OVERRIDES,
  privateDir,
  readResult,
  RESULT,
  stamp,
  writeAtomic,
  writeGradebooks,
} from "./graded-folder.js";
import { lockOutput } from "./lock.js";
import { cgroupsUnavailable, gradingCgroupName, reapCgroupsAfterExit, sweepCgroups } from "./limits.js";
import {
  asNotebook,
  codeCell,
  metaOf,
  sha256,
  sourceHash,
  sourceOf,
  KERNELSPEC,
  type Cell,
  type Notebook,
} from "./notebook.js";
import { DEFAULT_LIMITS, killAllRuns, runNotebook, type Confinement, type RunLimits } from "./run.js";
import { cellNotes, scoreTests } from "./scoring.js";
import { chooseSandbox, keyExposure } from "./sandbox.js";
import { paramsSource, testCell, testMeta, type ReleasedTest } from "./source.js";
import { findSubmissions, readSubmission, type Found, type Unmatched } from "./submissions.js";
import { clipped, jsonDepth, MAX_NOTEBOOK_DEPTH, printable } from "./untrusted.js";

export type { StudentResult, TestScore } from "./feedback.js";
export type { Unmatched } from "./submissions.js";
export { OVERRIDES } from "./graded-folder.js";

/** One student graded (or not, for the machine's fault): what the command line shows as progress. */
export interface Progress {
  student: string;
  done: number;
  total: number;
  /** set when the student could not be graded for the machine's fault */
  fault?: string;
}

export interface GradeOptions {
  submissions: string;
  key: string;
  out: string;
  /** parallel kernels; default: the number of cores */
  jobs?: number;
  /** re-grade everyone already graded */
  force?: boolean;
  /** re-grade these students (roster ids) even if graded */
  regrade?: readonly string[];
  /** grade only these students (roster ids); the gradebooks still list everyone graded so far */
  students?: readonly string[];
  /** Canvas's column for this assignment as its export names it, "Name (id)" */
  canvasColumn?: string;
  /** a missing submission as 0 in canvas.csv and moodle.csv (default: empty, which leaves the LMS's cell alone) */
  missingZero?: boolean;
  /** called once if another grading holds the output folder and this one waits for it */
  onWait?: (pid: number) => void;
  limits?: Partial<RunLimits>;
  /** run student code with no sandbox (only where namespaces cannot be made, and only for trusted notebooks) */
  unsafeNoSandbox?: boolean;
  /** the deadline: an nbgrader submission whose timestamp.txt is later is marked late */
  due?: Date;
  /** called as each student is done; the command line shows it */
  onProgress?: (p: Progress) => void;
  /** called once grading has begun, with how the sandbox and the limits hold (for the command line to show) */
  onStart?: (confinement: { sandbox: string; limits: string }) => void;
}

/** A student not graded for the machine's fault; the next run grades them. */
export type MachineFault = Pending;

export interface GradeSummary {
  results: StudentResult[];
  graded: string[];
  skipped: string[];
  /** skipped although the submission changed since it was graded: needs --force */
  stale: string[];
  /** not graded for the machine's fault (grade exits non-zero; a re-run grades them) */
  faults: MachineFault[];
  csvPath: string;
  /** the Canvas and Moodle gradebook imports */
  canvasPath: string;
  moodlePath: string;
  /** where an earlier grades.csv or earlier results were moved, if anywhere */
  history: string[];
  /** files and folders in the submissions folder that match no student, and why */
  unmatched: Unmatched[];
  /** how kernels were confined (sandbox.ts chooseSandbox) */
  sandbox: string;
  /** how the whole-student limits hold: a cgroup, or a watchdog (and why) */
  limitsBy: string;
  /** false only with --unsafe-no-sandbox */
  sandboxed: boolean;
  /** the signal that interrupted grading, if one did */
  interrupted?: NodeJS.Signals;
}

function zeroTests(key: AnswerKey, reason: string): TestScore[] {
  return key.tests.map((t) => ({ id: t.id, points: 0, max: t.points, hidden: t.hidden, reason, quantities: [] }));
}

function baseResult(
  key: AnswerKey,
  id: string,
  onRoster: boolean,
  submission: string | null,
  hash: string | null,
): StudentResult {
  return {
    student: id,
    onRoster,
    submission,
    submissionHash: hash,
    assignment: key.assignment,
    gradedAt: new Date().toISOString(),
    tests: [],
    total: 0,
    max: key.tests.reduce((s, t) => s + t.points, 0),
    notes: [],
    seconds: 0,
  };
}

function finish(r: StudentResult): StudentResult {
  r.total = Number(r.tests.reduce((s, t) => s + t.points, 0).toFixed(2));
  return r;
}

/** What the grader runs: the student's cells with the params restored and every test re-attached at the end. */
function prepare(
  nb: Notebook,
  key: AnswerKey,
  student: StudentKey,
  notes: string[],
): { prepared: Notebook; broken: Map<string, string> } {
  const broken = new Map<string, string>();
  for (const t of key.tests) {
    if (t.hidden) continue;
    const copies = nb.cells.filter((c) => metaOf(c)?.kind === "test" && metaOf(c)?.id === t.id);
    if (copies.length === 0) broken.set(t.id, "test cell deleted");
    else if (copies.some((c) => sourceHash(sourceOf(c)) !== t.hash)) broken.set(t.id, "test cell edited");
    // the grader never reads a student's test metadata, but a change to it is tampering worth saying
    const released = testMeta(t);
    for (const c of copies) {
      const m = metaOf(c)!;
      const changed = (["points", "part", "hidden", "quantities"] as const).filter(
        (f) => JSON.stringify(m[f]) !== JSON.stringify(released[f]),
      );
      if (changed.length)
        notes.push(
          `test "${t.id}": metadata tampered with (${changed.map((f) => `${f} ${JSON.stringify(released[f])} → ${JSON.stringify(m[f])}`).join(", ")}); ignored, graded as released`,
        );
    }
  }
  const cells: Cell[] = [];
  let params = false;
  for (const c of nb.cells) {
    const m = metaOf(c);
    if (m?.kind === "test") continue; // the released tests are appended below, whatever the student did to theirs
    if (c.cell_type !== "code") {
      cells.push({ cell_type: c.cell_type, metadata: {}, source: c.source });
      continue;
    }
    if (m?.kind === "params" && m.id === key.paramsCellId) {
      params = true;
      const released = paramsSource(student.params);
      if (sourceHash(sourceOf(c)) !== student.paramsHash)
        notes.push("params cell edited: graded on your own numbers, which were restored");
      cells.push(codeCell(released, m));
      continue;
    }
    cells.push(codeCell(sourceOf(c), m));
  }
  if (!params) {
    notes.push("params cell deleted: your own numbers were restored at the top");
    cells.unshift(codeCell(paramsSource(student.params), { kind: "params", id: key.paramsCellId }));
  }
  cells.push(...key.tests.map((t: ReleasedTest) => testCell(t)));
  cells.forEach((c, i) => {
    c.id = `cell-${i}`;
  });
  return { prepared: { cells, metadata: { kernelspec: KERNELSPEC }, nbformat: 4, nbformat_minor: 5 }, broken };
}

/** The student's graded result, or the machine's fault that kept them from being graded. */
type Outcome = { result: StudentResult; parts: FeedbackParts } | { fault: string };

async function gradeOne(
  found: Found,
  key: AnswerKey,
  submissionsDir: string,
  limits: RunLimits,
  confinement: Confinement,
  due: Date | undefined,
): Promise<Outcome> {
  const student = key.students.find((s) => s.id === found.id);
  const rel = found.path ? printable(relative(submissionsDir, found.path)) : null;
  let bytes: Buffer | null = null,
    unreadable: string | undefined;
  if (found.path) {
    try {
      bytes = await readSubmission(found.path, rel ?? found.id);
    } catch (e) {
      unreadable = isTutorError(e) ? `${e.where} ${e.problem}` : "cannot be read";
    }
  }
  const r = baseResult(key, found.id, student !== undefined, rel, bytes ? sha256(bytes) : null);
  if (found.submittedAt) {
    r.submittedAt = found.submittedAt.toISOString();
    if (due && found.submittedAt > due) {
      r.late = true;
      r.notes.push(`late: handed in ${r.submittedAt}, due ${due.toISOString()} (nbgrader's timestamp.txt)`);
    }
  }
  if (!student) {
    r.tests = zeroTests(
      key,
      `not on the roster: no student ${printable(found.id)} in the key (check the file or folder name)`,
    );
    return { result: finish(r), parts: {} };
  }
  if (!found.path || !bytes) {
    r.tests = zeroTests(key, unreadable ?? found.problem ?? "no submission (missing file)");
    return { result: finish(r), parts: {} };
  }
  let nb: Notebook;
  const text = bytes.toString("utf8");
  if (jsonDepth(text) > MAX_NOTEBOOK_DEPTH) {
    r.tests = zeroTests(
      key,
      `the notebook's JSON nests more than ${MAX_NOTEBOOK_DEPTH} levels deep (a notebook needs a few): not read`,
    );
    return { result: finish(r), parts: {} };
  }
  try {
    nb = asNotebook(JSON.parse(text), rel ?? found.id);
  } catch (e) {
    r.tests = zeroTests(
      key,
      e instanceof SyntaxError
        ? "notebook is not valid JSON"
        : isTutorError(e)
          ? e.problem
          : "notebook could not be read",
    );
    return { result: finish(r), parts: {} };
  }
  for (const f of found.ignored ?? []) r.notes.push(`also in your folder, not graded: ${f}`);
  const { prepared, broken } = prepare(nb, key, student, r.notes);
  const firstTestIndex = prepared.cells.length - key.tests.length;
  const run = await runNotebook(JSON.stringify(prepared), found.id, limits, confinement);
  if (run.machineFault) return { fault: run.machineFault };
  r.seconds = Number(run.seconds.toFixed(2));
  r.ran = true;
  r.notes.push(...cellNotes(run, firstTestIndex));
  const scored = scoreTests(key, student, run, firstTestIndex, broken, r.notes);
  r.tests = scored.tests;
  return { result: finish(r), parts: { networkCheckHtml: scored.network?.html, graphCheckHtml: scored.graph?.html } };
}

/** Runs `work` over `items`, `jobs` at a time. */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

interface GradeContext {
  opts: GradeOptions;
  key: AnswerKey;
  limits: RunLimits;
  jobs: number;
  regrade: ReadonlySet<string>;
  /** --students: grade only these */
  only: ReadonlySet<string> | undefined;
  found: readonly Found[];
  unmatched: readonly Unmatched[];
  confinement: Confinement;
  /** set by SIGINT/SIGTERM: no new student is started */
  interrupted: { signal?: NodeJS.Signals };
}

/** Rejects limits the runner could not honour, naming the option (the command line checks them first; this is for the API). */
function checkLimits(limits: RunLimits): void {
  const whole = new Set<keyof RunLimits>(["maxOutputChars", "memoryMb", "processes"]);
  for (const [k, v] of Object.entries(limits) as [keyof RunLimits, number][]) {
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0) || (whole.has(k) && !Number.isInteger(v))) {
      const problem = `must be a positive ${whole.has(k) ? "whole " : ""}number, got ${JSON.stringify(v)}`;
      throw new TutorError(`limits.${k}`, problem, `e.g. ${DEFAULT_LIMITS[k]}`, "usage");
    }
  }
}

/** --key must be a file and --out a folder (or not exist yet): anything else is a usage error, not an internal one. */
function checkPaths(opts: GradeOptions): void {
  const kind = (p: string) => (existsSync(p) ? (statSync(p).isDirectory() ? "folder" : "file") : "none");
  if (kind(opts.key) === "folder") {
    throw new TutorError(
      "--key",
      `${opts.key} is a folder, not the answer key`,
      "pass the key file itself, e.g. DIR/key/key.json",
      "usage",
    );
  }
  if (kind(opts.out) === "file") {
    throw new TutorError(
      "--out",
      `${opts.out} is a file; grade writes a folder of results there`,
      "pass a folder (new or one grade wrote before)",
      "usage",
    );
  }
}

/** Roster ids given to an option, all of which must be on the key's roster. */
function rosterIds(key: AnswerKey, option: string, ids: readonly string[] | undefined): Set<string> {
  const set = new Set(ids ?? []);
  const unknown = [...set].filter((id) => !key.students.some((s) => s.id === id));
  if (unknown.length) {
    const problem = `${unknown.map(printable).join(", ")} ${unknown.length === 1 ? "is" : "are"} not on the roster of the key`;
    throw new TutorError(option, problem, `use roster ids, e.g. ${option} ${key.students[0]?.id ?? "ID"}`, "usage");
  }
  return set;
}

export async function grade(opts: GradeOptions): Promise<GradeSummary> {
  checkPaths(opts);
  const key = await readKey(opts.key);
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  checkLimits(limits);
  const jobs = opts.jobs ?? cpus().length;
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new TutorError("--jobs", `must be a positive whole number, got ${jobs}`, "e.g. --jobs 2", "usage");
  const regrade = rosterIds(key, "--regrade", opts.regrade);
  const only = opts.students ? rosterIds(key, "--students", opts.students) : undefined;
  const { found, unmatched } = await findSubmissions(opts.submissions, key);
  const sandbox = chooseSandbox(opts.unsafeNoSandbox === true);
  const exposed = sandbox.bwrap ? keyExposure(opts.key) : undefined;
  if (exposed)
    throw new TutorError(
      "sandbox",
      exposed,
      "keep the key outside the project's dist/, node_modules and .venv",
      "exercise",
    );
  const noCgroup = cgroupsUnavailable();
  if (!noCgroup) await sweepCgroups(false); // what gradings that were killed outright left
  const stopReaper = noCgroup ? () => {} : reapCgroupsAfterExit();
  const limitsBy = noCgroup
    ? `a watchdog sums each student's processes twice a second (${limits.memoryMb} MB, ${limits.processes} processes and threads; ` +
      `CPU not capped, since ${noCgroup})`
    : `a cgroup per student holds all its processes together to ${limits.memoryMb} MB (shared memory included), ` +
      `${limits.processes} processes and threads, ${limits.cpus} CPU core${limits.cpus === 1 ? "" : "s"}`;
  const confinement: Confinement = { sandbox, cgroupGrading: noCgroup ? null : gradingCgroupName() };
  const interrupted: GradeContext["interrupted"] = {};
  // Ctrl-C or a kill: end every run now (bwrap takes its namespace with it), let the pool wind
  // down, remove the cgroups; results written so far stay, and a re-run grades the rest
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted.signal ??= signal;
    killAllRuns();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  killAllRuns(true); // an earlier grading in this process may have been interrupted
  try {
    opts.onStart?.({ sandbox: sandbox.description, limits: limitsBy });
    const summary = await gradeIn({
      opts,
      key,
      limits,
      jobs,
      regrade,
      only,
      found,
      unmatched,
      confinement,
      interrupted,
    });
    const how = { sandbox: sandbox.description, limitsBy, sandboxed: sandbox.bwrap !== null };
    return { ...summary, ...how, ...(interrupted.signal ? { interrupted: interrupted.signal } : {}) };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (interrupted.signal) killAllRuns();
    if (!noCgroup) await sweepCgroups(true);
    stopReaper();
  }
}

type GradedSummary = Omit<GradeSummary, "sandbox" | "limitsBy" | "sandboxed" | "interrupted">;

async function gradeIn(ctx: GradeContext): Promise<GradedSummary> {
  const { opts } = ctx;
  await privateDir(opts.out);
  // a second grading on this folder waits here: it then skips what the first graded
  const release = await lockOutput(opts.out, (pid) => opts.onWait?.(pid));
  try {
    return await gradeLocked(ctx);
  } finally {
    await release();
  }
}

/** Who to grade: not graded yet, changed since (stale: only said), or asked for again. */
async function planOf(ctx: GradeContext): Promise<{ todo: Found[]; skipped: string[]; stale: string[] }> {
  const { opts } = ctx;
  const todo: Found[] = [],
    skipped: string[] = [],
    stale: string[] = [];
  for (const f of ctx.found) {
    if (ctx.only && !ctx.only.has(f.id)) continue;
    const earlier = await readResult(join(opts.out, f.id, RESULT));
    const hash = f.path ? await readSubmission(f.path, f.id).then(sha256, () => null) : null;
    // "no submission" is not a grade: a late submission is graded when it arrives
    const late = earlier !== undefined && earlier.submissionHash === null && hash !== null;
    if (earlier && !opts.force && !ctx.regrade.has(f.id) && !late) {
      skipped.push(f.id);
      // a student with no file in this folder (graded from another, say) has not changed
      if (hash !== null && hash !== earlier.submissionHash) stale.push(f.id);
      continue;
    }
    todo.push(f);
  }
  return { todo, skipped, stale };
}

/**
 * Writes a student's new result. An earlier one moves to history only now, once there is a
 * new one: a student the machine failed keeps their earlier grade in every gradebook.
 */
async function keepResult(
  ctx: GradeContext,
  id: string,
  outcome: { result: StudentResult; parts: FeedbackParts },
  historyDir: string,
  history: string[],
): Promise<void> {
  const dir = join(ctx.opts.out, id);
  if (existsSync(dir)) {
    await privateDir(historyDir);
    await rename(dir, join(historyDir, id));
    history.push(join(historyDir, id));
  }
  await privateDir(dir);
  await writeAtomic(join(dir, CHECKS), JSON.stringify(outcome.parts) + "\n");
  await writeAtomic(
    join(dir, RESULT),
    JSON.stringify({ ...outcome.result, sandbox: ctx.confinement.sandbox.description }, null, 1) + "\n",
  );
}

async function gradeLocked(ctx: GradeContext): Promise<GradedSummary> {
  const { opts, key } = ctx;
  const overrides = await readOverrides(join(opts.out, OVERRIDES), key);
  const history: string[] = [];
  const historyDir = join(opts.out, "history", stamp());
  const { todo, skipped, stale } = await planOf(ctx);
  await copyKatexAssets(opts.out);
  const graded: string[] = [],
    faults: MachineFault[] = [];
  let done = 0;
  await pool(todo, ctx.jobs, async (f) => {
    if (ctx.interrupted.signal) {
      faults.push({ student: f.id, reason: `grading was interrupted (${ctx.interrupted.signal}) before this student` });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await gradeOne(f, key, opts.submissions, ctx.limits, ctx.confinement, opts.due);
    } catch (e) {
      // a bug or an I/O failure is the machine's, not the student's: no result, graded next run
      outcome = { fault: `grading failed: ${(e as Error).message}` };
    }
    if (ctx.interrupted.signal) outcome = { fault: `grading was interrupted (${ctx.interrupted.signal})` };
    const n = ++done;
    if ("fault" in outcome) {
      const reason = printable(clipped(outcome.fault, 500));
      faults.push({ student: f.id, reason });
      opts.onProgress?.({ student: printable(f.id), done: n, total: todo.length, fault: reason });
      return;
    }
    await keepResult(ctx, f.id, outcome, historyDir, history);
    graded.push(f.id);
    opts.onProgress?.({ student: printable(f.id), done: n, total: todo.length });
  });
  const paths = await writeGradebooks(ctx, overrides, graded, faults, history);
  return {
    results: paths.results,
    graded,
    skipped,
    stale,
    faults,
    ...paths.files,
    history,
    unmatched: [...ctx.unmatched],
  };
}
