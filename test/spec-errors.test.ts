// Malformed network specs and the exact message parseSpec gives for each: one thing broken in
// the classic example per case. The table documents the messages a student or teacher sees
// (the command line prints them after "backprop-tutor: ").
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseSpec } from "../src/engine/spec.js";
import { traceNetwork } from "../src/engine/network.js";
import { ShapeError, SpecError, TrainingError, TutorError } from "../src/engine/errors.js";

// malformed specs: a test may set any field, at any depth, to anything (weights = 0.5, a row to null)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = Record<string, any>;
const classic: Spec = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
/** The classic example with one thing changed. */
const broken = (change: (s: Spec) => void): Spec => {
  const s = structuredClone(classic);
  change(s);
  return s;
};
const SPEC = SpecError,
  SHAPE = ShapeError;
const NUMBER_HINT = 'write a number such as 0.15 or a decimal string such as "0.15".';
const LAYERS_PROBLEM =
  "layers: expected unit counts such as [2, 2, 2] (input layer first, at least two layers, each a whole number ≥ 1)";
const LAYERS_HINT = "list the number of units in each layer, input layer first.";
const ACTIVATIONS = "identity, step, sign, sigmoid, tanh, relu, leaky_relu, prelu, elu, softplus, arctan, softmax";

const cases: [
  name: string,
  spec: unknown,
  cls: typeof SpecError | typeof ShapeError | typeof TrainingError,
  message: string,
][] = [
  // the whole spec
  [
    "not an object (an array)",
    [classic],
    SPEC,
    'spec: expected a JSON object, got an array. start from the example in the network spec: {"layers": [2, 2, 2], ...}.',
  ],
  [
    "not an object (a string)",
    "classic.json",
    SPEC,
    'spec: expected a JSON object, got "classic.json". start from the example in the network spec: {"layers": [2, 2, 2], ...}.',
  ],
  [
    "not an object (null)",
    null,
    SPEC,
    'spec: expected a JSON object, got null. start from the example in the network spec: {"layers": [2, 2, 2], ...}.',
  ],
  // layers
  ["layers missing", broken((s) => delete s.layers), SPEC, `${LAYERS_PROBLEM}, got undefined. ${LAYERS_HINT}`],
  [
    "a layer of zero units",
    broken((s) => (s.layers = [2, 0, 2])),
    SPEC,
    `${LAYERS_PROBLEM}, got [2,0,2]. ${LAYERS_HINT}`,
  ],
  [
    "a non-integer layer",
    broken((s) => (s.layers = [2, 2.5, 2])),
    SPEC,
    `${LAYERS_PROBLEM}, got [2,2.5,2]. ${LAYERS_HINT}`,
  ],
  [
    "layer sizes as strings",
    broken((s) => (s.layers = ["2", "2", "2"])),
    SPEC,
    `${LAYERS_PROBLEM}, got ["2","2","2"]. ${LAYERS_HINT}`,
  ],
  ["only one layer", broken((s) => (s.layers = [2])), SPEC, `${LAYERS_PROBLEM}, got [2]. ${LAYERS_HINT}`],
  // activations
  [
    "activations missing",
    broken((s) => delete s.activations),
    SPEC,
    'activations: expected a list of 2 activation names (one per computing layer), got undefined. e.g. ["sigmoid","sigmoid"].',
  ],
  [
    "activations: wrong count",
    broken((s) => (s.activations = ["sigmoid"])),
    SHAPE,
    "activations: has 1 entry but layers [2,2,2] has 2 computing layers. give one activation per layer after the input, 2 in all.",
  ],
  [
    "unknown activation",
    broken((s) => (s.activations = ["sigmoid", "sigmod"])),
    SPEC,
    `activations[1]: unknown activation "sigmod" (did you mean "sigmoid"?). use one of ${ACTIVATIONS}.`,
  ],
  [
    "activation not a name",
    broken((s) => (s.activations = ["sigmoid", 3])),
    SPEC,
    `activations[1]: expected an activation name or {"name": ..., "alpha": ...}, got 3. use one of ${ACTIVATIONS}.`,
  ],
  [
    "softmax on a hidden layer",
    broken((s) => (s.activations = ["softmax", "sigmoid"])),
    SPEC,
    "activations[0]: softmax is used on hidden layer 1. softmax is for the output layer only; use e.g. sigmoid, tanh or relu in hidden layers.",
  ],
  [
    "softmax on one output unit",
    broken((s) => {
      s.layers = [2, 2, 1];
      s.activations = ["sigmoid", "softmax"];
    }),
    SPEC,
    "activations[1]: softmax on a layer of one unit always outputs 1. use sigmoid for a single output, or give the output layer one unit per class.",
  ],
  [
    "alpha not a number",
    broken((s) => (s.activations = [{ name: "leaky_relu", alpha: "big" }, "sigmoid"])),
    SPEC,
    'activations[0].alpha: expected a finite number, got "big". write e.g. {"name": "leaky_relu", "alpha": 0.2} or "alpha": "0.2".',
  ],
  // loss
  [
    "loss missing",
    broken((s) => delete s.loss),
    SPEC,
    'loss: is missing. add e.g. "loss": "half_sse" (or mse, bce, cross_entropy).',
  ],
  [
    "unknown loss",
    broken((s) => (s.loss = "mae")),
    SPEC,
    'loss: unknown loss "mae" (did you mean "mse"?). use one of half_sse, mse, bce, cross_entropy.',
  ],
  [
    "cross_entropy without softmax",
    broken((s) => (s.loss = "cross_entropy")),
    SPEC,
    'loss: cross_entropy needs a softmax output layer, but the output activation is sigmoid. set the last activation to "softmax", or use "bce" for sigmoid outputs.',
  ],
  // weights
  [
    "weights missing",
    broken((s) => delete s.weights),
    SPEC,
    'weights: is missing. give 2 weight matrices, weights[l-1][j][k] from unit k of layer l-1 to unit j of layer l, or use training with an "init" method.',
  ],
  [
    "weights not a list",
    broken((s) => (s.weights = 0.5)),
    SPEC,
    "weights: expected 2 weight matrices, got 0.5. write weights as a list of matrices, one per computing layer.",
  ],
  [
    "wrong number of matrices",
    broken((s) => s.weights.pop()),
    SHAPE,
    "weights: has 1 matrices but layers [2,2,2] needs 2. give one matrix per layer after the input, 2 in all.",
  ],
  [
    "wrong number of rows",
    broken((s) => s.weights[0].pop()),
    SHAPE,
    "weights[0]: layer 1 has 2 units, so this matrix needs 2 rows (one per receiving unit), got 1. write weights[0][j][k] for the weight from unit k of layer 0 to unit j of layer 1.",
  ],
  [
    "wrong number of columns",
    broken((s) => s.weights[1][0].push(0.1)),
    SHAPE,
    "weights[1][0]: has 3 values but needs 2: one weight from each of the 2 units of layer 1 into unit 0 of layer 2. give exactly 2.",
  ],
  [
    "a row that is a number",
    broken((s) => (s.weights[1][1] = 0.5)),
    SPEC,
    "weights[1][1]: expected an array of 2 numbers (one weight from each of the 2 units of layer 1 into unit 1 of layer 2), got 0.5. write one weight from each of the 2 units of layer 1 into unit 1 of layer 2 as a list of 2 numbers.",
  ],
  [
    'non-numeric weight "abc"',
    broken((s) => (s.weights[0][1][0] = "abc")),
    SPEC,
    `weights[0][1][0]: expected a number, got "abc". ${NUMBER_HINT}`,
  ],
  [
    "null weight",
    broken((s) => (s.weights[1][0][1] = null)),
    SPEC,
    `weights[1][0][1]: expected a number, got null. ${NUMBER_HINT}`,
  ],
  // biases
  [
    "biases: wrong number of layers",
    broken((s) => (s.biases = [0.35])),
    SHAPE,
    "biases: expected 2 entries (one per computing layer), got 1. give each layer either one shared number or a list with one bias per unit.",
  ],
  [
    "biases: wrong number of units",
    broken((s) => (s.biases = [[0.35, 0.35, 0.35], 0.6])),
    SHAPE,
    "biases[0]: has 3 values but needs 2: one bias per unit of layer 1. give exactly 2.",
  ],
  [
    "non-numeric bias",
    broken((s) => (s.biases = [0.35, "x"])),
    SPEC,
    `biases[1]: expected a number, got "x". ${NUMBER_HINT}`,
  ],
  // examples
  [
    "input of the wrong length",
    broken((s) => (s.input = [0.05])),
    SHAPE,
    "input: has 1 value but needs 2: one value per input unit. give exactly 2.",
  ],
  [
    "input missing",
    broken((s) => delete s.input),
    SPEC,
    'input: is missing. give the example as "input": [x, x] (2 numbers), or a batch as "inputs".',
  ],
  [
    "target missing",
    broken((s) => delete s.target),
    SPEC,
    'target: is missing. give the desired output as "target" with 2 numbers.',
  ],
  [
    "non-numeric target",
    broken((s) => (s.target = [0.01, true])),
    SPEC,
    `target[1]: expected a number, got true. ${NUMBER_HINT}`,
  ],
  [
    "inputs and targets: count mismatch",
    broken((s) => {
      delete s.input;
      delete s.target;
      s.inputs = [
        [0.05, 0.1],
        [0.1, 0.2],
      ];
      s.targets = [[0.01, 0.99]];
    }),
    SHAPE,
    "targets: has 1 example but inputs has 2. give exactly one target per input.",
  ],
  [
    "input together with inputs",
    broken((s) => {
      s.inputs = [[0.05, 0.1]];
      s.targets = [[0.01, 0.99]];
    }),
    SPEC,
    "input: is given together with inputs. use either input/target (one example) or inputs/targets (a batch).",
  ],
  [
    "empty inputs",
    broken((s) => {
      delete s.input;
      delete s.target;
      s.inputs = [];
      s.targets = [];
    }),
    SPEC,
    "inputs: expected a non-empty list of examples, got []. write inputs as [[x1, x2, ...], ...] with 2 numbers per example.",
  ],
  [
    "targets missing",
    broken((s) => {
      delete s.input;
      delete s.target;
      s.inputs = [[0.05, 0.1]];
    }),
    SPEC,
    "targets: is missing. give one target per example, each with 2 numbers.",
  ],
  // options
  [
    "a misspelled field",
    broken((s) => {
      s.lerningRate = 0.1;
    }),
    SPEC,
    'lerningRate: is not a field of the network spec (did you mean "learningRate"?). rename it to "learningRate"; as written it would be ignored.',
  ],
  [
    "a negative learning rate",
    broken((s) => (s.learningRate = -0.5)),
    SPEC,
    "learningRate: is -0.5, but it must not be negative (a negative step climbs the loss). give a step size such as 0.5.",
  ],
  [
    "a negative weight decay",
    broken((s) => (s.weightDecay = "-0.01")),
    SPEC,
    "weightDecay: is -0.01, but it must not be negative (negative decay makes the weights grow). give an L2 strength such as 0.001, or leave it out.",
  ],
  [
    "bad batch mode",
    broken((s) => (s.batch = "mini:0")),
    SPEC,
    'batch: unknown batch mode "mini:0". use "full", "stochastic" or "mini:N" with N ≥ 1, e.g. "mini:10".',
  ],
  [
    "updateBiases not a boolean",
    broken((s) => (s.updateBiases = "no")),
    SPEC,
    'updateBiases: expected true or false, got "no". write true to update biases (the default) or false to leave them fixed.',
  ],
  [
    "learningRate not a number",
    broken((s) => (s.learningRate = "fast")),
    SPEC,
    `learningRate: expected a number, got "fast". ${NUMBER_HINT}`,
  ],
  [
    'learningRate "NaN"',
    broken((s) => (s.learningRate = "NaN")),
    SPEC,
    `learningRate: expected a number, got "NaN". ${NUMBER_HINT}`,
  ],
  [
    "weightDecay not a number",
    broken((s) => (s.weightDecay = [0.1])),
    SPEC,
    `weightDecay: expected a number, got [0.1]. ${NUMBER_HINT}`,
  ],
  [
    "hiddenDeltaWeights unknown",
    broken((s) => (s.hiddenDeltaWeights = "new")),
    SPEC,
    'hiddenDeltaWeights: expected "original" or "updated", got "new". leave it out for standard backpropagation ("original").',
  ],
  // targets the losses' formulas rely on
  [
    "cross_entropy targets that sum to 1.5",
    broken((s) => {
      s.layers = [2, 3];
      s.activations = ["softmax"];
      s.loss = "cross_entropy";
      s.weights = [
        [
          [0.1, 0.2],
          [0.3, 0.4],
          [0.5, 0.6],
        ],
      ];
      s.biases = [0];
      s.target = [0.5, 0.6, 0.4];
      delete s.names;
    }),
    SPEC,
    'target: sums to 1.5, but the targets of cross_entropy must be non-negative and sum to 1 (with softmax the engine uses δ = a − t, which holds only then). give one-hot for a class, e.g. [1, 0, 0], or probabilities that sum to 1; for labels that are independent of each other use sigmoid outputs with "bce".',
  ],
  [
    "a negative cross_entropy target in a batch",
    broken((s) => {
      s.activations = ["sigmoid", "softmax"];
      s.loss = "cross_entropy";
      delete s.input;
      delete s.target;
      s.inputs = [
        [0.05, 0.1],
        [0.1, 0.2],
      ];
      s.targets = [
        [0, 1],
        ["1.5", "-0.5"],
      ];
    }),
    SPEC,
    "targets[1][1]: is -0.5, but the targets of cross_entropy must be non-negative and sum to 1 (a probability distribution over the classes). give one-hot for a class, e.g. [1, 0].",
  ],
  [
    "bce targets outside [0, 1]",
    broken((s) => {
      s.loss = "bce";
      s.target = [2, -1];
    }),
    SPEC,
    "target[0]: is 2, but a bce target must be between 0 and 1 (the probability that output 0 is on). use 1 or 0 for a label, or a probability in between.",
  ],
  // numbers beyond the double range
  [
    'a weight "1e400"',
    broken((s) => (s.weights[0][1][0] = "1e400")),
    SPEC,
    'weights[0][1][0]: "1e400" is beyond the range of double-precision numbers (±1.8e308). give a number of ordinary size; the float precision cannot hold it.',
  ],
  [
    "an input 1e400 (JSON reads it as Infinity)",
    broken((s) => (s.input = [JSON.parse("1e400"), 0.1])),
    SPEC,
    "input[0]: Infinity is not a finite number (JSON reads a number beyond ±1.8e308 as Infinity). give an ordinary number such as 0.15.",
  ],
  // training settings in the spec
  [
    "an unknown optimizer in the spec",
    broken((s) => (s.optimizer = "adamw")),
    TrainingError,
    'optimizer: unknown optimizer "adamw". use one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adadelta, or {"name": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "biasCorrection": false}.',
  ],
  [
    "optimizer.biasCorrection not a boolean",
    broken((s) => (s.optimizer = { name: "adam", biasCorrection: "no" })),
    TrainingError,
    'optimizer.biasCorrection: expected true or false, got "no". write false for Adam as the lecture notes on optimizers write it, without bias correction.',
  ],
  [
    "epochs not a whole number",
    broken((s) => (s.epochs = 10.5)),
    SPEC,
    'epochs: expected a whole number ≥ 1, got 10.5. e.g. "epochs": 1000.',
  ],
  ["seed negative", broken((s) => (s.seed = -1)), SPEC, 'seed: expected a whole number ≥ 0, got -1. e.g. "seed": 42.'],
  // names
  [
    "names not an object",
    broken((s) => (s.names = ["i1"])),
    SPEC,
    'names: expected an object with units/weights/biases, got ["i1"]. e.g. "names": {"units": [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]]}.',
  ],
  [
    "names.units wrong shape",
    broken((s) => (s.names.units = [["i1", "i2"], ["h1"], ["o1", "o2"]])),
    SHAPE,
    'names.units: expected one list of names per layer matching layers [2,2,2]. e.g. [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]].',
  ],
  [
    "names.weights wrong shape",
    broken((s) => (s.names.weights = [["w1"]])),
    SHAPE,
    'names.weights: must have the same shape as weights. e.g. [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]].',
  ],
  [
    "names.biases wrong shape",
    broken((s) => (s.names.biases = ["b1"])),
    SHAPE,
    'names.biases: must have one name (shared bias) or one list of names per computing layer. e.g. ["b1", "b2"].',
  ],
];

describe("values the spec allows", () => {
  it('an alpha given as a decimal string ("0.2") is used as written', () => {
    const s = broken((x) => (x.activations = [{ name: "leaky_relu", alpha: "0.2" }, "sigmoid"]));
    s.weights[0][0] = [-0.15, -0.2];
    s.biases = [-0.35, 0.6];
    const spec = parseSpec(s);
    expect(spec.activations[0].params.alpha).toBe("0.2");
    const t = traceNetwork(s, { precision: "exact" });
    // z_h1 = -0.15·0.05 − 0.2·0.1 − 0.35 = −0.3775, a_h1 = 0.2 · (−0.3775) = −0.0755
    expect(t.forward.z[1]![0]).toBe("-0.3775");
    expect(t.forward.a[1][0]).toBe("-0.0755");
  });

  it("cross_entropy accepts one-hot targets and soft labels written as doubles (1/3 each)", () => {
    const base = {
      layers: [1, 3],
      activations: ["softmax"],
      loss: "cross_entropy",
      weights: [[[1], [2], [3]]],
      biases: [0],
      input: [1],
    };
    expect(() => parseSpec({ ...base, target: [0, 1, 0] })).not.toThrow();
    expect(() => parseSpec({ ...base, target: [1 / 3, 1 / 3, 1 / 3] })).not.toThrow();
    expect(() => parseSpec({ ...base, target: ["0.2", "0.3", "0.5"] })).not.toThrow();
  });
});

describe("parseSpec: one message per malformed spec", () => {
  it("the classic example itself is accepted", () => {
    expect(() => parseSpec(classic)).not.toThrow();
  });

  it.each(cases)("%s", (_name, spec, cls, message) => {
    let err: unknown;
    try {
      parseSpec(spec);
    } catch (e) {
      err = e;
    }
    expect(err, "parseSpec should have thrown").toBeInstanceOf(cls);
    expect((err as TutorError).message).toBe(message);
  });

  it("every message names a field and ends with a hint sentence", () => {
    for (const [, spec] of cases) {
      try {
        parseSpec(spec);
      } catch (e) {
        const t = e as TutorError;
        expect(t).toBeInstanceOf(TutorError);
        expect(t.message.startsWith(`${t.where}: `)).toBe(true);
        expect(t.message.endsWith(".")).toBe(true);
        expect(t.message).not.toContain("\n");
      }
    }
  });
});
