// A check report: one row per answer, with its verdict and why, and the counts. The same shape
// for networks (check.ts), graphs and plain numbers (simple.ts).
import type { NotationPreset } from "../engine/notation.js";
import type { Diagnosis } from "./mistakes.js";
import type { Verdict } from "./verdict.js";

export interface CheckRow {
  /** the key as the student typed it */
  key: string;
  /** the quantity's key in the notation in use */
  canonicalKey: string;
  /** the step checked against (`given.input.0` / `given.weight.2.0.0` for numbers of the spec) */
  stepId: string;
  /** "factor": a chain-rule factor equal to a step (∂z_o1/∂w5 = a_h1); "given": a number of the spec; "part": one output's part of the loss (E_o1) */
  role: "step" | "factor" | "given" | "part";
  /** LaTeX */
  symbol: string;
  typed: string;
  decimals: number;
  /** the exact value (40 significant digits) */
  exact: string;
  /** the value when every written quantity is rounded to the student's decimals (dp:N) */
  roundedChain: string;
  /** the value computed exactly from the student's own earlier numbers */
  followThrough: string;
  verdict: Verdict;
  /** one line, plain text */
  explanation: string;
  diagnosis?: Diagnosis;
  /** for "follows": the keys (as typed) of the wrong answers it follows from */
  followsFrom?: string[];
  /** "wrong" because too few digits were written to judge: the decimals needed */
  tooFewDigits?: number;
  /** the key is minus the step (Δ_i = −∂E/∂in_i); exact, roundedChain and followThrough are then in the key's sign */
  negated?: true;
  isFirstWrong: boolean;
}

/** A key that names no quantity of the calculation. */
export interface UnknownKey {
  key: string;
  message: string;
  suggestions: string[];
}

export interface CheckReport {
  notation: NotationPreset;
  rows: CheckRow[];
  /** the key (as typed) of the first wrong quantity, in the order of the calculation */
  firstWrong?: string;
  /** keys that name no quantity of this calculation; the others are checked */
  unknownKeys: UnknownKey[];
  summary: {
    correct: number;
    rounding: number;
    followThrough: number;
    wrong: number;
    /** answers written with fewer decimal places than asked (not judged) */
    tooFewPlaces: number;
    total: number;
  };
  /** a sentence for the student when there is nothing to check yet */
  note?: string;
  /** one sentence when the answers as a whole look like another network's (most keys unknown, or every forward value wrong) */
  warning?: string;
}

/** The report of judged rows: the counts per verdict and the first wrong row marked (networks and graphs alike). */
export function summarise(
  rows: CheckRow[],
  unknownKeys: UnknownKey[],
  notation: CheckReport["notation"],
  note?: string,
): CheckReport {
  const first = rows.find((r) => r.verdict === "wrong");
  if (first) first.isFirstWrong = true;
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const report: CheckReport = {
    notation,
    rows,
    unknownKeys,
    summary: {
      correct: count("correct"),
      rounding: count("rounding"),
      followThrough: count("follows"),
      wrong: count("wrong"),
      tooFewPlaces: count("too few places"),
      total: rows.length,
    },
  };
  if (first) report.firstWrong = first.key;
  if (note) report.note = note;
  return report;
}
