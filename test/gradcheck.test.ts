// Gradient checking (seed 002): central differences agree with backpropagation; the one-sided
// difference of the slide is visibly worse; the widely printed "already-updated w5..w8" mistake
// is caught in exactly the hidden-layer parameters.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { gradCheck } from "../src/engine/gradcheck.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

describe("gradient check", () => {
  it("classic example: every weight and bias passes, and ∂E/∂w5 is the published 0.082167041", () => {
    const r = gradCheck(classic);
    expect(r.epsilon).toBe(1e-4);
    expect(r.pass).toBe(true);
    expect(r.params.map((p) => p.name)).toEqual(["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2"]);
    const w5 = r.params.find((p) => p.name === "w5")!;
    expect(w5.param).toBe("weights[1][0][0]");
    expect(w5.analytic.toFixed(9)).toBe("0.082167041");
    expect(w5.numeric.toFixed(9)).toBe("0.082167041");
    const w1 = r.params.find((p) => p.name === "w1")!;
    expect(w1.numeric.toFixed(9)).toBe("0.000438568"); // the published ∂E/∂w1
  });

  it("the central difference is far more accurate than the slide's one-sided one", () => {
    const r = gradCheck(classic);
    for (const p of r.params) expect(p.relativeError).toBeLessThan(p.relativeErrorForward / 10);
    expect(r.maxRelativeError).toBeLessThan(1e-8);
    expect(Math.max(...r.params.map((p) => p.relativeErrorForward))).toBeGreaterThan(1e-6);
  });

  it('hiddenDeltaWeights "updated" fails for w1..w4 and b1 only', () => {
    const r = gradCheck({ ...classic, hiddenDeltaWeights: "updated" });
    expect(r.pass).toBe(false);
    expect(r.params.filter((p) => !p.pass).map((p) => p.name)).toEqual(["w1", "w2", "w3", "w4", "b1"]);
  });

  it("a batch with per-unit biases and softmax + cross-entropy passes; exact precision too", () => {
    const spec = {
      layers: [3, 4, 3],
      activations: ["tanh", "softmax"],
      loss: "cross_entropy",
      weights: [
        [
          [0.1, -0.2, 0.3],
          [0.4, 0.5, -0.6],
          [-0.7, 0.8, 0.9],
          [0.2, 0.1, -0.3],
        ],
        [
          [0.3, -0.1, 0.2, 0.5],
          [-0.4, 0.6, 0.1, -0.2],
          [0.7, 0.2, -0.5, 0.3],
        ],
      ],
      biases: [
        [0.1, -0.1, 0.2, 0],
        [0.05, -0.05, 0],
      ],
      inputs: [
        [1, 0.5, -1],
        [0.2, -0.3, 0.8],
      ],
      targets: [
        [1, 0, 0],
        [0, 0, 1],
      ],
    };
    const r = gradCheck(spec);
    expect(r.pass).toBe(true);
    expect(r.params).toHaveLength(12 + 12 + 4 + 3);
    expect(r.params.at(-1)!.param).toBe("biases[1][2]");
    expect(gradCheck(spec, { precision: "exact" }).pass).toBe(true);
    expect(() => gradCheck(spec, { precision: "dp:4" })).toThrow(/dp:N/);
  });
});
