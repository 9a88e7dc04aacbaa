// Input standardisation, inverted dropout and batch normalisation (the Peeters notes on the
// multi-layer perceptron, "Regularisation" and "Normalisation"), on columns of a batch: x[i][d]
// is feature d of example i.

export interface Standardiser {
  mean: number[];
  std: number[];
  /** apply the training set's μ and σ to any rows (the test set uses the training set's) */
  apply(rows: readonly number[][]): number[][];
}

/** μ_d and σ_d from the training rows (σ² is the mean squared deviation, 1/m as in the notes). */
export function fitStandardiser(rows: readonly number[][]): Standardiser {
  const m = rows.length,
    n = rows[0].length;
  const mean = Array.from({ length: n }, (_, d) => rows.reduce((s, r) => s + r[d], 0) / m);
  const std = Array.from(
    { length: n },
    (_, d) => Math.sqrt(rows.reduce((s, r) => s + (r[d] - mean[d]) ** 2, 0) / m) || 1,
  );
  return { mean, std, apply: (xs) => xs.map((r) => r.map((v, d) => (v - mean[d]) / std[d])) };
}

/**
 * Inverted dropout: each unit is kept with probability `keep` and scaled by 1/keep, so the
 * expected activation is unchanged and nothing needs rescaling at test time. `mask` is the
 * lecture's 0/1 mask (1 = kept); `out` = a · mask / keep.
 */
export function dropout(
  a: readonly number[][],
  keep: number,
  rand: () => number,
): { out: number[][]; mask: number[][] } {
  const mask = a.map((row) => row.map(() => (rand() < keep ? 1 : 0)));
  return { out: a.map((row, i) => row.map((v, j) => (v * mask[i][j]) / keep)), mask };
}

export interface BatchNormCache {
  z: number[][];
  mean: number[];
  variance: number[];
  zNorm: number[][];
  gamma: number[];
  epsilon: number;
}

/** z̃ = γ (z − μ)/√(σ² + ε) + β over the batch, per unit (column). */
export function batchNormForward(
  z: readonly number[][],
  gamma: readonly number[],
  beta: readonly number[],
  epsilon = 1e-8,
): { out: number[][]; cache: BatchNormCache } {
  const m = z.length,
    n = z[0].length;
  const mean = Array.from({ length: n }, (_, j) => z.reduce((s, r) => s + r[j], 0) / m);
  const variance = Array.from({ length: n }, (_, j) => z.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / m);
  const zNorm = z.map((r) => r.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + epsilon)));
  const out = zNorm.map((r) => r.map((v, j) => gamma[j] * v + beta[j]));
  return { out, cache: { z: z.map((r) => r.slice()), mean, variance, zNorm, gamma: gamma.slice(), epsilon } };
}

/**
 * Backward through batch normalisation. Every z_i moves μ and σ², so ∂L/∂z_i collects three
 * paths; the standard closed form is
 *   ∂L/∂z_i = γ/(m√(σ²+ε)) · (m ĝ_i − Σ_k ĝ_k − ẑ_i Σ_k ĝ_k ẑ_k),  with ĝ = ∂L/∂z̃.
 */
export function batchNormBackward(
  dOut: readonly number[][],
  cache: BatchNormCache,
): { dz: number[][]; dGamma: number[]; dBeta: number[] } {
  const m = dOut.length,
    n = dOut[0].length,
    { zNorm, variance, gamma, epsilon } = cache;
  const dBeta = Array.from({ length: n }, (_, j) => dOut.reduce((s, r) => s + r[j], 0));
  const dGamma = Array.from({ length: n }, (_, j) => dOut.reduce((s, r, i) => s + r[j] * zNorm[i][j], 0));
  const dz = dOut.map((r, i) =>
    r.map((g, j) => (gamma[j] / (m * Math.sqrt(variance[j] + epsilon))) * (m * g - dBeta[j] - zNorm[i][j] * dGamma[j])),
  );
  return { dz, dGamma, dBeta };
}
