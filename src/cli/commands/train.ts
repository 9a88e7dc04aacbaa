// `backprop-tutor train SPEC.json --epochs N`: the loss at the kept epochs, the final parameters
// and the final outputs.
import { train, type TrainOptions, type TrainResult } from "../../engine/train.js";
import { OPTIMIZER_NAMES } from "../../engine/optimizers.js";
import { choice, expectPositionals, usageError, wholeNumber, type Command, type Io } from "../command.js";
import { readJsonFile } from "../input.js";
import { table } from "../markdown.js";
import { defaultPrecisionHelp, FORMATS, isNumberText, precisionOption } from "./common.js";
import { DEFAULT_PRECISION } from "../../engine/numeric.js";
import { traceMarkdown } from "./trace.js";

interface Names {
  weights?: string[][][];
  biases?: (string | string[])[];
  units?: string[][];
}

function namesOf(spec: unknown): Names {
  const n = (spec as { names?: unknown } | null)?.names;
  return typeof n === "object" && n !== null ? (n as Names) : {};
}

export function trainMarkdown(r: TrainResult, title: string, spec: unknown): string {
  const names = namesOf(spec);
  const label = (where: string, name: unknown) => (typeof name === "string" ? `${where} (${name})` : where);
  const params: string[][] = [];
  r.final.weights.forEach((M, l) =>
    M.forEach((row, j) =>
      row.forEach((v, k) => params.push([label(`weights[${l}][${j}][${k}]`, names.weights?.[l]?.[j]?.[k]), v])),
    ),
  );
  r.final.biases.forEach((b, l) => {
    const n = names.biases?.[l];
    if (typeof b === "string") params.push([label(`biases[${l}]`, typeof n === "string" ? n : undefined), b]);
    else b.forEach((v, j) => params.push([label(`biases[${l}][${j}]`, Array.isArray(n) ? n[j] : undefined), v]));
  });
  const outUnits = names.units?.[names.units.length - 1];
  const width = r.final.outputs[0]?.length ?? 0;
  const outHeader = [
    "example",
    ...Array.from({ length: width }, (_, j) => (typeof outUnits?.[j] === "string" ? outUnits[j] : `output ${j}`)),
  ];
  const withSteps = r.history.filter((h) => h.traces);
  const stepSections = withSteps.flatMap((h) =>
    h.traces!.map((t, i) =>
      [
        `## Steps of epoch ${h.epoch}${h.traces!.length > 1 ? `, update ${i + 1}` : ""}`,
        "",
        traceMarkdown(t, `epoch ${h.epoch}`).split("\n").slice(2).join("\n").replace(/^## /gm, "### "),
      ].join("\n"),
    ),
  );
  const adamForm =
    r.optimizerConfig.name === "adam"
      ? r.optimizerConfig.biasCorrection
        ? " (with bias correction)"
        : " (without bias correction, as the lecture notes on optimizers write it)"
      : "";
  return [
    `# Training ${title}`,
    "",
    `optimizer: ${r.optimizer}${adamForm}, precision: ${r.precision}, epochs: ${r.epochs}`,
    "",
    "## Loss",
    "",
    "The loss of each epoch's forward passes, before its update.",
    "",
    table(
      ["epoch", "loss"],
      r.history.map((h) => [String(h.epoch), h.loss]),
      ["r", "r"],
    ),
    "",
    `Loss after the last update: ${r.final.loss}`,
    "",
    "## Final parameters",
    "",
    table(["parameter", "value"], params, ["l", "r"]),
    "",
    "## Final outputs",
    "",
    table(
      outHeader,
      r.final.outputs.map((row, i) => [String(i), ...row]),
      outHeader.map((_, i) => (i === 0 ? "l" : "r")),
    ),
    "",
    ...stepSections,
  ].join("\n");
}

/** Progress on stderr (only when it is a terminal), at most ten times a second. */
function progress(io: Io, epochs: number): { onEpoch?: TrainOptions["onEpoch"]; done(): void } {
  if (!io.stderrIsTTY) return { done() {} };
  let last = 0,
    shown = false;
  return {
    onEpoch(r) {
      const now = Date.now();
      if (now - last < 100 && r.epoch !== epochs) return;
      last = now;
      shown = true;
      io.stderr(`\repoch ${r.epoch}/${epochs}  loss ${Number(r.lossNumber.toPrecision(6))}\x1b[K`);
    },
    done() {
      if (shown) io.stderr("\r\x1b[K");
    },
  };
}

/**
 * The update rules exactly as src/engine/optimizers.ts applies them, per parameter θ with gradient
 * dθ, learning rate α and every state starting at 0; docs/cli.md repeats them.
 */
export const OPTIMIZER_HELP = [
  "update rules (per weight or bias θ, gradient dθ, learning rate α; every V, G, S starts at 0):",
  "  sgd       θ ← θ − α·dθ",
  "  momentum  V ← β·V + (1 − β)·dθ,  θ ← θ − α·V   (β = 0.9; the lecture's averaged form: V is an",
  "            average of gradients, not the v ← β·v − α·dθ, θ ← θ + v of many textbooks, whose",
  "            steps are 1/(1 − β) times as large: it equals this one with learning rate α(1 − β))",
  "  nesterov  dθ taken at the look-ahead θ − α·β·V, then momentum's two lines",
  "  adagrad   G ← G + dθ²,  θ ← θ − α·dθ/√(G + ε)   (ε = 1e-8)",
  "  rmsprop   S ← γ·S + (1 − γ)·dθ²,  θ ← θ − α·dθ/√(S + ε)   (γ = 0.9, set as beta; ε = 1e-8)",
  "  adam      V ← β₁·V + (1 − β₁)·dθ,  S ← β₂·S + (1 − β₂)·dθ²,  then with t = 1, 2, … the update",
  "            number: θ ← θ − α·V̂/(√Ŝ + ε), V̂ = V/(1 − β₁ᵗ), Ŝ = S/(1 − β₂ᵗ)   (β₁ = 0.9, β₂ = 0.999,",
  "            ε = 1e-8); --no-bias-correction: θ ← θ − α·V/√(S + ε), as the lecture notes write it",
  "  adadelta  S ← γ·S + (1 − γ)·dθ²,  Δθ = √(D + ε)/√(S + ε)·dθ,  D ← γ·D + (1 − γ)·Δθ²,  θ ← θ − α·Δθ",
  "            (Zeiler's rule, α = 1 as he writes it; γ = 0.9, set as beta; ε = 1e-6)",
  'the spec\'s "optimizer" sets them: {"name": "momentum", "beta": 0.8}, {"name": "adam", "beta1": 0.9,',
  '"beta2": 0.999, "epsilon": 1e-8, "biasCorrection": false}.',
].join("\n");

export const trainCommand: Command = {
  name: "train",
  summary: "Train a network spec and print the loss by epoch, the final parameters and the final outputs.",
  usage:
    "backprop-tutor train SPEC.json [--epochs N] [--optimizer NAME] [--no-bias-correction] [--learning-rate X] [--precision P] [--every K] [--steps] [--batch full|stochastic|mini:N] [--shuffle] [--seed S] [--hidden-delta-weights original|updated] [--format json|markdown]",
  options: {
    epochs: {
      value: "N",
      help: 'number of epochs, a whole number ≥ 1 (default: the spec\'s "epochs"; one of the two is required)',
    },
    optimizer: {
      value: "NAME",
      help: `the update rule: ${OPTIMIZER_NAMES.join(", ")} (default: the spec's "optimizer", else sgd)`,
    },
    "no-bias-correction": {
      help: "adam only: the lecture notes' formula θ −= α V/√(S + ε), without Kingma & Ba's bias correction (the default has it)",
    },
    "learning-rate": { value: "X", help: "the learning rate (default: the spec's learningRate, else 0.5)" },
    precision: { value: "float|exact|dp:N", help: `arithmetic ${defaultPrecisionHelp(DEFAULT_PRECISION.train)}` },
    every: {
      value: "K",
      help: "keep the loss of every K-th epoch besides the first and the last (default: about 1000 records)",
    },
    steps: { help: "also print every step (the full trace) of the kept epochs, and of those only (sgd only)" },
    batch: { value: "full|stochastic|mini:N", help: "examples per update (default: the spec's batch, else full)" },
    shuffle: { help: "reshuffle the examples every epoch (default: data order)" },
    seed: { value: "S", help: 'seed for --shuffle (default: the spec\'s "seed", else the seed of its "init", else 0)' },
    "hidden-delta-weights": {
      value: "original|updated",
      help: '"updated" reproduces the widely printed mistake of using the already-updated output weights',
    },
    format: { value: "json|markdown", help: "output format (default json)" },
  },
  exitCodes: {
    1: "the input is wrong (file, spec, option value in the spec), or the loss or a parameter became NaN or Infinity or left the double range",
  },
  details: [
    "Progress is shown on stderr when stderr is a terminal.",
    "",
    OPTIMIZER_HELP,
    "",
    "examples:",
    "  backprop-tutor train examples/classic.json --epochs 10000 --every 1000 --format markdown",
    "  backprop-tutor train examples/classic.json --epochs 100 --optimizer adam --learning-rate 0.01",
    "  backprop-tutor train examples/classic.json --epochs 100 --optimizer adam --no-bias-correction",
    "  backprop-tutor train examples/classic.json --epochs 10000 --every 1000 --steps --format markdown",
  ].join("\n"),
  async run(args, io) {
    const [path] = expectPositionals(trainCommand, args, ["SPEC.json"]);
    const epochs = wholeNumber(args, "epochs", 1, "1000");
    const options: TrainOptions = { precision: precisionOption(args, DEFAULT_PRECISION.train) };
    if (epochs !== undefined) options.epochs = epochs;
    const optimizer = args.values.optimizer;
    if (optimizer !== undefined) options.optimizer = choice(args, "optimizer", OPTIMIZER_NAMES, "sgd");
    if (args.switches.has("steps")) options.keepSteps = true;
    const lr = args.values["learning-rate"];
    if (lr !== undefined) {
      if (!isNumberText(lr) || Number(lr) <= 0)
        throw usageError("--learning-rate", `expected a positive number, got "${lr}"`, "e.g. --learning-rate 0.5");
      options.learningRate = lr.trim();
    }
    const every = wholeNumber(args, "every", 1, "100");
    if (every !== undefined) options.every = every;
    const batch = args.values.batch;
    if (batch !== undefined) {
      if (!/^(full|stochastic|mini:[1-9]\d*)$/.test(batch))
        throw usageError(
          "--batch",
          `unknown batch mode "${batch}"`,
          "use full, stochastic or mini:N with N ≥ 1, e.g. mini:10",
        );
      options.batch = batch as TrainOptions["batch"];
    }
    if (args.switches.has("shuffle")) options.shuffle = true;
    const seed = wholeNumber(args, "seed", 0, "42");
    if (seed !== undefined) options.seed = seed;
    if (args.values["hidden-delta-weights"] !== undefined)
      options.hiddenDeltaWeights = choice(args, "hidden-delta-weights", ["original", "updated"] as const, "original");
    const format = choice(args, "format", FORMATS, "json");

    const spec = await readJsonFile(path);
    const own = (spec ?? {}) as { epochs?: unknown; optimizer?: unknown };
    if (epochs === undefined && own.epochs === undefined)
      throw usageError("--epochs", 'is required (the spec has no "epochs")', "e.g. --epochs 1000");
    if (args.switches.has("no-bias-correction")) {
      // the spec's own adam settings (beta1, ...) are kept unless --optimizer replaces them
      const base = optimizer === undefined ? own.optimizer : optimizer;
      const name =
        typeof base === "string"
          ? base
          : typeof base === "object" && base !== null
            ? (base as { name?: unknown }).name
            : undefined;
      if (name !== "adam")
        throw usageError(
          "--no-bias-correction",
          `applies to adam only, but the optimizer is ${typeof name === "string" ? name : "sgd"}`,
          "add --optimizer adam",
        );
      options.optimizer = {
        ...(typeof base === "object" && base !== null ? base : {}),
        name: "adam",
        biasCorrection: false,
      };
    }
    const p = progress(io, epochs ?? Number(own.epochs));
    if (p.onEpoch) options.onEpoch = p.onEpoch;
    let result: TrainResult;
    try {
      result = train(spec, options);
    } finally {
      p.done();
    }
    io.stdout(format === "json" ? JSON.stringify(result, null, 2) + "\n" : trainMarkdown(result, path, spec));
    return 0;
  },
};
