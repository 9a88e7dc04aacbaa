// Every loss, defined once: its value over the output layer, its derivative with respect to
// each output activation, and the LaTeX of both.
import type { Arith } from "./numeric.js";
import { wrapNegative } from "./activations.js";
import { SpecError, quoted } from "./errors.js";
import { didYouMean } from "./suggest.js";

export const LOSS_NAMES = ["half_sse", "mse", "bce", "cross_entropy"] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export interface Loss {
  readonly name: LossName;
  readonly title: string;
  /** LaTeX of the per-example loss, given the output and target symbols (or numbers). */
  formula(as: readonly string[], ts: readonly string[]): string;
  /** LaTeX of ∂L/∂a_k in terms of a_k, t_k and the number of outputs n. */
  gradientFormula(a: string, t: string, n: number): string;
  value<T>(A: Arith<T>, as: readonly T[], ts: readonly T[]): T;
  gradient<T>(A: Arith<T>, a: T, t: T, n: number): T;
}

const w = wrapNegative;

export const LOSSES: Record<LossName, Loss> = {
  half_sse: {
    name: "half_sse",
    title: "half the sum of squared errors",
    formula: (as, ts) => `\\frac{1}{2}\\left[${as.map((a, k) => `(${ts[k]} - ${w(a)})^2`).join(" + ")}\\right]`,
    gradientFormula: (a, t) => `-(${t} - ${w(a)})`,
    value: (A, as, ts) => {
      let s = A.of(0);
      as.forEach((a, k) => {
        const d = A.sub(ts[k], a);
        s = A.add(s, A.mul(d, d));
      });
      return A.mul(A.of("0.5"), s);
    },
    gradient: (A, a, t) => A.neg(A.sub(t, a)),
  },
  mse: {
    name: "mse",
    title: "mean squared error over the outputs",
    formula: (as, ts) =>
      `\\frac{1}{${as.length}}\\left[${as.map((a, k) => `(${ts[k]} - ${w(a)})^2`).join(" + ")}\\right]`,
    gradientFormula: (a, t, n) => `-\\frac{2}{${n}}(${t} - ${w(a)})`,
    value: (A, as, ts) => {
      let s = A.of(0);
      as.forEach((a, k) => {
        const d = A.sub(ts[k], a);
        s = A.add(s, A.mul(d, d));
      });
      return A.div(s, A.of(as.length));
    },
    gradient: (A, a, t, n) => A.div(A.mul(A.of(-2), A.sub(t, a)), A.of(n)),
  },
  bce: {
    name: "bce",
    title: "binary cross-entropy (summed over the outputs)",
    formula: (as, ts) =>
      `-\\left[${as.map((a, k) => `${ts[k]} \\ln ${w(a)} + (1 - ${ts[k]}) \\ln(1 - ${w(a)})`).join(" + ")}\\right]`,
    gradientFormula: (a, t) => `-\\frac{${t}}{${a}} + \\frac{1 - ${t}}{1 - ${w(a)}}`,
    value: (A, as, ts) => {
      let s = A.of(0);
      as.forEach((a, k) => {
        const t = ts[k];
        // 0·ln 0 is taken as 0, so that a target of exactly 0 or 1 needs no special case
        if (A.gt(A.abs(t), A.of(0))) s = A.add(s, A.mul(t, A.log(a)));
        const u = A.sub(A.of(1), t);
        if (A.gt(A.abs(u), A.of(0))) s = A.add(s, A.mul(u, A.log(A.sub(A.of(1), a))));
      });
      return A.neg(s);
    },
    gradient: (A, a, t) => A.add(A.neg(A.div(t, a)), A.div(A.sub(A.of(1), t), A.sub(A.of(1), a))),
  },
  cross_entropy: {
    name: "cross_entropy",
    title: "categorical cross-entropy",
    formula: (as, ts) => `-\\left[${as.map((a, k) => `${ts[k]} \\ln ${w(a)}`).join(" + ")}\\right]`,
    gradientFormula: (a, t) => `-\\frac{${t}}{${a}}`,
    value: (A, as, ts) => {
      let s = A.of(0);
      as.forEach((a, k) => {
        if (A.gt(A.abs(ts[k]), A.of(0))) s = A.add(s, A.mul(ts[k], A.log(a)));
      });
      return A.neg(s);
    },
    gradient: (A, a, t) => A.neg(A.div(t, a)),
  },
};

export function resolveLoss(name: unknown, where = "loss"): Loss {
  if (typeof name !== "string" || !(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new SpecError(
      where,
      `unknown loss ${quoted(name)}${typeof name === "string" ? didYouMean(name, LOSS_NAMES) : ""}`,
      `use one of ${LOSS_NAMES.join(", ")}`,
    );
  }
  return LOSSES[name as LossName];
}
