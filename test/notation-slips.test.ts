// Issue 12 item 3's notation slips: paren1 writes every bias as the weight w_{j0} from x_0 = 1 (it
// showed b^{(1)} for a shared bias), aima writes a shared bias W_{0,first…last} (it showed W_{0,[1]}),
// and the trace tables' headers name the loss as the derivation does (E_total, not L).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { checkHandCalculation, traceNetwork, traceTablesBundles } from "../src/index.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8")); // shared biases b1, b2

describe("biases in paren1 and aima", () => {
  it("paren1: a shared bias is w_{j0}, in the z formula, its gradient and the key; no b anywhere", () => {
    const t = traceNetwork(classic, { notation: "paren1", precision: "dp:4" });
    for (const s of t.steps) expect(`${s.symbol} ${s.formula}`, s.id).not.toMatch(/b\^|b_\{/);
    expect(t.steps.find((s) => s.id === "forward.z.1.0")!.formula).toMatch(/ \+ w_\{j0\}\^\{\(1\)\}$/);
    const db = t.steps.find((s) => s.id === "backward.db.1")!;
    expect(db.symbol).toBe("\\frac{\\partial J}{\\partial w_{j0}^{(1)}}");
    expect(checkHandCalculation(classic, { [db.key]: db.value }, { notation: "paren1" }).rows[0].verdict).toBe(
      "correct",
    );
  });

  it("aima: a shared bias is the weight from a_0 into the layer's units, W_{0,3…4}", () => {
    const t = traceNetwork(classic, { notation: "aima", precision: "dp:4" });
    for (const s of t.steps) expect(`${s.symbol} ${s.formula}`, s.id).not.toContain(",[");
    expect(t.steps.find((s) => s.id === "forward.z.1.0")!.formula).toMatch(/ \+ W_\{0,3\\ldots 4\}$/);
    const db = t.steps.find((s) => s.id === "backward.db.2")!;
    expect(db.key).toBe("dE/dW_0,5..6");
    expect(checkHandCalculation(classic, { [db.key]: db.value }, { notation: "aima" }).rows[0].verdict).toBe("correct");
  });

  it("per-unit biases keep their own symbols (w_{10}, W_{0,3})", () => {
    const spec = {
      ...classic,
      biases: [
        [0.35, 0.35],
        [0.6, 0.6],
      ],
      names: undefined,
    };
    expect(traceNetwork(spec, { notation: "paren1" }).steps[0].formula).toMatch(/w_\{10\}\^\{\(1\)\}$/);
    expect(traceNetwork(spec, { notation: "aima" }).steps[0].formula).toMatch(/W_\{0,3\}$/);
  });
});

describe("trace tables name the loss as the derivation does", () => {
  const headers = (notation: "names" | "bracket" | "paren1" | "aima") =>
    traceTablesBundles(traceNetwork(classic, { notation }), 4)
      .map((b) => b["text/html"]!)
      .join("");
  it.each([
    ["names", "\\partial E_{total}/\\partial z", "\\partial E_{total}/\\partial w"],
    ["bracket", "\\partial \\mathcal{L}/\\partial z", "\\partial \\mathcal{L}/\\partial w"],
    ["paren1", "-\\delta = \\partial J/\\partial z", "\\partial J/\\partial w"],
    ["aima", "-\\Delta = \\partial E/\\partial in", "\\partial E/\\partial w"],
  ] as const)("%s", (notation, deltaHeader, weightHeader) => {
    const html = headers(notation);
    expect(html).toContain(deltaHeader);
    expect(html).toContain(weightHeader);
    if (notation !== "bracket") expect(html).not.toContain("\\partial L/");
  });

  it("a batch's gradient table is of the cost J", () => {
    const batch = {
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
    expect(
      traceTablesBundles(traceNetwork(batch), 4)
        .map((b) => b["text/html"])
        .join(""),
    ).toContain("\\partial J/\\partial w");
  });
});
