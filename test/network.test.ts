// The classic 0.05/0.10 example (seed 001, Example 8) and the trace's structure.
// Reference values: the widely published figures quoted in the issue, and an independent
// 50-digit computation with Python's decimal module (not this engine), recorded here.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Decimal as BaseDecimal } from "decimal.js";
import { traceNetwork, type NetworkTrace, type Step } from "../src/index.js";

// the test's own arithmetic needs more than decimal.js's default 20 digits
const Decimal = BaseDecimal.clone({ precision: 60 });

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

/** `value` agrees with `expected` to all the digits `expected` gives (rounded half-up). */
function toDigits(value: string, expected: string): string {
  const places = expected.includes(".") ? expected.split(".")[1].length : 0;
  return new Decimal(value).toFixed(places, Decimal.ROUND_HALF_UP);
}

function stepByKey(trace: NetworkTrace, key: string): Step {
  const s = trace.steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key}`);
  return s;
}

describe("classic example, exact", () => {
  const t = traceNetwork(classic, { precision: "exact" });

  it("reproduces the published E_total and updated weights", () => {
    const published: [string, string][] = [
      ["w5+", "0.35891648"],
      ["w6+", "0.408666186"],
      ["w7+", "0.511301270"],
      ["w8+", "0.561370121"],
      ["w1+", "0.149780716"],
      ["w2+", "0.19956143"],
      ["w3+", "0.24975114"],
      ["w4+", "0.29950229"],
    ];
    expect(toDigits(t.loss, "0.298371109")).toBe("0.298371109");
    for (const [key, value] of published) expect(toDigits(stepByKey(t, key).value, value), key).toBe(value);
  });

  it("agrees with an independent 50-digit computation to 20 places", () => {
    const independent: [string, string][] = [
      ["z_o1", "1.10590596705977007736"],
      ["a_h1", "0.59326999210718725517"],
      ["a_o1", "0.75136506955231570796"],
      ["a_o2", "0.77292846532146258852"],
      ["E_total", "0.29837110876000268861"],
      ["delta_o1", "0.13849856162855696598"],
      ["delta_o2", "-0.03809823651655621653"],
      ["delta_h1", "0.00877135468948693454"],
      ["delta_h2", "0.00995425470521720143"],
      ["dE/db2", "0.10040032511200074945"],
      ["dE/db1", "0.01872560939470413597"],
      ["dE/dw5", "0.08216704056423077885"],
    ];
    for (const [key, value] of independent) expect(toDigits(stepByKey(t, key).value, value), key).toBe(value);
  });

  it("fills the spec's trace arrays with the right shapes", () => {
    expect(t.precision).toBe("exact");
    expect(t.forward.z[0]).toBeNull();
    expect(t.forward.a[0]).toEqual(["0.05", "0.1"]);
    expect(t.forward.z[1]).toEqual(["0.3775", "0.3925"]);
    expect(t.backward.delta[0]).toBeNull();
    expect(t.backward.dW.map((M) => M.map((r) => r.length))).toEqual([
      [2, 2],
      [2, 2],
    ]);
    // shared biases: one gradient per layer, and not updated (updateBiases: false)
    expect(typeof t.backward.db[0]).toBe("string");
    expect(t.update.biases).toEqual(["0.35", "0.6"]);
  });

  it("logs z_h1 with its formula, substituted numbers and value as the spec shows", () => {
    const s = stepByKey(t, "z_h1");
    expect(s).toMatchObject({
      id: "forward.z.1.0",
      phase: "forward",
      layer: 1,
      unit: 0,
      quantity: "z",
      symbol: "z_{h1}",
      value: "0.3775",
    });
    expect(s.formula).toBe("w_{1} a_{i1} + w_{2} a_{i2} + b_{1}");
    expect(s.substituted).toBe("0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35 \\times 1");
  });

  it("orders steps as a hand calculation: forward, loss, output gradients, hidden gradients, updates", () => {
    const phases = t.steps.map((s) => s.phase);
    const firstIndex = (p: string) => phases.indexOf(p as Step["phase"]);
    expect(firstIndex("forward")).toBe(0);
    expect(firstIndex("loss")).toBeGreaterThan(phases.lastIndexOf("forward"));
    expect(firstIndex("backward")).toBeGreaterThan(firstIndex("loss"));
    expect(firstIndex("update")).toBeGreaterThan(phases.lastIndexOf("backward"));
    const keys = t.steps.map((s) => s.key);
    expect(keys.indexOf("dE/dw5")).toBeLessThan(keys.indexOf("dE/da_h1"));
    expect(keys.indexOf("w5+")).toBeLessThan(keys.indexOf("w1+"));
  });

  it("gives backward steps their chain-rule factors, and hidden units the sum over both output paths", () => {
    const dw5 = stepByKey(t, "dE/dw5");
    expect(dw5.factors?.map((f) => toDigits(f.value, "0.0000"))).toEqual(["0.7414", "0.1868", "0.5933"]);
    const dah1 = stepByKey(t, "dE/da_h1");
    const paths = ["dE_o1/da_h1", "dE_o2/da_h1"].map((k) => new Decimal(stepByKey(t, k).value));
    expect(new Decimal(dah1.value).minus(paths[0].plus(paths[1])).abs().lt("1e-40")).toBe(true);
    expect(stepByKey(t, "dE_o1/da_h1").factors?.[1].value).toBe("0.4"); // ∂z_o1/∂a_h1 = w5
  });
});

describe("classic example, hand-rounded to 4 places (dp:4)", () => {
  const t = traceNetwork(classic, { precision: "dp:4" });
  const v = (key: string) => stepByKey(t, key).value;

  it("reproduces every slide value whose own arithmetic is consistent, digit for digit", () => {
    const slides: [string, string][] = [
      ["z_h1", "0.3775"],
      ["a_h1", "0.5933"],
      ["z_h2", "0.3925"],
      ["a_h2", "0.5969"],
      ["z_o1", "1.1059"],
      ["a_o1", "0.7514"],
      ["z_o2", "1.2249"],
      ["a_o2", "0.7729"],
      ["E_total", "0.2984"],
      ["dE/da_o1", "0.7414"],
      ["da_o1/dz_o1", "0.1868"],
      ["delta_o1", "0.1385"],
      ["dE_o1/da_h1", "0.0554"],
      ["dE_o2/da_h1", "-0.0190"],
      ["dE/da_h1", "0.0364"],
      ["da_h1/dz_h1", "0.2413"],
      ["dE/dw1", "0.0004"],
      ["w1+", "0.1498"],
      ["w2+", "0.1996"],
      ["w3+", "0.2498"],
      ["w4+", "0.2995"],
      ["w6+", "0.4087"],
      ["w7+", "0.5113"],
    ];
    for (const [key, value] of slides) expect(v(key), key).toBe(value);
  });

  it("documents the three slide values that no consistent rounding reproduces", () => {
    // The slide writes ∂E/∂w5 = 0.7414 × 0.1868 × 0.5933 = .0820, but that product is 0.08217 → 0.0822.
    expect(new Decimal("0.7414").times("0.1868").times("0.5933").toFixed(4)).toBe("0.0822");
    expect(v("dE/dw5")).toBe("0.0822");
    // Its w5+ = 0.40 − 0.5 × 0.0820 = 0.3590 follows from that slip; from 0.0822 it is 0.3589.
    expect(v("w5+")).toBe("0.3589");
    // The slide's w8+ = 0.5617 would need ∂E/∂w8 = −0.0234; the chain gives −0.0227 (exact −0.02274), so w8+ = 0.5614.
    expect(v("dE/dw8")).toBe("-0.0227");
    expect(v("w8+")).toBe("0.5614");
  });

  it("rounds ties towards +infinity, which is what makes the slide's -0.0190 come out", () => {
    // δ_o2 = −0.0381 and w7 = 0.5: the product −0.01905 is a tie.
    expect(v("delta_o2")).toBe("-0.0381");
    expect(v("dE_o2/da_h1")).toBe("-0.0190");
  });

  it("shows numbers at 4 places in the substituted formulas", () => {
    expect(stepByKey(t, "dE/dw5").substituted).toBe("0.7414 \\times 0.1868 \\times 0.5933");
    expect(stepByKey(t, "a_h1").substituted).toBe("\\frac{1}{1 + e^{-0.3775}}");
  });
});

describe("the same calculation in every notation", () => {
  it("names the same quantities differently and computes the same numbers", () => {
    const base = traceNetwork(classic, { precision: "exact" });
    const expected: Record<string, [string, string]> = {
      bracket: ["z^[1]_1", "z^{[1]}_{1}"],
      paren: ["z_1^(1)", "z_{1}^{(1)}"],
      aima: ["in_3", "in_{3}"],
      names: ["z_h1", "z_{h1}"],
    };
    for (const [notation, [key, symbol]] of Object.entries(expected)) {
      const t = traceNetwork(classic, { precision: "exact", notation: notation as "bracket" });
      expect(t.steps[0].key, notation).toBe(key);
      expect(t.steps[0].symbol, notation).toBe(symbol);
      expect(t.steps.map((s) => s.value)).toEqual(base.steps.map((s) => s.value));
    }
  });
});

describe("batches, softmax and biases", () => {
  it("averages per-example gradients over a batch and reports each example", () => {
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
    };
    const t = traceNetwork(spec, { precision: "exact" });
    expect(t.examples).toHaveLength(2);
    const one = (x: number[], y: number[]) => traceNetwork({ ...classic, input: x, target: y }, { precision: "exact" });
    const a = one([0.05, 0.1], [0.01, 0.99]),
      b = one([0.1, 0.05], [0.99, 0.01]);
    const mean = new Decimal(a.backward.dW[1][0][0]).plus(b.backward.dW[1][0][0]).div(2);
    expect(new Decimal(t.backward.dW[1][0][0]).minus(mean).abs().lt("1e-40")).toBe(true);
    expect(new Decimal(t.loss).minus(new Decimal(a.loss).plus(b.loss).div(2)).abs().lt("1e-40")).toBe(true);
    expect(t.steps.some((s) => s.id === "example.1.forward.z.1.0")).toBe(true);
  });

  it("gives softmax with cross-entropy delta = a - t, equal to the full Jacobian chain", () => {
    const spec = {
      layers: [2, 3],
      activations: ["softmax"],
      loss: "cross_entropy",
      weights: [
        [
          [0.1, -0.2],
          [0.3, 0.4],
          [-0.5, 0.2],
        ],
      ],
      biases: [[0.1, 0, -0.1]],
      input: [1, 2],
      target: [0, 1, 0],
    };
    const t = traceNetwork(spec, { precision: "exact" });
    // independent: z = W x + b = (−0.2, 1.1, −0.2), softmax by hand
    const z = [-0.2, 1.1, -0.2];
    const e = z.map(Math.exp),
      s = e.reduce((x, y) => x + y);
    const a = e.map((x) => x / s);
    t.forward.a[1].forEach((v, j) => expect(Number(v)).toBeCloseTo(a[j], 14));
    t.backward.delta[1]!.forEach((d, j) => expect(Number(d)).toBeCloseTo(a[j] - [0, 1, 0][j], 14));
  });

  it("updates per-unit biases when updateBiases is true", () => {
    const spec = {
      ...classic,
      biases: [
        [0.35, 0.35],
        [0.6, 0.6],
      ],
      updateBiases: true,
    };
    const t = traceNetwork(spec, { precision: "exact" });
    // b_o1+ = 0.6 − 0.5 δ_o1 (δ_o1 from the independent computation above)
    expect(toDigits((t.update.biases[1] as string[])[0], "0.000000000")).toBe(
      new Decimal("0.6").minus(new Decimal("0.13849856162855696598").times("0.5")).toFixed(9),
    );
  });
});

describe("a float overflow in a trace is an error naming the step", () => {
  it("input 1e300 through identity: the squared error overflows at the loss step", () => {
    // before: the trace printed "loss": "Infinity"
    const spec = {
      layers: [1, 1],
      activations: ["identity"],
      loss: "half_sse",
      weights: [[[0.5]]],
      biases: [[0]],
      input: [1e300],
      target: [0],
    };
    expect(() => traceNetwork(spec, { precision: "float" })).toThrow(
      "step L (loss): is Infinity: it overflowed the double range (±1.8e308). use smaller inputs or weights, or exact precision, whose decimals do not overflow.",
    );
    // exact decimals hold it: 0.5 · (0.5e300)² = 1.25e599
    expect(traceNetwork(spec, { precision: "exact" }).loss).toBe("1.25e+599");
  });

  it("an overflowing z names its layer and unit", () => {
    const spec = {
      layers: [2, 2, 1],
      activations: ["sigmoid", "identity"],
      loss: "half_sse",
      weights: [
        [
          [1, 1],
          [1e300, 1e300],
        ],
        [[1, 1]],
      ],
      biases: [[0, 0], [0]],
      input: [1e300, 1],
      target: [0],
    };
    expect(() => traceNetwork(spec, { precision: "float" })).toThrow(
      /^step z\^\[1\]_2 \(z, layer 1, unit 1\): is Infinity: it overflowed the double range/,
    );
  });
});

describe("values only (the checker's scans)", () => {
  it("gives the same replaced values as a full trace, and writes no steps", async () => {
    const { traceWithReplaced } = await import("../src/engine/network.js");
    const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
    // a student's slip at z_h1 and at delta_o1: every later step is recomputed from them
    const overrides = { "forward.z.1.0": "0.3776", "backward.delta.2.0": "0.2" };
    for (const precision of ["float", "exact", "dp:4"]) {
      const full = traceWithReplaced(classic, { precision, overrides });
      const quick = traceWithReplaced(classic, { precision, overrides, valuesOnly: true });
      expect(Object.keys(full.replaced).sort()).toEqual(["backward.delta.2.0", "forward.z.1.0"]);
      expect(quick.replaced).toEqual(full.replaced);
      expect(quick.trace.update).toEqual(full.trace.update);
      expect(quick.trace.steps).toEqual([]);
      expect(full.trace.steps.length).toBeGreaterThan(40);
    }
  });
});
