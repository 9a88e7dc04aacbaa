// The training loop: epochs of forward pass, backward pass and optimizer step, over the whole
// batch, mini-batches or one example at a time (the lecture notes' "incremental mode"). It reuses the
// network's forwardPass/exampleLoss/backwardPass, so training runs in float, exact or dp:N with
// the same code as a single traced step. Nothing is logged per step unless keepSteps asks for
// it, and then only for the epochs `history` keeps, so a 10,000-epoch run stays small.
//
// What produces the classic example's widely printed figures (examples/classic.json, lr 0.5):
//   * "after 10,000 rounds the error is 0.0000351085": that is the loss a loop prints in its
//     10,000th epoch's forward pass, i.e. after 9,999 updates (3.510854812e-05); after the
//     10,000th update it is 3.510187783e-05. Hence history[].loss is the loss of that epoch's
//     forward passes (before its update) and final.loss the loss after the last update.
//   * the first-update error 0.291027924 and final outputs 0.015912196 / 0.984065734 come from
//     computing the hidden deltas with the already-updated w5..w8 (hiddenDeltaWeights "updated");
//     correct backpropagation gives 0.29102777369 and 0.01591362044 / 0.98406427351.
import type { Arith } from "./numeric.js";
import {
  arithFor,
  D,
  DEFAULT_PRECISION,
  precisionName,
  toPrecision,
  withinDoubleRange,
  type PrecisionInput,
} from "./numeric.js";
import {
  backwardPass,
  exampleLoss,
  forwardPass,
  instantiate,
  meanGradients,
  traceAt,
  type BackwardOptions,
  type Gradients,
  type Net,
  type Params,
} from "./network.js";
import type { NetworkTrace } from "./trace.js";
import { parseSpec, type BatchMode, type NetworkSpec, type Raw } from "./spec.js";
import { TrainingError, quoted } from "./errors.js";
import { readInit, withInitialWeights, type InitMethod } from "./init.js";
import { Optimizer, readOptimizer, type OptimizerConfig, type OptimizerOption } from "./optimizers.js";
import { lcg, shuffled } from "./random.js";

/**
 * Options left out fall back to the spec's own "epochs", "optimizer" and "seed" (so a spec can
 * say how it is meant to be trained), then to the defaults below.
 */
export interface TrainOptions {
  /** default: the spec's epochs (one of the two is required) */
  epochs?: number;
  /** "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta", or an object with hyperparameters; default the spec's, else "sgd" */
  optimizer?: OptimizerOption;
  /** default: the spec's learningRate */
  learningRate?: number | string;
  /** "float" (default), "exact" or "dp:N" */
  precision?: PrecisionInput;
  /** default: the spec's batch mode */
  batch?: "full" | "stochastic" | `mini:${number}`;
  /** reshuffle the examples every epoch (default false: data order) */
  shuffle?: boolean;
  /** seed for shuffling (default: the spec's seed, else the init seed, else 0) */
  seed?: number;
  /** with keep "every": also keep every k-th epoch (default: at most ~1000 records) */
  every?: number;
  /** which epochs `history` keeps besides the first and the last (default "every") */
  keep?: "all" | "every" | "first-last";
  /**
   * Also record every step of the kept epochs (and only those): each kept record gets `traces`,
   * one trace per update, each what traceNetwork gives at the parameters before that update.
   * SGD only, since a trace's update phase is plain gradient descent.
   */
  keepSteps?: boolean;
  /** used when the spec has no weights (overrides the spec's own "init") */
  init?: { method: InitMethod; seed?: number; scale?: number; std?: number; fanInScale?: boolean };
  /** L2 weight decay λ (default: the spec's weightDecay) */
  weightDecay?: number;
  /** default: the spec's hiddenDeltaWeights; "updated" takes w − η∂L/∂w as the "already updated" weights whatever the optimizer */
  hiddenDeltaWeights?: "original" | "updated";
  /** called after every epoch, whether or not history keeps it */
  onEpoch?: (r: EpochRecord) => void;
}

export interface EpochRecord {
  /** 1-based */
  epoch: number;
  /** cost computed in this epoch's forward passes, before its updates, as a training loop prints it (mean over the examples) */
  loss: string;
  lossNumber: number;
  /** with keepSteps, for kept epochs: the trace of each update of the epoch (one for a full batch) */
  traces?: NetworkTrace[];
}

export interface TrainResult {
  precision: string;
  optimizer: string;
  /** the optimizer's hyperparameters as used (Adam's biasCorrection among them) */
  optimizerConfig: OptimizerConfig;
  epochs: number;
  history: EpochRecord[];
  final: {
    weights: string[][][];
    /** one value for a shared bias, as the spec gave it */
    biases: (string[] | string)[];
    /** the cost after the last update */
    loss: string;
    /** per example, after training */
    outputs: string[][];
  };
}

/** Train a network spec (JSON, as the network spec defines it) and report the history and the result. */
export function train(spec: unknown, options: TrainOptions): TrainResult {
  if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 1)) {
    throw new TrainingError(
      "epochs",
      `expected a whole number ≥ 1, got ${quoted(options.epochs)}`,
      "e.g. epochs: 1000",
    );
  }
  if (options.every !== undefined && !(Number.isInteger(options.every) && options.every >= 1)) {
    throw new TrainingError(
      "every",
      `expected a whole number ≥ 1, got ${quoted(options.every)}`,
      "e.g. every: 100 keeps epochs 1, 100, 200, ... and the last",
    );
  }
  const init = options.init ? readInit(options.init, "options.init") : undefined;
  const parsed = parseSpec(withInitialWeights(spec, init));
  const epochs = options.epochs ?? parsed.training.epochs;
  if (epochs === undefined)
    throw new TrainingError(
      "epochs",
      "is given neither in the options nor in the spec",
      'pass epochs (--epochs N on the command line) or add "epochs": N to the spec',
    );
  const config =
    options.optimizer !== undefined
      ? readOptimizer(options.optimizer)
      : (parsed.training.optimizer ?? readOptimizer("sgd"));
  if (options.keepSteps && config.name !== "sgd") {
    throw new TrainingError(
      "keepSteps",
      `records steps for sgd only, not ${config.name}`,
      "a trace's update phase is plain gradient descent; train with sgd (--optimizer sgd), or keep the losses only (no --steps)",
    );
  }
  const precision = toPrecision(options.precision, DEFAULT_PRECISION.train);
  const seed = options.seed ?? parsed.training.seed ?? init?.seed ?? initSeedOf(spec);
  // arithFor returns one of two concrete arithmetics; run is generic over both
  return run(arithFor(precision) as Arith<unknown>, parsed, { ...options, epochs, seed }, config);
}

/** The seed of the spec's own "init", when it draws the weights. */
function initSeedOf(spec: unknown): number | undefined {
  const json = spec as { weights?: unknown; init?: unknown } | null;
  return json && json.weights === undefined && json.init !== undefined ? readInit(json.init).seed : undefined;
}

function readBatchOption(v: string | undefined, spec: NetworkSpec): BatchMode {
  if (v === undefined) return spec.batch;
  // the spec's reader checks the text and names the field
  return parseSpec({ ...spec.raw, batch: v }).batch;
}

function batchesOf(order: number[], mode: BatchMode): number[][] {
  const size = mode.kind === "full" ? order.length : mode.kind === "stochastic" ? 1 : mode.size;
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

function run<T>(
  A: Arith<T>,
  spec: NetworkSpec,
  options: TrainOptions & { epochs: number; seed: number | undefined },
  config: OptimizerConfig,
): TrainResult {
  const lrRaw: Raw = options.learningRate ?? spec.learningRate;
  const lr = A.of(lrRaw);
  const net: Net<T> = instantiate(A, spec);
  const decay: Raw = options.weightDecay ?? spec.weightDecay;
  const opt = new Optimizer(A, config, lr, A.of(decay), spec.updateBiases);
  const mode = readBatchOption(options.batch, spec);
  const hidden = options.hiddenDeltaWeights ?? spec.hiddenDeltaWeights;
  const backOpts: BackwardOptions<T> = hidden === "updated" ? { updatedDeltaWeights: { learningRate: lr } } : {};
  const xs = spec.examples.map((e) => e.input.map((v) => A.of(v)));
  const ts = spec.examples.map((e) => e.target.map((v) => A.of(v)));
  const m = xs.length;
  const rand = lcg(options.seed ?? 0);
  const keep = options.keep ?? "every";
  const every = options.every ?? Math.max(1, Math.ceil(options.epochs / 1000));
  const kept = (e: number) =>
    e === 1 || e === options.epochs || keep === "all" || (keep === "every" && e % every === 0);
  const history: EpochRecord[] = [];
  const indices = Array.from({ length: m }, (_, i) => i);

  // the spec as one traced step sees it: this run's learning rate, decay and delta weights
  const traceSpec: NetworkSpec | undefined = options.keepSteps
    ? { ...spec, learningRate: lrRaw, weightDecay: decay, hiddenDeltaWeights: hidden }
    : undefined;

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = options.shuffle ? shuffled(indices, rand) : indices;
    let total = A.of(0);
    const traces: NetworkTrace[] | undefined = traceSpec && kept(epoch) ? [] : undefined;
    for (const batch of batchesOf(order, mode)) {
      if (traces && traceSpec)
        traces.push(traceAt(A, { ...traceSpec, examples: batch.map((i) => spec.examples[i]) }, net.params));
      // Nesterov takes the gradient at the look-ahead point; every other optimizer at θ itself
      const at: Net<T> = { ...net, params: opt.evaluationPoint(net.params) };
      const grads: Gradients<T>[] = [];
      const outputs: T[][] = [];
      for (const i of batch) {
        const fwd = forwardPass(at, xs[i]);
        const out = fwd.a[fwd.a.length - 1];
        outputs.push(out);
        // the loss is the parameters' own, before the update; a look-ahead point is only where the gradient is taken
        const own = at.params === net.params ? out : forwardPass(net, xs[i]).a.at(-1)!;
        total = A.add(total, exampleLoss(net, own, ts[i]));
        grads.push(backwardPass(at, fwd, ts[i], undefined, backOpts));
      }
      net.params = opt.step(net.params, grads.length === 1 ? grads[0] : meanGradients(A, grads));
      checkFinite(A, spec, net.params, epoch, opt.t, outputs, lrRaw);
    }
    const loss = A.written(A.div(total, A.of(m)));
    if (!withinDoubleRange(A, loss)) {
      // the loss can overflow before any parameter does (a squared error of 1e155): name the largest one
      const big = largest(A, spec, net.params);
      throw new TrainingError(
        `epoch ${epoch}`,
        `the loss is ${brief(A, loss)}${beyond(A, loss)}; the largest parameter is ${big.where} = ${big.value}`,
        cause(A, spec, [], lrRaw),
      );
    }
    const record: EpochRecord = { epoch, loss: A.toString(loss), lossNumber: A.toNumber(loss) };
    if (traces) record.traces = traces;
    if (kept(epoch)) history.push(record);
    options.onEpoch?.(record);
  }

  let total = A.of(0);
  const outputs = xs.map((x, i) => {
    const fwd = forwardPass(net, x);
    const out = fwd.a[fwd.a.length - 1];
    total = A.add(total, exampleLoss(net, out, ts[i]));
    return out;
  });
  const str = (x: T) => A.toString(x);
  return {
    precision: precisionName(A.precision),
    optimizer: config.name,
    optimizerConfig: config,
    epochs: options.epochs,
    history,
    final: {
      weights: net.params.W.map((M) => M.map((row) => row.map(str))),
      biases: net.params.b.map((row, l) => (spec.biases[l].shared ? str(row[0]) : row.map(str))),
      loss: str(A.written(A.div(total, A.of(m)))),
      outputs: outputs.map((row) => row.map(str)),
    },
  };
}

/**
 * The first parameter that is NaN, ±Infinity or, in exact and dp:N, beyond the double range
 * (decimals reach 1e+22988 without overflowing: that is divergence too); undefined if none.
 */
function firstNonFinite<T>(A: Arith<T>, spec: NetworkSpec, p: Params<T>): { where: string; value: string } | undefined {
  for (const q of namedParams(spec, p))
    if (!withinDoubleRange(A, q.value)) return { where: q.where, value: brief(A, q.value) + beyond(A, q.value) };
  return undefined;
}

/** A value for a message: dp:N writes a diverged 1e+156 out in full, so give it in exponent form. */
function brief<T>(A: Arith<T>, x: T): string {
  const s = A.show(x);
  return s.length > 24 && A.isFinite(x) ? new D(A.toString(x)).toSignificantDigits(10).toExponential() : s;
}

/** " (beyond the double range, ±1.8e308)" for a finite decimal that is, else nothing. */
function beyond<T>(A: Arith<T>, x: T): string {
  return A.isFinite(x) ? " (beyond the double range, ±1.8e308)" : "";
}

/** Every parameter with its name and value, weights first, as "weights[0][1][0] (w3)". */
function* namedParams<T>(spec: NetworkSpec, p: Params<T>): Generator<{ where: string; value: T }> {
  for (let l = 0; l < p.W.length; l++)
    for (let j = 0; j < p.W[l].length; j++)
      for (let k = 0; k < p.W[l][j].length; k++) {
        const name = spec.names?.weights?.[l]?.[j]?.[k];
        yield { where: `weights[${l}][${j}][${k}]${name ? ` (${name})` : ""}`, value: p.W[l][j][k] };
      }
  for (let l = 0; l < p.b.length; l++) {
    const shared = spec.biases[l].shared,
      names = spec.names?.biases?.[l];
    for (let j = 0; j < (shared ? 1 : p.b[l].length); j++) {
      const name = typeof names === "string" ? names : names?.[j];
      yield { where: `biases[${l}]${shared ? "" : `[${j}]`}${name ? ` (${name})` : ""}`, value: p.b[l][j] };
    }
  }
}

function largest<T>(A: Arith<T>, spec: NetworkSpec, p: Params<T>): { where: string; value: string } {
  let best: { where: string; value: T } | undefined;
  for (const q of namedParams(spec, p)) if (!best || A.gt(A.abs(q.value), A.abs(best.value))) best = q;
  return { where: best!.where, value: brief(A, best!.value) };
}

function checkFinite<T>(
  A: Arith<T>,
  spec: NetworkSpec,
  p: Params<T>,
  epoch: number,
  update: number,
  outputs: T[][],
  lr: Raw,
): void {
  const bad = firstNonFinite(A, spec, p);
  if (bad)
    throw new TrainingError(
      `epoch ${epoch}, ${bad.where}`,
      `became ${bad.value} at update ${update}`,
      cause(A, spec, outputs, lr),
    );
}

/** The likely reason for a NaN/Infinity: a saturated output under a log loss, else a step too large. */
function cause<T>(A: Arith<T>, spec: NetworkSpec, outputs: T[][], lr: Raw): string {
  const smaller = Number((Number(lr) / 100).toPrecision(3));
  const logLoss = spec.loss.name === "bce" || spec.loss.name === "cross_entropy";
  const saturated = outputs.some((row) => row.some((a) => !A.gt(a, A.of(0)) || !A.lt(a, A.of(1))));
  if (logLoss && (saturated || outputs.length === 0)) {
    return `log of 0 in ${spec.loss.name}: outputs saturated (an output reached exactly 0 or 1, where ln and its derivative are infinite); lower the learning rate (try ${smaller}) or use exact precision`;
  }
  return `learning rate ${lr} is too large: try ${smaller} (the updates overshoot and grow without bound; scaling the inputs also helps)`;
}
