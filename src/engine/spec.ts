// Reading a network spec (docs/network-spec.md): every field is checked, and a
// problem is reported with the field's path and what was expected. Numbers stay as the spec
// wrote them (number or decimal string) until an Arith turns them into its own kind.
import { resolveActivation, type ResolvedActivation } from "./activations.js";
import { resolveLoss, type Loss } from "./losses.js";
import { SpecError, ShapeError, quoted } from "./errors.js";
import { closest } from "./suggest.js";
import { D, isNumberText } from "./numeric.js";
import { readOptimizer, type OptimizerConfig } from "./optimizers.js";

/** A number as written in the spec: a JS number or a decimal string ("0.15"). */
export type Raw = number | string;

export interface BiasLayer {
  /** true when the spec gave one number for the whole layer (the classic b1, b2) */
  shared: boolean;
  /** one value per unit; for a shared bias, the single value */
  values: Raw[];
}

export interface Example {
  input: Raw[];
  target: Raw[];
}

export type BatchMode = { kind: "full" } | { kind: "mini"; size: number } | { kind: "stochastic" };

export interface UnitNames {
  units?: string[][];
  weights?: string[][][];
  biases?: (string | string[])[];
}

export interface NetworkSpec {
  layers: number[];
  activations: ResolvedActivation[];
  loss: Loss;
  weights: Raw[][][];
  biases: BiasLayer[];
  updateBiases: boolean;
  learningRate: Raw;
  examples: Example[];
  /** whether the spec used `inputs`/`targets` (a batch) rather than one `input`/`target` */
  isBatch: boolean;
  batch: BatchMode;
  names?: UnitNames;
  /**
   * Which output-layer weights the hidden-layer deltas use. "original" is backpropagation;
   * "updated" reproduces a widely printed mistake (w5..w8 already updated), kept so the tutor
   * can show why a published figure differs from the correct one.
   */
  hiddenDeltaWeights: "original" | "updated";
  /** L2 weight decay λ: the update uses dW + λW (biases are not decayed). */
  weightDecay: Raw;
  /** The spec's own training settings: the defaults of train(), which its options override. */
  training: TrainingDefaults;
  /** The raw JSON, for extensions (training options) that other modules read. */
  raw: Record<string, unknown>;
}

export interface TrainingDefaults {
  optimizer?: OptimizerConfig;
  /** seed for shuffling, and for an "init" that gives no seed of its own */
  seed?: number;
  epochs?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A finite number or a decimal string; anything else is an error naming the field. */
export function readNumber(v: unknown, where: string): Raw {
  if (typeof v === "number") {
    // JSON.parse reads a number beyond ±1.8e308 as Infinity
    if (!Number.isFinite(v))
      throw new SpecError(
        where,
        `${v} is not a finite number (JSON reads a number beyond ±1.8e308 as Infinity)`,
        "give an ordinary number such as 0.15",
      );
    return v;
  }
  if (typeof v === "string" && isNumberText(v)) {
    // exact decimals could hold "1e400", but float traces and training could not
    if (!Number.isFinite(Number(v)))
      throw new SpecError(
        where,
        `${quoted(v)} is beyond the range of double-precision numbers (±1.8e308)`,
        "give a number of ordinary size; the float precision cannot hold it",
      );
    return v.trim();
  }
  throw new SpecError(
    where,
    `expected a number, got ${quoted(v)}`,
    'write a number such as 0.15 or a decimal string such as "0.15"',
  );
}

function readNumberArray(v: unknown, length: number, where: string, what: string): Raw[] {
  if (!Array.isArray(v))
    throw new SpecError(
      where,
      `expected an array of ${length} numbers (${what}), got ${quoted(v)}`,
      `write ${what} as a list of ${length} numbers`,
    );
  if (v.length !== length)
    throw new ShapeError(
      where,
      `has ${v.length} value${v.length === 1 ? "" : "s"} but needs ${length}: ${what}`,
      `give exactly ${length}`,
    );
  return v.map((x, i) => readNumber(x, `${where}[${i}]`));
}

function readNonNegative(v: unknown, where: string, why: string, example: string): Raw {
  const x = readNumber(v, where);
  if (Number(x) < 0) throw new SpecError(where, `is ${x}, but it must not be negative (${why})`, `give ${example}`);
  return x;
}

/** The spec's fields, as network-spec.md lists them, plus the training extensions. */
const SPEC_FIELDS = [
  "layers",
  "activations",
  "loss",
  "weights",
  "biases",
  "updateBiases",
  "learningRate",
  "input",
  "target",
  "inputs",
  "targets",
  "batch",
  "names",
  "hiddenDeltaWeights",
  "weightDecay",
  "init",
  "optimizer",
  "seed",
  "epochs",
] as const;

/**
 * A field that is not in the spec but is one typo away from a field that is ("lerningRate") would
 * otherwise be ignored and its default used silently. Other extra fields (a "description") are allowed.
 */
function rejectMisspelledFields(json: Record<string, unknown>): void {
  for (const key of Object.keys(json)) {
    if ((SPEC_FIELDS as readonly string[]).includes(key)) continue;
    const near = closest(key, SPEC_FIELDS);
    if (near.length)
      throw new SpecError(
        key,
        `is not a field of the network spec (did you mean "${near[0]}"?)`,
        `rename it to "${near[0]}"; as written it would be ignored`,
      );
  }
}

function readBatch(v: unknown): BatchMode {
  if (v === undefined || v === "full") return { kind: "full" };
  if (v === "stochastic") return { kind: "stochastic" };
  if (typeof v === "string") {
    const m = /^mini:(\d+)$/.exec(v);
    if (m && Number(m[1]) > 0) return { kind: "mini", size: Number(m[1]) };
  }
  throw new SpecError(
    "batch",
    `unknown batch mode ${quoted(v)}`,
    'use "full", "stochastic" or "mini:N" with N ≥ 1, e.g. "mini:10"',
  );
}

export interface ParseOptions {
  /** Allow a spec without weights (they will be drawn by an initialiser). */
  allowMissingWeights?: boolean;
}

/**
 * The most weights and biases a spec may have. Every parameter becomes several traced steps (in
 * exact decimals, a few hundred bytes each), so 10⁶ units would take gigabytes; the limit is
 * checked before anything is built.
 */
export const MAX_PARAMETERS = 100_000;

/** Weights and biases of a network with these layer sizes. */
export function parameterCount(layers: readonly number[]): number {
  return layers.slice(1).reduce((n, units, l) => n + units * (layers[l] + 1), 0);
}

/** Check and read a spec. Throws SpecError/ShapeError naming the field. */
export function parseSpec(json: unknown, options: ParseOptions = {}): NetworkSpec {
  if (!isObject(json))
    throw new SpecError(
      "spec",
      `expected a JSON object, got ${Array.isArray(json) ? "an array" : quoted(json)}`,
      'start from the example in the network spec: {"layers": [2, 2, 2], ...}',
    );
  rejectMisspelledFields(json);
  // read in this order, so that of several mistakes the first one named is the same as always
  const layers = readLayers(json.layers);
  const activations = readActivations(json.activations, layers);
  const loss = readLoss(json.loss, activations);
  const weights = readWeights(json.weights, layers, options);
  const biases = readBiases(json.biases, layers);
  const updateBiases = readUpdateBiases(json.updateBiases);
  const learningRate =
    json.learningRate === undefined
      ? 0.5
      : readNonNegative(
          json.learningRate,
          "learningRate",
          "a negative step climbs the loss",
          "a step size such as 0.5",
        );
  const weightDecay =
    json.weightDecay === undefined
      ? 0
      : readNonNegative(
          json.weightDecay,
          "weightDecay",
          "negative decay makes the weights grow",
          "an L2 strength such as 0.001, or leave it out",
        );
  const { examples, isBatch } = readExamples(json, layers);
  examples.forEach((ex, i) => checkTargets(loss.name, ex.target, isBatch ? `targets[${i}]` : "target"));
  const hiddenDeltaWeights = readHiddenDeltaWeights(json.hiddenDeltaWeights);
  const spec: NetworkSpec = {
    layers,
    activations,
    loss,
    weights,
    biases,
    updateBiases,
    learningRate,
    examples,
    isBatch,
    batch: readBatch(json.batch),
    hiddenDeltaWeights,
    weightDecay,
    training: readTrainingDefaults(json),
    raw: json,
  };
  if (json.names !== undefined) spec.names = readNames(json.names, layers);
  return spec;
}

/** Unit counts, input layer first: at least two layers, each ≥ 1, within MAX_PARAMETERS. */
function readLayers(v: unknown): number[] {
  if (!Array.isArray(v) || v.length < 2 || !v.every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw new SpecError(
      "layers",
      `expected unit counts such as [2, 2, 2] (input layer first, at least two layers, each a whole number ≥ 1), got ${quoted(v)}`,
      "list the number of units in each layer, input layer first",
    );
  }
  const layers = v as number[];
  const parameters = parameterCount(layers);
  if (parameters > MAX_PARAMETERS) {
    throw new ShapeError(
      "layers",
      `${quoted(layers)} has ${parameters.toLocaleString("en")} weights and biases, more than the ${MAX_PARAMETERS.toLocaleString("en")} a traced network may have`,
      "the tutor traces every step of small networks; train a network this size with the float matrix path (trainMatrix)",
    );
  }
  return layers;
}

/** One activation per computing layer; softmax only on an output layer of two or more units. */
function readActivations(v: unknown, layers: readonly number[]): ResolvedActivation[] {
  const L = layers.length - 1;
  if (!Array.isArray(v))
    throw new SpecError(
      "activations",
      `expected a list of ${L} activation names (one per computing layer), got ${quoted(v)}`,
      `e.g. ${quoted(Array(L).fill("sigmoid"))}`,
    );
  if (v.length !== L)
    throw new ShapeError(
      "activations",
      `has ${v.length} ${v.length === 1 ? "entry" : "entries"} but layers ${quoted(layers)} has ${L} computing layer${L === 1 ? "" : "s"}`,
      `give one activation per layer after the input, ${L} in all`,
    );
  const activations = v.map((a, i) => resolveActivation(a, `activations[${i}]`));
  activations.forEach((act, i) => {
    if (act.def.kind === "vector" && i !== L - 1)
      throw new SpecError(
        `activations[${i}]`,
        `softmax is used on hidden layer ${i + 1}`,
        "softmax is for the output layer only; use e.g. sigmoid, tanh or relu in hidden layers",
      );
    if (act.def.kind === "vector" && layers[i + 1] < 2)
      throw new SpecError(
        `activations[${i}]`,
        "softmax on a layer of one unit always outputs 1",
        "use sigmoid for a single output, or give the output layer one unit per class",
      );
  });
  return activations;
}

/** The loss, which must suit the output activation (cross_entropy needs softmax). */
function readLoss(v: unknown, activations: readonly ResolvedActivation[]): Loss {
  if (v === undefined)
    throw new SpecError("loss", "is missing", 'add e.g. "loss": "half_sse" (or mse, bce, cross_entropy)');
  const loss = resolveLoss(v);
  const outAct = activations[activations.length - 1].def.name;
  if (loss.name === "cross_entropy" && outAct !== "softmax")
    throw new SpecError(
      "loss",
      `cross_entropy needs a softmax output layer, but the output activation is ${outAct}`,
      'set the last activation to "softmax", or use "bce" for sigmoid outputs',
    );
  return loss;
}

/** weights[l-1][j][k], from unit k of layer l-1 to unit j of layer l (empty when an initialiser will draw them). */
function readWeights(v: unknown, layers: readonly number[], options: ParseOptions): Raw[][][] {
  const L = layers.length - 1;
  if (v === undefined) {
    if (options.allowMissingWeights) return [];
    throw new SpecError(
      "weights",
      "is missing",
      `give ${L} weight matrices, weights[l-1][j][k] from unit k of layer l-1 to unit j of layer l, or use training with an "init" method`,
    );
  }
  if (!Array.isArray(v))
    throw new SpecError(
      "weights",
      `expected ${L} weight matrices, got ${quoted(v)}`,
      "write weights as a list of matrices, one per computing layer",
    );
  if (v.length !== L)
    throw new ShapeError(
      "weights",
      `has ${v.length} matrices but layers ${quoted(layers)} needs ${L}`,
      `give one matrix per layer after the input, ${L} in all`,
    );
  return v.map((W, l) => readWeightMatrix(W, l, layers));
}

function readWeightMatrix(W: unknown, l: number, layers: readonly number[]): Raw[][] {
  const rows = layers[l + 1],
    cols = layers[l],
    where = `weights[${l}]`;
  if (!Array.isArray(W) || W.length !== rows)
    throw new ShapeError(
      where,
      `layer ${l + 1} has ${rows} unit${rows === 1 ? "" : "s"}, so this matrix needs ${rows} rows (one per receiving unit), got ${Array.isArray(W) ? W.length : quoted(W)}`,
      `write weights[${l}][j][k] for the weight from unit k of layer ${l} to unit j of layer ${l + 1}`,
    );
  return W.map((row, j) =>
    readNumberArray(
      row,
      cols,
      `${where}[${j}]`,
      `one weight from each of the ${cols} unit${cols === 1 ? "" : "s"} of layer ${l} into unit ${j} of layer ${l + 1}`,
    ),
  );
}

/** Per layer, one shared bias or one per unit; zeros when the spec gives none. */
function readBiases(v: unknown, layers: readonly number[]): BiasLayer[] {
  const L = layers.length - 1;
  if (v === undefined) return layers.slice(1).map((n) => ({ shared: false, values: Array<Raw>(n).fill(0) }));
  if (!Array.isArray(v) || v.length !== L)
    throw new ShapeError(
      "biases",
      `expected ${L} entries (one per computing layer), got ${Array.isArray(v) ? v.length : quoted(v)}`,
      "give each layer either one shared number or a list with one bias per unit",
    );
  return v.map((b, l) =>
    Array.isArray(b)
      ? {
          shared: false,
          values: readNumberArray(b, layers[l + 1], `biases[${l}]`, `one bias per unit of layer ${l + 1}`),
        }
      : { shared: true, values: [readNumber(b, `biases[${l}]`)] },
  );
}

function readUpdateBiases(v: unknown): boolean {
  const updateBiases = v ?? true;
  if (typeof updateBiases !== "boolean")
    throw new SpecError(
      "updateBiases",
      `expected true or false, got ${quoted(updateBiases)}`,
      "write true to update biases (the default) or false to leave them fixed",
    );
  return updateBiases;
}

function readHiddenDeltaWeights(v: unknown): NetworkSpec["hiddenDeltaWeights"] {
  const hiddenDeltaWeights = v ?? "original";
  if (hiddenDeltaWeights !== "original" && hiddenDeltaWeights !== "updated")
    throw new SpecError(
      "hiddenDeltaWeights",
      `expected "original" or "updated", got ${quoted(hiddenDeltaWeights)}`,
      'leave it out for standard backpropagation ("original")',
    );
  return hiddenDeltaWeights;
}

/** One example (input/target) or a batch (inputs/targets), never both. */
function readExamples(
  json: Record<string, unknown>,
  layers: readonly number[],
): { examples: Example[]; isBatch: boolean } {
  const isBatch = json.inputs !== undefined || json.targets !== undefined;
  return { examples: isBatch ? readBatchExamples(json, layers) : [readOneExample(json, layers)], isBatch };
}

function readBatchExamples(json: Record<string, unknown>, layers: readonly number[]): Example[] {
  const nIn = layers[0],
    nOut = layers[layers.length - 1];
  if (json.input !== undefined)
    throw new SpecError(
      "input",
      "is given together with inputs",
      "use either input/target (one example) or inputs/targets (a batch)",
    );
  if (!Array.isArray(json.inputs) || json.inputs.length === 0)
    throw new SpecError(
      "inputs",
      `expected a non-empty list of examples, got ${quoted(json.inputs)}`,
      `write inputs as [[x1, x2, ...], ...] with ${nIn} numbers per example`,
    );
  if (!Array.isArray(json.targets))
    throw new SpecError("targets", "is missing", `give one target per example, each with ${nOut} numbers`);
  if (json.targets.length !== json.inputs.length)
    throw new ShapeError(
      "targets",
      `has ${json.targets.length} example${json.targets.length === 1 ? "" : "s"} but inputs has ${json.inputs.length}`,
      "give exactly one target per input",
    );
  const targets = json.targets;
  return json.inputs.map((x, i) => ({
    input: readNumberArray(x, nIn, `inputs[${i}]`, `one value per input unit`),
    target: readNumberArray(targets[i], nOut, `targets[${i}]`, `one value per output unit`),
  }));
}

function readOneExample(json: Record<string, unknown>, layers: readonly number[]): Example {
  const nIn = layers[0],
    nOut = layers[layers.length - 1];
  if (json.input === undefined)
    throw new SpecError(
      "input",
      "is missing",
      `give the example as "input": [${Array(nIn).fill("x").join(", ")}] (${nIn} numbers), or a batch as "inputs"`,
    );
  if (json.target === undefined)
    throw new SpecError("target", "is missing", `give the desired output as "target" with ${nOut} numbers`);
  return {
    input: readNumberArray(json.input, nIn, "input", `one value per input unit`),
    target: readNumberArray(json.target, nOut, "target", `one value per output unit`),
  };
}

/**
 * Targets the losses' shortcuts rely on. With softmax, cross-entropy's δ = a − t holds only when
 * Σt = 1 (in general δ_j = a_j Σt − t_j), so other targets would give silently wrong gradients;
 * binary cross-entropy's targets are probabilities.
 */
function checkTargets(loss: string, target: readonly Raw[], where: string): void {
  if (loss === "bce") {
    target.forEach((t, k) => {
      const x = new D(t);
      if (x.lt(0) || x.gt(1))
        throw new SpecError(
          `${where}[${k}]`,
          `is ${t}, but a bce target must be between 0 and 1 (the probability that output ${k} is on)`,
          "use 1 or 0 for a label, or a probability in between",
        );
    });
  }
  if (loss === "cross_entropy") {
    const oneHot = `one-hot for a class, e.g. [${target.map((_, k) => (k === 0 ? 1 : 0)).join(", ")}]`;
    target.forEach((t, k) => {
      if (new D(t).lt(0))
        throw new SpecError(
          `${where}[${k}]`,
          `is ${t}, but the targets of cross_entropy must be non-negative and sum to 1 (a probability distribution over the classes)`,
          `give ${oneHot}`,
        );
    });
    const total = target.reduce<InstanceType<typeof D>>((s, t) => s.plus(t), new D(0));
    // a tolerance for soft labels written as doubles (1/3 as 0.3333333333333333)
    if (total.minus(1).abs().gt(1e-12)) {
      throw new SpecError(
        where,
        `sums to ${total.toString()}, but the targets of cross_entropy must be non-negative and sum to 1 (with softmax the engine uses δ = a − t, which holds only then)`,
        `give ${oneHot}, or probabilities that sum to 1; for labels that are independent of each other use sigmoid outputs with "bce"`,
      );
    }
  }
}

/** The spec's optimizer, seed and epochs, checked here so that a mistake names the field. */
function readTrainingDefaults(json: Record<string, unknown>): TrainingDefaults {
  const out: TrainingDefaults = {};
  if (json.optimizer !== undefined) out.optimizer = readOptimizer(json.optimizer, "optimizer");
  for (const key of ["seed", "epochs"] as const) {
    const v = json[key];
    if (v === undefined) continue;
    const min = key === "epochs" ? 1 : 0;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min)
      throw new SpecError(
        key,
        `expected a whole number ≥ ${min}, got ${quoted(v)}`,
        key === "epochs" ? 'e.g. "epochs": 1000' : 'e.g. "seed": 42',
      );
    out[key] = v;
  }
  return out;
}

function readNames(v: unknown, layers: number[]): UnitNames {
  if (!isObject(v))
    throw new SpecError(
      "names",
      `expected an object with units/weights/biases, got ${quoted(v)}`,
      'e.g. "names": {"units": [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]]}',
    );
  const names: UnitNames = {};
  const isStr = (x: unknown): x is string => typeof x === "string" && x.length > 0;
  if (v.units !== undefined) {
    const u = v.units;
    if (
      !Array.isArray(u) ||
      u.length !== layers.length ||
      !u.every((row, l) => Array.isArray(row) && row.length === layers[l] && row.every(isStr))
    ) {
      throw new ShapeError(
        "names.units",
        `expected one list of names per layer matching layers ${quoted(layers)}`,
        'e.g. [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]]',
      );
    }
    names.units = u as string[][];
  }
  if (v.weights !== undefined) {
    const w = v.weights;
    const ok =
      Array.isArray(w) &&
      w.length === layers.length - 1 &&
      w.every(
        (M, l) =>
          Array.isArray(M) &&
          M.length === layers[l + 1] &&
          M.every((row) => Array.isArray(row) && row.length === layers[l] && row.every(isStr)),
      );
    if (!ok)
      throw new ShapeError(
        "names.weights",
        "must have the same shape as weights",
        'e.g. [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]',
      );
    names.weights = w as string[][][];
  }
  if (v.biases !== undefined) {
    const b = v.biases;
    if (
      !Array.isArray(b) ||
      b.length !== layers.length - 1 ||
      !b.every((x, l) => isStr(x) || (Array.isArray(x) && x.length === layers[l + 1] && x.every(isStr)))
    ) {
      throw new ShapeError(
        "names.biases",
        "must have one name (shared bias) or one list of names per computing layer",
        'e.g. ["b1", "b2"]',
      );
    }
    names.biases = b as (string | string[])[];
  }
  return names;
}
