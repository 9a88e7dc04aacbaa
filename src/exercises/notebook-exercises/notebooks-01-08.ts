// The exercise sets of notebooks 01 to 08, in notebook order.
import { ACTIVATIONS } from "../../engine/activations.js";
import { LOSSES } from "../../engine/losses.js";
import { floatArith } from "../../engine/numeric.js";
import { descend } from "../../engine/descent.js";
import { parameterCount } from "../../engine/spec.js";
import { perceptronPredict, trainPerceptron } from "../../engine/perceptron.js";
import { initWeights } from "../../engine/init.js";
import { forwardBatch, matrixNet } from "../../engine/matrix.js";
import { resolveActivation } from "../../engine/activations.js";
import { dp, q, sf, type ExerciseSet } from "./types.js";
import { activation, chain03, classic, neuron03, num, perceptronNet, XOR_INPUTS } from "./worked-numbers.js";

/** Notebook 03's single neuron with z = 0.4 (w = 0.4, x = 1, b = 0), label y and a loss. */
const neuronAt04 = (y: number, loss: string) => ({
  layers: [1, 1],
  activations: ["sigmoid"],
  loss,
  weights: [[[0.4]]],
  biases: [[0]],
  input: [1],
  target: [y],
  learningRate: 0.5,
});

export const EXERCISES_01_TO_08: readonly ExerciseSet[] = [
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
    // one sigmoid neuron (z = 0.4 as w = 0.4, x = 1, b = 0) with each loss and label, then the
    // squared-error neuron and the chain above with new numbers: traced and judged as networks, so
    // w11 computed from the student's own δ follows from it
    judge: {
      kind: "networks",
      parts: [
        { spec: neuronAt04(1, "bce"), notation: "paren", keys: { a: "a_1^(1)", dz: "delta_1^(1)" } },
        { spec: neuronAt04(0, "bce"), notation: "paren", keys: { dzBce: "delta_1^(1)" } },
        { spec: neuronAt04(0, "half_sse"), notation: "paren", keys: { dzSse: "delta_1^(1)" } },
        {
          spec: { ...neuron03, input: [2, -1] },
          notation: "paren",
          keys: { a6: "a_1^(1)", delta6: "delta_1^(1)", w11: "w_11^(1)+" },
        },
        {
          spec: { ...chain03, weights: [[[0.4, -0.6]], [[-1]]] },
          notation: "paren",
          keys: { dw11: "dL/dw_11^(1)" },
        },
      ],
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
];
