// Rosenblatt's perceptron learning rule (seeds 000 and 002): a single threshold unit with the
// bias as weight w0 on a constant input x0 = 1 (so b = −θ, the threshold), trained example by
// example with  w ← w + α (y − ŷ) x.  It changes w only when an example is misclassified, and
// it stops after an epoch without a mistake, which happens for any linearly separable data set.
// Every step is returned so that a notebook can show the whole table.
import type { Arith } from "./numeric.js";
import { arithFor, DEFAULT_PRECISION, exactArith, toPrecision, type PrecisionInput } from "./numeric.js";
import { ACTIVATIONS, type ScalarActivation } from "./activations.js";
import { TrainingError } from "./errors.js";
import type { Raw } from "./spec.js";

/** "sign": outputs ±1 (bipolar, seed 000: 1 if net > 0, else −1); "step": outputs 1 or 0. */
export type PerceptronUnit = "sign" | "step";

export interface PerceptronOptions {
  inputs: Raw[][];
  /** ±1 for "sign", 0/1 for "step" */
  targets: Raw[];
  unit?: PerceptronUnit;
  /** α, default 1 */
  learningRate?: Raw;
  /** starting [w0 (= b), w1, ..., wn]; default all zero */
  weights?: Raw[];
  /** default 100 */
  maxEpochs?: number;
  /** default exact (DEFAULT_PRECISION), so that 0.1 + 0.2 shows as 0.3 in the table */
  precision?: PrecisionInput;
}

export interface PerceptronStep {
  epoch: number;
  /** index of the example */
  example: number;
  /** [x0 = 1, x1, ..., xn] */
  x: string[];
  /** net = Σ wi xi with the weights before this step */
  net: string;
  prediction: string;
  target: string;
  /** y − ŷ */
  error: string;
  /** [w0, w1, ..., wn] after this step (unchanged when the error is 0) */
  weights: string[];
}

export interface PerceptronResult {
  converged: boolean;
  /** epochs run (the last one had no mistakes when converged) */
  epochs: number;
  /** final [w0 (= b), w1, ..., wn] */
  weights: string[];
  steps: PerceptronStep[];
  message: string;
}

function unitDef(unit: PerceptronUnit): ScalarActivation {
  // the spec's own step and sign units, so a perceptron and a network agree at net = 0
  const def = ACTIVATIONS[unit];
  if (def.kind !== "scalar") throw new TrainingError("unit", `${unit} is not a threshold unit`, 'use "sign" or "step"');
  return def;
}

/** The perceptron's output for input x (without x0) and weights [w0, w1, ..., wn]. */
export function perceptronPredict(weights: readonly Raw[], x: readonly Raw[], unit: PerceptronUnit = "sign"): number {
  const A = exactArith;
  const net = [1, ...x].reduce((s, xi, i) => A.add(s, A.mul(A.of(weights[i]), A.of(xi))), A.of(0));
  return A.toNumber(unitDef(unit).value(A, net, { alpha: 0 }));
}

export function trainPerceptron(options: PerceptronOptions): PerceptronResult {
  const { inputs, targets } = options;
  if (inputs.length === 0 || inputs.length !== targets.length) {
    throw new TrainingError(
      "inputs",
      `need one target per input (got ${inputs.length} inputs and ${targets.length} targets)`,
      "give at least one example",
    );
  }
  const n = inputs[0].length;
  inputs.forEach((x, i) => {
    if (x.length !== n)
      throw new TrainingError(
        `inputs[${i}]`,
        `has ${x.length} values but inputs[0] has ${n}`,
        "give every example the same number of inputs",
      );
  });
  if (options.weights && options.weights.length !== n + 1) {
    throw new TrainingError(
      "weights",
      `expected ${n + 1} weights [w0 (bias), w1, ..., w${n}], got ${options.weights.length}`,
      "put the bias first, as w0",
    );
  }
  const unit = options.unit ?? "sign";
  const allowed = unit === "sign" ? [-1, 1] : [0, 1];
  targets.forEach((y, i) => {
    if (!allowed.includes(Number(y)))
      throw new TrainingError(
        `targets[${i}]`,
        `${y} is not an output of a ${unit} unit`,
        `use ${allowed.join(" or ")}`,
      );
  });
  const maxEpochs = options.maxEpochs ?? 100;
  const p = toPrecision(options.precision, DEFAULT_PRECISION.perceptron);
  return run(arithFor(p) as Arith<unknown>, options, unitDef(unit), maxEpochs);
}

function run<T>(A: Arith<T>, o: PerceptronOptions, def: ScalarActivation, maxEpochs: number): PerceptronResult {
  const alpha = A.of(o.learningRate ?? 1);
  const xs = o.inputs.map((x) => [A.of(1), ...x.map((v) => A.of(v))]);
  const ys = o.targets.map((y) => A.of(y));
  let w = o.weights ? o.weights.map((v) => A.of(v)) : xs[0].map(() => A.of(0));
  const steps: PerceptronStep[] = [];
  const str = (v: T) => A.toString(v);
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    let mistakes = 0;
    xs.forEach((x, i) => {
      let net = A.of(0);
      x.forEach((xi, k) => {
        net = A.add(net, A.mul(w[k], xi));
      });
      const yHat = def.value(A, net, { alpha: 0 });
      const err = A.sub(ys[i], yHat);
      if (A.gt(A.abs(err), A.of(0))) {
        mistakes++;
        w = w.map((wk, k) => A.written(A.add(wk, A.mul(A.mul(alpha, err), x[k]))));
      }
      steps.push({
        epoch,
        example: i,
        x: x.map(str),
        net: str(net),
        prediction: str(yHat),
        target: str(ys[i]),
        error: str(err),
        weights: w.map(str),
      });
    });
    if (mistakes === 0) {
      return {
        converged: true,
        epochs: epoch,
        weights: w.map(str),
        steps,
        message: `converged after ${epoch} epoch${epoch === 1 ? "" : "s"}: every example is classified correctly`,
      };
    }
  }
  return {
    converged: false,
    epochs: maxEpochs,
    weights: w.map(str),
    steps,
    // the rule is guaranteed to converge on separable data, so a long run without convergence
    // is the perceptron's symptom of a problem like XOR
    message: `not linearly separable: no convergence within ${maxEpochs} epochs (the perceptron rule converges on any linearly separable data set, so either no line separates the classes, as for XOR, or more epochs are needed)`,
  };
}
