// Every number the lecture notes (../shared/seeds/) print for the curriculum's examples, computed
// by the engine. The classic two-layer example (seed 001 Example 8) is in network.test.ts and
// check.test.ts, the computation graphs (seed 002, seed 000) in graph.test.ts; this file holds the
// rest, notebook by notebook, with the seed and example named at each.
import { describe, expect, it } from "vitest";
import { Decimal as D20 } from "decimal.js";

const Decimal = D20.clone({ precision: 60 });

/** |x − y| for decimal strings, to 40 digits */
const gap = (x: string, y: string | number) => new Decimal(x).minus(new Decimal(y)).abs().toNumber();
import {
  descend, gradCheck, initWeights, matrixNet, forwardBatch, backwardBatch, perceptronPredict, resolveActivation, resolveLoss,
  trainPerceptron, traceNetwork, train, ACTIVATIONS, floatArith, batchNormForward, batchNormBackward,
} from "../src/index.js";

describe("notebook 1: the perceptron (seed 000, seed 001 Example 1, seed 003)", () => {
  it("OR in bipolar form: w1 = w2 = 1, b = 1, boundary 1 + x1 + x2 = 0 (seed 000's table)", () => {
    const table = [[-1, -1, -1], [-1, 1, 1], [1, -1, 1], [1, 1, 1]];
    for (const [x1, x2, y] of table) expect(perceptronPredict([1, 1, 1], [x1, x2], "sign")).toBe(y);
  });
  it("AND in bipolar form is the same line shifted, b = −1", () => {
    expect([[-1, -1], [-1, 1], [1, -1], [1, 1]].map((x) => perceptronPredict([-1, 1, 1], x, "sign"))).toEqual([-1, -1, -1, 1]);
  });
  it("the bias is minus the threshold: weights 6, 2, 2 and threshold 5 decide the festival cases of Example 1", () => {
    expect(perceptronPredict([-5, 6, 2, 2], [1, 0, 1], "step")).toBe(1); // case 1: good weather, no friends, close
    expect(perceptronPredict([-5, 6, 2, 2], [0, 0, 0], "step")).toBe(0); // case 2: rain, no friends, far
  });
  it("the learning rule w_d ← w_d + α(y − ŷ)x_d converges on AND and never on XOR", () => {
    const and = trainPerceptron({ inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [0, 0, 0, 1], unit: "step", learningRate: 0.1 });
    expect(and.converged).toBe(true);
    expect([[0, 0], [0, 1], [1, 0], [1, 1]].map((x) => perceptronPredict(and.weights.map(Number), x, "step"))).toEqual([0, 0, 0, 1]);
    expect(trainPerceptron({ inputs: [[-1, -1], [-1, 1], [1, -1], [1, 1]], targets: [-1, 1, 1, -1], unit: "sign", maxEpochs: 50 }).converged).toBe(false);
  });
});

describe("notebook 2: gradient descent (seed 001 Examples 3 and 4)", () => {
  it("x ← x − α·2x on f(x) = x² multiplies x by 1 − 2α each step", () => {
    const run = descend({ gradient: (x) => [2 * x[0]], start: [5], learningRate: 0.1, steps: 3 });
    expect(run.points.map((p) => p[0])).toEqual([5, 4, 3.2, 2.56].map((v) => expect.closeTo(v, 12)));
    expect(descend({ gradient: (x) => [2 * x[0]], start: [5], learningRate: 1.1, steps: 200 }).diverged).toBe(true);
  });
  it("on x1² + x2² both coordinates shrink by the same factor, so the path is straight", () => {
    const run = descend({ gradient: (x) => [2 * x[0], 2 * x[1]], start: [4, -3], learningRate: 0.3, steps: 1 });
    expect(run.points[1][0]).toBeCloseTo(1.6, 12);
    expect(run.points[1][1]).toBeCloseTo(-1.2, 12);
  });
});

describe("notebooks 3 and 8: output layers and losses (seeds 000, 003)", () => {
  it("sigmoid + binary cross-entropy: ∂L/∂z = a − y", () => {
    for (const y of [0, 1]) {
      const t = traceNetwork({ layers: [2, 1], activations: ["sigmoid"], loss: "bce", weights: [[[0.6, -0.4]]], biases: [[0.2]], input: [1.5, 0.5], target: [y] }, { precision: "exact" });
      expect(gap(t.backward.delta[1]![0], new Decimal(t.forward.a[1][0]).minus(y).toString())).toBeLessThan(1e-35);
    }
  });
  it("softmax + cross-entropy: ∂L/∂z = ŷ − y, and adding a constant to every score changes nothing", () => {
    const spec = { layers: [2, 3], activations: ["softmax"], loss: "cross_entropy", weights: [[[0.6, -0.4], [1.0, 0.3], [-0.8, 0.5]]], biases: [[0.2, -0.1, 0]], input: [1.5, 0.5], target: [0, 1, 0] };
    const t = traceNetwork(spec, { precision: "exact" });
    t.forward.a[1].forEach((a, j) => expect(gap(t.backward.delta[1]![j], new Decimal(a).minus(spec.target[j]).toString())).toBeLessThan(1e-35));
    const shifted = traceNetwork({ ...spec, biases: [[5.2, 4.9, 5]] }, { precision: "exact" });
    shifted.forward.a[1].forEach((a, j) => expect(gap(a, t.forward.a[1][j])).toBeLessThan(1e-35));
  });
});

describe("notebook 6: matrix form (seed 003 versions 1–3, seed 000's 3-4-1 network)", () => {
  it("the matrix path (version 3) equals the per-example trace (version 1), forwards and in the batch-mean gradients", () => {
    const W = initWeights([3, 4, 1], { method: "xavier", seed: 7 }), b = [[0.1, -0.1, 0.2, 0], [0.05]];
    const X = [[0.5, -1.2, 2.0], [1.0, 0.3, -0.7], [-0.4, 0.8, 0.1]], Y = [1, 0, 1];
    const net = matrixNet([3, 4, 1], W, b, [resolveActivation("sigmoid", "a"), resolveActivation("sigmoid", "b")], resolveLoss("bce"));
    const { ws, output } = forwardBatch(net, Float64Array.from(X.flat()), 3);
    backwardBatch(net, Float64Array.from(X.flat()), Float64Array.from(Y), 3, ws);
    const batch = traceNetwork({ layers: [3, 4, 1], activations: ["sigmoid", "sigmoid"], loss: "bce", weights: W, biases: b, inputs: X, targets: Y.map((y) => [y]) }, { precision: "float" });
    X.forEach((_, i) => expect(output[i]).toBeCloseTo(Number(batch.examples![i].forward.a[2][0]), 12));
    Array.from(net.layers[0].gW).forEach((g, k) => expect(g).toBeCloseTo(Number(batch.backward.dW[0][Math.floor(k / 3)][k % 3]), 12));
  });
  it("shapes: W[1] is 4 × 3, W[2] is 1 × 4", () => {
    const W = initWeights([3, 4, 1], { method: "xavier", seed: 7 });
    expect([W[0].length, W[0][0].length, W[1].length, W[1][0].length]).toEqual([4, 3, 1, 4]);
  });
});

describe("notebook 7: activations (seeds 000, 003, 004)", () => {
  it("σ'(z) = σ(z)(1 − σ(z)) is at most 1/4, at z = 0", () => {
    const s = ACTIVATIONS.sigmoid;
    if (s.kind !== "scalar") throw new Error("scalar");
    let best = 0;
    for (let z = -6; z <= 6; z += 0.01) best = Math.max(best, s.derivative(floatArith, z, s.value(floatArith, z, { alpha: 0 }), { alpha: 0 }));
    expect(best).toBeCloseTo(0.25, 8);
  });
});

describe("notebook 9: XNOR (seed 002)", () => {
  const xnor = { layers: [2, 2, 1], activations: ["step", "step"], loss: "half_sse", weights: [[[0.2, 0.2], [-0.2, -0.2]], [[0.2, 0.2]]], biases: [[-0.3, 0.2], [-0.1]], inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[1], [0], [0], [1]] };
  it("the step-unit table: z1(2) −0.3 −0.1 −0.1 0.1, a1(2) 0 0 0 1, z2(2) 0.2 0 0 −0.2, a2(2) 1 0 0 0, z1(3) 0.1 −0.1 −0.1 0.1, a1(3) 1 0 0 1", () => {
    const t = traceNetwork(xnor, { precision: "exact" });
    const col = (f: (e: NonNullable<typeof t.examples>[number]) => string) => t.examples!.map((e) => Number(f(e)));
    expect(col((e) => e.forward.z[1]![0])).toEqual([-0.3, -0.1, -0.1, 0.1]);
    expect(col((e) => e.forward.a[1][0])).toEqual([0, 0, 0, 1]);
    expect(col((e) => e.forward.z[1]![1])).toEqual([0.2, 0, 0, -0.2]);
    expect(col((e) => e.forward.a[1][1])).toEqual([1, 0, 0, 0]);
    expect(col((e) => e.forward.z[2]![0])).toEqual([0.1, -0.1, -0.1, 0.1]);
    expect(col((e) => e.forward.a[2][0])).toEqual([1, 0, 0, 1]);
  });
  it("with sigmoids, input (1, 1): a1(3) and the hidden δ1(2), against an independent calculation", () => {
    const t = traceNetwork({ ...xnor, activations: ["sigmoid", "sigmoid"], inputs: undefined, targets: undefined, input: [1, 1], target: [1] }, { precision: "exact" });
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const h1 = s(0.1), h2 = s(-0.2), o = s(-0.1 + 0.2 * h1 + 0.2 * h2);
    expect(Number(t.forward.a[2][0])).toBeCloseTo(o, 14);
    const dOut = (o - 1) * o * (1 - o);
    expect(Number(t.backward.delta[1]![0])).toBeCloseTo(dOut * 0.2 * h1 * (1 - h1), 14);
  });
});

describe("notebook 10: training loops (seed 002)", () => {
  it("the notes' momentum form ΔW := ηΔW − α∂J/∂W equals the averaged form with lr = α/(1 − η)", () => {
    const spec = { layers: [1, 1], activations: ["identity"], loss: "half_sse", weights: [[[0.5]]], biases: [[0]], input: [2], target: [3], learningRate: 0.1 };
    const eta = 0.9, alpha = 0.01;
    let w = 0.5, b = 0, dw = 0, db = 0;
    const notes: number[] = [];
    for (let t = 0; t < 5; t++) {
      const e = w * 2 + b - 3;
      notes.push(0.5 * e * e);
      dw = eta * dw - alpha * e * 2; db = eta * db - alpha * e;
      w += dw; b += db;
    }
    const engine = train(spec, { epochs: 5, optimizer: { name: "momentum", beta: eta }, learningRate: alpha / (1 - eta), keep: "all" });
    engine.history.forEach((h, i) => expect(h.lossNumber).toBeCloseTo(notes[i], 12));
  });
});

describe("notebook 12: initialisation (seed 003)", () => {
  it("diag(1.5) layers make ŷ = (1.5)^L x (exploding); diag(0.5) make (0.5)^L x (vanishing); gradients follow", () => {
    for (const [d, L] of [[1.5, 20], [0.5, 20]] as const) {
      const t = traceNetwork({ layers: Array(L + 1).fill(2), activations: Array(L).fill("identity"), loss: "half_sse", weights: Array.from({ length: L }, () => [[d, 0], [0, d]]), input: [1, 1], target: [0, 0] }, { precision: "exact" });
      expect(Number(t.forward.a[L][0])).toBeCloseTo(d ** L, 10);
      // ∂L/∂W[1]11 = ŷ1 · d^(L−1) · x1 = d^(2L−1)
      expect(Number(t.backward.dW[0][0][0]) / d ** (2 * L - 1)).toBeCloseTo(1, 12);
    }
  });
  it("zeros never break the symmetry: every hidden unit keeps identical weights", () => {
    const run = train({ layers: [2, 3, 1], activations: ["sigmoid", "sigmoid"], loss: "bce", learningRate: 1, weights: initWeights([2, 3, 1], { method: "zeros", seed: 0 }), inputs: [[0.2, 0.9], [0.8, 0.1], [0.9, 0.7]], targets: [[1], [0], [1]] }, { epochs: 50 });
    const [h1, h2, h3] = run.final.weights[0];
    expect(h2).toEqual(h1);
    expect(h3).toEqual(h1);
  });
});

describe("notebook 13: regularisation and normalisation (seed 003)", () => {
  it("L2: one step multiplies each weight by (1 − αλ/m) before the gradient step", () => {
    const spec = { layers: [1, 1], activations: ["identity"], loss: "half_sse", weights: [[[0.5]]], biases: [[0]], updateBiases: false, input: [0], target: [0], learningRate: 0.1 };
    const run = train(spec, { epochs: 1, weightDecay: 0.01 }); // the input is 0, so the loss gradient is 0
    expect(Number(run.final.weights[0][0][0])).toBeCloseTo(0.5 * (1 - 0.1 * 0.01), 14);
  });
  it("batch normalisation: z̃ has mean β and standard deviation γ; its backward pass matches finite differences", () => {
    const z = [[1], [2], [4], [1]];
    const { out, cache } = batchNormForward(z, [1.5], [0.1]);
    const col = out.map((r) => r[0]);
    const mean = col.reduce((s, v) => s + v, 0) / 4;
    expect(mean).toBeCloseTo(0.1, 12);
    expect(Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / 4)).toBeCloseTo(1.5, 6);
    const c = [[0.3], [-1], [0.5], [2]];
    const { dz } = batchNormBackward(c, cache);
    const L = (zz: number[][]) => batchNormForward(zz, [1.5], [0.1]).out.reduce((s, r, i) => s + c[i][0] * r[0], 0);
    z.forEach((_, i) => {
      const p = z.map((r) => [...r]), m = z.map((r) => [...r]);
      p[i][0] += 1e-6; m[i][0] -= 1e-6;
      expect(dz[i][0]).toBeCloseTo((L(p) - L(m)) / 2e-6, 6);
    });
  });
});

describe("notebook 14: gradient checking with ε = 10⁻⁴ (seeds 002, 003)", () => {
  it("the classic example's backpropagation agrees with central differences to better than 1e-7", () => {
    const r = gradCheck({ layers: [2, 2, 2], activations: ["sigmoid", "sigmoid"], loss: "half_sse", weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]], biases: [0.35, 0.6], input: [0.05, 0.1], target: [0.01, 0.99] }, { epsilon: 1e-4 });
    expect(r.pass).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-7);
    expect(r.params.find((p) => p.param === "weights[1][0][0]")!.analytic).toBeCloseTo(0.082167041, 8);
  });
});
