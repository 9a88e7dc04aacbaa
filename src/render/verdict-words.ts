// What each of the checker's verdicts is called wherever a student or teacher reads it: the check
// report (and the command line's), an exercise's table, the step-through view. A mark and a word
// each, so a verdict is never told by colour alone.
import type { Verdict } from "../checking/verdict.js";

export const VERDICT_WORDS: Readonly<Record<Verdict, { mark: string; word: string }>> = {
  correct: { mark: "✓", word: "correct" },
  rounding: { mark: "≈", word: "right up to rounding" },
  follows: { mark: "→", word: "follows from an earlier error" },
  wrong: { mark: "✗", word: "wrong" },
  "too few places": { mark: "…", word: "too few decimal places" },
};

/** How a wrong answer is said where the student is expected to try again (an exercise): not right yet. */
export const NOT_RIGHT_YET = "not right yet";

/** "✓ correct": the verdict's mark and word; `tryAgain` says a wrong one as not right yet; `capital` starts a sentence. */
export function verdictLabel(verdict: Verdict, opts: { tryAgain?: boolean; capital?: boolean } = {}): string {
  const { mark, word } = VERDICT_WORDS[verdict];
  const said = verdict === "wrong" && opts.tryAgain ? NOT_RIGHT_YET : word;
  return `${mark} ${opts.capital ? said[0].toUpperCase() + said.slice(1) : said}`;
}
