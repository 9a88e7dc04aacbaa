// One number's verdict, for networks (check.ts), graphs and plain numbers (simple.ts) alike:
//
//   correct   the exact value, rounded to the decimals written, is the number;
//   rounding  the dp:N chain gives it, or the student's own earlier numbers give it within the
//             rounding of this step (plus what rounding its unwritten inputs can add), or it lies
//             within the tolerance that rounding the step's inputs propagates to it;
//   follows   the student's own earlier numbers give it, and one of those was wrong;
//   wrong     none of these, or too few digits were written to tell (a "0" for 0.3775);
//   too few places  the question asks for N decimal places and fewer were written (1.2 for a
//             4-place 1.2249): not judged right or wrong, the student is asked for N places.
//             Precision asked is precision required; an answer that is the exact value itself
//             (0.5 for exactly 0.5) needs no padding, and more places than asked are judged as usual.
import { D, EXACT_SHOWN_DIGITS, type Dec } from "../engine/numeric.js";
import { parseTypedNumber, type TypedNumber } from "./answers.js";

export type Verdict = "correct" | "rounding" | "follows" | "wrong" | "too few places";

/** The decimal places a question asks for: one number for every answer, or one per key (as the student types it). */
export type PlacesAsked = number | Readonly<Record<string, number>>;

export const round = (x: Dec, d: number): Dec => x.toDecimalPlaces(d, D.ROUND_HALF_CEIL);
export const fixed = (x: Dec, d: number): string => x.toFixed(d, D.ROUND_HALF_CEIL);
/** An exact value shown with four more digits than the student wrote (the report's "exact" column uses it too). */
export const shown = (x: Dec, d: number): string => x.toDecimalPlaces(d + 4, D.ROUND_HALF_CEIL).toString();
const placesText = (d: number) => `${d} decimal${d === 1 ? "" : "s"}`;
const decimalPlaces = (d: number) => `${d} decimal place${d === 1 ? "" : "s"}`;

/** The places asked of one answer, looked up by any of its keys (as typed, then canonical). */
export function placesFor(asked: PlacesAsked | undefined, ...keys: string[]): number | undefined {
  if (asked === undefined || typeof asked === "number") return asked;
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(asked, k)) return asked[k];
  return undefined;
}

/**
 * The precision rule on a typed string, before anything is judged (the view's box): the sentence
 * "give 4 decimal places (1.2 has 1)" when `typed` has fewer places than asked, else undefined.
 * A string that is not a number throws the parser's AnswerError.
 */
export function placesShortfall(typed: string, asked: number, where = "answer"): string | undefined {
  return tooFewPlaces(parseTypedNumber(typed, where), asked)?.explanation;
}

/**
 * The precision rule, one for the view, the exercises and the command line: an answer written
 * with fewer decimal places than asked is "too few places" ("give 4 decimal places"), unless it is
 * the exact value itself. `exact` may be left out where the value must not be consulted (the
 * view's box before judging): then fewer places are always too few.
 */
export function tooFewPlaces(num: TypedNumber, asked: number | undefined, exact?: Dec): Judged | undefined {
  if (asked === undefined || num.decimals >= asked || (exact !== undefined && num.value.eq(exact))) return undefined;
  return {
    verdict: "too few places",
    explanation: `give ${decimalPlaces(asked)} (${num.text} has ${num.decimals === 0 ? "none" : num.decimals})`,
  };
}

/** Significant digits written: "0.3775" 4, "0.0004" 1, "-12" 2, "0" and "0.000" none. */
export function significantDigits(num: TypedNumber): number {
  return num.value.isZero() ? 0 : Math.max(0, num.decimals + num.value.e + 1);
}

/** Judgeable: 2 significant digits, or 2 decimals (a small value in a 2- or 4-decimal calculation: 0.00, 0.0004). */
const judgeable = (sig: number, d: number) => sig >= 2 || d >= 2;

/**
 * The decimals needed to judge a number written with too few digits to tell a right value from a
 * wrong one ("0" or "1" for 0.5933, "0.4" for 0.3775), or undefined when it has enough or the exact
 * value needs no more (q = 3).
 */
export function decimalsNeeded(num: TypedNumber, exact: Dec): number | undefined {
  if (round(exact, num.decimals).eq(exact) || judgeable(significantDigits(num), num.decimals)) return undefined;
  return Math.max(0, Math.min(2, 1 - exact.e));
}

export interface Evidence {
  exact: Dec;
  /** the value when every written quantity is rounded to the student's decimals (dp:N) */
  chain?: Dec;
  /** the value computed exactly from the student's own earlier numbers */
  follow?: Dec;
  /** how far `follow` may be from a correctly rounded result: half a unit plus what rounding unwritten inputs adds */
  followTol: number;
  /** how far rounding this step's inputs can move it from the exact value */
  exactTol: number;
  /** the wrong earlier answers `follow` was computed from (none: it is not tainted) */
  roots: readonly string[];
  /** the decimal places the question asks for (see tooFewPlaces) */
  placesAsked?: number;
}

export interface Judged {
  verdict: Verdict;
  explanation: string;
  followsFrom?: string[];
  tooFewDigits?: number;
}

/**
 * The decimal places to which an exact value is known: all of them when it is short (0.5), those of
 * its EXACT_SHOWN_DIGITS significant digits when it was cut there (0.5932699921…).
 */
function knownPlaces(E: Dec): number {
  return E.sd() >= EXACT_SHOWN_DIGITS ? E.decimalPlaces() : Infinity;
}

export function judgeNumber(num: TypedNumber, ev: Evidence): Judged {
  const short = tooFewPlaces(num, ev.placesAsked, ev.exact);
  if (short) return short;
  // more decimals than the exact value is known to: judge those the value has, not zeros padded to it
  const known = knownPlaces(ev.exact);
  if (num.decimals > known) {
    const cut = round(num.value, known);
    const j = judgeNumber({ value: cut, decimals: known, text: fixed(num.value, known) }, ev);
    return {
      ...j,
      explanation: `${j.explanation} (judged to ${placesText(known)}: the exact value is computed to ${EXACT_SHOWN_DIGITS} significant digits)`,
    };
  }
  const j = judgeDigits(num, ev);
  const needed = decimalsNeeded(num, ev.exact);
  if (j.verdict === "wrong" || needed === undefined) return j;
  const half = new D(halfUnit(num.decimals));
  return {
    verdict: "wrong",
    tooFewDigits: needed,
    explanation: `too few digits to judge: write at least ${placesText(needed)} (${num.text} stands for anything from ${num.value.minus(half).toString()} to ${num.value.plus(half).toString()})`,
  };
}

function judgeDigits(num: TypedNumber, ev: Evidence): Judged {
  const v = num.value,
    d = num.decimals,
    E = ev.exact,
    F = ev.follow;
  const places = placesText(d);
  const rE = fixed(E, d);
  if (v.eq(E)) return { verdict: "correct", explanation: `exactly right: the value is ${E.toString()}` };
  if (v.eq(round(E, d)))
    return {
      verdict: "correct",
      explanation: `the exact value ${shown(E, d)} rounds to ${rE} ${d === 0 ? "as a whole number" : `at the ${places} written`}`,
    };
  if (ev.chain && v.eq(round(ev.chain, d)))
    return {
      verdict: "rounding",
      explanation: `exact ${shown(E, d)} rounds to ${rE}; rounding every earlier value to ${places} gives ${fixed(ev.chain, d)}`,
    };
  if (F && F.minus(v).abs().lte(ev.followTol)) {
    if (ev.roots.length)
      return {
        verdict: "follows",
        followsFrom: [...ev.roots],
        explanation: `should be ${rE}, but from your earlier values it is ${fixed(F, d)}: follows from your value of ${ev.roots.join(" and ")}`,
      };
    return {
      verdict: "rounding",
      explanation: `exact ${shown(E, d)} rounds to ${rE}; your own rounded earlier values give ${shown(F, d)}, so the difference is rounding`,
    };
  }
  if (E.minus(v).abs().lte(ev.exactTol)) {
    return {
      verdict: "rounding",
      explanation: `exact ${shown(E, d)} rounds to ${rE}; ${num.text} is within ${new D(ev.exactTol).toSignificantDigits(2).toString()}, as far as rounding the inputs of this step to ${places} can move it`,
    };
  }
  return {
    verdict: "wrong",
    explanation: `should be ${rE} (exact ${shown(E, d)})${F && fixed(F, d) !== rE ? `; from your own earlier values it is ${fixed(F, d)}` : ""}`,
  };
}

/** Half a unit in the last decimal written (5 / 10^(d+1) is the nearest double to it; 0.5 × 10^-d is not). */
export const halfUnit = (d: number): number => 5 / 10 ** (d + 1);

/** A quantity another is computed from, with |∂quantity/∂input| at the exact values. */
export interface Dependency {
  id: string;
  weight: number;
}

/**
 * How far rounding can move a quantity from a right computation, for networks and graphs alike:
 * one the student wrote is off by half a unit of what they wrote; one they did not write, by half
 * a unit at d decimals plus each input's bound times |∂quantity/∂input|. `exact` quantities (the
 * output's own gradient, 1) do not move at all. Memoised: the dependency graph is shared.
 */
export function roundingBound(
  inputsOf: (id: string) => readonly Dependency[],
  writtenDecimals: (id: string) => number | undefined,
  exact: (id: string) => boolean = () => false,
): (id: string, d: number) => number {
  const memo = new Map<string, number>();
  const bound = (id: string, d: number): number => {
    const written = writtenDecimals(id);
    if (written !== undefined) return halfUnit(written);
    if (exact(id)) return 0;
    const k = `${id}@${d}`;
    let b = memo.get(k);
    if (b === undefined) {
      b = halfUnit(d);
      for (const x of inputsOf(id)) b += x.weight * bound(x.id, d);
      memo.set(k, b);
    }
    return b;
  };
  return bound;
}
