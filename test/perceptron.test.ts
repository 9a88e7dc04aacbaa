// The perceptron learning rule w ← w + α(y − ŷ)x on the bipolar logic functions of seed 000,
// with every step worked by hand (α = 0.5, weights from zero, examples in table order).
import { describe, expect, it } from "vitest";
import { perceptronPredict, trainPerceptron } from "../src/engine/perceptron.js";
import { TrainingError } from "../src/engine/errors.js";

const X = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];
const AND = [-1, -1, -1, 1],
  OR = [-1, 1, 1, 1],
  XOR = [-1, 1, 1, -1];

describe("perceptron learning rule", () => {
  it("seed 000's OR solution w1 = w2 = 1, b = 1 (boundary 1 + x1 + x2 = 0) classifies all four patterns", () => {
    X.forEach((x, i) => expect(perceptronPredict([1, 1, 1], x, "sign")).toBe(OR[i]));
  });

  it("OR (bipolar) converges in 3 epochs to exactly that solution", () => {
    // epoch 1: (−1,1) net 0 → −1, err 2, w = (1,−1,1); (1,−1) net −1, err 2, w = (2,0,0)
    // epoch 2: (−1,−1) net 2 → 1, err −2, w = (1,1,1); epoch 3 has no mistakes
    const r = trainPerceptron({ inputs: X, targets: OR, learningRate: 0.5 });
    expect(r.converged).toBe(true);
    expect(r.epochs).toBe(3);
    expect(r.weights.map(Number)).toEqual([1, 1, 1]);
    expect(r.steps.slice(0, 3).map((s) => s.weights.map(Number))).toEqual([
      [0, 0, 0],
      [1, -1, 1],
      [2, 0, 0],
    ]);
    expect(r.steps[1]).toMatchObject({
      epoch: 1,
      example: 1,
      x: ["1", "-1", "1"],
      net: "0",
      prediction: "-1",
      target: "1",
      error: "2",
    });
    X.forEach((x, i) => expect(perceptronPredict(r.weights, x)).toBe(OR[i]));
  });

  it("AND (bipolar) converges in 3 epochs to b = −1, w1 = w2 = 1", () => {
    // epoch 1: only (1,1) is wrong, w = (1,1,1); epoch 2: (−1,1) → w = (0,2,0), (1,−1) → w = (−1,1,1)
    const r = trainPerceptron({ inputs: X, targets: AND, learningRate: 0.5 });
    expect(r.converged).toBe(true);
    expect(r.epochs).toBe(3);
    expect(r.weights.map(Number)).toEqual([-1, 1, 1]);
    expect(r.steps).toHaveLength(12);
    X.forEach((x, i) => expect(perceptronPredict(r.weights, x)).toBe(AND[i]));
  });

  it("XOR never converges: not linearly separable", () => {
    const r = trainPerceptron({ inputs: X, targets: XOR, learningRate: 0.5, maxEpochs: 100 });
    expect(r.converged).toBe(false);
    expect(r.epochs).toBe(100);
    expect(r.message).toContain("not linearly separable: no convergence within 100 epochs");
    expect(r.steps).toHaveLength(400);
    // whatever the final weights, some pattern is misclassified
    expect(X.some((x, i) => perceptronPredict(r.weights, x) !== XOR[i])).toBe(true);
  });

  it("step units (0/1) learn AND; bias = −threshold", () => {
    const inputs = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const r = trainPerceptron({ inputs, targets: [0, 0, 0, 1], unit: "step", learningRate: "0.1" });
    expect(r.converged).toBe(true);
    inputs.forEach((x, i) => expect(perceptronPredict(r.weights, x, "step")).toBe([0, 0, 0, 1][i]));
    // exact decimals: 0.1 steps stay clean (no 0.30000000000000004)
    for (const s of r.steps) for (const w of s.weights) expect(w).toMatch(/^-?\d+(\.\d)?$/);
  });

  it("checks its input", () => {
    expect(() => trainPerceptron({ inputs: X, targets: [0, 1, 1, 0] })).toThrow(TrainingError);
    expect(() => trainPerceptron({ inputs: X, targets: OR, weights: [0, 0] })).toThrow(/weights/);
  });
});
