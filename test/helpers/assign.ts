// The example assignment (exercises/backprop-1) handed out to a class, as the grading tests need it.
import { expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.js";

export const EXAMPLE = join(import.meta.dirname, "..", "..", "exercises", "backprop-1");

/** grades.csv's header for the example: its four graded parts, then the totals and notes. */
export const GRADES_HEADER = "student,forward,output,hidden,graph,total,max,notes";

/** `assign` the example's source notebook to `roster` (the example's three students unless given), into `out`. */
export async function assignExample(out: string, secret: string, roster = join(EXAMPLE, "roster.csv")): Promise<void> {
  const assigned = await runCli([
    "assign",
    join(EXAMPLE, "source.ipynb"),
    "--roster",
    roster,
    "--out",
    out,
    "--secret",
    secret,
  ]);
  expect(assigned.code, assigned.stderr).toBe(0);
}

/**
 * `grade` the notebooks in `subs` against the key `assign` wrote into `out` (out/key/key.json), into
 * `graded`, quietly; `more` adds flags (`--students`, `--jobs` …). It must succeed.
 */
export async function gradeAssigned(out: string, subs: string, graded: string, ...more: string[]) {
  const r = await runCli(["grade", subs, "--key", join(out, "key", "key.json"), "--out", graded, "--quiet", ...more]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** The lines of the grades.csv a grading wrote into `graded`, the header first. */
export function gradeLines(graded: string): string[] {
  return readFileSync(join(graded, "grades.csv"), "utf8").trim().split("\n");
}
