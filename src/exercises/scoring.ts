// Scoring one student's run: the answers each test cell reported (bounded before they are judged),
// each part checked once against the student's own key, points per test, and notes on the cells
// before the tests (what timed out, raised or was cut).
import type { AnswerKey, StudentKey } from "./assign.js";
import { checkGraphPart, checkNetworkPart, CREDITED, type PartCheck, type QuantityResult } from "./checking.js";
import type { TestScore } from "./feedback.js";
import type { RunResult } from "./run.js";
import { MARKER } from "./source.js";
import { answerTooBig, clipped, printable } from "./untrusted.js";

/** A reported answer as text: strings as typed; computed numbers judged at 8 decimals at most. */
function typedText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number")
    return Number.isInteger(v) || String(v).split(".")[1]?.length <= 8 ? String(v) : v.toFixed(8);
  return v === null || v === undefined ? "" : `(${typeof v})`;
}

/**
 * The answers a test cell reported. An answer too big to judge (1e-100000000 asks for a hundred
 * million decimals) is replaced by a note in `notes` and judged as no number at all, so the
 * grader never builds it.
 */
function readMarker(text: string, testId: string, notes: string[]): Record<string, string> | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(MARKER)) continue;
    try {
      const m = JSON.parse(line.slice(MARKER.length)) as { test?: unknown; answers?: unknown };
      if (m.test !== testId || typeof m.answers !== "object" || m.answers === null) continue;
      return Object.fromEntries(
        Object.entries(m.answers as Record<string, unknown>).map(([k, v]) => [k, bounded(k, typedText(v), notes)]),
      );
    } catch {
      // a malformed line: the test reports nothing
    }
  }
  return undefined;
}

function bounded(key: string, typed: string, notes: string[]): string {
  const why = answerTooBig(typed);
  if (!why) return typed;
  const note = `answer ${printable(clipped(key, 40))} = ${printable(clipped(typed, 40))} ${why}: not judged`;
  if (!notes.includes(note)) notes.push(note);
  return "(too big to judge)";
}

export function cellNotes(run: RunResult, firstTestIndex: number): string[] {
  const notes: string[] = [];
  if (run.fatal) notes.push(run.fatal);
  notes.push(...(run.limitNotes ?? []));
  for (const c of run.cells) {
    if (c.index >= firstTestIndex) continue; // test cells are reported per test
    const n = c.index + 1;
    // a timer or promise an earlier cell started runs whenever the kernel is free: it may be what kept cell n busy
    const leftRunning =
      "if it has no long loop itself, code an earlier cell left running (a setTimeout, setInterval or promise) kept the kernel busy";
    if (c.status === "timeout")
      notes.push(`cell ${n} timed out (${c.reason ?? "time limit"}) and was skipped; ${leftRunning}`);
    else if (c.status === "error" && c.oom) notes.push(`cell ${n}: ${c.reason}`);
    else if (c.status === "error")
      notes.push(`cell ${n} raised an error: ${c.evalue || c.ename || c.reason || "(no message)"}`);
    if (c.truncated) notes.push(`cell ${n} printed too much; its output was cut`);
  }
  return notes;
}

/** Why a test cell (which only prints `answers`) timed out. */
const TEST_TIMEOUT_WHY =
  "code one of your cells left running, such as a setTimeout, setInterval or promise with a long loop, kept the kernel busy";

export function scoreTests(
  key: AnswerKey,
  student: StudentKey,
  run: RunResult,
  firstTestIndex: number,
  broken: Map<string, string>,
  notes: string[],
): { tests: TestScore[]; network?: PartCheck; graph?: PartCheck } {
  const reported = new Map<string, Record<string, string>>();
  const failure = new Map<string, string>();
  key.tests.forEach((t, i) => {
    const cell = run.cells.find((c) => c.index === firstTestIndex + i);
    const answers = cell ? readMarker(cell.text, t.id, notes) : undefined;
    if (answers) reported.set(t.id, answers);
    else if (run.fatal) failure.set(t.id, run.fatal);
    else if (!cell || cell.status === "skipped")
      failure.set(t.id, `test did not run (${cell?.reason ?? "not reached"})`);
    // the test cells only print `answers`: what keeps them busy is code a cell of the student's left running
    else if (cell.status === "timeout") failure.set(t.id, `test timed out (${TEST_TIMEOUT_WHY})`);
    else
      failure.set(
        t.id,
        `no answers reported${cell.status === "error" ? `: ${cell.evalue ?? ""}` : ""} (is \`answers\` defined?)`,
      );
  });
  // one check per part, over all of that part's quantities, so follow-through sees every answer
  const answersFor = (part: "network" | "graph") =>
    key.tests
      .filter((t) => t.part === part)
      .map((t) => reported.get(t.id))
      .find((a) => a !== undefined);
  const quantitiesOf = (part: "network" | "graph") =>
    key.tests.filter((t) => t.part === part).flatMap((t) => t.quantities);
  const na = answersFor("network"),
    ga = answersFor("graph");
  const { network: spec, graph: question } = student.params;
  const network = na && spec ? checkNetworkPart(spec, na, quantitiesOf("network"), quantitiesOf("graph")) : undefined;
  const graph = ga && question ? checkGraphPart(question, ga, quantitiesOf("graph")) : undefined;
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
