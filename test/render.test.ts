// The renderers on real traces: the derivation's KaTeX source carries the substituted numbers,
// the graph drawing every value and gradient, the comparison the drift, every display its
// fallbacks; user text never becomes markup.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  checkBundle,
  checkHandCalculation,
  comparisonBundle,
  compareTraces,
  derivationBundle,
  graphBundle,
  graphDot,
  graphTrace,
  mathBundle,
  networkBundle,
  networkDot,
  plotBundle,
  linesSpec,
  decisionSpec,
  barsSpec,
  vegaLiteSvg,
  stepLine,
  tableBundle,
  traceNetwork,
  traceTablesBundles,
} from "../src/index.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
const rounded = traceNetwork(classic, { precision: "dp:4" });
const exact = traceNetwork(classic, { precision: "exact" });
const fallbackOf = (html: string) => html.slice(html.indexOf('<div class="bpt-fallback">'));

describe("the derivation", () => {
  it("writes z_h1 as symbol = formula = numbers = value", () => {
    const z = rounded.steps.find((s) => s.key === "z_h1")!;
    expect(stepLine(z)).toBe(
      "z_{h1} &= w_{1} a_{i1} + w_{2} a_{i2} + b_{1} = 0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35 \\times 1 = 0.3775",
    );
  });
  it("groups the lecture's way, with the TeX source (0.3775 and the chain 0.7414 × 0.1868 × 0.5933) in the fallback", () => {
    const b = derivationBundle(rounded);
    const html = b["text/html"]!;
    for (const title of [
      "Forward pass, layer 1",
      "Forward pass, layer 2 (output)",
      "The error",
      "Output layer: gradients",
      "Hidden layer 1: gradients",
      "The updates",
    ])
      expect(html).toContain(title);
    const tex = fallbackOf(html);
    expect(tex).toContain("0.15 \\times 0.05 + 0.2 \\times 0.1 + 0.35 \\times 1 = 0.3775");
    expect(tex).toContain("0.7414 \\times 0.1868 \\times 0.5933 = 0.0822");
    // the hidden unit sums over both output paths
    expect(tex).toContain(
      "\\frac{\\partial E_{total}}{\\partial a_{h1}} &amp;= \\delta_{o1} w_{5} + \\delta_{o2} w_{7} = 0.0554 + (-0.0190) = 0.0364",
    );
    expect(html).toContain('class="katex"');
    expect(b["text/plain"]).toContain("z_h1 = 0.3775");
  });
  it("cuts long exact values with an ellipsis", () => {
    expect(fallbackOf(derivationBundle(exact)["text/html"]!)).toContain("= 0.29837110\\ldots");
  });
});

describe("tables and the exact-versus-rounded comparison", () => {
  it("lists z, a and δ per unit, gradients and updates per weight", () => {
    const [layer1, , weights] = traceTablesBundles(rounded);
    expect(layer1["text/plain"]).toContain("h1    0.3775  0.5933  0.0088");
    expect(weights["text/plain"]).toContain("dE/dw5    0.0822   w5+      0.3589");
    expect(layer1["text/html"]).toContain("\\(a_{h1}\\)"); // the TeX fallback cell
  });
  it("flags where the 4-place chain drifts beyond rounding: dE/da_h2 and delta_h2", () => {
    expect(
      compareTraces(exact, rounded)
        .filter((r) => r.drifted)
        .map((r) => [r.key, r.drift]),
    ).toEqual([
      ["dE/da_h2", "0.0000703"],
      ["delta_h2", "0.0000543"],
    ]);
    expect(comparisonBundle(exact, rounded)["text/html"]).toContain("background:#fff3cd");
  });
});

describe("drawings", () => {
  it("the (x + y) z graph shows every node's value and gradient and each edge's product", async () => {
    const g = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: -4 });
    const b = await graphBundle(g);
    const svg = b["image/svg+xml"]!;
    for (const n of g.nodes) {
      // Graphviz writes a minus sign as &#45;
      expect(svg).toContain(`>${n.value.replace("-", "&#45;")}<`);
      expect(svg).toContain(`>${n.grad.replace("-", "&#45;")}<`);
    }
    expect(svg).toContain("1 × (&#45;4) = &#45;4");
    expect(b["text/html"]).toContain("data:image/svg+xml;base64,"); // the untrusted fallback
  });
  it("the network forward (weights, activations) and backward (deltas, gradients)", async () => {
    expect(networkDot(rounded, "forward")).toContain("w5 = 0.4");
    expect(networkDot(rounded, "forward")).toContain("a = 0.5933");
    const back = await networkBundle(rounded, "backward");
    expect(back["image/svg+xml"]).toContain("δ = 0.1385");
    expect(back["image/svg+xml"]).toContain("∂/∂w5 = 0.0822");
  });
});

describe("user text is escaped everywhere", () => {
  const evil = "<img src=x onerror=alert(1)>";
  const named = {
    ...classic,
    names: {
      ...classic.names,
      units: [
        [evil, "i2"],
        ["h1", "h2"],
        ["o1", "o2"],
      ],
    },
  };
  const t = traceNetwork(named, { precision: "dp:4" });
  it("in the derivation, tables, diagrams, the check report and plots", async () => {
    const outputs = [
      derivationBundle(t)["text/html"]!,
      ...traceTablesBundles(t).map((b) => b["text/html"]!),
      (await networkBundle(t, "forward"))["text/html"]!,
      tableBundle([evil], [[evil]])["text/html"]!,
      mathBundle("x", { caption: evil })["text/html"]!,
      checkBundle(checkHandCalculation(named, { z_h1: "0.3775", [evil]: "1" }))["text/html"]!,
      (await graphBundle(graphTrace("f = x * 2", { x: 1 })))["text/html"]!,
      graphDot({
        ...graphTrace("f = x * 2", { x: 1 }),
        nodes: graphTrace("f = x * 2", { x: 1 }).nodes.map((n) => ({ ...n, label: evil })),
      }),
      (await plotBundle(linesSpec([{ name: evil, x: [1, 2], y: [1, 2] }], { title: evil }), "p"))["image/svg+xml"]!,
    ];
    for (const html of outputs) {
      expect(html).not.toMatch(/<img src=x/i);
      expect(html).not.toMatch(/<img[^>]*onerror/i);
    }
  });
});

describe("plots", () => {
  it("carry the vega-lite spec (with the data) and an SVG rendered in Node", async () => {
    const b = await plotBundle(
      linesSpec([{ name: "loss", x: [0, 1, 2], y: [0.3, 0.2, 0.1] }], { title: "loss", logY: true }),
      "loss",
    );
    const spec = b["application/vnd.vegalite.v5+json"] as {
      $schema: string;
      data: { values: { x: number; y: number }[] };
    };
    expect(spec.$schema).toContain("vega-lite/v5");
    expect(spec.data.values.map((v) => v.y)).toEqual([0.3, 0.2, 0.1]);
    expect(b["image/svg+xml"]).toMatch(/^<svg/);
  });
  it("bars on a log axis all have a height (a log axis has no zero to start from)", async () => {
    const svg = await vegaLiteSvg(
      barsSpec(
        [
          { label: "layer 1", value: 1e-6, group: "sigmoid" },
          { label: "layer 1", value: 1e-4, group: "relu" },
          { label: "layer 2", value: 1e-3, group: "sigmoid" },
        ],
        { logY: true },
      ),
    );
    const heights = [...svg.matchAll(/aria-roledescription="bar" d="M[^"]*?v(-?[\d.]+)h/g)].map((m) =>
      Math.abs(Number(m[1])),
    );
    expect(heights).toHaveLength(3);
    for (const h of heights) expect(h).toBeGreaterThan(1);
  });
  it("a decision boundary shades each side of the threshold", () => {
    const spec = decisionSpec(
      (x) => (x > 0 ? 1 : 0),
      [
        { x: 1, y: 0, label: 1 },
        { x: -1, y: 0, label: 0 },
      ],
      { grid: 4, xDomain: [-2, 2], yDomain: [-1, 1] },
    ) as { layer: { data: { values: { side?: string }[] } }[] };
    const sides = spec.layer[0].data.values.map((v) => v.side);
    expect(sides.filter((s) => s === "above threshold")).toHaveLength(8);
    expect(sides.filter((s) => s === "below threshold")).toHaveLength(8);
  });
});

describe("math survives: KaTeX where styles apply, TeX for MathJax where they were stripped", () => {
  it("hides the KaTeX part behind an attribute only the stylesheet overrides", () => {
    const html = mathBundle(["a &= 1", "b &= 2"])["text/html"]!;
    expect(html).toMatch(/<div class="bpt-rich" hidden style="display:none">/);
    expect(html).toContain(".bpt-rich{display:block!important}");
    expect(fallbackOf(html)).toContain("\\[\\begin{aligned}a &amp;= 1 \\\\ b &amp;= 2\\end{aligned}\\]");
  });
});
