// What a first wrong answer gets instead of the value: a nudge from the checker's diagnosis that
// points at what to look at (the quantity, the sign, the missing path) and never at the number.
import type { CheckRow } from "../checking/check.js";
import { MISTAKES } from "../checking/mistakes.js";
import type { TypedNumber } from "../checking/answers.js";
import { D } from "../engine/numeric.js";

/** The quantities a step reads, as a student would name them (z_h1, w5, η). */
export type ReadNames = readonly string[];

/**
 * One sentence without the expected value: the classic mistake the checker recognised, else a
 * sign that is the only thing wrong, else the values the step reads.
 */
export function nudgeFor(row: CheckRow | undefined, typed: TypedNumber, reads: ReadNames): string {
  if (row?.diagnosis) {
    const where = row.diagnosis.at !== row.canonicalKey ? ` (at ${row.diagnosis.at})` : "";
    return `it looks as if you ${MISTAKES[row.diagnosis.mistake]}${where}`;
  }
  if (row && !typed.value.isZero()) {
    // exact is in the key's sign, as the student typed it
    const exact = new D(row.exact);
    const d = typed.decimals;
    if (exact.abs().toFixed(d) === typed.value.abs().toFixed(d) && exact.isNeg() !== typed.value.isNeg())
      return "look at the sign";
  }
  return reads.length ? `look again at the values it reads: ${reads.join(", ")}` : "look again at the formula";
}
