// The engine defects of issue 11, each reproduced here: every test failed before its fix (a hang,
// a wrong number, an internal error or a stack overflow), and says what must hold instead.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  checkGraphCalculation,
  checkHandCalculation,
  ExpressionError,
  graphTrace,
  parseSpec,
  ShapeError,
  SpecError,
  traceNetwork,
  train,
} from "../src/index.js";
import { readValues } from "../src/cli/commands/graph.js";
import { D } from "../src/engine/numeric.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

describe("tanh of a huge argument in exact decimals", () => {
  it('graph "tanh(x)" x=1000000 is 1 with gradient 0 (it ran for minutes)', () => {
    const t = graphTrace("tanh(x)", { x: 1000000 }, "exact");
    expect(t.nodes.find((n) => n.id === t.output)!.value).toBe("1");
    expect(t.nodes.find((n) => n.id === "x")!.grad).toBe("0");
  });

  it("a network's tanh unit at z = 5·10⁶ saturates (it hung), and tanh below the cut-off keeps its digits", () => {
    const spec = {
      layers: [1, 1, 1],
      activations: ["tanh", "sigmoid"],
      loss: "half_sse",
      weights: [[[5000000]], [[0.5]]],
      biases: [0, 0],
      input: [1],
      target: [1],
      learningRate: 0.1,
    };
    const t = traceNetwork(spec, { precision: "exact" });
    expect(t.forward.a[1]).toEqual(["1"]);
    expect(t.steps.find((s) => s.id === "backward.da/dz.1.0")!.value).toBe("0");
    // tanh(20) = 1 − 8.5e-18…: not cut short
    const g = graphTrace("tanh(x)", { x: 20 }, "exact");
    expect(g.nodes.find((n) => n.id === g.output)!.value).toMatch(/^0\.99999999999999999150/);
  });
});

describe("Nesterov's loss history", () => {
  it("is taken at the parameters, not at the look-ahead point: each epoch's loss is the loss after the epochs before it", () => {
    const opts = { optimizer: "nesterov", learningRate: 5 } as const;
    const three = train(classic, { ...opts, epochs: 3, every: 1 });
    const after = (epochs: number) => train(classic, { ...opts, epochs }).final.loss;
    expect(three.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(three.history[0].loss).toBe(traceNetwork(classic, { precision: "float" }).loss);
    expect(three.history[1].loss).toBe(after(1));
    expect(Number(after(1))).toBeCloseTo(0.29102777369, 10);
    expect(three.history[2].loss).toBe(after(2));
  });
});

describe("names that are also Object.prototype's", () => {
  it.each(["toString", "constructor", "valueOf", "hasOwnProperty", "__proto__"])(
    "%s(x) is an unknown function, not an internal error",
    (f) => {
      expect(() => graphTrace(`${f}(x)`, { x: 1 })).toThrow(ExpressionError);
      expect(() => graphTrace(`${f}(x)`, { x: 1 })).toThrow(/is not a function the graph engine knows/);
    },
  );

  it("inputs called constructor, __proto__ and toString work, from the command line and in the checker", () => {
    const values = readValues(["constructor=1", "__proto__=3", "toString=2"]);
    expect(Object.keys(values).sort()).toEqual(["__proto__", "constructor", "toString"]);
    const t = graphTrace("constructor * 2 + __proto__ * toString", values);
    expect(t.nodes.find((n) => n.id === t.output)!.value).toBe("8");
    expect(t.nodes.find((n) => n.id === "__proto__")!.grad).toBe("2");
    const report = checkGraphCalculation(
      "f = constructor * __proto__",
      readValues(["constructor=1", "__proto__=3"]),
      JSON.parse('{"__proto__": "3", "constructor": "1", "f": "3"}'),
    );
    expect(report.rows.map((r) => r.verdict)).toEqual(["correct", "correct", "correct"]);
  });

  it("an input called n1 keeps its own node (generated ids skip the names used)", () => {
    const t = graphTrace("n1 * x + n2", { n1: 3, x: 2, n2: 1 });
    expect(new Set(t.nodes.map((n) => n.id)).size).toBe(t.nodes.length);
    expect(t.nodes.find((n) => n.id === t.output)!.value).toBe("7");
    expect(t.nodes.find((n) => n.id === "n1")!.grad).toBe("2");
  });
});

describe("deep and long inputs", () => {
  it("a spec nested 20,000 levels deep gets a message, not a stack overflow", () => {
    const deep = JSON.parse(`{"layers": ${"[".repeat(20000)}${"]".repeat(20000)}}`);
    expect(() => parseSpec(deep)).toThrow(SpecError);
    expect(() => parseSpec(deep)).toThrow(/^layers: expected unit counts .* got \[\[\[\[\[…\]\]\]\]\]/);
  });

  it("a sum of 5,000 terms is traced (no recursion)", () => {
    const t = graphTrace(Array(5000).fill("x").join(" + "), { x: 1 });
    expect(t.nodes.find((n) => n.id === t.output)!.value).toBe("5000");
    expect(t.nodes.find((n) => n.id === "x")!.grad).toBe("5000");
  });

  it("brackets nested beyond the stated 1,000 levels are refused with that limit", () => {
    expect(graphTrace(`${"(".repeat(1000)}x${")".repeat(1000)}`, { x: 2 }).output).toBe("x");
    expect(() => graphTrace(`${"(".repeat(5000)}x${")".repeat(5000)}`, { x: 2 })).toThrow(/more than 1000 levels deep/);
    expect(() => graphTrace(`${"-".repeat(20000)}x`, { x: 2 })).toThrow(ExpressionError);
  });

  it("a spec of 10⁶ units is refused up front with the limit", () => {
    const big = {
      layers: [1000000, 1],
      activations: ["sigmoid"],
      loss: "half_sse",
      input: [1],
      target: [1],
      learningRate: 0.1,
    };
    expect(() => parseSpec(big)).toThrow(ShapeError);
    expect(() => parseSpec(big)).toThrow(/1,000,001 weights and biases, more than the 100,000/);
    // training would draw initial weights first: it is refused before any are made
    expect(() => train({ ...big, init: "xavier" }, { epochs: 1 })).toThrow(/more than the 100,000/);
  });
});

describe("dp:N prints what it computed", () => {
  // 0.125 and −0.304 have more places than dp:2 writes
  const spec = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "half_sse",
    weights: [[[0.125]]],
    biases: [-0.304],
    input: [1],
    target: [1],
    learningRate: 0.5,
    updateBiases: false,
  };
  const t = traceNetwork(spec, { precision: "dp:2" });

  it("numbers of the spec are used and printed as given, computed ones to N places", () => {
    const z = t.steps.find((s) => s.id === "forward.z.1.0")!;
    expect(z.substituted).toBe("0.125 \\times 1 + (-0.304) \\times 1");
    expect(z.value).toBe("-0.18"); // −0.179 written to 2 places
    expect(t.update.biases).toEqual(["-0.304"]); // not updated: still the spec's −0.304
  });

  it("every update line's numbers give its value", () => {
    for (const s of t.steps.filter((x) => x.phase === "update")) {
      const [w, rest] = s.substituted.split(" - ");
      const [eta, g] = rest.split(" \\times ").map((x) => x.replace(/[()]/g, ""));
      expect(new D(w).minus(new D(eta).times(g)).toDecimalPlaces(2, D.ROUND_HALF_CEIL).toFixed(2), s.substituted).toBe(
        s.value,
      );
    }
    expect(t.steps.find((s) => s.id === "update.W.1.0.0")!.substituted).toMatch(/^0\.125 - 0\.5 \\times /);
  });

  it("dp:99 prints no zeros beyond the digits computed", () => {
    const wide = traceNetwork(classic, { precision: "dp:99" });
    for (const s of wide.steps) expect(new D(s.value).sd(), `${s.id} ${s.value}`).toBeLessThanOrEqual(40);
    expect(wide.steps.find((s) => s.key === "a_h1")!.value).toBe("0.5932699921071872551736545615794028154577");
  });
});

describe("answers with more digits than the exact value carries", () => {
  const aH1 = "0.59326999210718725517365456157940281545768372399366"; // 50 decimals, Python decimal at 80 digits
  it("a correct a_h1 typed with 50 decimals is correct (it was judged against 40 digits padded with zeros)", () => {
    const row = checkHandCalculation(classic, { a_h1: aH1 }).rows[0];
    expect(row.verdict).toBe("correct");
    expect(row.explanation).toMatch(/40 significant digits/);
  });
  it("and a wrong 40th decimal is not correct", () => {
    const wrong = `${aH1.slice(0, 41)}${aH1[41] === "9" ? "1" : "9"}${aH1.slice(42)}`;
    expect(checkHandCalculation(classic, { a_h1: wrong }).rows[0].verdict).not.toBe("correct");
  });
});
