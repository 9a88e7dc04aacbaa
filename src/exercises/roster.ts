// The class list, as the teacher has it: a plain CSV with an `id` column (also accepted:
// student_id, student; optionally name and email), a Canvas gradebook export (Student, ID,
// SIS User ID, SIS Login ID, Section, assignment columns, and its "Points Possible" row), or a
// Moodle export (ID number, username, email address, first and last name). What identifies a
// student in their LMS is kept (`lms`) so that the gradebook files go back without editing.
// Ids become file names, so they are restricted.
import { readFile, stat } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import { parseCsv, csvField } from "../checking/csv.js";

export { parseCsv, csvField };

/** How the student's LMS knows them; only what the roster had. */
export interface LmsIdentity {
  source: "plain" | "canvas" | "moodle";
  canvasId?: string;
  sisUserId?: string;
  sisLoginId?: string;
  section?: string;
  username?: string;
  email?: string;
  idNumber?: string;
}

export interface Student {
  id: string;
  name: string;
  lms?: LmsIdentity;
}

const fail = (where: string, problem: string, hint: string) => new TutorError(where, problem, hint, "exercise");
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The cells of a row by (lower-case) header name, trimmed; absent or empty ones left out. */
type Named = (name: string) => string | undefined;
function named(header: readonly string[], row: readonly string[]): Named {
  return (name) => {
    const i = header.indexOf(name);
    const v = i >= 0 ? (row[i] ?? "").trim() : "";
    return v === "" ? undefined : v;
  };
}

type Kind = LmsIdentity["source"];
function kindOf(header: readonly string[]): Kind {
  if (header.includes("student") && header.includes("sis user id")) return "canvas";
  if (!header.includes("id") && ["username", "id number", "idnumber", "email address"].some((h) => header.includes(h)))
    return "moodle";
  return "plain";
}

/** Canvas rows that are not students: "Points Possible", and the posting-policy rows ("Manual Posting") with no student. */
function notAStudent(kind: Kind, cell: Named): boolean {
  if (kind !== "canvas") return false;
  const name = cell("student");
  return name === "Points Possible" || (name === undefined && cell("id") === undefined);
}

const ANY = (cell: Named, ...names: string[]) => names.map(cell).find((v) => v !== undefined);

/** A student's identity and the id candidates, best first (the first usable as a file name becomes the id). */
function identityOf(
  kind: Kind,
  cell: Named,
  idCol: string,
): { lms: LmsIdentity; ids: (string | undefined)[]; name: string } {
  if (kind === "canvas") {
    const lms: LmsIdentity = {
      source: "canvas",
      canvasId: cell("id"),
      sisUserId: cell("sis user id"),
      sisLoginId: cell("sis login id"),
      section: cell("section"),
    };
    return { lms: prune(lms), ids: [lms.sisUserId, lms.sisLoginId, lms.canvasId], name: cell("student") ?? "" };
  }
  if (kind === "moodle") {
    const lms: LmsIdentity = {
      source: "moodle",
      idNumber: ANY(cell, "id number", "idnumber"),
      username: cell("username"),
      email: ANY(cell, "email address", "email"),
    };
    const name =
      ANY(cell, "full name", "name") ??
      [ANY(cell, "first name", "firstname"), ANY(cell, "last name", "lastname")].filter(Boolean).join(" ");
    return { lms: prune(lms), ids: [lms.idNumber, lms.username], name };
  }
  const email = cell("email");
  return { lms: { source: "plain", ...(email ? { email } : {}) }, ids: [cell(idCol) ?? ""], name: cell("name") ?? "" };
}

function prune(l: LmsIdentity): LmsIdentity {
  return Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined)) as unknown as LmsIdentity;
}

const ID_HINT: Record<Kind, string> = {
  plain: "use letters, digits, . _ - (up to 64)",
  canvas: "give the student an SIS User ID or SIS Login ID of letters, digits, . _ - (up to 64)",
  moodle: "give the student an ID number or username of letters, digits, . _ - (up to 64)",
};

export function parseRoster(text: string, where: string): Student[] {
  const rows = parseCsv(text);
  if (rows.length === 0)
    throw fail(where, "the roster is empty", "write a header row with an id column, then one row per student");
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const kind = kindOf(header);
  const idCol = ["id", "student_id", "student"].find((h) => header.includes(h));
  if (kind === "plain" && idCol === undefined) {
    const problem = `the roster has no id column (columns: ${rows[0].join(", ")})`;
    throw fail(where, problem, "name one column id, or pass a Canvas or Moodle export as it was downloaded");
  }
  const seen = new Set<string>();
  const students: Student[] = [];
  rows.slice(1).forEach((r, i) => {
    const cell = named(header, r);
    if (notAStudent(kind, cell)) return;
    const { lms, ids, name } = identityOf(kind, cell, idCol ?? "id");
    const line = `${where} row ${i + 2}`;
    const id = ids.find((c) => c !== undefined && ID_PATTERN.test(c));
    if (id === undefined) {
      const shown = ids.find((c) => c !== undefined) ?? "";
      throw fail(line, `the id ${JSON.stringify(shown)} is not usable as a file name`, ID_HINT[kind]);
    }
    if (seen.has(id)) throw fail(line, `the id ${id} appears twice`, "give every student one row");
    seen.add(id);
    students.push({ id, name, ...(kind === "plain" && !lms.email ? {} : { lms }) });
  });
  return students;
}

export async function readRoster(path: string): Promise<Student[]> {
  let text: string;
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error("folder"), { code: "EISDIR" });
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? " (missing file)" : code === "EISDIR" ? " (it is a folder)" : "";
    throw fail(
      path,
      `cannot read the roster${why}`,
      "pass --roster with a CSV file that has an id column, or a Canvas or Moodle export",
    );
  }
  return parseRoster(text, path);
}
