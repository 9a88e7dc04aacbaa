// The exercises at the end of each notebook, defined here rather than in the notebooks so that a
// student's exercise cell holds only their answers and one call: `checkExercise("02", answers)`.
// Each exercise's expected values are computed by the engine from the exercise's own numbers,
// inside the library; the notebook never shows them. `hint("02", "x3")` gives a hint on request.
//
// An exercise set is what one exercise cell checks (a notebook with several exercise cells has
// "04.1", "04.2", ...); its questions carry the keys they ask for, the precision asked (for the
// test that nothing earlier in the notebook prints an answer) and a hint each.
import { ACTIVATIONS, type ActivationName } from "../engine/activations.js";
import { LOSSES } from "../engine/losses.js";
import { D, floatArith } from "../engine/numeric.js";
import { descend } from "../engine/descent.js";
import { graphTrace } from "../engine/graph.js";
import { parameterCount } from "../engine/spec.js";
import { dropout, fitStandardiser } from "../engine/normalise.js";
import { perceptronPredict, trainPerceptron } from "../engine/perceptron.js";
import { traceNetwork } from "../engine/network.js";
import { train } from "../engine/train.js";
import { initWeights } from "../engine/init.js";
import { forwardBatch, matrixNet } from "../engine/matrix.js";
import { resolveActivation } from "../engine/activations.js";
import { AnswerError } from "../engine/errors.js";
import { closest } from "../engine/suggest.js";
import type { NotationPreset } from "../engine/notation.js";
import { checkHandCalculation, summarise, type CheckReport } from "../checking/check.js";
import { checkGraphCalculation, checkNumbers } from "../checking/simple.js";

/**
 * How precisely a question asks for its answers: decimal places, or significant figures. (Not the
 * engine's `Precision`, which is the arithmetic a calculation runs in.)
 */
export type AnswerPrecision = { decimals: number } | { significant: number };

export interface ExerciseQuestion {
  number: number;
  /** the keys this question asks for */
  keys: readonly string[];
  precision: AnswerPrecision;
  hint: string;
}

/** How an exercise set's answers are judged: the checker for named numbers, a network or a graph. */
export type ExerciseJudge =
  /** expected values as numbers, or as decimal strings where a double cannot hold them exactly (0.75, not 0.6 / 0.8) */
  | { kind: "numbers"; expected: () => Record<string, number | string> }
  | { kind: "network"; spec: Record<string, unknown>; notation?: NotationPreset }
  | { kind: "graph"; expression: string; values: Readonly<Record<string, number>> }
  | { kind: "custom"; check: (answers: Readonly<Record<string, string>>) => CheckReport };

export interface ExerciseSet {
  /** "02", or "04.1" when a notebook has several exercise cells */
  id: string;
  questions: readonly ExerciseQuestion[];
  judge: ExerciseJudge;
}

const activation = (name: ActivationName) => {
  const def = ACTIVATIONS[name];
  if (def.kind !== "scalar") throw new Error(`${name} is not a scalar activation`);
  const p = { alpha: def.defaultAlpha ?? 0 };
  return {
    g: (z: number) => def.value(floatArith, z, p),
    dg: (z: number) => def.derivative(floatArith, z, def.value(floatArith, z, p), p),
  };
};
const sigmoid = (z: number) => activation("sigmoid").g(z);
const softThreshold = (v: number, t: number) => Math.sign(v) * Math.max(Math.abs(v) - t, 0);
const num = (x: string | number | undefined) => Number(x);
/** A perceptron's net input Σ wᵢxᵢ (x₀ = 1) as its learning rule's trace computes it. */
const perceptronNet = (w: readonly number[], x: readonly number[]) =>
  num(trainPerceptron({ inputs: [[...x]], targets: [1], unit: "sign", weights: [...w], maxEpochs: 1 }).steps[0].net);
/** J = θ³ at θ, evaluated by the graph engine in exact decimals. */
const cube = (theta: string) => {
  const t = graphTrace("J = t * t * t", { t: theta }, "exact");
  return new D(t.nodes.find((n) => n.id === t.output)!.value);
};
/** The largest α in (0, 1) at which descent on 0.5x² + k·y² does not grow y, by bisection on runs of the engine. */
function largestStableRate(k: number): number {
  const grows = (a: number) => {
    const y = descend({ gradient: (p) => [p[0], 2 * k * p[1]], start: [1, 1], learningRate: a, steps: 200 }).points;
    return !(Math.abs(y[y.length - 1][1]) <= 1);
  };
  let lo = 1e-6,
    hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (grows(mid)) hi = mid;
    else lo = mid;
  }
  return lo;
}
/** The number of updates a training run of `epochs` makes over m examples: one epoch's, counted by the engine, per epoch. */
function updatesMade(m: number, batch: "stochastic" | `mini:${number}`, epochs: number): number {
  const spec = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "half_sse",
    learningRate: 0.01,
    weights: [[[0]]],
    biases: [[0]],
    inputs: Array.from({ length: m }, (_, i) => [i / m]),
    targets: Array.from({ length: m }, () => [0]),
  };
  // keepSteps records one trace per update of each kept epoch
  const perEpoch = train(spec, { epochs: 1, batch, keepSteps: true }).history[0].traces?.length ?? NaN;
  return perEpoch * epochs;
}

// notebook 03's neurons
const neuron03 = {
  layers: [2, 1],
  activations: ["sigmoid"],
  loss: "half_sse",
  weights: [[[0.4, -0.6]]],
  biases: [[0.1]],
  input: [1, 0.5],
  target: [1],
  learningRate: 0.5,
};
const chain03 = {
  ...neuron03,
  layers: [2, 1, 1],
  activations: ["sigmoid", "sigmoid"],
  weights: [[[0.4, -0.6]], [[0.7]]],
  biases: [[0.1], [-0.2]],
};
// notebook 05's network (the classic two-layer example)
const classic = {
  layers: [2, 2, 2],
  activations: ["sigmoid", "sigmoid"],
  loss: "half_sse",
  weights: [
    [
      [0.15, 0.2],
      [0.25, 0.3],
    ],
    [
      [0.4, 0.45],
      [0.5, 0.55],
    ],
  ],
  biases: [0.35, 0.6],
  updateBiases: false,
  learningRate: 0.5,
  input: [0.05, 0.1],
  target: [0.01, 0.99],
  names: {
    units: [
      ["i1", "i2"],
      ["h1", "h2"],
      ["o1", "o2"],
    ],
    weights: [
      [
        ["w1", "w2"],
        ["w3", "w4"],
      ],
      [
        ["w5", "w6"],
        ["w7", "w8"],
      ],
    ],
    biases: ["b1", "b2"],
  },
};
// notebook 09's XNOR network of step units: hidden AND and NOR, output OR
const xnorHidden = {
  weights: [
    [0.2, 0.2],
    [-0.2, -0.2],
  ],
  biases: [-0.3, 0.2],
};
// its sigmoid version with every weight and bias ten times larger (the notebook's small one says ≈ 0.52 for every input)
const sigmoidXnor = {
  layers: [2, 2, 1],
  activations: ["sigmoid", "sigmoid"],
  loss: "half_sse",
  weights: [
    [
      [2, 2],
      [-2, -2],
    ],
    [[2, 2]],
  ],
  biases: [[-3, 2], [-1]],
  learningRate: 0.5,
};
const XOR_INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];

function xorFromStepUnits(answers: Readonly<Record<string, string>>): CheckReport {
  const w = ["w10", "w11", "w12"].map((k) => answers[k]);
  const missing = ["w10", "w11", "w12"].filter((_, i) => w[i] === undefined);
  if (missing.length)
    throw new AnswerError(
      "answers",
      `${missing.join(", ")} missing`,
      "give all three weights of the output unit: w10 (its bias), w11 and w12",
    );
  const spec = {
    layers: [2, 2, 1],
    activations: ["step", "step"],
    loss: "half_sse",
    weights: [xnorHidden.weights, [[w[1], w[2]]]],
    biases: [xnorHidden.biases, [w[0]]],
    inputs: XOR_INPUTS,
    targets: [[0], [1], [1], [0]],
  };
  const outputs = traceNetwork(spec, { precision: "exact" }).examples!.map((e) => e.forward.a[2][0]);
  const label = (x: readonly number[]) => `XOR(${x.join(",")})`;
  // the outputs written with decimals, so that a 0 where 1 is wanted is wrong, not "one unit off"
  const got = Object.fromEntries(XOR_INPUTS.map((x, i) => [label(x), Number(outputs[i]).toFixed(1)]));
  return checkNumbers(Object.fromEntries(XOR_INPUTS.map((x) => [label(x), x[0] === x[1] ? 0 : 1])), got);
}

const q = (number: number, keys: readonly string[], precision: AnswerPrecision, hint: string): ExerciseQuestion => ({
  number,
  keys,
  precision,
  hint,
});
const dp = (decimals: number): AnswerPrecision => ({ decimals });
const sf = (significant: number): AnswerPrecision => ({ significant });

export const NOTEBOOK_EXERCISES: readonly ExerciseSet[] = [
  {
    id: "01",
    questions: [
      q(
        1,
        ["net1", "out1", "net2", "out2"],
        dp(1),
        "net = b + w₁x₁ + w₂x₂; the sign unit outputs +1 when net > 0 and −1 otherwise.",
      ),
      q(
        2,
        ["epochs", "b", "w1", "w2"],
        dp(1),
        "Write a table as in the AND run: for each example compute the output, then w ← w + α(t − o)x with x₀ = 1 for b. Stop after the first epoch with no mistake and count it.",
      ),
      q(
        3,
        ["threshold"],
        dp(0),
        "Rain means weather = 0: only friends (3) and close (2) add up. Go means the sum is above the threshold.",
      ),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const w = [-1.5, 2, 1];
        const or = trainPerceptron({ inputs: XOR_INPUTS, targets: [0, 1, 1, 1], unit: "step", learningRate: 0.1 });
        let threshold = 0;
        while (perceptronPredict([-(threshold + 1), 4, 3, 2], [0, 1, 1], "step") === 1) threshold++;
        return {
          net1: perceptronNet(w, [1, -1]),
          out1: perceptronPredict(w, [1, -1], "sign"),
          net2: perceptronNet(w, [-1, 1]),
          out2: perceptronPredict(w, [-1, 1], "sign"),
          epochs: or.epochs,
          b: num(or.weights[0]),
          w1: num(or.weights[1]),
          w2: num(or.weights[2]),
          threshold,
        };
      },
    },
  },
  {
    id: "02",
    questions: [
      q(1, ["x3"], dp(3), "Each step multiplies x by 1 − 2α; three steps multiply it by (1 − 2α)³."),
      q(2, ["alpha"], dp(1), "One step lands on x − α·2x = (1 − 2α)x. For which α is that 0 for every x?"),
      q(3, ["x1", "x2"], dp(1), "Both coordinates step at once: xᵢ ← xᵢ − α·2xᵢ."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const square = descend({ gradient: (x) => [2 * x[0]], start: [3], learningRate: 0.15, steps: 3 });
        const bowl = descend({ gradient: (x) => [2 * x[0], 2 * x[1]], start: [4, -3], learningRate: 0.2, steps: 1 });
        // the rate (of 0.1, 0.2, ..., 1) whose one step lands on 0 from every start tried
        const landsOnZero = (a: number) =>
          [3, -7, 0.25].every(
            (x) => descend({ gradient: (p) => [2 * p[0]], start: [x], learningRate: a, steps: 1 }).points[1][0] === 0,
          );
        const alpha = Array.from({ length: 10 }, (_, i) => (i + 1) / 10).find(landsOnZero) ?? NaN;
        return { x3: square.points[3][0], alpha, x1: bowl.points[1][0], x2: bowl.points[1][1] };
      },
    },
  },
  {
    id: "03",
    questions: [
      q(1, ["a", "dz"], dp(4), "a = σ(z) = 1 / (1 + e^(−z)); with cross-entropy ∂L/∂z = a − y."),
      q(
        2,
        ["dzBce", "dzSse"],
        dp(4),
        "Cross-entropy: a − y again. Squared error: (a − y) · σ'(z), with σ'(z) = a(1 − a).",
      ),
      q(3, ["a6", "delta6", "w11"], dp(4), "z = w·x + b, a = σ(z), δ = (a − y) a(1 − a), then w₁₁ ← w₁₁ − α δ x₁."),
      q(
        4,
        ["dw11"],
        dp(4),
        "Forward through both neurons, then δ⁽²⁾ = (a⁽²⁾ − y) a⁽²⁾(1 − a⁽²⁾), δ⁽¹⁾ = w⁽²⁾ δ⁽²⁾ a⁽¹⁾(1 − a⁽¹⁾), ∂L/∂w₁₁ = δ⁽¹⁾ x₁.",
      ),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const s = sigmoid(0.4);
        const one = traceNetwork({ ...neuron03, input: [2, -1] }),
          two = traceNetwork({ ...chain03, weights: [[[0.4, -0.6]], [[-1]]] });
        return {
          a: s,
          dz: s - 1,
          dzBce: s,
          dzSse: s * s * (1 - s),
          a6: num(one.forward.a[1][0]),
          delta6: num(one.backward.delta[1]![0]),
          w11: num(one.update.weights[0][0][0]),
          dw11: num(two.backward.dW[0][0][0]),
        };
      },
    },
  },
  {
    id: "04.1",
    questions: [
      q(
        1,
        ["q", "f", "df/dx", "df/dz"],
        dp(0),
        "Forward: q = x + y, f = q·z. Backward: ∂f/∂q = z and ∂f/∂z = q; the + gate passes ∂f/∂q on to x and y unchanged.",
      ),
    ],
    judge: { kind: "graph", expression: "q = x + y; f = q * z", values: { x: 3, y: -1, z: 2 } },
  },
  {
    id: "04.2",
    questions: [
      q(
        2,
        ["u", "v", "J", "dJ/da", "dJ/db", "dJ/dc"],
        dp(0),
        "∂J/∂v = 3; the + gate copies it to a and u; the × gate u = b·c swaps: ∂J/∂b = ∂J/∂u · c, ∂J/∂c = ∂J/∂u · b.",
      ),
    ],
    judge: { kind: "graph", expression: "u = b * c; v = a + u; J = 3 * v", values: { a: 1, b: -2, c: 7 } },
  },
  {
    id: "04.3",
    questions: [
      q(
        3,
        ["s3", "L", "ds3", "dx0"],
        dp(2),
        "s₃ = w₀x₀ + w₁x₁ + w₂; ∂L/∂s₃ = σ(s₃)(1 − σ(s₃)); the + gates pass it back, and the × gate s₀ = w₀x₀ gives ∂L/∂x₀ = ∂L/∂s₀ · w₀.",
      ),
    ],
    judge: {
      kind: "graph",
      expression: "s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)",
      values: { w0: 1, x0: 0.5, w1: -1, x1: 1, w2: 0.5 },
    },
  },
  {
    id: "05",
    questions: [
      q(
        1,
        ["z_h1", "a_h1", "z_h2", "a_h2", "z_o1", "a_o1", "z_o2", "a_o2", "E_total"],
        dp(4),
        "z_h1 = w1·i1 + w2·i2 + b1 with the new inputs 0.20 and 0.40; a = σ(z); E_total = ½(t_o1 − a_o1)² + ½(t_o2 − a_o2)².",
      ),
      q(
        2,
        ["dE/da_o1", "da_o1/dz_o1", "delta_o1", "dE/dw5", "w5+"],
        dp(4),
        "∂E/∂a_o1 = a_o1 − t_o1; ∂a/∂z = a(1 − a); δ_o1 is their product; ∂E/∂w5 = δ_o1 · a_h1; w5⁺ = w5 − η ∂E/∂w5.",
      ),
      q(
        3,
        ["dE_o1/da_h1", "dE_o2/da_h1", "dE/da_h1", "delta_h1", "dE/dw1", "w1+"],
        dp(4),
        "h1 feeds both outputs: ∂E_o1/∂a_h1 = δ_o1 · w5 and ∂E_o2/∂a_h1 = δ_o2 · w7 (the old weights); add them, times a_h1(1 − a_h1) for δ_h1, times i1 for ∂E/∂w1.",
      ),
    ],
    judge: { kind: "network", spec: { ...classic, input: [0.2, 0.4] } },
  },
  {
    id: "05.4",
    questions: [
      q(
        4,
        ["w5+", "w1+"],
        dp(4),
        "Only the update line changes: the gradients are those of the derivation above, and w⁺ = w − 0.1 · ∂E/∂w.",
      ),
    ],
    judge: { kind: "network", spec: { ...classic, learningRate: 0.1 } },
  },
  {
    id: "06",
    questions: [
      q(
        1,
        ["W1", "b1", "total"],
        dp(0),
        "W^[1] has one row per unit of layer 1 and one column per input; b^[1] one entry per unit. Add both layers.",
      ),
      q(2, ["Z1"], dp(0), "Z^[1] holds one z per unit of layer 1 for each example of the batch."),
      q(3, ["cols"], dp(0), "The bias becomes the weight of an extra input x₀ = 1: W^(1) gets one more column."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const W = initWeights([784, 32, 10], { method: "zeros", seed: 0 });
        // the matrix path's Z[1] for a batch of 64 examples
        const net = matrixNet(
          [784, 32, 10],
          W,
          [Array(32).fill(0), Array(10).fill(0)],
          [resolveActivation("sigmoid", "hidden"), resolveActivation("sigmoid", "output")],
          LOSSES.mse,
        );
        const Z1 = forwardBatch(net, new Float64Array(64 * 784), 64).ws.Z[0].length;
        // with the bias as column 0, a unit of layer 1 has one weight per input plus one: a one-unit layer's parameters
        return {
          W1: W[0].length * W[0][0].length,
          b1: net.layers[0].b.length,
          total: parameterCount([784, 32, 10]),
          Z1,
          cols: parameterCount([784, 1]),
        };
      },
    },
  },
  {
    id: "07",
    questions: [
      q(1, ["dsigma", "dtanh"], dp(4), "σ'(z) = σ(z)(1 − σ(z)); tanh'(z) = 1 − tanh²(z)."),
      q(2, ["elu", "delu"], dp(4), "For z < 0, ELU is α(e^z − 1) and its slope α e^z."),
      q(3, ["product"], sf(3), "σ'(1) = σ(1)(1 − σ(1)); the gradient is multiplied by it once per layer."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const s = activation("sigmoid"),
          t = activation("tanh"),
          e = activation("elu");
        return { dsigma: s.dg(-1.5), dtanh: t.dg(0.5), elu: e.g(-2), delu: e.dg(-2), product: s.dg(1) ** 6 };
      },
    },
  },
  {
    id: "08",
    questions: [
      q(1, ["p1", "p2", "p3"], dp(4), "pᵢ = e^{zᵢ} / (e^{z₁} + e^{z₂} + e^{z₃})."),
      q(
        2,
        ["loss", "dz1"],
        dp(4),
        "The loss is −log of the true class's probability; with softmax ∂L/∂z₁ = p₁ − 1 for the true class.",
      ),
      q(3, ["bce"], dp(4), "For y = 0 only the second term of binary cross-entropy is left: −log(1 − ŷ)."),
    ],
    judge: {
      kind: "numbers",
      expected: () => {
        const softmax = ACTIVATIONS.softmax;
        if (softmax.kind !== "vector") throw new Error("softmax is a vector activation");
        const p = softmax.values(floatArith, [2, 1, 0]),
          y = [1, 0, 0];
        const ce = LOSSES.cross_entropy;
        return {
          p1: p[0],
          p2: p[1],
          p3: p[2],
          loss: ce.value(floatArith, p, y),
          // softmax with cross-entropy: ∂L/∂z₁ = Σ_k ∂L/∂a_k · ∂a_k/∂z₁
          dz1: p.reduce(
            (s, a, k) => s + ce.gradient(floatArith, a, y[k], 3) * softmax.jacobian(floatArith, p, k, 0),
            0,
          ),
          bce: LOSSES.bce.value(floatArith, [0.8], [0]),
        };
      },
    },
  },
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

/** Notebook 15's exercise 2: a confusion matrix of its own (rows: true class, columns: predicted). */
export const CONFUSION_15: readonly (readonly number[])[] = [
  [12, 0, 0],
  [0, 11, 2],
  [0, 3, 9],
];

/** The exercise set with this id ("02", "04.1"); an unknown id says which exist. */
export function exerciseSet(id: string): ExerciseSet {
  const set = NOTEBOOK_EXERCISES.find((s) => s.id === id);
  if (!set) {
    const ids = NOTEBOOK_EXERCISES.map((s) => s.id);
    const near = closest(id, ids);
    throw new AnswerError(
      `checkExercise(${JSON.stringify(id)})`,
      `there is no exercise "${id}"${near.length ? `: did you mean "${near[0]}"?` : ""}`,
      `the exercises are ${ids.map((i) => `"${i}"`).join(", ")}`,
    );
  }
  return set;
}

/** An answer not filled in yet: an empty string, "..." or "?" as in the templates. */
export const isUnanswered = (v: string | number) => typeof v === "string" && /^\s*(\.\.\.|…|\?)?\s*$/.test(v);

/**
 * checkNumbers cannot see how a number was computed, so it calls one unit off in the last decimal
 * "rounding". Where the exact answer has no more decimals than were typed (x = 1.029, 2.4) no
 * rounding can have moved it: one unit off is a wrong answer there. (The expected values are
 * doubles, so "no more decimals" allows for their last-bit error: 1.0289999999999997 is 1.029.)
 */
function noRoundingWhereExact(report: CheckReport): CheckReport {
  const rows = report.rows.map((r) => {
    const exact = new D(r.exact);
    if (r.verdict !== "rounding" || exact.minus(exact.toDecimalPlaces(r.decimals)).abs().gt(exact.abs().times(1e-12)))
      return r;
    return {
      ...r,
      verdict: "wrong" as const,
      explanation: `should be ${exact.toFixed(r.decimals)}: the exact answer has ${r.decimals} decimal${r.decimals === 1 ? "" : "s"}, so rounding cannot explain a difference`,
    };
  });
  // re-counted and the first wrong row re-marked by the one function that does it for every report
  const unmarked = rows.map((r) => ({ ...r, isFirstWrong: false }));
  const { warning } = report;
  const judged = summarise(unmarked, report.unknownKeys, report.notation, report.note);
  return warning ? { ...judged, warning } : judged;
}

/** Judge one exercise set's answers; unanswered keys (empty strings) are left out. */
export function judgeExercise(id: string, answers: Readonly<Record<string, string | number>>): CheckReport {
  const set = exerciseSet(id);
  const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => !isUnanswered(v)));
  const j = set.judge;
  const expected = j.kind === "numbers" ? j.expected() : undefined;
  // precision asked is precision required: fewer places than a question asks are "too few places"
  const places = Object.fromEntries(
    set.questions.flatMap((x) =>
      x.keys.flatMap((k) => {
        if ("decimals" in x.precision) return [[k, x.precision.decimals]];
        const v = Number(expected?.[k]);
        return !Number.isFinite(v) || v === 0
          ? []
          : [[k, Math.max(0, x.precision.significant - 1 - Math.floor(Math.log10(Math.abs(v))))]];
      }),
    ),
  );
  switch (j.kind) {
    case "numbers":
      return noRoundingWhereExact(checkNumbers(expected!, given, { places }));
    case "network":
      return checkHandCalculation(j.spec, given, { places, ...(j.notation ? { notation: j.notation } : {}) });
    case "graph":
      return checkGraphCalculation(j.expression, j.values, given, { places });
    case "custom":
      return Object.keys(given).length
        ? j.check(Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])))
        : checkNumbers({}, {});
  }
}

/** The hint for a question of an exercise set, by one of its keys or its number. */
export function exerciseHint(id: string, keyOrNumber: string | number): { question: ExerciseQuestion; hint: string } {
  const set = exerciseSet(id);
  const question = set.questions.find((x) => x.number === Number(keyOrNumber) || x.keys.includes(String(keyOrNumber)));
  if (!question) {
    const keys = set.questions.flatMap((x) => x.keys);
    const near = closest(String(keyOrNumber), keys);
    throw new AnswerError(
      `hint(${JSON.stringify(id)}, ${JSON.stringify(keyOrNumber)})`,
      `exercise ${id} has no question or key "${keyOrNumber}"${near.length ? `: did you mean "${near[0]}"?` : ""}`,
      `ask by a key (${keys.join(", ")}) or a question number (${set.questions.map((x) => x.number).join(", ")})`,
    );
  }
  return { question, hint: question.hint };
}

export interface ExpectedAnswer {
  set: string;
  question: number;
  key: string;
  value: number;
  precision: AnswerPrecision;
}

/**
 * Every expected value of every exercise set with the precision its question asks for (the
 * leak test looks for each in the notebook's earlier outputs). Networks' and graphs' values are
 * the checker's own: a dummy answer per key, read back from the report's exact column.
 */
export function expectedAnswers(): ExpectedAnswer[] {
  const out: ExpectedAnswer[] = [];
  for (const set of NOTEBOOK_EXERCISES) {
    const keys = set.questions.flatMap((x) => x.keys);
    let values: Record<string, number>;
    if (set.judge.kind === "numbers")
      values = Object.fromEntries(Object.entries(set.judge.expected()).map(([k, v]) => [k, Number(v)]));
    else if (set.judge.kind === "custom")
      continue; // answered by building something: no one number
    else {
      const report = judgeExercise(set.id, Object.fromEntries(keys.map((k) => [k, "0"])));
      if (report.unknownKeys.length)
        throw new Error(
          `exercise ${set.id}: the checker does not know ${report.unknownKeys.map((u) => u.key).join(", ")}`,
        );
      values = Object.fromEntries(report.rows.map((r) => [r.key, Number(r.exact)]));
    }
    for (const question of set.questions)
      for (const key of question.keys)
        out.push({ set: set.id, question: question.number, key, value: values[key], precision: question.precision });
  }
  return out;
}
