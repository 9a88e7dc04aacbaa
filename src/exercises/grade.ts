// `grade`: execute every submission in its own kernel, restore hidden tests, compare the answers
// the kernel reports with the key (here, in the grader's process: the key never enters a
// kernel), and write grades.csv and one feedback page per student.
//
// Nothing one submission does can touch another's grading: each runs in its own process and
// kernel, under its own limits, in its own folder (as its own uid when the grader is root, see
// run.ts), and every failure becomes a reason in that student's row. Results are per student
// (GRADED/<id>/result.json), so a re-run skips what is graded; --force (everyone) or --regrade
// (named students) re-grades and moves the earlier result to GRADED/history/<time>/ first.
import { existsSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { mkdir, readdir, readFile, rename, rm, writeFile, copyFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { isTutorError, TutorError } from "../engine/errors.js";
import { readKey, type AnswerKey, type StudentKey } from "./assign.js";
import { checkGraphPart, checkNetworkPart, CREDITED, type PartCheck, type QuantityResult } from "./checking.js";
import { copyKatexAssets, feedbackHtml, fmtPoints, type StudentResult, type TestScore } from "./feedback.js";
import { asNotebook, codeCell, metaOf, sha256, sourceHash, sourceOf, KERNELSPEC, type Cell, type Notebook } from "./notebook.js";
import { csvField, ID_PATTERN } from "./roster.js";
import { DEFAULT_LIMITS, makeRunDir, runNotebook, type RunLimits, type RunResult } from "./run.js";
import { chooseSandbox, sandboxProblems, weakerSandbox, type Sandbox } from "./sandbox.js";
import { MARKER, paramsSource, testCell, testMeta, type ReleasedTest } from "./source.js";

export type { StudentResult, TestScore } from "./feedback.js";

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
  limits?: Partial<RunLimits>;
  /** progress on stderr; default: a bar on a TTY, plain lines otherwise; false: silent */
  progress?: boolean;
}

export interface GradeSummary {
  results: StudentResult[];
  graded: string[];
  skipped: string[];
  /** skipped although the submission changed since it was graded: needs --force */
  stale: string[];
  csvPath: string;
  /** where an earlier grades.csv or earlier results were moved, if anywhere */
  history: string[];
  /** files and folders in the submissions folder that match no student, and why */
  unmatched: Unmatched[];
  /** how kernels were confined (sandbox.ts chooseSandbox) */
  sandbox: string;
  weakSandbox: boolean;
  /** where the submissions ran; removed at the end */
  runDir: string;
}

/** Something handed in that no student's row can take: e.g. `ada (1).ipynb`, a browser's duplicate name. */
export interface Unmatched {
  /** relative to the submissions folder */
  file: string;
  reason: string;
}

interface Found {
  id: string;
  /** absolute path, or null when the roster student handed in nothing */
  path: string | null;
  problem?: string;
  /** other notebooks in the student's folder, not graded */
  ignored?: string[];
}

const RESULT = "result.json";

/** Why a name matches no student, with the student it probably belongs to. */
function unmatchedReason(name: string, key: AnswerKey): string {
  const base = name.replace(/\.ipynb$/, "");
  const ids = key.students.map((s) => s.id);
  // a browser's "ada (1).ipynb", a file manager's "ada copy.ipynb", or a different case
  const guess = base.replace(/\s*\(\d+\)$/, "").replace(/[\s_-]*copy(\s*\d+)?$/i, "").trim();
  const like = ids.find((id) => id === guess) ?? ids.find((id) => id.toLowerCase() === guess.toLowerCase());
  const what = name.endsWith(".ipynb") || !name.includes(".") ? "matches no student" : "is not a notebook (.ipynb) and matches no student";
  return `not graded: the name ${what}${like ? `; if it is ${like}'s, rename it to ${like}.ipynb (or put it in ${like}/)` : ""}`;
}

/** Submissions as `<id>.ipynb` or `<id>/<anything>.ipynb` (nbgrader's collect layout, flattened). */
async function findSubmissions(dir: string, key: AnswerKey): Promise<{ found: Found[]; unmatched: Unmatched[] }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new TutorError(dir, "cannot read the submissions folder (missing)", "pass the folder that holds <student>.ipynb or <student>/*.ipynb", "exercise");
  }
  const found = new Map<string, Found>();
  const unmatched: Unmatched[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue; // .ipynb_checkpoints, .DS_Store
    const id = e.isFile() && e.name.endsWith(".ipynb") ? e.name.slice(0, -".ipynb".length) : e.isDirectory() ? e.name : undefined;
    if (id === undefined || !ID_PATTERN.test(id) || found.has(id)) {
      unmatched.push({ file: e.isDirectory() ? `${e.name}/` : e.name, reason: found.has(id ?? "") ? `not graded: ${id} also handed in ${id}.ipynb or ${id}/; only one is graded` : unmatchedReason(e.name, key) });
      continue;
    }
    if (e.isFile()) {
      found.set(id, { id, path: join(dir, e.name) });
      continue;
    }
    const nbs = (await readdir(join(dir, e.name))).filter((f) => f.endsWith(".ipynb") && !f.startsWith("."));
    const pick = nbs.includes(key.notebookName) ? key.notebookName : nbs.length === 1 ? nbs[0] : undefined;
    const ignored = nbs.filter((f) => f !== pick);
    if (pick) found.set(id, { id, path: join(dir, e.name, pick), ...(ignored.length ? { ignored } : {}) });
    else found.set(id, { id, path: null, problem: nbs.length ? `several notebooks and none named ${key.notebookName}` : "no notebook in the folder" });
  }
  const out: Found[] = key.students.map((s) => found.get(s.id) ?? { id: s.id, path: null, problem: "no submission (missing file)" });
  const known = new Set(key.students.map((s) => s.id));
  for (const f of found.values()) if (!known.has(f.id)) out.push(f);
  return { found: out, unmatched };
}

function zeroTests(key: AnswerKey, reason: string): TestScore[] {
  return key.tests.map((t) => ({ id: t.id, points: 0, max: t.points, hidden: t.hidden, reason, quantities: [] }));
}

function baseResult(key: AnswerKey, id: string, onRoster: boolean, submission: string | null, hash: string | null): StudentResult {
  return { student: id, onRoster, submission, submissionHash: hash, assignment: key.assignment, gradedAt: new Date().toISOString(), tests: [], total: 0, max: key.tests.reduce((s, t) => s + t.points, 0), notes: [], seconds: 0 };
}

function finish(r: StudentResult): StudentResult {
  r.total = Number(r.tests.reduce((s, t) => s + t.points, 0).toFixed(2));
  return r;
}

/** What the grader runs: the student's cells with the params restored and every test re-attached at the end. */
function prepare(nb: Notebook, key: AnswerKey, student: StudentKey, notes: string[]): { prepared: Notebook; broken: Map<string, string> } {
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
      const changed = (["points", "part", "hidden", "quantities"] as const).filter((f) => JSON.stringify(m[f]) !== JSON.stringify(released[f]));
      if (changed.length) notes.push(`test "${t.id}": metadata tampered with (${changed.map((f) => `${f} ${JSON.stringify(released[f])} → ${JSON.stringify(m[f])}`).join(", ")}); ignored, graded as released`);
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
      if (sourceHash(sourceOf(c)) !== student.paramsHash) notes.push("params cell edited: graded on your own numbers, which were restored");
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
  cells.forEach((c, i) => { c.id = `cell-${i}`; });
  return { prepared: { cells, metadata: { kernelspec: KERNELSPEC }, nbformat: 4, nbformat_minor: 5 }, broken };
}

/** A reported answer as text: strings as typed; computed numbers judged at 8 decimals at most. */
function typedText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) || String(v).split(".")[1]?.length <= 8 ? String(v) : v.toFixed(8);
  return v === null || v === undefined ? "" : `(${typeof v})`;
}

function readMarker(text: string, testId: string): Record<string, string> | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(MARKER)) continue;
    try {
      const m = JSON.parse(line.slice(MARKER.length)) as { test?: unknown; answers?: unknown };
      if (m.test !== testId || typeof m.answers !== "object" || m.answers === null) continue;
      return Object.fromEntries(Object.entries(m.answers as Record<string, unknown>).map(([k, v]) => [k, typedText(v)]));
    } catch {
      // a malformed line: the test reports nothing
    }
  }
  return undefined;
}

function cellNotes(run: RunResult, firstTestIndex: number): string[] {
  const notes: string[] = [];
  if (run.fatal) notes.push(run.fatal);
  for (const c of run.cells) {
    if (c.index >= firstTestIndex) continue; // test cells are reported per test
    const n = c.index + 1;
    if (c.status === "timeout") notes.push(`cell ${n} timed out (${c.reason ?? "time limit"}) and was skipped`);
    else if (c.status === "error") notes.push(`cell ${n} raised an error: ${c.evalue ?? c.reason ?? ""}`.trim());
    if (c.truncated) notes.push(`cell ${n} printed too much; its output was cut`);
  }
  return notes;
}

interface Checked {
  result: StudentResult;
  network?: PartCheck;
  graph?: PartCheck;
}

function scoreTests(key: AnswerKey, student: StudentKey, run: RunResult, firstTestIndex: number, broken: Map<string, string>): { tests: TestScore[]; network?: PartCheck; graph?: PartCheck } {
  const reported = new Map<string, Record<string, string>>();
  const failure = new Map<string, string>();
  key.tests.forEach((t, i) => {
    const cell = run.cells.find((c) => c.index === firstTestIndex + i);
    const answers = cell ? readMarker(cell.text, t.id) : undefined;
    if (answers) reported.set(t.id, answers);
    else if (run.fatal) failure.set(t.id, run.fatal);
    else if (!cell || cell.status === "skipped") failure.set(t.id, `test did not run (${cell?.reason ?? "not reached"})`);
    else if (cell.status === "timeout") failure.set(t.id, "test timed out");
    else failure.set(t.id, `no answers reported${cell.status === "error" ? `: ${cell.evalue ?? ""}` : ""} (is \`answers\` defined?)`);
  });
  // one check per part, over all of that part's quantities, so follow-through sees every answer
  const answersFor = (part: "network" | "graph") => key.tests.filter((t) => t.part === part).map((t) => reported.get(t.id)).find((a) => a !== undefined);
  const quantitiesOf = (part: "network" | "graph") => key.tests.filter((t) => t.part === part).flatMap((t) => t.quantities);
  const na = answersFor("network"), ga = answersFor("graph");
  const network = na ? checkNetworkPart(student.params.network, na, quantitiesOf("network"), quantitiesOf("graph")) : undefined;
  const graph = ga ? checkGraphPart(student.params.graph, ga, quantitiesOf("graph")) : undefined;
  const tests = key.tests.map((t): TestScore => {
    const base = { id: t.id, max: t.points, hidden: t.hidden };
    const reason = broken.get(t.id) ?? failure.get(t.id);
    const part = t.part === "network" ? network : graph;
    if (reason || !part) return { ...base, points: 0, reason: reason ?? "no answers reported", quantities: [] };
    const quantities: QuantityResult[] = t.quantities.map((q) => part.byKey.get(q)!);
    const credited = quantities.filter((q) => CREDITED.has(q.verdict)).length;
    return { ...base, points: Number(((t.points * credited) / t.quantities.length).toFixed(2)), quantities };
  });
  return { tests, network, graph };
}

async function gradeOne(found: Found, key: AnswerKey, submissionsDir: string, runDir: string, limits: RunLimits, uid: number | null): Promise<Checked> {
  const student = key.students.find((s) => s.id === found.id);
  const rel = found.path ? relative(submissionsDir, found.path) : null;
  let bytes: Buffer | null = null;
  if (found.path) {
    try {
      bytes = await readFile(found.path);
    } catch {
      bytes = null;
    }
  }
  const r = baseResult(key, found.id, student !== undefined, rel, bytes ? sha256(bytes) : null);
  if (!student) {
    r.tests = zeroTests(key, "not on the roster");
    return { result: finish(r) };
  }
  if (!found.path || !bytes) {
    r.tests = zeroTests(key, found.problem ?? "no submission (missing file)");
    return { result: finish(r) };
  }
  let nb: Notebook;
  try {
    nb = asNotebook(JSON.parse(bytes.toString("utf8")), rel ?? found.id);
  } catch (e) {
    r.tests = zeroTests(key, e instanceof SyntaxError ? "notebook is not valid JSON" : isTutorError(e) ? e.problem : "notebook could not be read");
    return { result: finish(r) };
  }
  for (const f of found.ignored ?? []) r.notes.push(`also in your folder, not graded: ${f}`);
  const { prepared, broken } = prepare(nb, key, student, r.notes);
  const firstTestIndex = prepared.cells.length - key.tests.length;
  const run = await runNotebook(JSON.stringify(prepared), runDir, found.id, limits, uid);
  r.seconds = Number(run.seconds.toFixed(2));
  r.ran = true;
  r.notes.push(...cellNotes(run, firstTestIndex));
  const scored = scoreTests(key, student, run, firstTestIndex, broken);
  r.tests = scored.tests;
  return { result: finish(r), network: scored.network, graph: scored.graph };
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

/** A test's lost quantities, grouped by verdict: "output: wrong w5+ (added-gradient)". */
function lostPoints(t: TestScore): string[] {
  const groups = new Map<string, string[]>();
  for (const q of t.quantities) {
    if (CREDITED.has(q.verdict)) continue;
    groups.set(q.verdict, [...(groups.get(q.verdict) ?? []), `${q.key}${q.mistake ? ` (${q.mistake.split(":")[0]})` : ""}`]);
  }
  return [...groups].map(([verdict, keys]) => `${t.id}: ${verdict} ${keys.join(" ")}`);
}

/** grades.csv: one row per student (roster order, then unknown submissions), test points, total, notes; then one row per file that matches no student. */
export function gradesCsv(key: AnswerKey, results: readonly StudentResult[], unmatched: readonly Unmatched[] = []): string {
  const header = ["student", ...key.tests.map((t) => t.id), "total", "max", "notes"];
  const order = new Map(key.students.map((s, i) => [s.id, i]));
  const sorted = [...results].sort((a, b) => (order.get(a.student) ?? 1e9) - (order.get(b.student) ?? 1e9) || a.student.localeCompare(b.student));
  const rows = sorted.map((r) => {
    // a reason shared by every test (not valid JSON, not on the roster ...) is said once
    const shared = r.tests.length > 0 && r.tests.every((t) => t.reason !== undefined && t.reason === r.tests[0].reason) ? r.tests[0].reason : undefined;
    const reasons = [
      ...(shared ? [shared] : r.tests.flatMap((t) => (t.reason ? [`${t.id}: ${t.reason}`] : lostPoints(t)))),
      ...r.notes,
    ];
    const unique = [...new Set(reasons)];
    return [r.student, ...key.tests.map((t) => fmtPoints(r.tests.find((x) => x.id === t.id)?.points ?? 0)), fmtPoints(r.total), fmtPoints(r.max), unique.join("; ")];
  });
  const max = fmtPoints(key.tests.reduce((n, t) => n + t.points, 0));
  for (const u of unmatched) rows.push([u.file, ...key.tests.map(() => "0"), "0", max, u.reason]);
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}

async function readResult(path: string): Promise<StudentResult | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as StudentResult;
  } catch {
    return undefined;
  }
}

/** A tiny progress display: a bar on a terminal, one line per submission elsewhere (CI logs). */
function progressReporter(total: number, enabled: boolean): (id: string, done: number) => void {
  if (!enabled) return () => {};
  const tty = process.stderr.isTTY === true;
  return (id, done) => {
    if (tty) {
      const width = 30, filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${id.padEnd(16).slice(0, 16)}${done === total ? "\n" : ""}`);
    } else process.stderr.write(`graded ${id} (${done}/${total})\n`);
  };
}

/** Runs `work` over `items`, `jobs` at a time; each call gets its worker's slot (0 … jobs-1), which picks the sandbox uid. */
async function pool<T>(items: readonly T[], jobs: number, work: (item: T, slot: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (_: unknown, slot: number) => {
    while (next < items.length) await work(items[next++], slot);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

export async function grade(opts: GradeOptions): Promise<GradeSummary> {
  const key = await readKey(opts.key);
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const jobs = opts.jobs ?? cpus().length;
  if (!Number.isInteger(jobs) || jobs < 1) throw new TutorError("--jobs", `must be a positive whole number, got ${jobs}`, "e.g. --jobs 2", "usage");
  const regrade = new Set(opts.regrade ?? []);
  const unknown = [...regrade].filter((id) => !key.students.some((s) => s.id === id));
  if (unknown.length) throw new TutorError("--regrade", `${unknown.join(", ")} ${unknown.length === 1 ? "is" : "are"} not on the roster of the key`, `use roster ids, e.g. --regrade ${key.students[0]?.id ?? "ID"}`, "usage");
  const { found, unmatched } = await findSubmissions(opts.submissions, key);
  let sandbox = chooseSandbox(jobs);
  let runDir: string | undefined;
  try {
    runDir = await makeRunDir(tmpdir());
    if (sandbox.uidBase !== null) {
      const { unreachable, exposed } = sandboxProblems(sandbox.uidBase, opts.key, runDir);
      // a readable key or a writable project would let student code cheat: the teacher must fix it
      if (exposed.length) throw new TutorError("sandbox", `the sandbox uid ${sandbox.uidBase} ${exposed.join("; ")}`, "fix the permissions, then grade again", "exercise");
      // a project only root can reach (say under /root) still gets graded, with the weaker sandbox, said so
      if (unreachable.length) {
        sandbox.release();
        sandbox = weakerSandbox(`the sandbox uid ${sandbox.uidBase} ${unreachable.join("; ")} (to get the stronger sandbox, keep the project, and TMPDIR, where other users may read and pass through)`);
      }
    }
    return await gradeIn(opts, key, limits, jobs, regrade, found, unmatched, sandbox, runDir);
  } finally {
    if (runDir) await rm(runDir, { recursive: true, force: true });
    sandbox.release();
  }
}

async function gradeIn(opts: GradeOptions, key: AnswerKey, limits: RunLimits, jobs: number, regrade: ReadonlySet<string>, found: readonly Found[], unmatched: Unmatched[], sandbox: Sandbox, runDir: string): Promise<GradeSummary> {
  await mkdir(opts.out, { recursive: true });
  const history: string[] = [];
  const historyDir = join(opts.out, "history", stamp());
  const todo: Found[] = [];
  const skipped: string[] = [], stale: string[] = [];
  for (const f of found) {
    const resultPath = join(opts.out, f.id, RESULT);
    const earlier = existsSync(resultPath) ? await readResult(resultPath) : undefined;
    const hash = f.path && existsSync(f.path) ? sha256(await readFile(f.path)) : null;
    // "no submission" is not a grade: a late submission is graded when it arrives
    const late = earlier !== undefined && earlier.submissionHash === null && hash !== null;
    if (earlier && !opts.force && !regrade.has(f.id) && !late) {
      skipped.push(f.id);
      if (hash !== earlier.submissionHash) stale.push(f.id);
      continue;
    }
    if (existsSync(join(opts.out, f.id))) {
      await mkdir(historyDir, { recursive: true });
      await rename(join(opts.out, f.id), join(historyDir, f.id));
      history.push(join(historyDir, f.id));
    }
    todo.push(f);
  }
  await copyKatexAssets(opts.out);
  const report = progressReporter(todo.length, opts.progress ?? true);
  const graded: string[] = [];
  await pool(todo, jobs, async (f, slot) => {
    let checked: Checked;
    try {
      checked = await gradeOne(f, key, opts.submissions, runDir, limits, sandbox.uidBase === null ? null : sandbox.uidBase + slot);
    } catch (e) {
      // a bug or an I/O failure for one student must not stop the others
      const r = baseResult(key, f.id, key.students.some((s) => s.id === f.id), f.path, null);
      r.tests = zeroTests(key, `grading failed: ${(e as Error).message}`);
      checked = { result: finish(r) };
    }
    checked.result.sandbox = sandbox.description;
    const dir = join(opts.out, f.id);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, RESULT), JSON.stringify(checked.result, null, 1) + "\n");
    const student = key.students.find((s) => s.id === f.id);
    await writeFile(join(dir, "feedback.html"), feedbackHtml(checked.result, student, { networkCheckHtml: checked.network?.html, graphCheckHtml: checked.graph?.html }));
    graded.push(f.id);
    report(f.id, graded.length);
  });
  const results: StudentResult[] = [];
  for (const f of found) {
    const r = await readResult(join(opts.out, f.id, RESULT));
    if (r) results.push(r);
  }
  const csvPath = join(opts.out, "grades.csv");
  const csv = gradesCsv(key, results, unmatched);
  if (existsSync(csvPath) && (await readFile(csvPath, "utf8")) !== csv) {
    // a teacher may have edited it, or these are new results: either way keep the old one
    await mkdir(join(opts.out, "history"), { recursive: true });
    const kept = join(opts.out, "history", `grades-${stamp()}.csv`);
    await copyFile(csvPath, kept);
    history.push(kept);
  }
  await writeFile(csvPath, csv);
  return { results, graded, skipped, stale, csvPath, history, unmatched, sandbox: sandbox.description, weakSandbox: sandbox.uidBase === null, runDir };
}
