// The math and its narration are apart: network.ts computes and names each step by its id, and
// narration.ts alone writes the TeX. A hidden unit with one downstream path writes its ∂L/∂a as
// the product its formula names (δ × w), not a lone number (notebook 09's −δ₁⁽³⁾ w₁₁⁽²⁾ = (−0.0238)).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { traceNetwork } from "../src/index.js";
import { backwardPass, exampleLoss, forwardPass, instantiate } from "../src/engine/network.js";
import { floatArith } from "../src/engine/numeric.js";
import { parseSpec } from "../src/engine/spec.js";
import type { Recorder } from "../src/engine/recorder.js";
import type { NetworkStepIdRecord } from "../src/engine/step-id.js";

const source = (f: string) => readFileSync(new URL(`../src/engine/${f}`, import.meta.url), "utf8");

describe("network.ts is the math only", () => {
  it("has no TeX and no notation in it", () => {
    const code = source("network.ts")
      .replace(/\/\/.*$/gm, "")
      .replace(/\/\*[\s\S]*?\*\//g, "");
    expect(code).not.toMatch(/\\\\[a-zA-Z]/); // no \\frac, \\times, \\delta ...
    expect(code).not.toMatch(/\.tex\b|(?<!\.)\bderivative\(|wrapNegative/);
  });

  it("each pass hands every quantity to the recorder once, by its id, in the order a hand calculation writes it", () => {
    const spec = parseSpec(JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8")));
    const A = floatArith;
    const net = instantiate(A, spec);
    const seen: string[] = [];
    const rec: Recorder<number> = {
      step: (id: NetworkStepIdRecord, v: number) => {
        seen.push(`${id.phase}.${"quantity" in id ? id.quantity : ""}`);
        return v;
      },
    };
    const x = spec.examples[0].input.map(Number),
      t = spec.examples[0].target.map(Number);
    const fwd = forwardPass(net, x, rec);
    exampleLoss(net, fwd.a[2], t, rec);
    backwardPass(net, fwd, t, rec);
    const trace = traceNetwork(spec, { precision: "float" });
    expect(seen).toEqual(
      trace.steps.filter((s) => s.phase !== "update").map((s) => `${s.phase}.${s.phase === "loss" ? "" : s.quantity}`),
    );
  });
});

describe("a product is substituted as a product", () => {
  const spec = {
    layers: [2, 1, 1],
    activations: ["sigmoid", "sigmoid"],
    loss: "half_sse",
    weights: [[[0.1, 0.2]], [[0.3]]],
    biases: [0.1, 0.2],
    input: [0.5, -0.2],
    target: [1],
    learningRate: 0.5,
  };
  it.each(["names", "bracket", "paren", "paren1", "aima"] as const)(
    "%s: one downstream path writes δ × w, in every precision",
    (notation) => {
      for (const precision of ["exact", "dp:4", "float"]) {
        const t = traceNetwork(spec, { precision, notation });
        const s = t.steps.find((x) => x.id === "backward.dL/da.1.0")!;
        const delta = t.steps.find((x) => x.id === "backward.delta.2.0")!;
        expect(s.formula.split(" + ")).toHaveLength(1);
        expect(s.substituted, `${notation} ${precision}`).toMatch(/ \\times 0\.3$/);
        expect(Number(s.substituted.split(" \\times ")[0].replace(/[()]/g, ""))).toBeCloseTo(Number(delta.value), 4);
      }
    },
  );
});
