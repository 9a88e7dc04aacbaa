// The graded folder (GRADED/): one result per student (GRADED/<id>/result.json and checks.json,
// written to a temporary name and renamed), their feedback pages, the history of what was
// replaced, and the gradebooks built from every result the folder holds.
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AnswerKey, StudentKey } from "./assign.js";
import { feedbackHtml, type FeedbackParts, type StudentResult } from "./feedback.js";
import { canvasCsv, entriesOf, gradesCsv, moodleCsv, type Override, type Pending } from "./gradebook.js";
import type { Found, Unmatched } from "./submissions.js";

export const RESULT = "result.json";
export const CHECKS = "checks.json";
export const OVERRIDES = "overrides.csv";

/** What the gradebooks need of a grading run. */
export interface GradebookRun {
  opts: { out: string; canvasColumn?: string; missingZero?: boolean };
  key: AnswerKey;
  found: readonly Found[];
  unmatched: readonly Unmatched[];
}

export function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, "-");
}

export async function readResult(path: string): Promise<StudentResult | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as StudentResult;
  } catch {
    return undefined;
  }
}

/** Writes a file atomically: a temporary name beside it, then renamed over (an interrupted grading leaves no half file). */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

/** A folder of grades: only the teacher's user may enter (results name students and their marks). */
export async function privateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
}

/**
 * grades.csv, canvas.csv and moodle.csv from every result the folder holds (this run's and
 * earlier runs'), each roster student once, with the overrides applied.
 */
export async function writeGradebooks(
  run: GradebookRun,
  overrides: ReadonlyMap<string, Override>,
  graded: readonly string[],
  faults: readonly Pending[],
  history: string[],
): Promise<{ results: StudentResult[]; files: { csvPath: string; canvasPath: string; moodlePath: string } }> {
  const { opts, key } = run;
  const ids = [
    ...key.students.map((s) => s.id),
    ...run.found.filter((f) => !key.students.some((s) => s.id === f.id)).map((f) => f.id),
  ];
  const results: StudentResult[] = [];
  for (const id of ids) {
    const r = await readResult(join(opts.out, id, RESULT));
    if (!r) continue;
    results.push(
      await withOverride(
        join(opts.out, id),
        r,
        overrides.get(id),
        key.students.find((s) => s.id === id),
        graded.includes(id),
      ),
    );
  }
  // a student the machine failed this run who has an earlier result keeps it (the fault is said on the terminal)
  const pending = faults.filter((f) => !results.some((r) => r.student === f.student));
  const entries = entriesOf(key, results, pending, overrides);
  const others = results.filter((r) => !key.students.some((s) => s.id === r.student));
  const csvPath = join(opts.out, "grades.csv");
  const csv = gradesCsv(key, entries, others, run.unmatched);
  if (existsSync(csvPath) && (await readFile(csvPath, "utf8")) !== csv) {
    // a teacher may have edited it, or these are new results: either way keep the old one
    await privateDir(join(opts.out, "history"));
    const kept = join(opts.out, "history", `grades-${stamp()}.csv`);
    await copyFile(csvPath, kept);
    history.push(kept);
  }
  await writeAtomic(csvPath, csv);
  const canvasPath = join(opts.out, "canvas.csv"),
    moodlePath = join(opts.out, "moodle.csv");
  const missingZero = opts.missingZero === true;
  await writeAtomic(
    canvasPath,
    canvasCsv(key, entries, { missingZero, ...(opts.canvasColumn ? { column: opts.canvasColumn } : {}) }),
  );
  await writeAtomic(moodlePath, moodleCsv(key, entries, { missingZero }));
  return { results, files: { csvPath, canvasPath, moodlePath } };
}

/**
 * The result with the teacher's override, its feedback page rendered again when the override
 * changed since the page was written (or the student was graded just now).
 */
async function withOverride(
  dir: string,
  r: StudentResult,
  override: Override | undefined,
  student: StudentKey | undefined,
  fresh: boolean,
): Promise<StudentResult> {
  const updated: StudentResult = { ...r };
  delete updated.override;
  if (override) updated.override = override;
  if (
    !fresh &&
    JSON.stringify(r.override) === JSON.stringify(updated.override) &&
    existsSync(join(dir, "feedback.html"))
  )
    return r;
  const parts = await readFile(join(dir, CHECKS), "utf8").then(
    (t) => JSON.parse(t) as FeedbackParts,
    () => ({}),
  );
  await writeAtomic(join(dir, "feedback.html"), feedbackHtml(updated, student, parts));
  await writeAtomic(join(dir, RESULT), JSON.stringify(updated, null, 1) + "\n");
  return updated;
}
