// Issue 12 item 2: the chain rule is never written as a tautology. Every backward line of every
// graph (notebook 04's (x + y) z and sigmoid gate, the CLI's graph) is upstream × local with the
// local derivative as its own expression, ∂f/∂z = ∂f/∂f · ∂(q·z)/∂z = 1 · q = 1 × 3 = 3 (as CS231n
// writes it), and no step of any graph or network, in any precision or notation, contains its own symbol.
import { describe, expect, it } from "vitest";
import katex from "katex";
import { readFileSync } from "node:fs";
import { graphTrace, NOTATION_PRESETS, stepLine, traceNetwork } from "../src/index.js";
import { graphMarkdown } from "../src/cli/commands/graph.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
const GRAPHS: [string, Record<string, number>][] = [
  ["q = x + y; f = q * z", { x: -2, y: 5, z: -4 }],
  ["L = sigmoid(w0*x0 + w1*x1 + w2)", { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 }],
  ["f = x * y + x", { x: 3, y: -5 }],
  ["f = exp(x) / (1 + tanh(x * x))", { x: 0.5 }],
];
const PRECISIONS = ["exact", "float", "dp:4"];

describe("the chain rule in graphs", () => {
  it("∂f/∂z = ∂f/∂f · ∂(q·z)/∂z = 1 · q = 1 × 3 = 3", () => {
    const formula =
      "\\frac{\\partial f}{\\partial f} \\cdot \\frac{\\partial \\left(q \\cdot z\\right)}{\\partial z} = 1 \\cdot q";
    const dz = (precision: string) =>
      graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, precision).steps.find((s) => s.id === "backward.z")!;
    expect(stepLine(dz("exact"))).toBe(`\\frac{\\partial f}{\\partial z} &= ${formula} = 1 \\times 3 = 3`);
    expect(stepLine(dz("dp:4"))).toBe(
      `\\frac{\\partial f}{\\partial z} &= ${formula} = 1.0000 \\times 3.0000 = 3.0000`,
    );
    expect(dz("float").formula).toBe(formula);
  });

  it("the sigmoid gate's first line is ∂L/∂L times the gate's own derivative, σ(1 − σ) in the output's name", () => {
    const t = graphTrace("L = sigmoid(s)", { s: 1 });
    expect(t.steps.find((s) => s.id === "backward.s")!.formula).toBe(
      "\\frac{\\partial L}{\\partial L} \\cdot \\frac{\\partial \\left(\\frac{1}{1 + e^{-s}}\\right)}{\\partial s} = 1 \\cdot \\left(L(1 - L)\\right)",
    );
  });

  it.each(GRAPHS)(
    "%s: no backward line contains its own symbol, in any precision, and the CLI prints the same",
    (expr, values) => {
      for (const precision of PRECISIONS) {
        const t = graphTrace(expr, values, precision);
        const backward = t.steps.filter((s) => s.phase === "backward");
        expect(backward.length).toBeGreaterThan(0);
        for (const s of backward) {
          expect(s.formula, `${expr} ${s.id}`).not.toContain(s.symbol);
          expect(
            () => katex.renderToString(stepLine(s).replace("&=", "="), { throwOnError: true, strict: "ignore" }),
            s.formula,
          ).not.toThrow();
          // upstream × local, then the same with each local derivative written out
          const [symbolic, expressions] = s.formula.split(" = ");
          expect(symbolic.match(/\\cdot \\frac\{\\partial/g)?.length, s.id).toBe(
            expressions.match(/ \\cdot /g)?.length,
          );
        }
        const md = graphMarkdown(t, expr);
        for (const s of backward) expect(md).toContain(s.formula);
      }
    },
  );
});

describe("no network step is written in terms of itself", () => {
  it.each(NOTATION_PRESETS)("%s notation, every precision", (notation) => {
    for (const precision of PRECISIONS) {
      for (const s of traceNetwork(classic, { precision, notation }).steps) {
        expect(s.formula, `${notation} ${precision} ${s.id}`).not.toContain(s.symbol);
      }
    }
  });
});
