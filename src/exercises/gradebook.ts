// What grading hands to people and other programs: grades.csv, the Canvas and Moodle gradebook
// imports, and the teacher's overrides (GRADED/overrides.csv), which grading reads and never writes.
//
// Every CSV cell is neutralised against formula injection: a cell a spreadsheet would read as a
// formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, which
// spreadsheets show as text (OWASP's advice). Numbers we write ourselves are left as numbers.
// Every control character anyone wrote (a student's error message, say) is shown as \u{..}:
// `cat grades.csv` on a terminal shows text and never runs an escape sequence.
//
// The gradebooks are written per roster student from the results the output folder holds, so
// separate runs (and subsets, --students) merge into one. A student with no result, or who
// handed in nothing, gets an empty cell in Canvas and Moodle (which leaves the gradebook as it
// is), not 0, unless the teacher asks for zeros; an override always reaches the gradebook.
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import type { AnswerKey, StudentKey } from "./assign.js";
import { CREDITED } from "./checking.js";
import { fmtPoints, type StudentResult, type TestScore } from "./feedback.js";
import { csvField, parseCsv } from "./roster.js";
import type { Unmatched } from "./submissions.js";
import { printable } from "./untrusted.js";

/** A text cell as a spreadsheet will show it, never run it. */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

type Cell = string | { number: string };
const num = (n: number): Cell => ({ number: fmtPoints(n) });

function csv(rows: readonly (readonly Cell[])[]): string {
  const cell = (c: Cell) => csvField(typeof c === "string" ? safeCell(printable(c)) : c.number);
  return rows.map((row) => row.map(cell).join(",")).join("\n") + "\n";
}

/** A teacher's override of one student's score, from overrides.csv. */
export interface Override {
  score: number;
  comment: string;
}

export const OVERRIDES_HEADER = "student,score,comment";
/** A plain decimal: Number() alone would take 0x0a as 10, 1e1 as 10 and an empty cell as 0. */
const SCORE = /^\d+(\.\d+)?$/;

function overridesProblem(where: string, problem: string, hint: string): TutorError {
  return new TutorError(where, problem, hint, "exercise");
}

/** overrides.csv (student,score,comment): read on every grading; missing means none. Every problem is one clear line. */
export async function readOverrides(path: string, key: AnswerKey): Promise<Map<string, Override>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return new Map();
    const problem = code === "EISDIR" ? "is a folder, not the overrides file" : `cannot be read (${code ?? "error"})`;
    throw overridesProblem(path, problem, `make it a CSV file with the header ${OVERRIDES_HEADER}, or remove it`);
  }
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const [sc, pc, cc] = ["student", "score", "comment"].map((h) => header.indexOf(h));
  if (sc < 0 || pc < 0) {
    const problem = `the overrides file needs the columns ${OVERRIDES_HEADER} (it has: ${rows[0]?.join(", ") ?? "nothing"})`;
    throw overridesProblem(path, problem, `write the header line ${OVERRIDES_HEADER}`);
  }
  const max = key.tests.reduce((n, t) => n + t.points, 0);
  const out = new Map<string, Override>();
  const rowOf = new Map<string, number>();
  rows.slice(1).forEach((r, i) => {
    const id = (r[sc] ?? "").trim(),
      typed = (r[pc] ?? "").trim(),
      where = `${path} row ${i + 2}`;
    if (!key.students.some((s) => s.id === id)) {
      throw overridesProblem(
        where,
        `the student ${JSON.stringify(printable(id))} is not on the roster of the key`,
        "use a roster id",
      );
    }
    if (!SCORE.test(typed) || Number(typed) > max) {
      const problem = `the score ${JSON.stringify(printable(r[pc] ?? ""))} for ${id} is not a number from 0 to ${max}`;
      throw overridesProblem(where, problem, "write the points the student gets in all as a plain decimal, e.g. 10.5");
    }
    if (rowOf.has(id))
      throw overridesProblem(
        where,
        `${id} has an override already, in row ${rowOf.get(id)}`,
        "keep one row per student",
      );
    rowOf.set(id, i + 2);
    out.set(id, { score: Number(typed), comment: cc >= 0 ? (r[cc] ?? "").trim() : "" });
  });
  return out;
}

/** The score that counts: the teacher's override if there is one. */
export function finalScore(r: StudentResult): number {
  return r.override?.score ?? r.total;
}

/** A test's lost quantities, grouped by verdict: "output: wrong w5+ (added-gradient)". */
function lostPoints(t: TestScore): string[] {
  const groups = new Map<string, string[]>();
  for (const q of t.quantities) {
    if (CREDITED.has(q.verdict)) continue;
    groups.set(q.verdict, [
      ...(groups.get(q.verdict) ?? []),
      `${q.key}${q.mistake ? ` (${q.mistake.split(":")[0]})` : ""}`,
    ]);
  }
  return [...groups].map(([verdict, keys]) => `${t.id}: ${verdict} ${keys.join(" ")}`);
}

function overrideNote(o: Override, graded: number | undefined): string {
  const was = graded === undefined ? "" : ` (graded ${fmtPoints(graded)})`;
  return `score set by the teacher to ${fmtPoints(o.score)}${was}${o.comment ? `: ${o.comment}` : ""}`;
}

/** Why a student has the score they have, in one line. */
export function reasonsOf(r: StudentResult): string {
  // a reason shared by every test (not valid JSON, not on the roster ...) is said once
  const shared =
    r.tests.length > 0 && r.tests.every((t) => t.reason !== undefined && t.reason === r.tests[0].reason)
      ? r.tests[0].reason
      : undefined;
  const reasons = [
    ...(r.override ? [overrideNote(r.override, r.total)] : []),
    ...(shared ? [shared] : r.tests.flatMap((t) => (t.reason ? [`${t.id}: ${t.reason}`] : lostPoints(t)))),
    ...r.notes,
  ];
  return [...new Set(reasons)].join("; ");
}

/** A student the machine kept from being graded: a row with no points at all (not 0), and why. */
export interface Pending {
  student: string;
  reason: string;
}

/** What the gradebooks hold for one roster student: their result, if any; why there is none; the teacher's override. */
export interface Entry {
  student: StudentKey;
  result?: StudentResult;
  /** the machine kept them from being graded (this run) */
  pending?: string;
  override?: Override;
}

/** One entry per roster student, in roster order. */
export function entriesOf(
  key: AnswerKey,
  results: readonly StudentResult[],
  pending: readonly Pending[],
  overrides: ReadonlyMap<string, Override>,
): Entry[] {
  return key.students.map((student) => {
    const result = results.find((r) => r.student === student.id);
    const why = pending.find((p) => p.student === student.id)?.reason;
    const override = overrides.get(student.id);
    return {
      student,
      ...(result ? { result } : {}),
      ...(why ? { pending: why } : {}),
      ...(override ? { override } : {}),
    };
  });
}

/** The score an LMS gets: the override, else the graded total; empty for no submission (unless zeros are asked for) or no result. */
function lmsScore(e: Entry, missingZero: boolean): Cell {
  if (e.override) return num(e.override.score);
  if (!e.result) return "";
  return e.result.submission === null && !missingZero ? "" : num(e.result.total);
}

/** The one-line reason for an entry without a result. */
function noResultNote(e: Entry): string {
  const why = e.pending
    ? `not graded (the machine's fault, not the student's): ${e.pending}; grade again to grade them`
    : "not graded yet";
  return [...(e.override ? [overrideNote(e.override, undefined)] : []), why].join("; ");
}

/**
 * grades.csv: one row per roster student (a result, or why there is none: empty points, not
 * 0), then submissions of students not on the roster, then one row per file that matches no student.
 */
export function gradesCsv(
  key: AnswerKey,
  entries: readonly Entry[],
  others: readonly StudentResult[] = [],
  unmatched: readonly Unmatched[] = [],
): string {
  const header: Cell[] = ["student", ...key.tests.map((t) => t.id), "total", "max", "notes"];
  const points = (r: StudentResult) => key.tests.map((t) => num(r.tests.find((x) => x.id === t.id)?.points ?? 0));
  const max = num(key.tests.reduce((n, t) => n + t.points, 0));
  const row = (r: StudentResult): Cell[] => [r.student, ...points(r), num(finalScore(r)), num(r.max), reasonsOf(r)];
  const rows: Cell[][] = entries.map((e) =>
    e.result
      ? row(e.result)
      : [e.student.id, ...key.tests.map(() => ""), e.override ? num(e.override.score) : "", max, noResultNote(e)],
  );
  rows.push(...[...others].sort((a, b) => a.student.localeCompare(b.student)).map(row));
  for (const u of unmatched) rows.push([u.file, ...key.tests.map(() => num(0)), num(0), max, u.reason]);
  return csv([header, ...rows]);
}

export interface CanvasOptions {
  /** the assignment's column as Canvas exports it, "Name (id)"; default: the assignment's name (Canvas then makes a new assignment) */
  column?: string;
  /** a missing submission as 0 instead of an empty cell */
  missingZero?: boolean;
}

/**
 * Canvas's gradebook import (Grades → Import): Student, ID, SIS User ID, SIS Login ID, Section,
 * the assignment's column ("Name (id)" updates that assignment), and the "Points Possible" row.
 * A roster that was a Canvas export carries its ID, SIS ids and section through; a plain roster's
 * id goes in SIS User ID.
 */
export function canvasCsv(key: AnswerKey, entries: readonly Entry[], opts: CanvasOptions = {}): string {
  const max = key.tests.reduce((n, t) => n + t.points, 0);
  const identity = (s: StudentKey): Cell[] => {
    const l = s.lms;
    return l?.source === "canvas"
      ? [l.canvasId ?? "", l.sisUserId ?? "", l.sisLoginId ?? "", l.section ?? ""]
      : ["", s.id, "", ""];
  };
  const rows: Cell[][] = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", opts.column ?? key.assignment],
    ["    Points Possible", "", "", "", "", num(max)],
    ...entries.map((e) => [
      e.student.name || e.student.id,
      ...identity(e.student),
      lmsScore(e, opts.missingZero === true),
    ]),
  ];
  return csv(rows);
}

/**
 * Moodle's "Import grades: CSV file" maps any column to a user field: every identifier the
 * roster had is written (ID number, username, email address; a plain roster's id as ID number),
 * so the teacher picks the one their site matches on. Then the grade and the feedback text.
 */
export function moodleCsv(key: AnswerKey, entries: readonly Entry[], opts: { missingZero?: boolean } = {}): string {
  const fields = [
    ["ID number", (s: StudentKey) => (s.lms?.source === "moodle" ? s.lms.idNumber : s.id)],
    ["Username", (s: StudentKey) => s.lms?.username],
    ["Email address", (s: StudentKey) => s.lms?.email],
  ] as const;
  const used = fields.filter(([, get]) => entries.some((e) => get(e.student)));
  const rows: Cell[][] = [
    [...used.map(([name]) => name), "Full name", `${key.assignment} (Real)`, `${key.assignment} (Feedback)`],
    ...entries.map((e) => [
      ...used.map(([, get]) => get(e.student) ?? ""),
      e.student.name,
      lmsScore(e, opts.missingZero === true),
      e.result ? reasonsOf(e.result) : noResultNote(e),
    ]),
  ];
  return csv(rows);
}
