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
  descend,
  gradCheck,
  initWeights,
  matrixNet,
  forwardBatch,
  backwardBatch,
  perceptronPredict,
  resolveActivation,
  resolveLoss,
  trainPerceptron,
  traceNetwork,
  train,
  ACTIVATIONS,
  floatArith,
  batchNormForward,
  batchNormBackward,
  graphTrace,
  sgdStep,
  lcg,
  OPTIMIZER_NAMES,
} from "../src/index.js";

describe("notebook 1: the perceptron (seed 000, seed 001 Example 1, seed 003)", () => {
  it("OR in bipolar form: w1 = w2 = 1, b = 1, boundary 1 + x1 + x2 = 0 (seed 000's table)", () => {
    const table = [
      [-1, -1, -1],
      [-1, 1, 1],
      [1, -1, 1],
      [1, 1, 1],
    ];
    for (const [x1, x2, y] of table) expect(perceptronPredict([1, 1, 1], [x1, x2], "sign")).toBe(y);
  });
  it("AND in bipolar form is the same line shifted, b = −1", () => {
    expect(
      [
        [-1, -1],
        [-1, 1],
        [1, -1],
        [1, 1],
      ].map((x) => perceptronPredict([-1, 1, 1], x, "sign")),
    ).toEqual([-1, -1, -1, 1]);
  });
  it("the bias is minus the threshold: weights 6, 2, 2 and threshold 5 decide the festival cases of Example 1", () => {
    expect(perceptronPredict([-5, 6, 2, 2], [1, 0, 1], "step")).toBe(1); // case 1: good weather, no friends, close
    expect(perceptronPredict([-5, 6, 2, 2], [0, 0, 0], "step")).toBe(0); // case 2: rain, no friends, far
  });
  it("the learning rule w_d ← w_d + α(y − ŷ)x_d converges on AND and never on XOR", () => {
    const and = trainPerceptron({
      inputs: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      targets: [0, 0, 0, 1],
      unit: "step",
      learningRate: 0.1,
    });
    expect(and.converged).toBe(true);
    expect(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ].map((x) => perceptronPredict(and.weights.map(Number), x, "step")),
    ).toEqual([0, 0, 0, 1]);
    expect(
      trainPerceptron({
        inputs: [
          [-1, -1],
          [-1, 1],
          [1, -1],
          [1, 1],
        ],
        targets: [-1, 1, 1, -1],
        unit: "sign",
        maxEpochs: 50,
      }).converged,
    ).toBe(false);
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
      const t = traceNetwork(
        {
          layers: [2, 1],
          activations: ["sigmoid"],
          loss: "bce",
          weights: [[[0.6, -0.4]]],
          biases: [[0.2]],
          input: [1.5, 0.5],
          target: [y],
        },
        { precision: "exact" },
      );
      expect(gap(t.backward.delta[1]![0], new Decimal(t.forward.a[1][0]).minus(y).toString())).toBeLessThan(1e-35);
    }
  });
  it("softmax + cross-entropy: ∂L/∂z = ŷ − y, and adding a constant to every score changes nothing", () => {
    const spec = {
      layers: [2, 3],
      activations: ["softmax"],
      loss: "cross_entropy",
      weights: [
        [
          [0.6, -0.4],
          [1.0, 0.3],
          [-0.8, 0.5],
        ],
      ],
      biases: [[0.2, -0.1, 0]],
      input: [1.5, 0.5],
      target: [0, 1, 0],
    };
    const t = traceNetwork(spec, { precision: "exact" });
    t.forward.a[1].forEach((a, j) =>
      expect(gap(t.backward.delta[1]![j], new Decimal(a).minus(spec.target[j]).toString())).toBeLessThan(1e-35),
    );
    const shifted = traceNetwork({ ...spec, biases: [[5.2, 4.9, 5]] }, { precision: "exact" });
    shifted.forward.a[1].forEach((a, j) => expect(gap(a, t.forward.a[1][j])).toBeLessThan(1e-35));
  });
});

describe("notebook 3: seed 001 Examples 6 and 7 (sigmoid neurons with ½SSE; the notes print formulas, the notebook's numbers)", () => {
  const ex6 = {
    layers: [2, 1],
    activations: ["sigmoid"],
    loss: "half_sse",
    weights: [[[0.4, -0.6]]],
    biases: [[0.1]],
    input: [1, 0.5],
    target: [1],
    learningRate: 0.5,
  };
  it("Example 6: δ = (a − y) a (1 − a), w11 := w11 − α δ x1, w12 := w12 − α δ x2, b1 := b1 − α δ", () => {
    const t = traceNetwork(ex6, { precision: "exact", notation: "paren" });
    const a = new Decimal(t.forward.a[1][0]);
    expect(t.forward.z[1]![0]).toBe("0.2");
    const delta = a.minus(1).times(a).times(new Decimal(1).minus(a));
    expect(gap(t.backward.delta[1]![0], delta.toString())).toBeLessThan(1e-35);
    expect(gap(t.update.weights[0][0][0], new Decimal(0.4).minus(delta.times(0.5).times(1)).toString())).toBeLessThan(
      1e-35,
    );
    expect(
      gap(t.update.weights[0][0][1], new Decimal(-0.6).minus(delta.times(0.5).times(0.5)).toString()),
    ).toBeLessThan(1e-35);
    expect(gap((t.update.biases[0] as string[])[0], new Decimal(0.1).minus(delta.times(0.5)).toString())).toBeLessThan(
      1e-35,
    );
    // the figures the notebook shows, to 6 places
    expect(Number(t.forward.a[1][0]).toFixed(6)).toBe("0.549834");
    expect(Number(t.backward.delta[1]![0]).toFixed(6)).toBe("-0.111424");
    expect(Number(t.update.weights[0][0][0]).toFixed(6)).toBe("0.455712");
    expect(t.steps.find((st) => st.id === "backward.dW.1.0.0")!.symbol).toContain("w_{11}^{(1)}");
  });
  it("Example 7, the 2-1-1 chain: ∂L/∂w11(2) = δ(2) a(1), ∂L/∂w11(1) = δ(2) w11(2) a(1)(1 − a(1)) x1, ∂L/∂b1(1) without x1", () => {
    const t = traceNetwork(
      {
        ...ex6,
        layers: [2, 1, 1],
        activations: ["sigmoid", "sigmoid"],
        weights: [[[0.4, -0.6]], [[0.7]]],
        biases: [[0.1], [-0.2]],
      },
      { precision: "exact" },
    );
    const h = new Decimal(t.forward.a[1][0]),
      o = new Decimal(t.forward.a[2][0]);
    const d2 = o.minus(1).times(o).times(new Decimal(1).minus(o));
    const d1 = d2.times(0.7).times(h).times(new Decimal(1).minus(h));
    expect(gap(t.backward.delta[2]![0], d2.toString())).toBeLessThan(1e-35);
    expect(gap(t.backward.dW[1][0][0], d2.times(h).toString())).toBeLessThan(1e-35);
    expect(gap(t.backward.dW[0][0][0], d1.toString())).toBeLessThan(1e-35);
    expect(gap(t.backward.dW[0][0][1], d1.times(0.5).toString())).toBeLessThan(1e-35);
    expect(gap((t.backward.db[0] as string[])[0], d1.toString())).toBeLessThan(1e-35);
    expect(
      [t.backward.delta[2]![0], t.backward.dW[1][0][0], t.backward.dW[0][0][0]].map((v) => Number(v).toFixed(6)),
    ).toEqual(["-0.112513", "-0.061864", "-0.019494"]);
  });
});

describe("notebook 4: seed 002's local derivatives, from the graph engine", () => {
  const d = (expr: string, at: Record<string, number>) =>
    Number(graphTrace(expr, at).nodes.find((n) => n.name === "x")!.grad);
  it("eˣ → eˣ, 1/x → −1/x², ax → a, c + x → 1 at the values the sigmoid neuron feeds them", () => {
    const e = Math.exp(-1);
    expect(d("f = exp(x)", { x: -1 })).toBeCloseTo(e, 14);
    expect(d("f = 1 / x", { x: 1 + e })).toBeCloseTo(-1 / (1 + e) ** 2, 14);
    expect(d("f = a * x", { a: -1, x: 1 })).toBe(-1);
    expect(d("f = a * x", { a: 3.5, x: 2 })).toBe(3.5);
    expect(d("f = c + x", { c: 1, x: e })).toBe(1);
    expect(d("f = 1 / x", { x: 1 + e }).toFixed(4)).toBe("-0.5344");
  });
  it("chained, they give the gate's 0.20 (seed 002: [1.00] × [(1 − 0.73)(0.73)] = 0.2)", () => {
    const e = Math.exp(-1);
    const chained = 1 * (-1 / (1 + e) ** 2) * 1 * e * -1;
    const gate = graphTrace("1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))", { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 });
    expect(Number(gate.nodes.find((n) => n.name === "w2")!.grad)).toBeCloseTo(chained, 14);
    expect(chained.toFixed(4)).toBe("0.1966");
    expect(Number(gate.nodes.find((n) => n.id === gate.output)!.value).toFixed(2)).toBe("0.73");
  });
});

describe("notebook 6: matrix form (seed 003 versions 1–3, seed 000's 3-4-1 network)", () => {
  it("the matrix path (version 3) equals the per-example trace (version 1), forwards and in the batch-mean gradients", () => {
    const W = initWeights([3, 4, 1], { method: "xavier", seed: 7 }),
      b = [[0.1, -0.1, 0.2, 0], [0.05]];
    const X = [
        [0.5, -1.2, 2.0],
        [1.0, 0.3, -0.7],
        [-0.4, 0.8, 0.1],
      ],
      Y = [1, 0, 1];
    const net = matrixNet(
      [3, 4, 1],
      W,
      b,
      [resolveActivation("sigmoid", "a"), resolveActivation("sigmoid", "b")],
      resolveLoss("bce"),
    );
    const { ws, output } = forwardBatch(net, Float64Array.from(X.flat()), 3);
    backwardBatch(net, Float64Array.from(X.flat()), Float64Array.from(Y), 3, ws);
    const batch = traceNetwork(
      {
        layers: [3, 4, 1],
        activations: ["sigmoid", "sigmoid"],
        loss: "bce",
        weights: W,
        biases: b,
        inputs: X,
        targets: Y.map((y) => [y]),
      },
      { precision: "float" },
    );
    X.forEach((_, i) => expect(output[i]).toBeCloseTo(Number(batch.examples![i].forward.a[2][0]), 12));
    Array.from(net.layers[0].gW).forEach((g, k) =>
      expect(g).toBeCloseTo(Number(batch.backward.dW[0][Math.floor(k / 3)][k % 3]), 12),
    );
  });
  it("version 2 (per example, row vectors, the notes' n_in × n_out layout) gives the same ŷ and mean gradients as the batch trace", () => {
    const W = initWeights([3, 4, 1], { method: "xavier", seed: 7 }),
      b = [[0.1, -0.1, 0.2, 0], [0.05]];
    const X = [
        [0.5, -1.2, 2.0],
        [1.0, 0.3, -0.7],
        [-0.4, 0.8, 0.1],
        [0.0, -2.0, 1.5],
        [1.5, 1.5, 1.5],
      ],
      Y = [1, 0, 1, 0, 1];
    const T = (M: number[][]) => M[0].map((_, j) => M.map((r) => r[j]));
    const rowTimes = (v: number[], M: number[][]) => M[0].map((_, j) => v.reduce((s, vk, k) => s + vk * M[k][j], 0));
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const Wn = [T(W[0]), T(W[1])];
    const dW1 = W[0].map((r) => r.map(() => 0)),
      dW2 = [W[1][0].map(() => 0)];
    const batch = traceNetwork(
      {
        layers: [3, 4, 1],
        activations: ["sigmoid", "sigmoid"],
        loss: "bce",
        weights: W,
        biases: b,
        inputs: X,
        targets: Y.map((y) => [y]),
      },
      { precision: "float" },
    );
    X.forEach((x, i) => {
      const a1 = rowTimes(x, Wn[0]).map((z, j) => sig(z + b[0][j]));
      const a2 = sig(rowTimes(a1, Wn[1])[0] + b[1][0]);
      expect(a2).toBeCloseTo(Number(batch.examples![i].forward.a[2][0]), 14);
      const dz2 = a2 - Y[i];
      const dz1 = Wn[1].map((row, j) => row[0] * dz2 * a1[j] * (1 - a1[j]));
      a1.forEach((a, j) => (dW2[0][j] += (a * dz2) / X.length));
      dz1.forEach((dz, j) => x.forEach((xk, k) => (dW1[j][k] += (xk * dz) / X.length)));
    });
    dW1.forEach((r, j) => r.forEach((v, k) => expect(v).toBeCloseTo(Number(batch.backward.dW[0][j][k]), 14)));
    dW2[0].forEach((v, j) => expect(v).toBeCloseTo(Number(batch.backward.dW[1][0][j]), 14));
  });
  it("seed 000's z = wᵀx + b with w (3 × 4, input i → unit j) is our z = W x + b with W = wᵀ", () => {
    const W = initWeights([3, 4, 1], { method: "xavier", seed: 7 })[0],
      x = [0.5, -1.2, 2.0];
    const w = W[0].map((_, i) => W.map((r) => r[i])); // 3 × 4
    expect([w.length, w[0].length]).toEqual([3, 4]);
    W.forEach((row, j) =>
      expect(w.reduce((s, wi, i) => s + wi[j] * x[i], 0)).toBeCloseTo(
        row.reduce((s, v, i) => s + v * x[i], 0),
        14,
      ),
    );
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
    for (let z = -6; z <= 6; z += 0.01)
      best = Math.max(best, s.derivative(floatArith, z, s.value(floatArith, z, { alpha: 0 }), { alpha: 0 }));
    expect(best).toBeCloseTo(0.25, 8);
  });
});

describe("notebook 9: XNOR (seed 002)", () => {
  const xnor = {
    layers: [2, 2, 1],
    activations: ["step", "step"],
    loss: "half_sse",
    weights: [
      [
        [0.2, 0.2],
        [-0.2, -0.2],
      ],
      [[0.2, 0.2]],
    ],
    biases: [[-0.3, 0.2], [-0.1]],
    inputs: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ],
    targets: [[1], [0], [0], [1]],
  };
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
    const t = traceNetwork(
      {
        ...xnor,
        activations: ["sigmoid", "sigmoid"],
        inputs: undefined,
        targets: undefined,
        input: [1, 1],
        target: [1],
      },
      { precision: "exact" },
    );
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const h1 = s(0.1),
      h2 = s(-0.2),
      o = s(-0.1 + 0.2 * h1 + 0.2 * h2);
    expect(Number(t.forward.a[2][0])).toBeCloseTo(o, 14);
    const dOut = (o - 1) * o * (1 - o);
    expect(Number(t.backward.delta[1]![0])).toBeCloseTo(dOut * 0.2 * h1 * (1 - h1), 14);
  });
});

describe("notebook 10: training loops (seed 002)", () => {
  it("the notes' momentum form ΔW := ηΔW − α∂J/∂W equals the averaged form with lr = α/(1 − η)", () => {
    const spec = {
      layers: [1, 1],
      activations: ["identity"],
      loss: "half_sse",
      weights: [[[0.5]]],
      biases: [[0]],
      input: [2],
      target: [3],
      learningRate: 0.1,
    };
    const eta = 0.9,
      alpha = 0.01;
    let w = 0.5,
      b = 0,
      dw = 0,
      db = 0;
    const notes: number[] = [];
    for (let t = 0; t < 5; t++) {
      const e = w * 2 + b - 3;
      notes.push(0.5 * e * e);
      dw = eta * dw - alpha * e * 2;
      db = eta * db - alpha * e;
      w += dw;
      b += db;
    }
    const engine = train(spec, {
      epochs: 5,
      optimizer: { name: "momentum", beta: eta },
      learningRate: alpha / (1 - eta),
      keep: "all",
    });
    engine.history.forEach((h, i) => expect(h.lossNumber).toBeCloseTo(notes[i], 12));
  });
});

describe("notebook 11: optimizers on 0.5x² + 50y², each at its best α of one grid (what the prose says)", () => {
  const f = (p: readonly number[]) => 0.5 * p[0] ** 2 + 50 * p[1] ** 2;
  const grad = (p: readonly number[]) => [p[0], 100 * p[1]];
  const grid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
  const score = (r: ReturnType<typeof descend>) => (r.diverged ? Infinity : r.values[100]);
  const tune = (fn: typeof f, g: typeof grad, start: number[]) =>
    Object.fromEntries(
      OPTIMIZER_NAMES.map((name) => {
        const best = grid
          .map((lr) => ({
            lr,
            run: descend({ f: fn, gradient: g, start, learningRate: lr, steps: 100, optimizer: name }),
          }))
          .reduce((a, b) => (score(b.run) < score(a.run) ? b : a));
        return [name, best];
      }),
    );
  const runs = tune(f, grad, [-8, 1.5]);
  it("the first steps from (−8, 1.5): gradient (−8, 150); SGD −αg, momentum/Nesterov −0.1αg, AdaGrad and Adam α per coordinate, RMSprop √10 α", () => {
    expect(Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, runs[n].lr]))).toEqual({
      sgd: 0.01,
      momentum: 0.1,
      nesterov: 0.1,
      adagrad: 3,
      rmsprop: 0.1,
      adam: 3,
      adadelta: 3,
    });
    const first = (n: string) => runs[n].run.points[1];
    for (const n of ["sgd", "momentum", "nesterov"]) {
      expect(first(n)[0]).toBeCloseTo(-7.92, 12);
      expect(first(n)[1]).toBeCloseTo(0, 12);
    }
    for (const n of ["adagrad", "adam"]) {
      expect(first(n)[0]).toBeCloseTo(-5, 8);
      expect(first(n)[1]).toBeCloseTo(-1.5, 8);
    }
    expect(first("rmsprop")[0]).toBeCloseTo(-8 + 0.1 * Math.sqrt(10), 8);
    expect(first("rmsprop")[1]).toBeCloseTo(1.5 - 0.1 * Math.sqrt(10), 8);
    // AdaDelta: S = 0.1 g², D = 0, step α √ε g/√(0.1 g² + ε) ≈ α √(10ε) = 3 · √(10⁻⁵) per coordinate
    const adadeltaStep = (g: number) => (3 * Math.sqrt(1e-6) * g) / Math.sqrt(0.1 * g * g + 1e-6);
    expect(first("adadelta")[0]).toBeCloseTo(-8 - adadeltaStep(-8), 10);
    expect(first("adadelta")[1]).toBeCloseTo(1.5 - adadeltaStep(150), 10);
    // SGD above α = 0.02 diverges in y
    expect(descend({ f, gradient: grad, start: [-8, 1.5], learningRate: 0.03, steps: 100 }).diverged).toBe(true);
  });
  it("the ranking the prose states, after 10 and 100 steps", () => {
    const at = (n: string, t: number) => runs[n].run.values[t];
    expect(at("sgd", 100)).toBeGreaterThan(4);
    expect(at("sgd", 100)).toBeLessThan(4.5);
    expect(at("adagrad", 10)).toBeLessThan(0.03);
    for (const n of ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adadelta"])
      expect(at(n, 10)).toBeGreaterThan(10);
    const tuned = OPTIMIZER_NAMES.filter((n) => n !== "adadelta");
    expect(Math.max(...tuned.map((n) => at(n, 10)))).toBe(at("adam", 10)); // of those with a learning rate, Adam slowest at first
    expect(at("adadelta", 10)).toBeGreaterThan(100); // AdaDelta's steps start at about α√(10ε)
    const order100 = [...OPTIMIZER_NAMES].sort((a, b) => at(a, 100) - at(b, 100));
    expect(order100).toEqual(["adagrad", "nesterov", "momentum", "adam", "rmsprop", "sgd", "adadelta"]);
    expect(at("adadelta", 100)).toBeGreaterThan(30);
    expect(at("adagrad", 100)).toBeLessThan(1e-27);
    expect(at("momentum", 2)).toBeGreaterThan(at("momentum", 1)); // momentum climbs the far wall
    expect([...OPTIMIZER_NAMES].sort((a, b) => at(a, 30) - at(b, 30)).slice(0, 2)).toEqual(["adagrad", "nesterov"]);
  });
  it("turned by 45°: SGD, momentum and Nesterov unchanged; AdaGrad, RMSprop and Adam lose their edge", () => {
    const c = Math.SQRT1_2;
    const toUV = (p: readonly number[]) => [c * (p[0] - p[1]), c * (p[0] + p[1])];
    const turned = tune(
      (p) => f(toUV(p)),
      (p) => {
        const [gu, gv] = grad(toUV(p));
        return [c * (gu + gv), c * (gv - gu)];
      },
      [c * (-8 + 1.5), c * (1.5 + 8)],
    );
    for (const n of ["sgd", "momentum", "nesterov"])
      expect(turned[n].run.values[100] / runs[n].run.values[100]).toBeCloseTo(1, 6);
    expect(turned.adagrad.run.values[100]).toBeGreaterThan(2);
    expect(turned.adagrad.run.values[100]).toBeLessThan(runs.sgd.run.values[100]);
    expect(turned.rmsprop.run.values[100]).toBeGreaterThan(0.5);
    expect(turned.adam.run.values[100]).toBeGreaterThan(1e-3);
  });
});

describe("notebook 12: initialisation (seed 003)", () => {
  it("seed 003: ŷ = x diag(1.5)^(L−1) W^[L] (exploding), diag(0.5) gives (0.5)^(L−1) (vanishing); ∂L/∂W[1]11 = ŷ (1.5)^(L−2) W^[L]_1 x1", () => {
    for (const d of [1.5, 0.5])
      for (const L of [2, 5, 10, 20, 30]) {
        const weights = [
          ...Array.from({ length: L - 1 }, () => [
            [d, 0],
            [0, d],
          ]),
          [[1, 1]],
        ];
        const t = traceNetwork(
          {
            layers: [...Array(L).fill(2), 1],
            activations: Array(L).fill("identity"),
            loss: "half_sse",
            weights,
            input: [1, 1],
            target: [0],
          },
          { precision: "exact" },
        );
        expect(Number(t.forward.a[L][0]) / (2 * d ** (L - 1))).toBeCloseTo(1, 12);
        expect(Number(t.backward.dW[0][0][0]) / (2 * d ** (2 * L - 3))).toBeCloseTo(1, 12);
      }
  });
  const zeroSpec = {
    layers: [2, 3, 1],
    activations: ["sigmoid", "sigmoid"],
    loss: "bce",
    learningRate: 1,
    weights: initWeights([2, 3, 1], { method: "zeros", seed: 0 }),
    inputs: [
      [0.2, 0.9],
      [0.8, 0.1],
      [0.9, 0.7],
    ],
    targets: [[1], [0], [1]],
  };
  it("zeros never break the symmetry: the hidden weights move (unbalanced labels) but stay identical", () => {
    for (const epochs of [10, 100, 500]) {
      const run = train(zeroSpec, { epochs });
      const [h1, h2, h3] = run.final.weights[0];
      expect(h2).toEqual(h1);
      expect(h3).toEqual(h1);
      expect(Math.abs(Number(h1[0]))).toBeGreaterThan(0.01);
    }
  });
  it("after one epoch from zeros only the output layer moved: w_out = −0.5·mean(0.5 − y) = 1/12, b_out = 1/6", () => {
    const one = train(zeroSpec, { epochs: 1 }).final;
    one.weights[0].flat().forEach((w) => expect(Number(w)).toBe(0));
    one.weights[1][0].forEach((w) => expect(Number(w)).toBeCloseTo(1 / 12, 14));
    expect(Number((one.biases[1] as string[])[0])).toBeCloseTo(1 / 6, 14);
  });
  it("Xavier, He and Glorot–Bengio draw the standard deviations the notebook states for 400 → 100", () => {
    const sd = (m: string) => {
      const v = initWeights([400, 100], { method: m as "xavier", seed: 1 })[0].flat();
      const mu = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
    };
    expect(sd("xavier")).toBeCloseTo(0.05, 2);
    expect(sd("he")).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(sd("glorot_uniform")).toBeCloseTo(Math.sqrt(2 / 500), 2);
    const u = initWeights([2, 3, 1], { method: "uniform", seed: 4, scale: 0.5 }).flat(2);
    u.forEach((w) => expect(Math.abs(w)).toBeLessThanOrEqual(0.5)); // seed 002: small random values in [−0.5, 0.5]
  });
});

describe("notebook 13: regularisation and normalisation (seed 003)", () => {
  it("L2: one step multiplies each weight by (1 − αλ/m) before the gradient step", () => {
    const spec = {
      layers: [1, 1],
      activations: ["identity"],
      loss: "half_sse",
      weights: [[[0.5]]],
      biases: [[0]],
      updateBiases: false,
      input: [0],
      target: [0],
      learningRate: 0.1,
    };
    const run = train(spec, { epochs: 1, weightDecay: 0.01 }); // the input is 0, so the loss gradient is 0
    expect(Number(run.final.weights[0][0][0])).toBeCloseTo(0.5 * (1 - 0.1 * 0.01), 14);
  });
  it("L1 (seed 003, lasso): soft thresholding after the engine's gradient step zeroes the useless weights; sign(w) steps and L2 do not", () => {
    const r5 = lcg(5),
      m = 40,
      n = 6;
    const X = Array.from({ length: m }, () => Array.from({ length: n }, () => 2 * r5() - 1));
    const Y = X.map((x) => 2 * x[0] - 1.5 * x[1] + 0.5 * x[2] + 0.2 * (r5() - 0.5));
    const Xf = Float64Array.from(X.flat()),
      Yf = Float64Array.from(Y);
    const soft = (v: number, t: number) => Math.sign(v) * Math.max(Math.abs(v) - t, 0);
    const fit = (kind: "l1" | "sub" | "l2", lambda: number) => {
      const net = matrixNet(
        [n, 1],
        [[Array(n).fill(0)]],
        [[0]],
        [resolveActivation("identity", "o")],
        resolveLoss("mse"),
      );
      const L = net.layers[0];
      for (let it = 0; it < 500; it++) {
        const { ws } = forwardBatch(net, Xf, m);
        backwardBatch(net, Xf, Yf, m, ws);
        if (kind === "sub") for (let j = 0; j < n; j++) L.gW[j] += (lambda / (2 * m)) * Math.sign(L.W[j]);
        sgdStep(net, 0.2, true, kind === "l2" ? lambda / m : 0);
        if (kind === "l1") for (let j = 0; j < n; j++) L.W[j] = soft(L.W[j], (0.2 * lambda) / (2 * m));
      }
      return Array.from(L.W);
    };
    const l1 = fit("l1", 8),
      sub = fit("sub", 8),
      l2 = fit("l2", 8);
    expect(l1.slice(3).map((w) => w === 0)).toEqual([true, true, true]);
    l1.slice(0, 3).forEach((w) => expect(Math.abs(w)).toBeGreaterThan(0.3));
    sub.slice(3).forEach((w) => {
      expect(w).not.toBe(0);
      expect(Math.abs(w)).toBeLessThan(0.02);
    });
    l2.forEach((w) => expect(w).not.toBe(0));
    expect(Math.abs(l2[0])).toBeLessThan(Math.abs(l1[0]));
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
      const p = z.map((r) => [...r]),
        m = z.map((r) => [...r]);
      p[i][0] += 1e-6;
      m[i][0] -= 1e-6;
      expect(dz[i][0]).toBeCloseTo((L(p) - L(m)) / 2e-6, 6);
    });
  });
});

describe("notebook 14: gradient checking with ε = 10⁻⁴ (seeds 002, 003)", () => {
  it("the classic example's backpropagation agrees with central differences to better than 1e-7", () => {
    const r = gradCheck(
      {
        layers: [2, 2, 2],
        activations: ["sigmoid", "sigmoid"],
        loss: "half_sse",
        weights: [
          [
            [0.15, 0.2],
            [0.25, 0.3],
          ],
          [
            [0.4, 0.45],
            [0.5, 0.55],
          ],
        ],
        biases: [0.35, 0.6],
        input: [0.05, 0.1],
        target: [0.01, 0.99],
      },
      { epsilon: 1e-4 },
    );
    expect(r.pass).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-7);
    expect(r.params.find((p) => p.param === "weights[1][0][0]")!.analytic).toBeCloseTo(0.082167041, 8);
  });
  it("the one-sided difference (J(θ + ε) − J(θ))/ε agrees only to 3e-7 … 4e-5 there, the central one to 1e-10 … 2e-9", () => {
    const r = gradCheck(
      {
        layers: [2, 2, 2],
        activations: ["sigmoid", "sigmoid"],
        loss: "half_sse",
        weights: [
          [
            [0.15, 0.2],
            [0.25, 0.3],
          ],
          [
            [0.4, 0.45],
            [0.5, 0.55],
          ],
        ],
        biases: [0.35, 0.6],
        input: [0.05, 0.1],
        target: [0.01, 0.99],
      },
      { epsilon: 1e-4 },
    );
    const fwd = r.params.map((p) => p.relativeErrorForward),
      cen = r.params.map((p) => p.relativeError);
    expect(r.params.length).toBe(10);
    expect(Math.min(...fwd)).toBeGreaterThan(3e-7);
    expect(Math.max(...fwd)).toBeLessThan(4.1e-5);
    expect(Math.min(...cen)).toBeGreaterThan(1e-10);
    expect(Math.max(...cen)).toBeLessThan(2e-9);
  });
});
