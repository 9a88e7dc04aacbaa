// The exercises at the end of each notebook, defined here rather than in the notebooks so that a
// student's exercise cell holds only their answers and one call: `checkExercise("02", answers)`.
// Each exercise's expected values are computed by the engine from the exercise's own numbers,
// inside the library; the notebook never shows them. `hint("02", "x3")` gives a hint on request.
//
// An exercise set is what one exercise cell checks (a notebook with several exercise cells has
// "04.1", "04.2", ...); its questions carry the keys they ask for, the precision asked (for the
// test that nothing earlier in the notebook prints an answer) and a hint each.
//
// The definitions live in ./notebook-exercises/ (types, the worked numbers they are built from, and
// the sets by notebook); this module assembles them and judges answers against them.
import { D } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { closest } from "../engine/suggest.js";
import { checkHandCalculation, summarise, type CheckReport } from "../checking/check.js";
import { checkGraphCalculation, checkNumbers } from "../checking/simple.js";
import { checkNetworkParts } from "./network-parts.js";
import type { AnswerPrecision, ExerciseQuestion, ExerciseSet } from "./notebook-exercises/types.js";
import { EXERCISES_01_TO_08 } from "./notebook-exercises/notebooks-01-08.js";
import { EXERCISES_09_TO_15 } from "./notebook-exercises/notebooks-09-15.js";

export type {
  AnswerPrecision,
  ExerciseJudge,
  ExerciseQuestion,
  ExerciseSet,
  NetworkPart,
} from "./notebook-exercises/types.js";
export { CONFUSION_15 } from "./notebook-exercises/notebooks-09-15.js";

export const NOTEBOOK_EXERCISES: readonly ExerciseSet[] = [...EXERCISES_01_TO_08, ...EXERCISES_09_TO_15];

/** The exercise set with this id ("02", "04.1"); an unknown id says which exist. */
export function exerciseSet(id: string): ExerciseSet {
  const set = NOTEBOOK_EXERCISES.find((s) => s.id === id);
  if (!set) {
    const ids = NOTEBOOK_EXERCISES.map((s) => s.id);
    const near = closest(id, ids);
    throw new AnswerError(
      `checkExercise(${JSON.stringify(id)})`,
      `there is no exercise "${id}"${near.length ? `: did you mean "${near[0]}"?` : ""}`,
      `the exercises are ${ids.map((i) => `"${i}"`).join(", ")}`,
    );
  }
  return set;
}

/** An answer not filled in yet: an empty string, "..." or "?" as in the templates. */
export const isUnanswered = (v: string | number) => typeof v === "string" && /^\s*(\.\.\.|…|\?)?\s*$/.test(v);

/**
 * checkNumbers cannot see how a number was computed, so it calls one unit off in the last decimal
 * "rounding". Where the exact answer has no more decimals than were typed (x = 1.029, 2.4) no
 * rounding can have moved it: one unit off is a wrong answer there. (The expected values are
 * doubles, so "no more decimals" allows for their last-bit error: 1.0289999999999997 is 1.029.)
 */
function noRoundingWhereExact(report: CheckReport): CheckReport {
  const rows = report.rows.map((r) => {
    const exact = new D(r.exact);
    if (r.verdict !== "rounding" || exact.minus(exact.toDecimalPlaces(r.decimals)).abs().gt(exact.abs().times(1e-12)))
      return r;
    return {
      ...r,
      verdict: "wrong" as const,
      explanation: `should be ${exact.toFixed(r.decimals)}: the exact answer has ${r.decimals} decimal${r.decimals === 1 ? "" : "s"}, so rounding cannot explain a difference`,
    };
  });
  // re-counted and the first wrong row re-marked by the one function that does it for every report
  const unmarked = rows.map((r) => ({ ...r, isFirstWrong: false }));
  const { warning } = report;
  const judged = summarise(unmarked, report.unknownKeys, report.notation, report.note);
  return warning ? { ...judged, warning } : judged;
}

/** Judge one exercise set's answers; unanswered keys (empty strings) are left out. */
export function judgeExercise(id: string, answers: Readonly<Record<string, string | number>>): CheckReport {
  const set = exerciseSet(id);
  const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => !isUnanswered(v)));
  const j = set.judge;
  const expected = j.kind === "numbers" ? j.expected() : undefined;
  // precision asked is precision required: fewer places than a question asks are "too few places"
  const places = Object.fromEntries(
    set.questions.flatMap((x) =>
      x.keys.flatMap((k) => {
        if ("decimals" in x.precision) return [[k, x.precision.decimals]];
        const v = Number(expected?.[k]);
        return !Number.isFinite(v) || v === 0
          ? []
          : [[k, Math.max(0, x.precision.significant - 1 - Math.floor(Math.log10(Math.abs(v))))]];
      }),
    ),
  );
  const typed = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)]));
  switch (j.kind) {
    case "numbers":
      return noRoundingWhereExact(checkNumbers(expected!, given, { places }));
    case "network":
      return checkHandCalculation(j.spec, given, { places, ...(j.notation ? { notation: j.notation } : {}) });
    case "networks":
      return checkNetworkParts(j.parts, typed, places);
    case "graph":
      return checkGraphCalculation(j.expression, j.values, given, { places });
    case "custom":
      return Object.keys(given).length ? j.check(typed) : checkNumbers({}, {});
  }
}

/** The hint for a question of an exercise set, by one of its keys or its number. */
export function exerciseHint(id: string, keyOrNumber: string | number): { question: ExerciseQuestion; hint: string } {
  const set = exerciseSet(id);
  const question = set.questions.find((x) => x.number === Number(keyOrNumber) || x.keys.includes(String(keyOrNumber)));
  if (!question) {
    const keys = set.questions.flatMap((x) => x.keys);
    const near = closest(String(keyOrNumber), keys);
    throw new AnswerError(
      `hint(${JSON.stringify(id)}, ${JSON.stringify(keyOrNumber)})`,
      `exercise ${id} has no question or key "${keyOrNumber}"${near.length ? `: did you mean "${near[0]}"?` : ""}`,
      `ask by a key (${keys.join(", ")}) or a question number (${set.questions.map((x) => x.number).join(", ")})`,
    );
  }
  return { question, hint: question.hint };
}

export interface ExpectedAnswer {
  set: string;
  question: number;
  key: string;
  value: number;
  precision: AnswerPrecision;
}

/**
 * Every expected value of every exercise set with the precision its question asks for (the
 * leak test looks for each in the notebook's earlier outputs). Networks' and graphs' values are
 * the checker's own: a dummy answer per key, read back from the report's exact column.
 */
export function expectedAnswers(): ExpectedAnswer[] {
  const out: ExpectedAnswer[] = [];
  for (const set of NOTEBOOK_EXERCISES) {
    const keys = set.questions.flatMap((x) => x.keys);
    let values: Record<string, number>;
    if (set.judge.kind === "numbers")
      values = Object.fromEntries(Object.entries(set.judge.expected()).map(([k, v]) => [k, Number(v)]));
    else if (set.judge.kind === "custom")
      continue; // answered by building something: no one number
    else {
      const report = judgeExercise(set.id, Object.fromEntries(keys.map((k) => [k, "0"])));
      if (report.unknownKeys.length)
        throw new Error(
          `exercise ${set.id}: the checker does not know ${report.unknownKeys.map((u) => u.key).join(", ")}`,
        );
      values = Object.fromEntries(report.rows.map((r) => [r.key, Number(r.exact)]));
    }
    for (const question of set.questions)
      for (const key of question.keys)
        out.push({ set: set.id, question: question.number, key, value: values[key], precision: question.precision });
  }
  return out;
}
