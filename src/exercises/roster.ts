// The class list: a CSV with a header row and an `id` column (also accepted: student_id,
// student), optionally name and email. Ids become file names, so they are restricted.
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import { parseCsv, csvField } from "../checking/csv.js";

export { parseCsv, csvField };

export interface Student {
  id: string;
  name: string;
}

const fail = (where: string, problem: string, hint: string) => new TutorError(where, problem, hint, "exercise");
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;


export function parseRoster(text: string, where: string): Student[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw fail(where, "the roster is empty", "write a header row with an id column, then one row per student");
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const idCol = ["id", "student_id", "student"].map((h) => header.indexOf(h)).find((i) => i >= 0);
  if (idCol === undefined) throw fail(where, `the roster has no id column (columns: ${rows[0].join(", ")})`, "name one column id");
  const nameCol = header.indexOf("name");
  const seen = new Set<string>();
  return rows.slice(1).map((r, i) => {
    const id = (r[idCol] ?? "").trim();
    const line = `${where} row ${i + 2}`;
    if (!ID_PATTERN.test(id)) throw fail(line, `the id ${JSON.stringify(id)} is not usable as a file name`, "use letters, digits, . _ - (up to 64)");
    if (seen.has(id)) throw fail(line, `the id ${id} appears twice`, "give every student one row");
    seen.add(id);
    return { id, name: nameCol >= 0 ? (r[nameCol] ?? "").trim() : "" };
  });
}

export async function readRoster(path: string): Promise<Student[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(path, `cannot read the roster${code === "ENOENT" ? " (missing file)" : ""}`, "pass --roster with a CSV file that has an id column");
  }
  return parseRoster(text, path);
}
