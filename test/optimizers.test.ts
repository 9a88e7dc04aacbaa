// Each optimizer's update rule on one scalar parameter, against values worked by hand from
// seed 003's formulas (exact decimals, ε = 0 so the arithmetic is clean), and two steps of
// momentum and Nesterov on the loss J(w) = w²/2 through the training loop.
import { describe, expect, it } from "vitest";
import { exactArith, type Dec } from "../src/engine/numeric.js";
import {
  OPTIMIZERS,
  Optimizer,
  optimizerFormula,
  readOptimizer,
  ADAM_SLIDE_FORMULA,
  type Hyper,
} from "../src/engine/optimizers.js";
import { train } from "../src/engine/train.js";
import { TrainingError } from "../src/engine/errors.js";

const A = exactArith;
const hyper = (
  o: Partial<Record<"lr" | "beta" | "beta1" | "beta2" | "epsilon", string>> & { biasCorrection?: boolean } = {},
): Hyper<Dec> => ({
  lr: A.of(o.lr ?? "0.1"),
  beta: A.of(o.beta ?? "0.9"),
  beta1: A.of(o.beta1 ?? "0.9"),
  beta2: A.of(o.beta2 ?? "0.999"),
  epsilon: A.of(o.epsilon ?? "0"),
  biasCorrection: o.biasCorrection ?? true,
});

/** Run `name` on θ0 = 1 with the given gradients; the values of θ after each step. */
function steps(name: keyof typeof OPTIMIZERS, grads: string[], h: Hyper<Dec>): string[] {
  const def = OPTIMIZERS[name];
  const state = def.slots.map(() => A.of(0));
  let theta = A.of(1);
  return grads.map((g, i) => (theta = def.update(A, theta, A.of(g), state, h, i + 1))).map((x) => A.toString(x));
}

describe("update rules (one parameter, by hand)", () => {
  it("SGD: θ − α dθ", () => {
    expect(steps("sgd", ["2", "2"], hyper())).toEqual(["0.8", "0.6"]);
  });

  it("momentum: V = 0.9V + 0.1 dθ, θ −= αV (seed 003's form)", () => {
    // V1 = 0.2, θ1 = 0.98; V2 = 0.18 + 0.2 = 0.38, θ2 = 0.98 − 0.038 = 0.942
    expect(steps("momentum", ["2", "2"], hyper())).toEqual(["0.98", "0.942"]);
  });

  it("Nesterov looks ahead to θ − αβV", () => {
    const def = OPTIMIZERS.nesterov;
    expect(A.toString(def.lookahead!(A, A.of(1), [A.of("0.2")], hyper()))).toBe("0.982");
  });

  it("AdaGrad: G accumulates dθ², step α dθ / √(G + ε)", () => {
    // G = 9, θ = 1 − 0.1·3/3 = 0.9; G = 25, θ = 0.9 − 0.1·4/5 = 0.82
    expect(steps("adagrad", ["3", "4"], hyper())).toEqual(["0.9", "0.82"]);
  });

  it("RMSprop: S = γS + (1 − γ) dθ², step α dθ / √(S + ε)", () => {
    // γ = 0.75: S = 0.25, θ = 1 − 0.1·1/0.5 = 0.8
    expect(steps("rmsprop", ["1"], hyper({ beta: "0.75" }))).toEqual(["0.8"]);
  });

  it("Adam with bias correction: a constant gradient moves θ by exactly α per step", () => {
    // V̂ = V/(1 − β1^t) and Ŝ = S/(1 − β2^t) both equal dθ and dθ² for a constant gradient
    expect(steps("adam", ["2", "2", "2"], hyper())).toEqual(["0.9", "0.8", "0.7"]);
    expect(steps("adam", ["-0.004", "-0.004"], hyper())).toEqual(["1.1", "1.2"]);
  });

  it("Adam as seed 003 writes it (biasCorrection false): first step α·(1−β1)/√(1−β2) = α√10", () => {
    const [t1] = steps("adam", ["2"], hyper({ biasCorrection: false }));
    // 0.1 dθ / √(0.001 dθ²) = √10 for dθ > 0
    expect(Number(t1)).toBeCloseTo(1 - 0.1 * Math.sqrt(10), 14);
  });

  it("AdaDelta (Zeiler): S = γS + (1 − γ)dθ², Δ = √(D + ε)/√(S + ε)·dθ, D = γD + (1 − γ)Δ², θ −= αΔ", () => {
    // γ = 0.75, ε = 0.09, α = 1, θ0 = 1. Step 1, dθ = 0.8: S = 0.25·0.64 = 0.16, √(S + ε) = 0.5,
    // √(D + ε) = √0.09 = 0.3, Δ = 0.3/0.5·0.8 = 0.48, θ = 0.52, D = 0.25·0.48² = 0.0576.
    // Step 2, dθ = 0.4: S = 0.75·0.16 + 0.25·0.16 = 0.16, √(S + ε) = 0.5, √(D + ε) = √0.1476,
    // Δ = √0.1476/0.5·0.4 = 0.8√0.1476, θ = 0.52 − 0.8√0.1476 = 0.21265003...
    const h = hyper({ beta: "0.75", epsilon: "0.09", lr: "1" });
    const [t1, t2] = steps("adadelta", ["0.8", "0.4"], h);
    expect(t1).toBe("0.52");
    expect(Number(t2)).toBeCloseTo(0.52 - 0.8 * Math.sqrt(0.1476), 14);
    // α multiplies the step: α = 0.5 moves half as far
    expect(steps("adadelta", ["0.8"], hyper({ beta: "0.75", epsilon: "0.09", lr: "0.5" }))).toEqual(["0.76"]);
    // without a learning rate to tune, its first step is √ε·dθ/√((1 − γ)dθ² + ε) whatever α's scale of θ
    expect(readOptimizer("adadelta").epsilon).toBe(1e-6);
  });

  it("every optimizer has a formula to render; Adam's slide form without bias correction", () => {
    for (const def of Object.values(OPTIMIZERS)) expect(def.formula).toMatch(/\\theta\^\{\[t\]\}/);
    expect(optimizerFormula(readOptimizer({ name: "adam", biasCorrection: false }))).toBe(ADAM_SLIDE_FORMULA);
    expect(optimizerFormula(readOptimizer("adam"))).toContain("\\hat V");
  });

  it("rejects unknown optimizers and impossible hyperparameters", () => {
    expect(() => readOptimizer("lbfgs")).toThrow(TrainingError);
    expect(() => readOptimizer({ name: "momentum", beta: 1.5 })).toThrow(/optimizer.beta/);
  });
});

describe("optimizers in the training loop", () => {
  // one identity unit, no bias update, input 1, target 0: J = w²/2, so ∂J/∂w = w
  const quad = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "half_sse",
    weights: [[[1]]],
    biases: [[0]],
    updateBiases: false,
    learningRate: 0.1,
    input: [1],
    target: [0],
  };

  it("momentum: w = 0.99, then 0.9711", () => {
    const r = train(quad, { epochs: 2, optimizer: "momentum", precision: "exact" });
    expect(r.final.weights[0][0][0]).toBe("0.9711");
  });

  it("Nesterov: gradient at 0.99 − 0.1·0.9·0.1 = 0.981, so w = 0.99 − 0.1·(0.09 + 0.0981) = 0.97119", () => {
    const r = train(quad, { epochs: 2, optimizer: "nesterov", precision: "exact" });
    expect(r.final.weights[0][0][0]).toBe("0.97119");
  });

  it("L2 weight decay: w − α(dw + λw) = (1 − αλ)w − α dw", () => {
    // 1 − 0.1·(1 + 0.5·1) = 0.85 = (1 − 0.05)·1 − 0.1·1
    const r = train(quad, { epochs: 1, weightDecay: 0.5, precision: "exact" });
    expect(r.final.weights[0][0][0]).toBe("0.85");
  });

  it("Adam: two steps on J = w²/2, exact against plain doubles, and dp:4 rounding S as a hand calculation would", () => {
    // independent: the Kingma & Ba recurrence in doubles, gradient g = w
    let w = 1,
      v = 0,
      s = 0;
    for (let t = 1; t <= 2; t++) {
      const g = w;
      v = 0.9 * v + 0.1 * g;
      s = 0.999 * s + 0.001 * g * g;
      w -= (0.1 * (v / (1 - 0.9 ** t))) / (Math.sqrt(s / (1 - 0.999 ** t)) + 1e-8);
    }
    const exact = train(quad, { epochs: 2, optimizer: "adam", precision: "exact" });
    expect(Number(exact.final.weights[0][0][0])).toBeCloseTo(w, 13);
    // dp:4: step 1 gives w = 0.9000 (V = 0.1000, S = 0.0010); step 2: V = 0.1800, S = 0.000999 + 0.00081
    // written 0.0018, V̂ = 0.18/0.19 = 0.9474, Ŝ = 0.0018/0.001999 = 0.9005, √Ŝ = 0.9489,
    // so w = 0.9 − 0.1 · 0.9474/0.9489 = 0.9 − 0.0998 = 0.8002 (exact arithmetic: 0.80041)
    const dp = train(quad, { epochs: 2, optimizer: "adam", precision: "dp:4" });
    expect(dp.final.weights[0][0][0]).toBe("0.8002");
  });

  it("the per-parameter state is separate for every parameter", () => {
    const o = new Optimizer(A, readOptimizer("adagrad"), A.of("0.1"), A.of(0), true);
    const p = { W: [[[A.of(1), A.of(1)]]], b: [[A.of(0)]] };
    const q = o.step(p, { dW: [[[A.of(3), A.of(4)]]], db: [[A.of(0)]] });
    // each weight's own G: 1 − 0.1·3/√(9 + 1e-8), 1 − 0.1·4/√(16 + 1e-8)
    expect(A.toNumber(q.W[0][0][0])).toBeCloseTo(0.9, 9);
    expect(A.toNumber(q.W[0][0][1])).toBeCloseTo(0.9, 9);
  });
});
