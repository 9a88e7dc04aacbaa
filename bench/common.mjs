// What the benchmark cases need from the baselines they are compared with, kept in the project so
// that `npm run bench` runs from the repository alone: the seeded generator, the weight
// initialisation, the two-moons data (moons100.csv beside this file) and the synthetic
// classification sets. Copied, unchanged in what it computes, from the shared module of the
// benchmark baselines (common.mjs, beside js_scalar_baseline.mjs and js_matrix_baseline.mjs), so
// that our cases start from the very weights and data the baselines use; bench/run.mjs checks
// that this copy still agrees with the baselines' module whenever that is at hand.
// docs/sources.md says where each of these comes from.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/**
 * 32-bit LCG with the Numerical Recipes constants, uniform in [0, 1): s ← 1664525 s + 1013904223
 * (mod 2³²), returned as s / 2³². The baselines (and src/engine/random.ts) draw the same numbers.
 */
export function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * The MLP initialisation every implementation shares: weights in (layer, neuron, input) order,
 * each 2·rand() − 1 from lcg(seed) times scaleOf(nIn, nOut), biases 0 (micrograd's parameter
 * order). Per layer { nIn, nOut, W }, W row-major [nOut][nIn] (row j = neuron j's input weights).
 */
export function initMLP(sizes, seed = 42, scaleOf = () => 1) {
  const rand = lcg(seed),
    layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l],
      nOut = sizes[l + 1],
      scale = scaleOf(nIn, nOut),
      W = new Float64Array(nIn * nOut);
    for (let i = 0; i < W.length; i++) W[i] = (rand() * 2 - 1) * scale;
    layers.push({ nIn, nOut, W });
  }
  return layers;
}

/**
 * moons100.csv: 100 points of two interleaved half circles (the geometry of scikit-learn's
 * make_moons, unshuffled, Gaussian noise σ = 0.1), columns x1, x2, y with y in {−1, 1}.
 */
export function loadMoons() {
  const rows = readFileSync(HERE + "moons100.csv", "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));
  return { X: rows.map((r) => [r[0], r[1]]), y: rows.map((r) => r[2]) };
}

/**
 * A synthetic, learnable classification set: class c has a random prototype p_c in [0, 1)^d and a
 * sample of class c is 0.5·p_c + 0.5·U[0, 1)^d; labels cycle 0..classes − 1. Row-major Float64Array.
 */
export function synthetic({ samples, features, classes, seed }) {
  const rand = lcg(seed);
  const protos = Array.from({ length: classes }, () => Float64Array.from({ length: features }, () => rand()));
  const X = new Float64Array(samples * features),
    y = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    y[i] = i % classes;
    for (let k = 0; k < features; k++) X[i * features + k] = protos[y[i]][k] * 0.5 + rand() * 0.5;
  }
  return { X, y };
}

/**
 * The two scaling cases: one recipe, two sizes. MLP features-hidden-classes, sigmoid hidden,
 * softmax + cross-entropy, minibatch SGD (batches in data order, no shuffle), constant lr, weights
 * from initMLP scaled by sqrt(1/fan_in).
 */
export const CASES = {
  "iris-shape": { samples: 150, features: 4, hidden: 16, classes: 3, batch: 10, epochs: 200, lr: 0.5, seed: 3 },
  "mnist-shape": { samples: 1000, features: 784, hidden: 32, classes: 10, batch: 100, epochs: 5, lr: 0.5, seed: 7 },
};
export const fanInScale = (nIn) => Math.sqrt(1 / nIn);

/** The moons MLP: 2-16-16-1, 20 full-batch steps, L2 α = 1e-4, lr = 1 − 0.9k/100. */
export const MOONS = { sizes: [2, 16, 16, 1], steps: 20, alpha: 1e-4, lr: (k) => 1.0 - (0.9 * k) / 100, seed: 42 };
