// The engine-computed numbers and worked examples the exercise sets are built from: small helpers that
// run the engine (a scalar activation, a perceptron's net input, a stable learning rate) and the networks
// of notebooks 03, 05 and 09.
import { ACTIVATIONS, type ActivationName } from "../../engine/activations.js";
import { D, floatArith } from "../../engine/numeric.js";
import { descend } from "../../engine/descent.js";
import { graphTrace } from "../../engine/graph.js";
import { trainPerceptron } from "../../engine/perceptron.js";
import { traceNetwork } from "../../engine/network.js";
import { train } from "../../engine/train.js";
import { AnswerError } from "../../engine/errors.js";
import { type CheckReport } from "../../checking/check.js";
import { checkNumbers } from "../../checking/simple.js";
import { CLASSIC_NAMES } from "../classic-names.js";

export const activation = (name: ActivationName) => {
  const def = ACTIVATIONS[name];
  if (def.kind !== "scalar") throw new Error(`${name} is not a scalar activation`);
  const p = { alpha: def.defaultAlpha ?? 0 };
  return {
    g: (z: number) => def.value(floatArith, z, p),
    dg: (z: number) => def.derivative(floatArith, z, def.value(floatArith, z, p), p),
  };
};
export const sigmoid = (z: number) => activation("sigmoid").g(z);
export const softThreshold = (v: number, t: number) => Math.sign(v) * Math.max(Math.abs(v) - t, 0);
export const num = (x: string | number | undefined) => Number(x);
/** A perceptron's net input Σ wᵢxᵢ (x₀ = 1) as its learning rule's trace computes it. */
export const perceptronNet = (w: readonly number[], x: readonly number[]) =>
  num(trainPerceptron({ inputs: [[...x]], targets: [1], unit: "sign", weights: [...w], maxEpochs: 1 }).steps[0].net);
/** J = θ³ at θ, evaluated by the graph engine in exact decimals. */
export const cube = (theta: string) => {
  const t = graphTrace("J = t * t * t", { t: theta }, "exact");
  return new D(t.nodes.find((n) => n.id === t.output)!.value);
};
/** The largest α in (0, 1) at which descent on 0.5x² + k·y² does not grow y, by bisection on runs of the engine. */
export function largestStableRate(k: number): number {
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
export function updatesMade(m: number, batch: "stochastic" | `mini:${number}`, epochs: number): number {
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
export const neuron03 = {
  layers: [2, 1],
  activations: ["sigmoid"],
  loss: "half_sse",
  weights: [[[0.4, -0.6]]],
  biases: [[0.1]],
  input: [1, 0.5],
  target: [1],
  learningRate: 0.5,
};
export const chain03 = {
  ...neuron03,
  layers: [2, 1, 1],
  activations: ["sigmoid", "sigmoid"],
  weights: [[[0.4, -0.6]], [[0.7]]],
  biases: [[0.1], [-0.2]],
};
// notebook 05's network (the classic two-layer example)
export const classic = {
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
  names: CLASSIC_NAMES,
};
// notebook 09's XNOR network of step units: hidden AND and NOR, output OR
export const xnorHidden = {
  weights: [
    [0.2, 0.2],
    [-0.2, -0.2],
  ],
  biases: [-0.3, 0.2],
};
// its sigmoid version with every weight and bias ten times larger (the notebook's small one says ≈ 0.52 for every input)
export const sigmoidXnor = {
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
export const XOR_INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];

export function xorFromStepUnits(answers: Readonly<Record<string, string>>): CheckReport {
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
