// The formatters the notebook's derivation, the check reports, the exercises and the step-through
// view share (src/render/step-line.ts, src/render/verdict-words.ts): what they print for the lecture
// example's own steps, and the verdict words each place shows.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { traceNetwork } from "../src/engine/network.js";
import { graphTrace } from "../src/engine/graph.js";
import { rightHandSides, shortText, shortValue, stepLine } from "../src/render/step-line.js";
import { VERDICT_WORDS, verdictLabel } from "../src/render/verdict-words.js";
import { checkHandCalculation } from "../src/checking/check.js";
import { checkReportMarkdown } from "../src/render/check-report.js";
import { checkReportText } from "../src/cli/check-text.js";
import { exerciseBundle } from "../src/render/exercise.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
const exact = traceNetwork(classic, { precision: "exact" });
const rounded = traceNetwork(classic, { precision: "dp:4" });
const step = (t: typeof exact, key: string) => t.steps.find((s) => s.key === key)!;

describe("values as a hand calculation writes them", () => {
  it("cuts the exact ∂E/∂w5 = 0.0821670405… to 8 places (TeX and text) or 4 (the drawing's labels)", () => {
    const v = step(exact, "dE/dw5").value;
    expect(v.startsWith("0.08216704056423077884")).toBe(true);
    expect(shortValue(v)).toBe("0.08216704\\ldots");
    expect(shortText(v)).toBe("0.08216704…");
    expect(shortText(v, 4)).toBe("0.0821…");
  });

  it("leaves values with no more places than asked, whole numbers and negatives alone", () => {
    expect(shortValue("0.3775")).toBe("0.3775");
    expect(shortText("0.3775", 4)).toBe("0.3775");
    expect(shortText("-12")).toBe("-12");
    expect(shortText("-0.123456789")).toBe("-0.12345678…");
  });
});

describe("a step's line", () => {
  it("writes z_h1 = formula = numbers = 0.3775 (dp:4), each side once", () => {
    const z = step(rounded, "z_h1");
    expect(stepLine(z)).toBe(
      "z_{h1} &= w_{1} a_{i1} + w_{2} a_{i2} + b_{1} = 0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35 \\times 1 = 0.3775",
    );
  });

  it("writes the exact a_h1 with its value cut, and the graph's f = 3 · (−4) = −12", () => {
    expect(stepLine(step(exact, "a_h1"))).toBe(
      "a_{h1} &= \\sigma(z_{h1}) = \\frac{1}{1 + e^{-z_{h1}}} = \\frac{1}{1 + e^{-0.3775}} = 0.59326999\\ldots",
    );
    const f = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }).steps.find((s) => s.symbol === "f")!;
    expect(stepLine(f)).toBe("f &= q \\cdot z = 3 \\cdot (-4) = -12");
  });

  it("gives the view's sides: the formula alone until the numbers are seen, the value only when revealed", () => {
    const z = step(rounded, "z_h1");
    expect(rightHandSides(z, { formula: z.formula, numbers: "" })).toEqual([z.formula]);
    expect(rightHandSides(z, { formula: z.formula, numbers: z.substituted })).toEqual([z.formula, z.substituted]);
    expect(rightHandSides(z, { formula: z.formula, numbers: z.substituted, value: "0.3775" })).toEqual([
      z.formula,
      z.substituted,
      "0.3775",
    ]);
  });

  it("leaves out a side that repeats the symbol, or numbers that are the value itself", () => {
    const copy = { symbol: "y", formula: "y", substituted: "0.25", value: "0.25" };
    expect(rightHandSides(copy, { formula: copy.formula, numbers: copy.substituted, value: "0.25" })).toEqual(["0.25"]);
    expect(stepLine(copy)).toBe("y &= 0.25");
  });
});

describe("verdict words, one table for every place that shows them", () => {
  it("a mark and a word per verdict", () => {
    expect(Object.values(VERDICT_WORDS).map((w) => w.mark)).toEqual(["✓", "≈", "→", "✗", "…"]);
    expect(verdictLabel("correct")).toBe("✓ correct");
    expect(verdictLabel("rounding", { capital: true })).toBe("≈ Right up to rounding");
    expect(verdictLabel("wrong")).toBe("✗ wrong");
    expect(verdictLabel("wrong", { tryAgain: true })).toBe("✗ not right yet");
    expect(verdictLabel("correct", { tryAgain: true })).toBe("✓ correct");
  });

  it("the check report, the terminal and an exercise say the slide's 0.0820 for ∂E/∂w5 in those words", () => {
    const report = checkHandCalculation(classic, { z_h1: "0.3775", "dE/dw5": "0.0820" });
    const row = report.rows.find((r) => r.key === "dE/dw5")!;
    expect(row.verdict).toBe("wrong");
    expect(checkReportMarkdown(report)).toContain("| **✗ wrong (first error)** |");
    expect(checkReportText(report)).toMatch(/^∂E_total\/∂w_5 +0\.0820 +0\.08216704… +✗ wrong \(first error\)/m);
    expect(checkReportText(report)).toMatch(/^z_h1 +0\.3775 +0\.3775 +✓ correct/m);
    expect(exerciseBundle({ rows: report.rows, notes: [] })["text/plain"]).toContain(
      "dE/dw5 = 0.0820: ✗ not right yet.",
    );
  });
});
