// Finding the submissions in the folder a teacher hands `grade`, in three layouts:
//   <id>.ipynb                                  a flat folder
//   <id>/<notebook>.ipynb                       one folder per student
//   <id>/<assignment>/<notebook>.ipynb          nbgrader's `submitted/` (with timestamp.txt)
// Everything in that folder was made by students (an upload, an LMS download), and the grader
// may be root: no symbolic link is followed, nothing but a regular file is opened (a FIFO would
// hang the read), files are opened with O_NOFOLLOW and checked after opening, and names are
// printed only with their control characters made visible.
import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { TutorError } from "../engine/errors.js";
import type { AnswerKey } from "./assign.js";
import { ID_PATTERN } from "./roster.js";
import { printable } from "./untrusted.js";

export { printable };

/** The largest notebook read: a released one is a few kB; more is not a hand-written submission. */
export const MAX_SUBMISSION_BYTES = 20 * 2 ** 20;

export interface Found {
  id: string;
  /** absolute path, or null when the roster student handed in nothing usable */
  path: string | null;
  problem?: string;
  /** other notebooks in the student's folder, not graded */
  ignored?: string[];
  /** when it was handed in, from nbgrader's timestamp.txt */
  submittedAt?: Date;
}

/** Something handed in that no student's row can take: e.g. `ada (1).ipynb`, a browser's duplicate name. */
export interface Unmatched {
  /** relative to the submissions folder, printable */
  file: string;
  reason: string;
}

/** What a directory entry is, without following it. */
type Kind = "file" | "dir" | "link" | "other";
async function kindOf(path: string): Promise<Kind> {
  const st = await lstat(path);
  return st.isSymbolicLink() ? "link" : st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
}

const NOT_FOLLOWED =
  "is a symbolic link: not followed (student folders may hold only real files; copy the notebook itself in)";
const NOT_A_FILE = "is not a regular file (a pipe, device or socket): skipped";

/**
 * Reads a submission without following a link or blocking on a FIFO (O_NOFOLLOW | O_NONBLOCK,
 * then fstat on what was opened). Throws a TutorError saying what is wrong with it.
 */
export async function readSubmission(path: string, shown: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TutorError(
      shown,
      code === "ELOOP" ? NOT_FOLLOWED : `cannot be read (${code ?? "error"})`,
      "hand it in again as a plain .ipynb file",
      "exercise",
    );
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new TutorError(shown, NOT_A_FILE, "hand it in again as a plain .ipynb file", "exercise");
    if (st.size > MAX_SUBMISSION_BYTES) {
      const problem = `is ${(st.size / 2 ** 20).toFixed(0)} MB, more than a notebook of this assignment can be (${MAX_SUBMISSION_BYTES / 2 ** 20} MB)`;
      throw new TutorError(shown, problem, "clear the outputs and hand it in again", "exercise");
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Why a name matches no student, with the student it probably belongs to. */
function unmatchedReason(name: string, kind: Kind, key: AnswerKey): string {
  if (kind === "link") return `not graded: ${NOT_FOLLOWED}`;
  if (kind === "other") return `not graded: ${NOT_A_FILE}`;
  const base = name.replace(/\.ipynb$/, "");
  const ids = key.students.map((s) => s.id);
  // a browser's "ada (1).ipynb", a file manager's "ada copy.ipynb", or a different case
  const guess = base
    .replace(/\s*\(\d+\)$/, "")
    .replace(/[\s_-]*copy(\s*\d+)?$/i, "")
    .trim();
  const like = ids.find((id) => id === guess) ?? ids.find((id) => id.toLowerCase() === guess.toLowerCase());
  const what =
    name.endsWith(".ipynb") || kind === "dir"
      ? "matches no student"
      : "is not a notebook (.ipynb) and matches no student";
  return `not graded: the name ${what}${like ? `; if it is ${like}'s, rename it to ${like}.ipynb (or put it in ${like}/)` : ""}`;
}

/** nbgrader's timestamp.txt: "2026-12-01 17:03:11.123456 UTC" and the like. */
async function readTimestamp(folder: string): Promise<Date | undefined> {
  try {
    const text = (await readSubmission(join(folder, "timestamp.txt"), "timestamp.txt"))
      .toString("utf8")
      .trim()
      .slice(0, 100);
    const d = new Date(
      text
        .replace(/^(\d{4}-\d\d-\d\d) /, "$1T")
        .replace(/ ?UTC$/, "Z")
        .replace(/(\.\d{3})\d+/, "$1"),
    );
    return Number.isNaN(d.getTime()) ? undefined : d;
  } catch {
    return undefined;
  }
}

/** The notebook to grade in one student's folder: the released name, or the only notebook there. */
async function pickNotebook(folder: string, shown: string, key: AnswerKey): Promise<Omit<Found, "id">> {
  const entries = (await readdir(folder, { withFileTypes: true })).filter(
    (e) => e.name.endsWith(".ipynb") && !e.name.startsWith("."),
  );
  const links = entries.filter((e) => e.isSymbolicLink()).map((e) => e.name);
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
  const pick = files.includes(key.notebookName) ? key.notebookName : files.length === 1 ? files[0] : undefined;
  const ignored = [...files.filter((f) => f !== pick), ...links.map((l) => `${l} (a symbolic link, not followed)`)].map(
    printable,
  );
  if (pick) return { path: join(folder, pick), ...(ignored.length ? { ignored } : {}) };
  if (links.includes(key.notebookName) || (links.length && !files.length))
    return { path: null, problem: `${shown}${links[0]} ${NOT_FOLLOWED}` };
  return {
    path: null,
    problem: files.length
      ? `several notebooks in ${shown} and none named ${key.notebookName}`
      : `no notebook in ${shown}`,
  };
}

/**
 * Submissions as `<id>.ipynb`, `<id>/<anything>.ipynb`, or nbgrader's `<id>/<assignment>/`
 * (the key's assignment name) with its timestamp.txt. Every roster student gets one entry.
 */
export async function findSubmissions(
  dir: string,
  key: AnswerKey,
): Promise<{ found: Found[]; unmatched: Unmatched[] }> {
  let entries;
  try {
    if ((await kindOf(dir)) === "link") throw new Error("link");
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    const hint = "pass the folder that holds <student>.ipynb, <student>/*.ipynb or nbgrader's submitted/";
    throw new TutorError(dir, "cannot read the submissions folder (missing, or a symbolic link)", hint, "exercise");
  }
  const found = new Map<string, Found>();
  const unmatched: Unmatched[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue; // .ipynb_checkpoints, .DS_Store
    const kind: Kind = e.isSymbolicLink() ? "link" : e.isFile() ? "file" : e.isDirectory() ? "dir" : "other";
    const id = e.name.endsWith(".ipynb")
      ? e.name.slice(0, -".ipynb".length)
      : kind === "dir" || kind === "link"
        ? e.name
        : undefined;
    const shown = printable(kind === "dir" ? `${e.name}/` : e.name);
    const usable = (kind === "file" && e.name.endsWith(".ipynb")) || kind === "dir";
    if (id === undefined || !usable || !ID_PATTERN.test(id) || found.has(id)) {
      const twice = id !== undefined && found.has(id) && usable;
      // the student is told too, on their own feedback, which of their two was graded
      if (twice) {
        const first = found.get(id)!;
        first.ignored = [...(first.ignored ?? []), `${shown} (you handed in two; this one was not graded)`];
      }
      const graded = twice ? found.get(id)!.path : null;
      const other = graded ? printable(graded.slice(dir.length + 1)) : "another";
      const reason = twice
        ? `not graded: ${id} also handed in ${other}, which was graded; only one is`
        : unmatchedReason(e.name, kind, key);
      unmatched.push({ file: shown, reason });
      continue;
    }
    if (kind === "file") {
      found.set(id, { id, path: join(dir, e.name) });
      continue;
    }
    // nbgrader: submitted/<id>/<assignment>/ (a real folder) with the notebook and timestamp.txt
    const nbgrader = join(dir, e.name, key.assignment);
    if ((await kindOf(nbgrader).catch(() => undefined)) === "dir") {
      const submittedAt = await readTimestamp(nbgrader);
      found.set(id, {
        id,
        ...(await pickNotebook(nbgrader, `${shown}${key.assignment}/`, key)),
        ...(submittedAt ? { submittedAt } : {}),
      });
    } else found.set(id, { id, ...(await pickNotebook(join(dir, e.name), shown, key)) });
  }
  const out: Found[] = key.students.map(
    (s) => found.get(s.id) ?? { id: s.id, path: null, problem: "no submission (missing file)" },
  );
  const known = new Set(key.students.map((s) => s.id));
  for (const f of found.values()) if (!known.has(f.id)) out.push(f);
  return { found: out, unmatched };
}
