// Step dependencies are recorded once, by the engine, in the trace (Step.reads): every read names a
// step or a given number of the same trace, in the order the step's formula writes them, and the
// view's links (src/view/links.ts) are derived from them.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { traceNetwork } from "../src/engine/network.js";
import { parseStepId } from "../src/engine/step-id.js";
import { networkUses } from "../src/view/links.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
const tanhSoftmax = {
  layers: [2, 3, 2],
  activations: ["tanh", "softmax"],
  loss: "cross_entropy",
  weights: [
    [
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.2],
    ],
    [
      [0.2, -0.3, 0.5],
      [-0.1, 0.4, 0.3],
    ],
  ],
  biases: [
    [0.1, -0.1, 0.05],
    [0.0, 0.1],
  ],
  input: [0.5, -1],
  target: [1, 0],
  learningRate: 0.5,
};

const readsOf = (spec: unknown, precision = "exact") =>
  new Map(traceNetwork(spec, { precision }).steps.map((s) => [s.id, s.reads]));

describe("the trace's dependency edges", () => {
  it("every step of every example spec reads only steps and givens of its own trace", () => {
    const relu = { ...classic, activations: ["relu", "sigmoid"], names: undefined };
    const batch = {
      ...classic,
      names: undefined,
      input: undefined,
      target: undefined,
      inputs: [
        [0.05, 0.1],
        [0.2, 0.4],
      ],
      targets: [
        [0.01, 0.99],
        [0.5, 0.5],
      ],
    };
    for (const spec of [classic, tanhSoftmax, relu, batch]) {
      const t = traceNetwork(spec, { precision: "exact" });
      const ids = new Set(t.steps.map((s) => s.id));
      for (const s of t.steps) {
        expect(s.reads, s.id).toBeDefined();
        for (const r of s.reads!) {
          const rec = parseStepId(r);
          expect(rec, r).toBeDefined();
          expect(rec!.phase === "given" || ids.has(r), `${s.id} reads ${r}`).toBe(true);
        }
      }
    }
  });

  it("reads as the formulas write them", () => {
    const r = readsOf(classic);
    expect(r.get("forward.z.1.0")).toEqual([
      "given.input.0",
      "given.weight.1.0.0",
      "given.input.1",
      "given.weight.1.0.1",
      "given.bias.1",
    ]);
    expect(r.get("backward.da/dz.2.0")).toEqual(["forward.a.2.0"]); // σ' = a(1 − a)
    expect(r.get("backward.dL/da.1.0")).toEqual(["backward.path.1.0.0", "backward.path.1.0.1"]);
    expect(r.get("backward.path.1.0.1")).toEqual(["backward.delta.2.1", "given.weight.2.1.0"]);
    expect(r.get("update.W.2.0.0")).toEqual(["given.weight.2.0.0", "backward.dW.2.0.0", "given.learningRate"]);
    // ReLU's derivative [z > 0] is read from z, tanh's 1 − a² from a
    expect(readsOf({ ...classic, activations: ["relu", "sigmoid"] }).get("backward.da/dz.1.0")).toEqual([
      "forward.z.1.0",
    ]);
    const t = readsOf(tanhSoftmax);
    expect(t.get("backward.da/dz.1.2")).toEqual(["forward.a.1.2"]);
    expect(t.get("forward.a.2.0")).toEqual(["forward.z.2.0", "forward.z.2.1"]);
    expect(t.get("backward.delta.2.1")).toEqual(["forward.a.2.1", "given.target.1"]); // δ = a − t
    expect(t.get("backward.dW.2.0.2")).toEqual(["backward.delta.2.0", "forward.a.1.2"]);
  });

  it("a batch's means read each example's gradient, and the update reads the means", () => {
    const batch = {
      ...classic,
      input: undefined,
      target: undefined,
      inputs: [
        [0.05, 0.1],
        [0.2, 0.4],
      ],
      targets: [
        [0.01, 0.99],
        [0.5, 0.5],
      ],
    };
    const r = readsOf(batch, "float");
    expect(r.get("backward.mean.dW.2.0.1")).toEqual(["example.0.backward.dW.2.0.1", "example.1.backward.dW.2.0.1"]);
    expect(r.get("loss.mean")).toEqual(["example.0.loss", "example.1.loss"]);
    expect(r.get("update.W.1.1.0")).toEqual(["given.weight.1.1.0", "backward.mean.dW.1.1.0", "given.learningRate"]);
    expect(r.get("example.1.forward.z.2.0")).toContain("example.1.forward.a.1.0");
  });

  it("the view's links are derived from them: units and edges of what a step reads", () => {
    const t = traceNetwork(tanhSoftmax, { precision: "exact" });
    const uses = networkUses(t);
    expect(uses.get("backward.dL/da.1.1")).toEqual({
      units: ["1.1", "2.0", "2.1"],
      edges: ["1.1>2.0", "1.1>2.1"],
      reads: ["backward.path.1.1.0", "backward.path.1.1.1"],
    });
    expect(uses.get("backward.da/dz.1.0")!.reads).toEqual(["forward.a.1.0"]);
    const relu = networkUses(traceNetwork({ ...classic, activations: ["relu", "sigmoid"] }, { precision: "exact" }));
    expect(relu.get("backward.da/dz.1.0")!.reads).toEqual(["forward.z.1.0"]);
    expect(uses.get("loss")!.units).toEqual(["2.0", "2.1"]);
  });
});
