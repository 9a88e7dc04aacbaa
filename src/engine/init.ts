// Weight initialisation from a seed (the Peeters notes on the multi-layer perceptron, "Weight
// initialisation"): all zeros keeps the hidden units symmetric, so weights are drawn at random;
// biases start at zero, which has no symmetry problem. Draws go layer by layer, receiving unit
// by receiving unit, input by input: weights[l][j][k] in that order, the order of common.mjs
// initMLP (micrograd's parameter order).
import { lcg, normals } from "./random.js";
import { MAX_PARAMETERS, parameterCount } from "./spec.js";
import { TrainingError, quoted } from "./errors.js";

export const INIT_METHODS = ["zeros", "uniform", "normal", "xavier", "glorot_uniform", "he", "bench"] as const;
export type InitMethod = (typeof INIT_METHODS)[number];

/**
 * - zeros: every weight 0 (to show the symmetry problem).
 * - uniform: U(−scale, scale), scale 0.5 by default (the BMB3015 notes: "small random numbers in [−0.5, 0.5]").
 * - normal: N(0, std²), std 0.01 by default (the Peeters notes: np.random.randn(shape) * 0.01).
 * - xavier: N(0, 1/n_in), i.e. randn * sqrt(1/n^{[l-1]}), the Peeters notes' "Xavier initialisation".
 *   (This is the variance-1/n_in form; Glorot's own uniform rule is `glorot_uniform`.)
 * - glorot_uniform: U(−r, r) with r = sqrt(6 / (n_in + n_out)), Var = 2/(n_in + n_out).
 * - he: N(0, 2/n_in), the Peeters notes' "for a ReLU: Var(w) = 2/n".
 * - bench: 2·rand() − 1 from lcg(seed), times sqrt(1/n_in) when fanInScale: exactly common.mjs
 *   initMLP(sizes, seed) (or with scaleOf = fanInScale), so benchmark weights can be reproduced.
 */
export interface InitSpec {
  method: InitMethod;
  seed: number;
  scale?: number;
  std?: number;
  fanInScale?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Read `"init": {"method": "xavier", "seed": 7}` (or just `"xavier"`), naming the field on error. */
export function readInit(v: unknown, where = "init"): InitSpec {
  const obj: Record<string, unknown> = typeof v === "string" ? { method: v } : isObject(v) ? v : {};
  const method = obj.method;
  if (typeof method !== "string" || !(INIT_METHODS as readonly string[]).includes(method)) {
    throw new TrainingError(
      `${where}.method`,
      `unknown initialisation ${quoted(method)}`,
      `use one of ${INIT_METHODS.join(", ")}, e.g. {"method": "xavier", "seed": 7}`,
    );
  }
  const seed = obj.seed ?? 1;
  if (typeof seed !== "number" || !Number.isInteger(seed))
    throw new TrainingError(
      `${where}.seed`,
      `expected a whole number, got ${quoted(seed)}`,
      "give any integer, e.g. 7",
    );
  const spec: InitSpec = { method: method as InitMethod, seed };
  for (const key of ["scale", "std"] as const) {
    const x = obj[key];
    if (x === undefined) continue;
    if (typeof x !== "number" || !(x > 0))
      throw new TrainingError(
        `${where}.${key}`,
        `expected a positive number, got ${quoted(x)}`,
        `e.g. ${key === "scale" ? 0.5 : 0.01}`,
      );
    spec[key] = x;
  }
  if (obj.fanInScale !== undefined) spec.fanInScale = obj.fanInScale === true;
  return spec;
}

/** weights[l][j][k] for `layers`, drawn as `init` says. */
export function initWeights(layers: readonly number[], init: InitSpec): number[][][] {
  const rand = lcg(init.seed);
  const randn = normals(rand);
  const draw = (nIn: number, nOut: number): (() => number) => {
    switch (init.method) {
      case "zeros":
        return () => 0;
      case "uniform": {
        const s = init.scale ?? 0.5;
        return () => (2 * rand() - 1) * s;
      }
      case "normal": {
        const s = init.std ?? 0.01;
        return () => randn() * s;
      }
      case "xavier": {
        const s = Math.sqrt(1 / nIn);
        return () => randn() * s;
      }
      case "glorot_uniform": {
        const r = Math.sqrt(6 / (nIn + nOut));
        return () => (2 * rand() - 1) * r;
      }
      case "he": {
        const s = Math.sqrt(2 / nIn);
        return () => randn() * s;
      }
      // written as common.mjs writes it, (rand()*2 − 1)*scale, so the doubles are bit-identical
      case "bench": {
        const s = init.fanInScale ? Math.sqrt(1 / nIn) : 1;
        return () => (rand() * 2 - 1) * s;
      }
    }
  };
  const out: number[][][] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const nIn = layers[l],
      nOut = layers[l + 1],
      next = draw(nIn, nOut);
    out.push(Array.from({ length: nOut }, () => Array.from({ length: nIn }, next)));
  }
  return out;
}

/**
 * The spec JSON with `weights` filled in from `init` (or the spec's own `"init"`) when absent;
 * biases, when absent too, stay absent, which the spec reads as zeros.
 */
export function withInitialWeights(json: unknown, init?: InitSpec): unknown {
  if (!isObject(json) || json.weights !== undefined) return json;
  const chosen = init ?? (json.init !== undefined ? readInit(json.init) : undefined);
  const layers = json.layers;
  if (!chosen || !Array.isArray(layers) || !layers.every((n) => Number.isInteger(n) && (n as number) > 0)) return json;
  // too large to trace: leave the weights out, and parseSpec says what the limit is
  if (parameterCount(layers as number[]) > MAX_PARAMETERS) return json;
  return { ...json, weights: initWeights(layers as number[], chosen) };
}
