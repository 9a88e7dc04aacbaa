// The notation presets: every symbol the tutor writes must be valid TeX (KaTeX with errors on, so
// a double superscript or an unbalanced brace fails here rather than showing as red text in a
// notebook), and seed 002's matrix form (paren1) must write the XNOR exercise as the notes do.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import katex from "katex";
import { traceNetwork, NOTATION_PRESETS } from "../src/index.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
// seed 002's sigmoid XNOR exercise: input (1, 1), target 1
const xnor = {
  layers: [2, 2, 1],
  activations: ["sigmoid", "sigmoid"],
  loss: "half_sse",
  learningRate: 0.5,
  weights: [
    [
      [0.2, 0.2],
      [-0.2, -0.2],
    ],
    [[0.2, 0.2]],
  ],
  biases: [[-0.3, 0.2], [-0.1]],
  input: [1, 1],
  target: [1],
};
// a deeper net with per-unit biases and a softmax, so every kind of step occurs
const deep = {
  layers: [2, 3, 2, 2],
  activations: ["tanh", "leaky_relu", "softmax"],
  loss: "cross_entropy",
  learningRate: 0.1,
  weights: [
    [
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.6],
    ],
    [
      [0.2, -0.1, 0.3],
      [0.4, 0.1, -0.2],
    ],
    [
      [0.5, -0.5],
      [0.25, 0.75],
    ],
  ],
  biases: [
    [0.1, 0.2, 0.3],
    [0, -0.1],
    [0.05, -0.05],
  ],
  input: [0.5, -1],
  target: [0, 1],
};

// every scalar activation under every loss, and a batch (its averaged steps have their own formulas)
const ACTS = [
  "identity",
  "step",
  "sign",
  "sigmoid",
  "tanh",
  "relu",
  "leaky_relu",
  "prelu",
  "elu",
  "softplus",
  "arctan",
];
// (BCE needs an output in (0, 1), so its output layer stays sigmoid)
const small = (a: string, loss: string) => ({
  layers: [2, 2, 1],
  activations: [a, loss === "bce" ? "sigmoid" : a],
  loss,
  learningRate: 0.1,
  weights: [
    [
      [0.1, -0.2],
      [0.3, 0.4],
    ],
    [[0.5, -0.5]],
  ],
  biases: [[0.1, -0.2], [0.1]],
  input: [0.5, -1],
  target: [0.3],
});
const batch = {
  ...xnor,
  input: undefined,
  target: undefined,
  inputs: [
    [0, 0],
    [1, 1],
  ],
  targets: [[1], [1]],
};
const SPECS = [
  classic,
  xnor,
  deep,
  batch,
  ...["half_sse", "mse", "bce"].flatMap((loss) => ACTS.map((a) => small(a, loss))),
];

const parses = (tex: string) => () => katex.renderToString(tex, { throwOnError: true, strict: "ignore" });

describe("notation presets", () => {
  for (const preset of NOTATION_PRESETS) {
    it(`${preset}: every symbol, formula and substituted formula is valid TeX`, () => {
      for (const spec of SPECS) {
        for (const s of traceNetwork(spec, { precision: "dp:4", notation: preset }).steps) {
          for (const tex of [s.symbol, s.formula, s.substituted])
            expect(parses(tex), `${preset} ${s.id}: ${tex}`).not.toThrow();
        }
      }
    });
  }

  it("paren1 writes seed 002's XNOR exercise in the notes' numbering and sign", () => {
    const t = traceNetwork(xnor, { precision: "dp:4", notation: "paren1" });
    const byKey = new Map(t.steps.map((s) => [s.key, s]));
    // the input is layer 1, the hidden layer 2, the output 3 (the notes: "compute a_1^(3)")
    expect(byKey.get("z_1^(2)")?.value).toBe("0.1000");
    expect(byKey.get("a_1^(3)")?.value).toBe("0.5237");
    // W^(1) leaves layer 1, its bias is column 0
    expect(byKey.get("z_1^(2)")?.formula).toBe("w_{11}^{(1)} a_{1}^{(1)} + w_{12}^{(1)} a_{2}^{(1)} + w_{10}^{(1)}");
    // the notes' δ = (y − a) g′ is −∂J/∂z: the tutor's δ_1^(2) = −0.0059 is written −δ_1^(2)
    expect(byKey.get("-delta_1^(2)")?.value).toBe("-0.0059");
    expect(byKey.get("-delta_1^(3)")?.value).toBe("-0.1188");
    expect(byKey.get("w_10^(2)+")?.symbol).toBe("{w_{10}^{(2)}}^{+}");
  });
});
