// Numbers in three precisions behind one interface, so that the network, the graph engine and
// the training loop are written once and run in IEEE doubles, in exact decimals or in
// hand-rounded decimals alike.
//
//   float  IEEE double: fast, for training.
//   exact  decimal.js with 50 significant digits (exp, ln, tanh, atan included): the reference
//          that a hand calculation is judged against.
//   dp:N   the same decimals, but every quantity a person writes down is rounded to N decimal
//          places (`written`), which reproduces slide values digit for digit. A tie goes towards
//          +∞ (decimal.js's ROUND_HALF_CEIL: −0.01905 → −0.0190, 0.01905 → 0.0191), as the worked
//          example does: with ties away from zero its ∂E_o2/∂a_h1 would be −0.0191, not −0.0190.
//
// So there are two rounding rules, each named by its decimal.js mode: the arithmetic keeps 50
// significant digits and rounds the 51st half away from zero (ROUND_HALF_UP; only 40 digits are
// ever shown), and `written` rounds to N places with ties towards +∞ (ROUND_HALF_CEIL).
import { Decimal } from "decimal.js";
import { TutorError } from "./errors.js";

export type Precision = { kind: "float" } | { kind: "exact" } | { kind: "dp"; places: number };

/** Arithmetic over T. Every engine module takes one of these and never touches T directly. */
export interface Arith<T> {
  readonly precision: Precision;
  /** A number from the spec: a JS number or a decimal string such as "0.15". */
  of(x: number | string): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  tanh(a: T): T;
  atan(a: T): T;
  sqrt(a: T): T;
  pow(a: T, b: T): T;
  abs(a: T): T;
  gt(a: T, b: T): boolean;
  lt(a: T, b: T): boolean;
  isFinite(a: T): boolean;
  toNumber(a: T): number;
  /** The full value as a decimal string, for traces (never exponent notation for ordinary sizes). */
  toString(a: T): string;
  /** The value as a person would write it in a formula: N places in dp:N, else ~10 significant digits. */
  show(a: T): string;
  /** The rounding applied to every written-down quantity: identity except in dp:N. */
  written(a: T): T;
}

export const EXACT_DIGITS = 50;
/**
 * The significant digits a decimal value is printed (and judged) to: 50 are computed, and after a
 * chain of operations the last few may be off by rounding, so only 40 are shown as exact.
 */
export const EXACT_SHOWN_DIGITS = 40;

// One Decimal constructor for the whole engine: 50 digits, the 50th rounded half away from zero
// (ROUND_HALF_UP), plain notation for the magnitudes a tutor meets (exponent notation only beyond
// 1e-30 / 1e40).
export const D = Decimal.clone({
  precision: EXACT_DIGITS,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = InstanceType<typeof D>;

/**
 * Beyond this |x|, tanh(x) is ±1 to EXACT_DIGITS digits (1 − |tanh x| < 2e^{−2|x|} is under half a
 * unit in the last digit). decimal.js's own tanh takes seconds there (tanh(1e5) 1.5 s), so past
 * it the value is written down directly.
 */
const TANH_SATURATES = Math.ceil((Math.log(4) + EXACT_DIGITS * Math.LN10) / 2) + 1;

/** A number written as text, as a spec or a command line may give it: "0.15", "-2", "1e-3". */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberText(s: string): boolean {
  return NUMBER_TEXT.test(s.trim());
}

/**
 * Whether a value fits in an IEEE double (|x| ≤ 1.8e308). Decimals go far beyond it without
 * complaint, so a diverging exact run is caught by this test, not by isFinite.
 */
export function withinDoubleRange<T>(A: Arith<T>, x: T): boolean {
  return A.isFinite(x) && Number.isFinite(A.toNumber(x));
}

/** A precision as a caller of the API may give it: parsed, or by name ("float", "exact", "dp:4"). */
export type PrecisionInput = Precision | string;

const FLOAT: Precision = { kind: "float" };
const EXACT: Precision = { kind: "exact" };

/**
 * Each entry point's precision when the caller gives none, stated once. A hand calculation is
 * traced and checked exactly; training and gradient checking run in floats, as a framework does.
 */
export const DEFAULT_PRECISION = {
  traceNetwork: EXACT,
  graphTrace: EXACT,
  perceptron: EXACT,
  train: FLOAT,
  gradcheck: FLOAT,
} as const satisfies Record<string, Precision>;

/** The one reading of a precision at an entry point (the CLI, the API): a name is parsed, a parsed one kept. */
export function toPrecision(p: PrecisionInput | undefined, fallback: Precision): Precision {
  if (p === undefined) return fallback;
  return typeof p === "string" ? parsePrecision(p) : p;
}

export function parsePrecision(text: string): Precision {
  if (text === "float") return { kind: "float" };
  if (text === "exact") return { kind: "exact" };
  const m = /^dp:(\d{1,2})$/.exec(text);
  if (m) return { kind: "dp", places: Number(m[1]) };
  throw new TutorError(
    "precision",
    `unknown precision "${text}"`,
    'use "float", "exact" or "dp:N" with N a whole number of decimal places, e.g. "dp:4"',
  );
}

export function precisionName(p: Precision): string {
  return p.kind === "dp" ? `dp:${p.places}` : p.kind;
}

/** Trim a float to ~10 significant digits for display, without exponent notation for normal sizes. */
function showFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e-6 && abs < 1e12) return String(Number(x.toPrecision(10)));
  return x.toPrecision(6);
}

export const floatArith: Arith<number> = {
  precision: { kind: "float" },
  of: (x) => {
    const v = typeof x === "number" ? x : Number(x);
    return v;
  },
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  atan: Math.atan,
  sqrt: Math.sqrt,
  pow: (a, b) => a ** b,
  abs: Math.abs,
  gt: (a, b) => a > b,
  lt: (a, b) => a < b,
  isFinite: Number.isFinite,
  toNumber: (a) => a,
  toString: (a) => String(a),
  show: showFloat,
  written: (a) => a,
};

/**
 * A dp:N value as a line prints it, true to what was computed: padded to N places ("0.0190", not
 * "0.019"), never rounded for display (a number of the spec with more places, such as 0.125 at
 * dp:2, is used and printed as given), and never padded beyond the digits computed (dp:99 prints
 * at most EXACT_SHOWN_DIGITS significant digits, not 50 zeros).
 */
function writtenText(a: Dec, places: number): string {
  if (!a.isFinite()) return a.toString();
  if (a.decimalPlaces() > places) return a.toSignificantDigits(EXACT_SHOWN_DIGITS).toString();
  const computed = Math.max(0, EXACT_SHOWN_DIGITS - 1 - (a.isZero() ? 0 : a.e));
  return a.toFixed(Math.min(places, computed));
}

function decimalArith(precision: Precision): Arith<Dec> {
  const places = precision.kind === "dp" ? precision.places : -1;
  return {
    precision,
    of: (x) => new D(x),
    add: (a, b) => a.plus(b),
    sub: (a, b) => a.minus(b),
    mul: (a, b) => a.times(b),
    div: (a, b) => a.div(b),
    neg: (a) => a.neg(),
    exp: (a) => a.exp(),
    log: (a) => a.ln(),
    tanh: (a) => (a.abs().gt(TANH_SATURATES) ? new D(a.isNeg() ? -1 : 1) : a.tanh()),
    atan: (a) => a.atan(),
    sqrt: (a) => a.sqrt(),
    pow: (a, b) => a.pow(b),
    abs: (a) => a.abs(),
    gt: (a, b) => a.gt(b),
    lt: (a, b) => a.lt(b),
    isFinite: (a) => a.isFinite(),
    toNumber: (a) => a.toNumber(),
    toString:
      places >= 0
        ? (a) => writtenText(a, places)
        : (a) => (a.isFinite() ? a.toSignificantDigits(EXACT_SHOWN_DIGITS).toString() : a.toString()),
    show:
      places >= 0
        ? (a) => writtenText(a, places)
        : (a) => (a.isFinite() ? a.toSignificantDigits(10).toString() : a.toString()),
    written: places >= 0 ? (a) => a.toDecimalPlaces(places, D.ROUND_HALF_CEIL) : (a) => a,
  };
}

export const exactArith: Arith<Dec> = decimalArith({ kind: "exact" });

const roundedAriths = new Map<number, Arith<Dec>>();
export function roundedArith(places: number): Arith<Dec> {
  let a = roundedAriths.get(places);
  if (!a) roundedAriths.set(places, (a = decimalArith({ kind: "dp", places })));
  return a;
}

/** The arithmetic for a precision. Float and decimal values never mix: each trace uses one. */
export function arithFor(precision: Precision): Arith<number> | Arith<Dec> {
  if (precision.kind === "float") return floatArith;
  if (precision.kind === "exact") return exactArith;
  return roundedArith(precision.places);
}

/** Sum of a list in the given arithmetic (left to right, as a person adds). */
export function sum<T>(A: Arith<T>, xs: readonly T[]): T {
  let s = A.of(0);
  for (const x of xs) s = A.add(s, x);
  return s;
}
