// An exercise about several small networks (notebook 03: one sigmoid neuron three ways, then a
// chain of two): each network traced and judged by the network checker, under the exercise's own
// keys. The checker reads what every step was computed from (Step.reads), so a value the student
// computed from their own wrong earlier value is "follows", not "wrong", as in the two-layer
// exercises; each part is judged on its own (no value carries from one network to another).
import { AnswerError } from "../engine/errors.js";
import { closest } from "../engine/suggest.js";
import { texEscape } from "../engine/notation.js";
import { parseTypedNumber } from "../checking/answers.js";
import {
  checkHandCalculation,
  summarise,
  type CheckReport,
  type CheckRow,
  type UnknownKey,
} from "../checking/check.js";
import type { NetworkPart } from "./notebook-exercises/types.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The checker's keys in a text written as the exercise's (its explanations say "follows from your
 * value of delta_1^(1)"): whole keys only, so a_1^(1) inside dL/da_1^(1) stays as it is.
 */
function renamer(toExercise: ReadonlyMap<string, string>): (text: string) => string {
  if (toExercise.size === 0) return (text) => text;
  const keys = [...toExercise.keys()].sort((a, b) => b.length - a.length).map(escape);
  const pattern = new RegExp(`(?<![\\w/])(${keys.join("|")})(?![\\w/^(+])`, "g");
  return (text) => text.replace(pattern, (k) => toExercise.get(k) ?? k);
}

/**
 * A part's row under the exercise's key; its symbol is the trace's with the key beside it, as code
 * (three of 03's answers are a δ of one neuron, each with another loss or label).
 */
function asExercise(row: CheckRow, key: string, rename: (text: string) => string): CheckRow {
  return {
    ...row,
    key,
    symbol: `${row.symbol}\\;(\\texttt{${texEscape(key)}})`,
    explanation: rename(row.explanation),
    ...(row.followsFrom ? { followsFrom: row.followsFrom.map(rename) } : {}),
    ...(row.diagnosis ? { diagnosis: { ...row.diagnosis, description: rename(row.diagnosis.description) } } : {}),
    isFirstWrong: false,
  };
}

/** Judge an exercise's answers (keys as the exercise names them) network by network; `places` by exercise key. */
export function checkNetworkParts(
  parts: readonly NetworkPart[],
  answers: Readonly<Record<string, string>>,
  places: Readonly<Record<string, number>>,
): CheckReport {
  const asked = parts.flatMap((p) => Object.keys(p.keys));
  const unknownKeys: UnknownKey[] = [];
  for (const key of Object.keys(answers)) {
    if (asked.includes(key)) continue;
    const suggestions = closest(key, asked);
    unknownKeys.push({
      key,
      message: `"${key}" is not one of the answers asked for (${asked.join(", ")})${suggestions.length ? `: did you mean ${suggestions.join(" or ")}?` : ""}`,
      suggestions,
    });
  }
  // every answer read as a number first, so a bad one is named by the key the student typed
  for (const [key, typed] of Object.entries(answers)) if (asked.includes(key)) parseTypedNumber(typed, key);
  const rows: CheckRow[] = [];
  const warnings: string[] = [];
  for (const part of parts) {
    const mine = Object.keys(part.keys).filter((k) => k in answers);
    if (mine.length === 0) continue;
    const toExercise = new Map(mine.map((k) => [part.keys[k], k]));
    const rename = renamer(toExercise);
    const report = checkHandCalculation(part.spec, Object.fromEntries(mine.map((k) => [part.keys[k], answers[k]])), {
      places: Object.fromEntries(mine.filter((k) => k in places).map((k) => [part.keys[k], places[k]])),
      ...(part.notation ? { notation: part.notation } : {}),
    });
    if (report.unknownKeys.length)
      throw new AnswerError(
        "exercise definition",
        `the checker knows no ${report.unknownKeys.map((u) => u.key).join(", ")} in this network`,
        "name each key as the checker does in the part's notation",
      );
    rows.push(...report.rows.map((r) => asExercise(r, toExercise.get(r.key) ?? r.key, rename)));
    if (report.warning) warnings.push(rename(report.warning));
  }
  const report = summarise(rows, unknownKeys, parts[0]?.notation ?? "names");
  return warnings.length ? { ...report, warning: warnings.join("; ") } : report;
}
