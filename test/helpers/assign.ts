// The example assignment (exercises/backprop-1) handed out to a class, as the grading tests need it.
import { expect } from "vitest";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.js";

export const EXAMPLE = join(import.meta.dirname, "..", "..", "exercises", "backprop-1");

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
