// Step ids are a public contract: every id a trace or a graph emits is built by stepId, reads back
// with parseStepId to the step it names, and malformed ids are refused rather than half-read.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  GraphRecorder,
  Value,
  graphTrace,
  parseStepId,
  requireStepId,
  stepId,
  traceNetwork,
  TutorError,
  type StepIdRecord,
} from "../src/index.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

describe("stepId and parseStepId", () => {
  const cases: [StepIdRecord, string][] = [
    [{ phase: "forward", quantity: "z", layer: 1, unit: 0 }, "forward.z.1.0"],
    [{ phase: "forward", quantity: "a", layer: 2, unit: 1, example: 3 }, "example.3.forward.a.2.1"],
    [{ phase: "loss" }, "loss"],
    [{ phase: "loss", example: 0 }, "example.0.loss"],
    [{ phase: "loss", mean: true }, "loss.mean"],
    [{ phase: "backward", quantity: "dL/da", layer: 2, unit: 0 }, "backward.dL/da.2.0"],
    [{ phase: "backward", quantity: "da/dz", layer: 1, unit: 1 }, "backward.da/dz.1.1"],
    [{ phase: "backward", quantity: "delta", layer: 1, unit: 1 }, "backward.delta.1.1"],
    [{ phase: "backward", quantity: "path", layer: 1, unit: 0, other: 1 }, "backward.path.1.0.1"],
    [{ phase: "backward", quantity: "dW", layer: 2, unit: 0, other: 1 }, "backward.dW.2.0.1"],
    [{ phase: "backward", quantity: "db", layer: 2, unit: 1 }, "backward.db.2.1"],
    [{ phase: "backward", quantity: "db", layer: 2, unit: null }, "backward.db.2"],
    [{ phase: "backward", quantity: "dW", layer: 1, unit: 0, other: 0, mean: true }, "backward.mean.dW.1.0.0"],
    [{ phase: "backward", quantity: "db", layer: 1, unit: null, mean: true }, "backward.mean.db.1"],
    [{ phase: "update", quantity: "W", layer: 2, unit: 1, other: 0 }, "update.W.2.1.0"],
    [{ phase: "update", quantity: "b", layer: 1, unit: null }, "update.b.1"],
    [{ phase: "update", quantity: "b", layer: 1, unit: 2 }, "update.b.1.2"],
    [{ phase: "given", quantity: "input", unit: 1 }, "given.input.1"],
    [{ phase: "given", quantity: "weight", layer: 2, unit: 0, other: 1 }, "given.weight.2.0.1"],
    [{ phase: "given", quantity: "bias", layer: 2, unit: 1 }, "given.bias.2.1"],
    [{ phase: "given", quantity: "bias", layer: 1, unit: null }, "given.bias.1"],
    [{ phase: "given", quantity: "target", unit: 0 }, "given.target.0"],
    [{ phase: "given", quantity: "learningRate" }, "given.learningRate"],
    [{ phase: "forward", node: "q" }, "forward.q"],
    [{ phase: "backward", node: "n3" }, "backward.n3"],
    [{ phase: "given", node: "x" }, "given.x"],
    [{ phase: "forward", node: "z" }, "forward.z"],
    [{ phase: "edge", from: "x", to: "n1", operand: 0 }, "edge.x.n1.0"],
  ];
  it.each(cases)("%j is %s and reads back", (record, id) => {
    expect(stepId(record)).toBe(id);
    expect(parseStepId(id)).toEqual(record);
  });

  it.each([
    "",
    "forward",
    "forward.z.1",
    "forward.z.1.0.2",
    "forward.w.1.0",
    "forward.z.-1.0",
    "forward.z.01.0",
    "forward.z.1.x",
    "example.forward.z.1.0",
    "example.1.update.W.1.0.0",
    "example.1.loss.mean",
    "example.1.forward.q",
    "loss.total",
    "backward.mean.delta.1.0",
    "backward.mean.mean.dW.1.0.0",
    "backward.db.1.2.3",
    "update.W.1.0",
    "given.weight.1.0",
    "edge.x.n1",
    "edge.x.n1.a",
    "backward.path.1.0",
    "forward.z.1.0 ",
  ])("%j is not a step id", (id) => {
    expect(parseStepId(id)).toBeUndefined();
    expect(() => requireStepId(id, "overrides")).toThrow(TutorError);
  });

  it("a malformed id's error names where it came from and what ids look like", () => {
    expect(() => requireStepId("forward.z", "overrides")).not.toThrow();
    expect(() => requireStepId("forward.z.1", "overrides")).toThrow(
      /^overrides: "forward.z.1" is not a step id\. step ids read like "forward\.z\.1\.0"/,
    );
  });
});

describe("every id a real trace emits", () => {
  const reads = (id: string) => {
    const r = parseStepId(id);
    expect(r, id).toBeDefined();
    expect(stepId(r!)).toBe(id);
    return r!;
  };

  it("classic example: each step's id reads back to its own phase, layer, unit and other unit", () => {
    const t = traceNetwork(classic, { precision: "dp:4" });
    expect(t.steps.length).toBeGreaterThan(30);
    for (const s of t.steps) {
      const r = reads(s.id);
      expect(r.phase).toBe(s.phase);
      if ("layer" in r) expect(r.layer).toBe(s.layer);
      if ("unit" in r) expect(r.unit).toBe(s.unit);
      if ("other" in r) expect(r.other).toBe(s.other);
    }
  });

  it("a batch with shared biases: per-example ids, the means and the shared bias ids", () => {
    const spec = {
      ...classic,
      input: undefined,
      target: undefined,
      inputs: [
        [0.05, 0.1],
        [0.1, 0.05],
      ],
      targets: [
        [0.01, 0.99],
        [0.99, 0.01],
      ],
      updateBiases: true,
    };
    const t = traceNetwork(spec, { precision: "exact" });
    const ids = t.steps.map((s) => s.id);
    for (const id of ids) reads(id);
    expect(ids).toContain("example.1.forward.z.2.1");
    expect(ids).toContain("loss.mean");
    expect(ids).toContain("backward.mean.db.2");
    expect(ids).toContain("update.b.2");
    for (const s of t.steps.filter((x) => x.example !== undefined))
      expect(reads(s.id)).toMatchObject({ example: s.example });
  });

  it("a computation graph: node steps and edges, x * x's two edges apart", () => {
    const g = graphTrace("q = x * x; f = q + y", { x: 3, y: 1 });
    for (const s of g.steps) expect(reads(s.id)).toEqual({ phase: s.phase, node: s.node });
    const edgeIds = g.edges.map((e) => e.id);
    expect(new Set(edgeIds).size).toBe(edgeIds.length);
    expect(edgeIds).toEqual(["edge.x.n1.0", "edge.x.n1.1", "edge.n1.n2.0", "edge.y.n2.1"]);
    for (const e of g.edges) expect(reads(e.id)).toMatchObject({ phase: "edge", from: e.from, to: e.to });
  });
});

describe("the autograd recorder's edges", () => {
  it("have ids too, one per operand, x * x's two apart", () => {
    const rec = new GraphRecorder();
    const x = rec.record(() => new Value(3));
    const out = rec.record(() => {
      const y = x.mul(x).add(x).tanh();
      y.backward();
      return y;
    });
    const t = rec.toTrace(out, new Map([[x, "x"]]));
    const ids = t.edges.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of t.edges) expect(parseStepId(e.id)).toMatchObject({ phase: "edge", from: e.from, to: e.to });
    expect(ids.filter((id) => /^edge\.v0\.v1\./.test(id)).sort()).toEqual(["edge.v0.v1.0", "edge.v0.v1.1"]);
  });
});

describe("overrides are keyed by step ids", () => {
  it("an override whose key is not a step id is refused, not silently ignored", () => {
    expect(() => traceNetwork(classic, { overrides: { "forward.z.1": "0.5" } })).toThrow(
      /overrides: "forward.z.1" is not a step id/,
    );
    const t = traceNetwork(classic, {
      precision: "dp:4",
      overrides: { [stepId({ phase: "forward", quantity: "z", layer: 1, unit: 0 })]: "0.5" },
    });
    expect(t.forward.z[1]![0]).toBe("0.5000");
  });
});
