// The matrix path: float training on whole mini-batches with Float64Array buffers, for networks
// too large to train one example at a time (784 → 32 → 10 on 1000 images). It computes the same
// quantities as network.ts, Z = A W^T + b and dZ = dA ⊙ g'(Z) (the vectorised "version 3" of
// the Peeters notes on the multi-layer perceptron), and takes each activation's and loss's value
// and derivative from their single definitions.
// Exact and hand-rounded arithmetic stay in network.ts, where every step can be logged.
import { floatArith as F } from "./numeric.js";
import type { ResolvedActivation } from "./activations.js";
import type { Loss } from "./losses.js";

export interface DenseLayer {
  nIn: number;
  nOut: number;
  /** row-major [nOut][nIn]: row j holds unit j's incoming weights, as in the spec */
  W: Float64Array;
  b: Float64Array;
  gW: Float64Array;
  gb: Float64Array;
  act: ResolvedActivation;
  /** one bias shared by the layer's units (its gradient is the sum over them) */
  sharedBias: boolean;
}

export interface MatrixNet {
  layers: DenseLayer[];
  loss: Loss;
}

export function matrixNet(
  sizes: number[],
  weights: number[][][],
  biases: number[][],
  activations: ResolvedActivation[],
  loss: Loss,
  sharedBias: boolean[] = [],
): MatrixNet {
  return {
    loss,
    layers: activations.map((act, l) => {
      const nIn = sizes[l],
        nOut = sizes[l + 1];
      return {
        nIn,
        nOut,
        act,
        sharedBias: sharedBias[l] ?? false,
        W: Float64Array.from(weights[l].flat()),
        b: Float64Array.from(biases[l]),
        gW: new Float64Array(nIn * nOut),
        gb: new Float64Array(nOut),
      };
    }),
  };
}

/** Buffers for one batch size, reused across batches so training allocates nothing per step. */
export interface Workspace {
  m: number;
  Z: Float64Array[];
  A: Float64Array[];
  dZ: Float64Array[];
}

function workspace(net: MatrixNet, m: number): Workspace {
  return {
    m,
    Z: net.layers.map((L) => new Float64Array(m * L.nOut)),
    A: net.layers.map((L) => new Float64Array(m * L.nOut)),
    dZ: net.layers.map((L) => new Float64Array(m * L.nOut)),
  };
}

function activate(L: DenseLayer, Z: Float64Array, A: Float64Array, m: number): void {
  const def = L.act.def;
  if (def.kind === "vector") {
    const row = new Array<number>(L.nOut);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < L.nOut; j++) row[j] = Z[i * L.nOut + j];
      const out = def.values(F, row);
      for (let j = 0; j < L.nOut; j++) A[i * L.nOut + j] = out[j];
    }
    return;
  }
  for (let i = 0; i < m * L.nOut; i++) A[i] = def.value(F, Z[i], L.act.params);
}

/** Forward pass of rows X[0..m) (row-major m × nIn); returns the output activations. */
export function forwardBatch(
  net: MatrixNet,
  X: Float64Array,
  m: number,
  ws: Workspace = workspace(net, m),
): { ws: Workspace; output: Float64Array } {
  let input = X;
  net.layers.forEach((L, l) => {
    const Z = ws.Z[l],
      { nIn, nOut, W, b } = L;
    for (let i = 0; i < m; i++) {
      const xo = i * nIn;
      for (let j = 0; j < nOut; j++) {
        const wo = j * nIn;
        let s = 0;
        for (let k = 0; k < nIn; k++) s += W[wo + k] * input[xo + k];
        Z[i * nOut + j] = s + b[j];
      }
    }
    activate(L, Z, ws.A[l], m);
    input = ws.A[l];
  });
  return { ws, output: ws.A[net.layers.length - 1] };
}

/** Mean loss over the batch. */
export function batchLoss(net: MatrixNet, output: Float64Array, T: Float64Array, m: number): number {
  const n = net.layers[net.layers.length - 1].nOut;
  let total = 0;
  const a = new Array<number>(n),
    t = new Array<number>(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      a[j] = output[i * n + j];
      t[j] = T[i * n + j];
    }
    total += net.loss.value(F, a, t);
  }
  return total / m;
}

/** Gradients of the mean loss into each layer's gW and gb. */
export function backwardBatch(net: MatrixNet, X: Float64Array, T: Float64Array, m: number, ws: Workspace): void {
  const last = net.layers.length - 1,
    out = net.layers[last];
  const n = out.nOut,
    dZL = ws.dZ[last],
    AL = ws.A[last],
    ZL = ws.Z[last];
  if (out.act.def.kind === "vector") {
    // softmax: with cross-entropy δ = a − t; otherwise through the Jacobian
    const def = out.act.def,
      row = new Array<number>(n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) row[j] = AL[i * n + j];
      for (let j = 0; j < n; j++) {
        let d = 0;
        if (net.loss.name === "cross_entropy") d = row[j] - T[i * n + j];
        else
          for (let k = 0; k < n; k++) d += net.loss.gradient(F, row[k], T[i * n + k], n) * def.jacobian(F, row, k, j);
        dZL[i * n + j] = d / m;
      }
    }
  } else {
    const def = out.act.def;
    for (let i = 0; i < m * n; i++)
      dZL[i] = (net.loss.gradient(F, AL[i], T[i], n) * def.derivative(F, ZL[i], AL[i], out.act.params)) / m;
  }
  for (let l = last; l >= 0; l--) {
    const L = net.layers[l],
      { nIn, nOut, W, gW, gb } = L,
      dZ = ws.dZ[l];
    const input = l === 0 ? X : ws.A[l - 1];
    const dPrev = l > 0 ? ws.dZ[l - 1] : null;
    gW.fill(0);
    gb.fill(0);
    if (dPrev) dPrev.fill(0);
    for (let i = 0; i < m; i++) {
      const xo = i * nIn;
      for (let j = 0; j < nOut; j++) {
        const g = dZ[i * nOut + j];
        if (g === 0) continue;
        const wo = j * nIn;
        gb[j] += g;
        for (let k = 0; k < nIn; k++) gW[wo + k] += g * input[xo + k];
        if (dPrev) for (let k = 0; k < nIn; k++) dPrev[xo + k] += g * W[wo + k];
      }
    }
    if (L.sharedBias) {
      let s = 0;
      for (let j = 0; j < nOut; j++) s += gb[j];
      gb.fill(s);
    }
    if (dPrev) {
      // dPrev holds ∂L/∂A of layer l−1; turn it into ∂L/∂Z with that layer's derivative
      const P = net.layers[l - 1],
        def = P.act.def,
        Zp = ws.Z[l - 1],
        Ap = ws.A[l - 1];
      if (def.kind === "vector") throw new Error("softmax is only allowed on the output layer");
      for (let i = 0; i < m * P.nOut; i++) dPrev[i] *= def.derivative(F, Zp[i], Ap[i], P.act.params);
    }
  }
}

/** Plain gradient descent on every layer (biases too unless `updateBiases` is false). */
export function sgdStep(net: MatrixNet, lr: number, updateBiases = true, weightDecay = 0): void {
  for (const L of net.layers) {
    for (let i = 0; i < L.W.length; i++) L.W[i] -= lr * (L.gW[i] + weightDecay * L.W[i]);
    if (updateBiases) for (let j = 0; j < L.b.length; j++) L.b[j] -= lr * L.gb[j];
  }
}

export interface MatrixTrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  updateBiases?: boolean;
  weightDecay?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Mini-batch SGD over the rows of X (in order, no shuffling), the mean loss per batch. */
export function trainMatrix(
  net: MatrixNet,
  X: Float64Array,
  T: Float64Array,
  samples: number,
  opts: MatrixTrainOptions,
): void {
  const nIn = net.layers[0].nIn,
    nOut = net.layers[net.layers.length - 1].nOut;
  const full = workspace(net, Math.min(opts.batchSize, samples));
  const tail = samples % opts.batchSize ? workspace(net, samples % opts.batchSize) : full;
  for (let e = 1; e <= opts.epochs; e++) {
    let total = 0;
    for (let s = 0; s < samples; s += opts.batchSize) {
      const m = Math.min(opts.batchSize, samples - s);
      const Xb = X.subarray(s * nIn, (s + m) * nIn),
        Tb = T.subarray(s * nOut, (s + m) * nOut);
      const { ws, output } = forwardBatch(net, Xb, m, m === full.m ? full : tail);
      if (opts.onEpoch) total += batchLoss(net, output, Tb, m) * m;
      backwardBatch(net, Xb, Tb, m, ws);
      sgdStep(net, opts.learningRate, opts.updateBiases ?? true, opts.weightDecay ?? 0);
    }
    opts.onEpoch?.(e, total / samples);
  }
}
