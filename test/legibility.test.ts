// Legibility (issue 12, item 4) and the notebooks' wording: drawings keep their size (labels of
// at least 11 px) and scroll, numbers do not wrap in table cells, log-scale bars stay on their
// axis, function plots name their axes, TeX-like table headers are typeset, and no notebook cites
// a lecture-notes file ("seed 003") that students do not have.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  barsSpec,
  functionsSpec,
  graphBundle,
  graphTrace,
  heatmapSpec,
  linesSpec,
  tableBundle,
  vegaLiteSvg,
} from "../src/index.js";

const MD = join(import.meta.dirname, "..", "notebooks", "md");
const sources = readdirSync(MD)
  .filter((f) => f.endsWith(".md"))
  .map((f) => ({ name: f, text: readFileSync(join(MD, f), "utf8") }));

describe("drawings", () => {
  it("a wide graph keeps its size (no label under 11 px) and scrolls instead of shrinking", async () => {
    // notebook 03's logistic-regression graph, the widest of the notebooks
    const t = graphTrace("z = w1*x1 + w2*x2 + w3*x3 + b; a = sigmoid(z); L = -(y*log(a) + (1 - y)*log(1 - a))", {
      w1: 0.5,
      w2: -0.3,
      w3: 0.8,
      b: 1,
      x1: 1,
      x2: 2,
      x3: -1,
      y: 1,
    });
    const html = (await graphBundle(t))["text/html"]!;
    expect(html).toMatch(/<div class="bpt-figure" style="overflow-x:auto[^"]*"[^>]*>/);
    expect(html).toMatch(/<svg style="max-width:none;height:auto"/);
    expect(html).toMatch(/<img style="max-width:none;height:auto"/); // the untrusted fallback too
    // Graphviz sizes text in points (1 pt = 4/3 px at 100 % zoom)
    const sizes = [...html.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]) * (4 / 3));
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  });
});

describe("tables and plots", () => {
  it("a number never wraps inside a cell", () => {
    const html = tableBundle(["ε", "relative error"], [["1e-4", "1.455e-11"]])["text/html"]!;
    expect(html).toMatch(/<td style="[^"]*white-space:nowrap[^"]*">1.455e-11<\/td>/);
  });

  it("log-scale bars start at the axis's base, not below it (07's vanishing layer 8, 14)", async () => {
    const spec = barsSpec(
      [
        { label: "layer 1", value: 0.15 },
        { label: "layer 8", value: 3e-7 },
      ],
      { logY: true, yTitle: "mean |dL/dW|" },
    );
    const enc = spec.encoding as { y: { scale: { domain: number[] } }; y2: { datum: number } };
    expect(enc.y.scale.domain).toEqual([1e-7, 1]);
    expect(enc.y2.datum).toBe(1e-7);
    const svg = await vegaLiteSvg(spec);
    // every bar stays inside the plot (260 px high): its top at or below 0, its bottom at or above 260
    const bars = [
      ...svg.matchAll(/<path[^>]*aria-roledescription="bar"[^>]*d="M([-\d.]+),([-\d.]+)h([-\d.]+)v([-\d.]+)/g),
    ].map((m) => [Number(m[2]), Number(m[2]) + Number(m[4])]);
    expect(bars.length).toBe(2);
    for (const [a, b] of bars) {
      expect(Math.min(a, b)).toBeGreaterThanOrEqual(-0.5);
      expect(Math.max(a, b)).toBeLessThanOrEqual(260 + 0.5);
    }
  });

  it("a log axis writes its ticks in one style: 1e-6 and 1e-7 below 0.001, 0.01 and 1 above", async () => {
    // a gradient-norm curve falling from 1 to 1e-7 over eight layers, as notebook 12 draws one
    const x = Array.from({ length: 8 }, (_, i) => i + 1);
    const svg = await vegaLiteSvg(
      linesSpec([{ name: "mean |dL/dW|", x, y: x.map((i) => 10 ** (1 - i)) }], { logY: true }),
    );
    const ticks = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)]
      .map((m) => m[1])
      .filter((t) => /^[\d.e+-]+$/.test(t));
    expect(ticks).toEqual(expect.arrayContaining(["1e-7", "1e-6", "0.01", "1"]));
    expect(ticks.filter((t) => /^0\.000/.test(t))).toEqual([]); // never 0.000001 beside 1e-7
  });

  it("a confusion matrix writes its class names level, its axis title right under them (15's iris matrix)", async () => {
    const species = ["setosa", "versicolor", "virginica"];
    const spec = heatmapSpec(
      [
        [15, 0, 0],
        [0, 14, 1],
        [0, 2, 13],
      ],
      species,
      species,
      { rowTitle: "true species", colTitle: "predicted species" },
    );
    const svg = await vegaLiteSvg(spec);
    const textY = (t: string) => Number(new RegExp(`translate\\([-\\d.]+,([-\\d.]+)\\)[^>]*>${t}<`).exec(svg)?.[1]);
    // the labels' row and the title under it: at most two lines of 11 px text apart, not a label's length
    expect(textY("predicted species") - textY("versicolor")).toBeLessThan(30);
    expect(spec.width).toBe(spec.height); // square cells, wide enough for "versicolor"
  });

  it("function plots name their quantities on the axes", () => {
    const spec = functionsSpec([{ name: "−log ŷ", f: (p) => -Math.log(p) }], [0.01, 0.99], {
      xTitle: "prediction ŷ",
      yTitle: "loss",
    });
    const enc = spec.encoding as { x: { title: string }; y: { title: string } };
    expect([enc.x.title, enc.y.title]).toEqual(["prediction ŷ", "loss"]);
  });
});

describe("the notebooks", () => {
  it("every plotFunctions call names its axes", () => {
    for (const { name, text } of sources) {
      for (const m of text.matchAll(/plotFunctions\(([\s\S]*?)\);\n/g))
        expect(m[1], name).toMatch(/xTitle:[\s\S]*yTitle:/);
    }
  });

  it("table headers written in TeX (x^{(2)}, z_1^(2)) are typeset: the call says mathHeaders", () => {
    for (const { name, text } of sources) {
      for (const m of text.matchAll(/showTable\(\[([\s\S]*?")\]\s*,([\s\S]*?)(?=\n(?:[A-Za-z/]|```))/g)) {
        if (/\^[({[]|_\{|_\d\^/.test(m[1]))
          expect(m[2], `${name}: showTable([${m[1].slice(0, 60)}…`).toContain("mathHeaders: true");
      }
    }
  });

  it("no notebook cites a seed file (students have the lecture, not the files)", () => {
    for (const { name, text } of sources) expect(text, name).not.toMatch(/\bseeds? \d{3}/i);
  });
});

describe("answer templates", () => {
  it("fit the cell: one key per line, no line wider than 100 characters, no answer hidden behind //", () => {
    for (const { name, text } of sources) {
      for (const m of text.matchAll(/```typescript\n([\s\S]*?)\n```/g)) {
        if (!m[1].includes("checkExercise(")) continue;
        for (const line of m[1].split("\n")) {
          expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(100);
          expect(line, name).not.toMatch(/^\s*\/\/.*:\s*"/); // a commented-out template line
        }
      }
    }
  });
});
