// How a step is written on the board, for the notebook's derivation (derivation.ts) and the
// step-through view alike: `symbol = formula = formula with numbers = value`, each side once, and
// long exact values cut to a few places with an ellipsis, as a hand calculation writes them.
import type { Step } from "../engine/trace.js";

/** What a line shows: a step, or any step-like record (graph steps and the view's steps have the same four fields). */
export type LineStep = Pick<Step, "symbol" | "formula" | "substituted" | "value">;

const cut = (value: string, decimals: number, ellipsis: string): string => {
  const m = /^(-?\d+)\.(\d+)$/.exec(value);
  return m && m[2].length > decimals ? `${m[1]}.${m[2].slice(0, decimals)}${ellipsis}` : value;
};

/** A value for TeX: long exact values cut to `decimals` places with `\ldots`; shorter ones as they are. */
export function shortValue(value: string, decimals = 8): string {
  return cut(value, decimals, "\\ldots");
}

/** The same cut for plain text (a table cell, a drawing's label), with "…". */
export function shortText(value: string, decimals = 8): string {
  return cut(value, decimals, "…");
}

/**
 * The right-hand sides of a step's line, left to right, as the caller shows them: the formula, the
 * formula with numbers ("" for none: the view holds them back until the student has seen what the
 * step reads), and the value (none while it is not revealed). None repeats the symbol or a side
 * before it, and the numbers are left out when they are the step's value itself.
 */
export function rightHandSides(s: LineStep, shown: { formula: string; numbers: string; value?: string }): string[] {
  const sides = [shown.formula, shown.numbers].filter(
    (p, i, all) => p !== "" && p !== s.symbol && all.indexOf(p) === i,
  );
  if (shown.value === undefined) return sides;
  if (sides.at(-1) === s.value) sides.pop();
  return [...sides, shown.value];
}

/** One aligned line: symbol &= formula = numbers = value, without repeating what is the same. */
export function stepLine(s: LineStep, decimals = 8): string {
  const value = shortValue(s.value, decimals);
  return `${s.symbol} &= ${rightHandSides(s, { formula: s.formula, numbers: s.substituted, value }).join(" = ")}`;
}
