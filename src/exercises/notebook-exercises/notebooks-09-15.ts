// The exercise sets of notebooks 09 to 15, in notebook order.
import { LOSSES } from "../../engine/losses.js";
import { D, floatArith } from "../../engine/numeric.js";
import { descend } from "../../engine/descent.js";
import { graphTrace } from "../../engine/graph.js";
import { dropout, fitStandardiser } from "../../engine/normalise.js";
import { traceNetwork } from "../../engine/network.js";
import { train } from "../../engine/train.js";
import { dp, q, sf, type ExerciseSet } from "./types.js";
import {
  cube,
  largestStableRate,
  num,
  sigmoidXnor,
  softThreshold,
  updatesMade,
  xorFromStepUnits,
} from "./worked-numbers.js";

/** Notebook 15's exercise 2: a confusion matrix of its own (rows: true class, columns: predicted). */
export const CONFUSION_15: readonly (readonly number[])[] = [
  [12, 0, 0],
  [0, 11, 2],
  [0, 3, 9],
];

export const EXERCISES_09_TO_15: readonly ExerciseSet[] = [
  {
    id: "09.1",
    questions: [
      q(
        1,
        ["z_1^(2)", "a_1^(2)", "z_1^(3)", "a_1^(3)", "delta_1^(3)", "delta_1^(2)"],
        dp(4),
        "z₁⁽²⁾ = −3 + 2·0 + 2·1; the output δ₁⁽³⁾ = (y − a) a(1 − a) in the notes' sign, and δ₁⁽²⁾ = a₁⁽²⁾(1 − a₁⁽²⁾) w₁₁⁽²⁾ δ₁⁽³⁾.",
      ),
    ],
    judge: { kind: "network", spec: { ...sigmoidXnor, input: [0, 1], target: [0] }, notation: "paren1" },
  },
  {
    id: "09.2",
    questions: [
      q(
        2,
        ["dJ/dw_12^(1)", "w_12^(1)+", "dJ/dw_11^(1)"],
        dp(4),
        "∂J/∂w₁₂⁽¹⁾ = −δ₁⁽²⁾ x₂ (the notes' δ has the opposite sign), and w⁺ = w − α ∂J/∂w.",
      ),
    ],
    judge: { kind: "network", spec: { ...sigmoidXnor, input: [0, 1], target: [0] }, notation: "paren1" },
  },
  {
    id: "09.3",
    questions: [
      q(
        3,
        ["w10", "w11", "w12"],
        dp(1),
        "XOR is 1 when neither AND nor NOR fires: the output unit should fire only when both hidden units are 0, so give it a positive bias and negative weights.",
      ),
    ],
    judge: { kind: "custom", check: xorFromStepUnits },
  },
  {
    id: "10",
    questions: [
      q(
        1,
        ["mini", "stochastic"],
        dp(0),
        "An epoch makes one update per mini-batch: m / batch size of them; stochastic updates use one example each.",
      ),
      q(
        2,
        ["lr"],
        dp(2),
        "The notes' velocity adds α·gradient each step, the engine's (1 − η)·α'·gradient; set the two equal.",
      ),
      q(3, ["factor"], dp(0), "A sum over N examples and D outputs is N·D times their mean."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        // the engine's momentum (β = η = 0.8) moves (1 − η)·lr on a unit gradient from rest; the notes' form moves α = 0.03
        const engineStep = -descend({
          gradient: () => [1],
          start: [0],
          learningRate: 1,
          steps: 1,
          optimizer: { name: "momentum", beta: 0.8 },
        }).points[1][0];
        // the summed squared error of a 32 × 3 batch against the engine's mean squared error of the same numbers
        const out = Array.from({ length: 32 * 3 }, (_, i) => Math.sin(i + 1)),
          target = out.map(() => 0);
        const summed = out.reduce((s, v) => s + v * v, 0);
        return {
          mini: updatesMade(120, "mini:8", 25),
          stochastic: updatesMade(120, "stochastic", 25),
          lr: 0.03 / engineStep,
          factor: summed / LOSSES.mse.value(floatArith, out, target),
        };
      },
    },
  },
  {
    id: "11",
    questions: [
      q(1, ["x", "y"], dp(2), "∇f = (x, 100y); subtract α times it."),
      q(2, ["xr"], dp(5), "With S = 0 at the start, S ← (1 − γ) g² = 0.05 g²; the step is α g / √(S + ε)."),
      q(3, ["x2"], dp(4), "v ← βv + (1 − β)g, x ← x − αv; at (2, 0) the gradient of x is 2, then the new x."),
      q(4, ["alphaMax"], dp(3), "In y each step multiplies y by 1 − 16α; it diverges when |1 − 16α| > 1."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const gradient = (p: readonly number[]) => [p[0], 100 * p[1]];
        const gd = descend({ gradient, start: [-8, 1.5], learningRate: 0.015, steps: 1 }).points[1];
        const rms = descend({
          gradient,
          start: [-8, 1.5],
          learningRate: 0.05,
          steps: 1,
          optimizer: { name: "rmsprop", beta: 0.95 },
        }).points[1];
        const mom = descend({ gradient, start: [2, 0], learningRate: 0.2, steps: 2, optimizer: "momentum" }).points[2];
        return { x: gd[0], y: gd[1], xr: rms[0], x2: mom[0], alphaMax: largestStableRate(8) };
      },
    },
  },
  {
    id: "12",
    questions: [
      q(1, ["up", "down"], sf(4), "ŷ = d^{L−1} · x W^{[L]} with x W^{[L]} = 2."),
      q(
        2,
        ["xavier", "he", "glorot"],
        dp(4),
        "Xavier: √(1/n_in); He: √(2/n_in); Glorot and Bengio: √(2/(n_in + n_out)).",
      ),
      q(
        3,
        ["wOut", "bOut"],
        dp(4),
        "Every hidden unit outputs 0.5 and so does the output: ∂L/∂z_out = 0.5 − y for each example; average over the three, times 0.5 for a weight.",
      ),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const deep = (d: number, L: number) => {
          const weights = [
            ...Array.from({ length: L - 1 }, () => [
              [d, 0],
              [0, d],
            ]),
            [[1, 1]],
          ];
          return num(
            traceNetwork(
              {
                layers: [...Array(L).fill(2), 1],
                activations: Array(L).fill("identity"),
                loss: "half_sse",
                weights,
                input: [1, 1],
                target: [0],
              },
              { precision: "exact" },
            ).forward.a[L][0],
          );
        };
        const zeros = {
          layers: [2, 3, 1],
          activations: ["sigmoid", "sigmoid"],
          loss: "bce",
          learningRate: 1,
          inputs: [
            [0.2, 0.9],
            [0.8, 0.1],
            [0.9, 0.7],
          ],
          targets: [[1], [0], [1]],
          weights: [
            [
              [0, 0],
              [0, 0],
              [0, 0],
            ],
            [[0, 0, 0]],
          ],
          biases: [[0, 0, 0], [0]],
        };
        const after = train(zeros, { epochs: 1 }).final;
        return {
          up: deep(1.5, 12),
          down: deep(0.5, 12),
          xavier: Math.sqrt(1 / 800),
          he: Math.sqrt(2 / 800),
          glorot: Math.sqrt(2 / (800 + 200)),
          wOut: num(after.weights[1][0][0]),
          bOut: num((after.biases[1] as readonly (string | number)[])[0]),
        };
      },
    },
  },
  {
    id: "13",
    questions: [
      q(1, ["factor"], dp(3), "Weight decay makes the update w ← (1 − αλ/m) w − α ∂J/∂w."),
      q(
        2,
        ["kept"],
        dp(2),
        "The notes' p is the probability of dropping a unit; inverted dropout divides what it keeps by the keep probability 1 − p.",
      ),
      q(3, ["z"], dp(4), "z = (x − μ) / σ with the training set's μ and σ."),
      q(4, ["w", "wSmall"], dp(2), "First the gradient step, then move w towards 0 by α·λ₁/(2m), stopping at 0."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        // one step of training with decay where the loss has no gradient (output = target): w ← (1 − αλ/m) w
        const still = {
          layers: [1, 1],
          activations: ["identity"],
          loss: "half_sse",
          weights: [[[1]]],
          biases: [[0]],
          updateBiases: false,
          input: [0],
          target: [0],
        };
        const factor = train(still, { epochs: 1, learningRate: 0.05, weightDecay: 0.02 }).final.weights[0][0][0];
        // dropout runs in doubles (0.9 / 0.6 = 1.5000000000000002): 12 significant digits, so rounding judges 1.5
        const kept = Number(dropout([[0.9]], 1 - 0.4, () => 0).out[0][0].toPrecision(12));
        // a training set with mean 168 and standard deviation 9 (σ with 1/m, as the notes)
        const z = fitStandardiser([[159], [177]]).apply([[175]])[0][0];
        const step = (w: number, g: number) =>
          descend({ gradient: () => [g], start: [w], learningRate: 0.2, steps: 1 }).points[1][0];
        return {
          factor,
          kept,
          z,
          w: softThreshold(step(0.3, 0.5), 0.2 * 0.1),
          wSmall: softThreshold(step(0.01, 0), 0.2 * 0.1),
        };
      },
    },
  },
  {
    id: "14",
    questions: [
      q(1, ["central"], dp(8), "(J(θ + ε) − J(θ − ε)) / (2ε); expand (2 ± ε)³."),
      q(2, ["forward"], dp(8), "(J(θ + ε) − J(θ)) / ε."),
      q(3, ["rel"], sf(2), "|approx − exact| / max(|approx|, |exact|)."),
      q(4, ["noDivision"], dp(8), "Without the division the formula gives J(θ + ε) − J(θ) itself."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        // J = θ³ by the graph engine in exact decimals, and its derivative at 2 by backpropagation through the graph
        const eps = new D("1e-4");
        const exact = new D(graphTrace("J = t * t * t", { t: "2" }, "exact").nodes.find((n) => n.name === "t")!.grad);
        const central = cube("2.0001").minus(cube("1.9999")).div(eps.times(2)),
          forward = cube("2.0001").minus(cube("2")).div(eps);
        const rel = forward.minus(exact).abs().div(D.max(forward.abs(), exact.abs()));
        // exact decimal strings: the double forward difference would be 12.000600010022566, not 12.00060001
        return {
          central: central.toString(),
          forward: forward.toString(),
          rel: rel.toString(),
          noDivision: cube("2.0001").minus(cube("2")).toString(),
        };
      },
    },
  },
  {
    id: "15",
    questions: [
      q(1, ["params"], dp(0), "784·15 weights and 15 biases into the hidden layer, 15·10 and 10 into the output."),
      q(
        2,
        ["precision"],
        dp(3),
        "Precision for a class: of everything predicted as that class (its column), the fraction that really is it.",
      ),
      q(3, ["mult15", "mult30"], dp(0), "One multiplication per weight."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const confusion = CONFUSION_15;
        const predicted3 = confusion.reduce((s, row) => s + row[2], 0);
        return {
          params: 784 * 15 + 15 + 15 * 10 + 10,
          precision: confusion[2][2] / predicted3,
          mult15: 784 * 15 + 15 * 10,
          mult30: 784 * 30 + 30 * 10,
        };
      },
    },
  },
];
