// Every activation function, defined once: its value, its derivative and its LaTeX. The network,
// the renderers, the plots and the checker all read these definitions; nothing else knows how
// to compute a sigmoid.
import { isNumberText, type Arith } from "./numeric.js";
import { SpecError, quoted } from "./errors.js";
import { didYouMean } from "./suggest.js";

/** LaTeX for a value that may be negative, wrapped so that `e^{-(-0.5)}` reads right. */
export function wrapNegative(x: string): string {
  return x.startsWith("-") ? `(${x})` : x;
}

/** LaTeX for x raised to a power: a negative x in parentheses, a superscripted one (a_1^{(2)}) grouped. */
export function raise(x: string, power: string): string {
  const base = x.startsWith("-") ? `(${x})` : x.includes("^") ? `{${x}}` : x;
  return `${base}^{${power}}`;
}

export interface ActivationParams {
  /** slope for z < 0 (leaky_relu, prelu) or scale of the negative branch (elu); a decimal string keeps its digits */
  alpha: number | string;
}

export interface ScalarActivation {
  readonly kind: "scalar";
  readonly name: ActivationName;
  /** The symbol used in formulas: \sigma, \tanh, \operatorname{ReLU} ... */
  readonly symbol: string;
  readonly defaultAlpha?: number;
  /** LaTeX of g(z), with `z` a symbol or a number. */
  formula(z: string, p: ActivationParams): string;
  /** LaTeX of g'(z) as a hand calculation writes it, in terms of z or of a = g(z). */
  derivativeFormula(z: string, a: string, p: ActivationParams): string;
  value<T>(A: Arith<T>, z: T, p: ActivationParams): T;
  /** g'(z), given z and a = g(z) (sigmoid and tanh use a, as the lecture notes do). */
  derivative<T>(A: Arith<T>, z: T, a: T, p: ActivationParams): T;
}

/** Softmax acts on the whole layer, so it is defined by its vector value and its Jacobian. */
export interface VectorActivation {
  readonly kind: "vector";
  readonly name: "softmax";
  readonly symbol: string;
  formula(zj: string, zs: readonly string[]): string;
  /** LaTeX of ∂a_i/∂z_j. */
  jacobianFormula(ai: string, aj: string, same: boolean): string;
  values<T>(A: Arith<T>, zs: readonly T[]): T[];
  /** ∂a_i/∂z_j = a_i (δ_ij − a_j). */
  jacobian<T>(A: Arith<T>, as: readonly T[], i: number, j: number): T;
}

export type Activation = ScalarActivation | VectorActivation;

export const ACTIVATION_NAMES = [
  "identity",
  "step",
  "sign",
  "sigmoid",
  "tanh",
  "relu",
  "leaky_relu",
  "prelu",
  "elu",
  "softplus",
  "arctan",
  "softmax",
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

const ifPositive = <T>(A: Arith<T>, z: T, yes: T, no: T): T => (A.gt(z, A.of(0)) ? yes : no);

const sigmoidValue = <T>(A: Arith<T>, z: T): T => A.div(A.of(1), A.add(A.of(1), A.exp(A.neg(z))));

/** max(αz, z): ReLU with a slope α instead of 0 for negative z. */
function slopedRectifier(name: "leaky_relu" | "prelu", symbol: string, defaultAlpha: number): ScalarActivation {
  return {
    kind: "scalar",
    name,
    symbol,
    defaultAlpha,
    formula: (z, p) => `\\max(${p.alpha} ${wrapNegative(z)}, ${z})`,
    derivativeFormula: (z, _a, p) => `(${z} > 0 \\;?\\; 1 : ${p.alpha})`,
    value: (A, z, p) => ifPositive(A, z, z, A.mul(A.of(p.alpha), z)),
    derivative: (A, z, _a, p) => ifPositive(A, z, A.of(1), A.of(p.alpha)),
  };
}

export const ACTIVATIONS: Record<ActivationName, Activation> = {
  identity: {
    kind: "scalar",
    name: "identity",
    symbol: "\\operatorname{id}",
    formula: (z) => z,
    derivativeFormula: () => "1",
    value: (_A, z) => z,
    derivative: (A) => A.of(1),
  },
  step: {
    kind: "scalar",
    name: "step",
    symbol: "\\operatorname{step}",
    formula: (z) => `\\operatorname{step}(${z})`,
    derivativeFormula: () => "0",
    value: (A, z) => ifPositive(A, z, A.of(1), A.of(0)),
    derivative: (A) => A.of(0),
  },
  sign: {
    kind: "scalar",
    name: "sign",
    symbol: "\\operatorname{sign}",
    formula: (z) => `\\operatorname{sign}(${z})`,
    derivativeFormula: () => "0",
    value: (A, z) => ifPositive(A, z, A.of(1), A.of(-1)),
    derivative: (A) => A.of(0),
  },
  sigmoid: {
    kind: "scalar",
    name: "sigmoid",
    symbol: "\\sigma",
    formula: (z) => `\\frac{1}{1 + e^{-${wrapNegative(z)}}}`,
    derivativeFormula: (_z, a) => `${a}(1 - ${a})`,
    value: (A, z) => sigmoidValue(A, z),
    derivative: (A, _z, a) => A.mul(a, A.sub(A.of(1), a)),
  },
  tanh: {
    kind: "scalar",
    name: "tanh",
    symbol: "\\tanh",
    formula: (z) => `\\tanh(${z})`,
    derivativeFormula: (_z, a) => `1 - ${raise(a, "2")}`,
    value: (A, z) => A.tanh(z),
    derivative: (A, _z, a) => A.sub(A.of(1), A.mul(a, a)),
  },
  relu: {
    kind: "scalar",
    name: "relu",
    symbol: "\\operatorname{ReLU}",
    formula: (z) => `\\max(0, ${z})`,
    derivativeFormula: (z) => `[${z} > 0]`,
    value: (A, z) => ifPositive(A, z, z, A.of(0)),
    derivative: (A, z) => ifPositive(A, z, A.of(1), A.of(0)),
  },
  // The same rectifier with a slope for z < 0; they differ in the default slope and in intent
  // (PReLU learns its slope in a real network; here, as in the notes, it is a given number).
  leaky_relu: slopedRectifier("leaky_relu", "\\operatorname{LReLU}", 0.01),
  prelu: slopedRectifier("prelu", "\\operatorname{PReLU}", 0.25),
  elu: {
    kind: "scalar",
    name: "elu",
    symbol: "\\operatorname{ELU}",
    defaultAlpha: 1,
    formula: (z, p) => `(${z} > 0 \\;?\\; ${z} : ${p.alpha}(e^{${z}} - 1))`,
    derivativeFormula: (z, a, p) => `(${z} > 0 \\;?\\; 1 : ${wrapNegative(a)} + ${p.alpha})`,
    value: (A, z, p) => ifPositive(A, z, z, A.mul(A.of(p.alpha), A.sub(A.exp(z), A.of(1)))),
    derivative: (A, z, a, p) => ifPositive(A, z, A.of(1), A.add(a, A.of(p.alpha))),
  },
  softplus: {
    kind: "scalar",
    name: "softplus",
    symbol: "\\operatorname{softplus}",
    formula: (z) => `\\ln(1 + e^{${z}})`,
    derivativeFormula: (z) => `\\frac{1}{1 + e^{-${wrapNegative(z)}}}`,
    value: (A, z) => A.log(A.add(A.of(1), A.exp(z))),
    derivative: (A, z) => sigmoidValue(A, z),
  },
  arctan: {
    kind: "scalar",
    name: "arctan",
    symbol: "\\arctan",
    formula: (z) => `\\arctan(${z})`,
    derivativeFormula: (z) => `\\frac{1}{${raise(z, "2")} + 1}`,
    value: (A, z) => A.atan(z),
    derivative: (A, z) => A.div(A.of(1), A.add(A.mul(z, z), A.of(1))),
  },
  softmax: {
    kind: "vector",
    name: "softmax",
    symbol: "\\operatorname{softmax}",
    formula: (zj, zs) => `\\frac{e^{${zj}}}{${zs.map((z) => `e^{${z}}`).join(" + ")}}`,
    jacobianFormula: (ai, aj, same) => (same ? `${ai}(1 - ${ai})` : `-${ai} ${aj}`),
    values: <T>(A: Arith<T>, zs: readonly T[]): T[] => {
      // shift by the largest z so that exp never overflows; the value is unchanged
      let max = zs[0];
      for (const z of zs) if (A.gt(z, max)) max = z;
      const es = zs.map((z) => A.exp(A.sub(z, max)));
      let total = A.of(0);
      for (const e of es) total = A.add(total, e);
      return es.map((e) => A.div(e, total));
    },
    jacobian: <T>(A: Arith<T>, as: readonly T[], i: number, j: number): T =>
      i === j ? A.mul(as[i], A.sub(A.of(1), as[i])) : A.neg(A.mul(as[i], as[j])),
  },
};

/** An activation as the spec gives it: a name, or `{ "name": "leaky_relu", "alpha": 0.2 }`. */
export type ActivationSpec = ActivationName | { name: ActivationName; alpha?: number | string };

export interface ResolvedActivation {
  def: Activation;
  params: ActivationParams;
}

export function resolveActivation(spec: unknown, where: string): ResolvedActivation {
  const name =
    typeof spec === "string" ? spec : spec && typeof spec === "object" ? (spec as { name?: unknown }).name : undefined;
  if (typeof name !== "string") {
    throw new SpecError(
      where,
      `expected an activation name or {"name": ..., "alpha": ...}, got ${quoted(spec)}`,
      `use one of ${ACTIVATION_NAMES.join(", ")}`,
    );
  }
  if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new SpecError(
      where,
      `unknown activation "${name}"${didYouMean(name, ACTIVATION_NAMES)}`,
      `use one of ${ACTIVATION_NAMES.join(", ")}`,
    );
  }
  const def = ACTIVATIONS[name as ActivationName];
  let alpha: number | string = def.kind === "scalar" ? (def.defaultAlpha ?? 0) : 0;
  if (spec && typeof spec === "object" && "alpha" in spec) {
    const a = (spec as { alpha?: unknown }).alpha;
    // like every spec value, a decimal string ("0.2") is allowed
    const ok =
      typeof a === "number"
        ? Number.isFinite(a)
        : typeof a === "string" && isNumberText(a) && Number.isFinite(Number(a));
    if (!ok)
      throw new SpecError(
        `${where}.alpha`,
        `expected a finite number, got ${quoted(a)}`,
        'write e.g. {"name": "leaky_relu", "alpha": 0.2} or "alpha": "0.2"',
      );
    alpha = typeof a === "string" ? a.trim() : (a as number);
  }
  return { def, params: { alpha } };
}

/**
 * What g'(z) is computed from, as its formula writes it: sigmoid's a(1 − a) reads a, ReLU's
 * [z > 0] reads z, ELU's reads both, identity's 1 reads neither. Taken from the formula itself so
 * that a step's recorded dependencies and its written line cannot disagree.
 */
export function derivativeReads(def: ScalarActivation, p: ActivationParams): ("z" | "a")[] {
  const written = def.derivativeFormula("\\zeta", "\\alpha", p);
  return (["z", "a"] as const).filter((x) => written.includes(x === "z" ? "\\zeta" : "\\alpha"));
}
