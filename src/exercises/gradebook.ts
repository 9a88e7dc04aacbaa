// What grading hands to people and other programs: grades.csv, the Canvas and Moodle gradebook
// imports, and the teacher's overrides (GRADED/overrides.csv), which grading reads and never writes.
//
// Every CSV cell is neutralised against formula injection: a cell a spreadsheet would read as a
// formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, which
// spreadsheets show as text (OWASP's advice). Numbers we write ourselves are left as numbers.
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import type { AnswerKey } from "./assign.js";
import { CREDITED } from "./checking.js";
import { fmtPoints, type StudentResult, type TestScore } from "./feedback.js";
import { csvField, parseCsv } from "./roster.js";
import type { Unmatched } from "./submissions.js";

/** A text cell as a spreadsheet will show it, never run it. */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

type Cell = string | { number: string };
const num = (n: number): Cell => ({ number: fmtPoints(n) });

function csv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map((c) => csvField(typeof c === "string" ? safeCell(c) : c.number)).join(",")).join("\n") + "\n";
}

/** A teacher's override of one student's score, from overrides.csv. */
export interface Override {
  score: number;
  comment: string;
}

export const OVERRIDES_HEADER = "student,score,comment";

/** overrides.csv (student,score,comment): read on every grading; missing means none. */
export async function readOverrides(path: string, key: AnswerKey): Promise<Map<string, Override>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return new Map();
  }
  const rows = parseCsv(text);
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const [sc, pc, cc] = ["student", "score", "comment"].map((h) => header.indexOf(h));
  if (sc < 0 || pc < 0) {
    const problem = `the overrides file needs the columns ${OVERRIDES_HEADER} (it has: ${rows[0]?.join(", ") ?? "nothing"})`;
    throw new TutorError(path, problem, `write the header line ${OVERRIDES_HEADER}`, "exercise");
  }
  const max = key.tests.reduce((n, t) => n + t.points, 0);
  const out = new Map<string, Override>();
  rows.slice(1).forEach((r, i) => {
    const id = (r[sc] ?? "").trim(), score = Number((r[pc] ?? "").trim()), where = `${path} row ${i + 2}`;
    if (!key.students.some((s) => s.id === id)) {
      throw new TutorError(where, `the student ${JSON.stringify(id)} is not on the roster of the key`, "use a roster id", "exercise");
    }
    if ((r[pc] ?? "").trim() === "" || !Number.isFinite(score) || score < 0 || score > max) {
      const problem = `the score ${JSON.stringify(r[pc] ?? "")} for ${id} is not a number from 0 to ${max}`;
      throw new TutorError(where, problem, "write the points the student gets in all, e.g. 10.5", "exercise");
    }
    out.set(id, { score, comment: cc >= 0 ? (r[cc] ?? "").trim() : "" });
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
    groups.set(q.verdict, [...(groups.get(q.verdict) ?? []), `${q.key}${q.mistake ? ` (${q.mistake.split(":")[0]})` : ""}`]);
  }
  return [...groups].map(([verdict, keys]) => `${t.id}: ${verdict} ${keys.join(" ")}`);
}

function overrideNote(o: Override, graded: number): string {
  return `score set by the teacher to ${fmtPoints(o.score)} (graded ${fmtPoints(graded)})${o.comment ? `: ${o.comment}` : ""}`;
}

/** Why a student has the score they have, in one line. */
export function reasonsOf(r: StudentResult): string {
  // a reason shared by every test (not valid JSON, not on the roster ...) is said once
  const shared = r.tests.length > 0 && r.tests.every((t) => t.reason !== undefined && t.reason === r.tests[0].reason) ? r.tests[0].reason : undefined;
  const reasons = [
    ...(r.override ? [overrideNote(r.override, r.total)] : []),
    ...(shared ? [shared] : r.tests.flatMap((t) => (t.reason ? [`${t.id}: ${t.reason}`] : lostPoints(t)))),
    ...r.notes,
  ];
  return [...new Set(reasons)].join("; ");
}

/** The student's name from the roster ("" when it has none). */
function nameOf(key: AnswerKey, r: StudentResult): string {
  return key.students.find((s) => s.id === r.student)?.name ?? "";
}

function rosterOrder(key: AnswerKey, results: readonly StudentResult[]): StudentResult[] {
  const order = new Map(key.students.map((s, i) => [s.id, i]));
  return [...results].sort((a, b) => (order.get(a.student) ?? 1e9) - (order.get(b.student) ?? 1e9) || a.student.localeCompare(b.student));
}

/** A student the machine kept from being graded: a row with no points at all (not 0), and why. */
export interface Pending {
  student: string;
  reason: string;
}

/**
 * grades.csv: one row per student (roster order, then unknown submissions), test points, total,
 * notes; then the students not graded for the machine's fault (empty points); then one row per
 * file that matches no student.
 */
export function gradesCsv(key: AnswerKey, results: readonly StudentResult[], unmatched: readonly Unmatched[] = [], pending: readonly Pending[] = []): string {
  const header: Cell[] = ["student", ...key.tests.map((t) => t.id), "total", "max", "notes"];
  const points = (r: StudentResult) => key.tests.map((t) => num(r.tests.find((x) => x.id === t.id)?.points ?? 0));
  const rows: Cell[][] = rosterOrder(key, results).map((r) => [r.student, ...points(r), num(finalScore(r)), num(r.max), reasonsOf(r)]);
  const max = num(key.tests.reduce((n, t) => n + t.points, 0));
  for (const p of pending) {
    rows.push([p.student, ...key.tests.map(() => ""), "", max, `not graded (the machine's fault, not the student's): ${p.reason}; grade again to grade them`]);
  }
  for (const u of unmatched) rows.push([u.file, ...key.tests.map(() => num(0)), num(0), max, u.reason]);
  return csv([header, ...rows]);
}

/**
 * Canvas's gradebook import (Grades → Import): Student, ID, SIS User ID, SIS Login ID, Section,
 * then one column per assignment, and a "Points Possible" row. Canvas matches rows by SIS User
 * ID (the roster id here); the ID column is Canvas's own and is left empty.
 */
export function canvasCsv(key: AnswerKey, results: readonly StudentResult[]): string {
  const max = key.tests.reduce((n, t) => n + t.points, 0);
  const rows: Cell[][] = [
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", key.assignment],
    ["    Points Possible", "", "", "", "", num(max)],
    ...rosterOrder(key, results).filter((r) => r.onRoster).map((r) => [nameOf(key, r) || r.student, "", r.student, r.student, "", num(finalScore(r))]),
  ];
  return csv(rows);
}

/**
 * Moodle's "Import grades: CSV file": any columns, mapped on import. Here the roster id as
 * "ID number" (map it to the user field "ID number"), the grade and the feedback text.
 */
export function moodleCsv(key: AnswerKey, results: readonly StudentResult[]): string {
  const rows: Cell[][] = [
    ["ID number", "Full name", `${key.assignment} (Real)`, `${key.assignment} (Feedback)`],
    ...rosterOrder(key, results).filter((r) => r.onRoster).map((r) => [r.student, nameOf(key, r), num(finalScore(r)), reasonsOf(r)]),
  ];
  return csv(rows);
}
