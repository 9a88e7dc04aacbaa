// The command line: runProgram, in this process, with what a user's shell gives it (piped output),
// and the built dist/cli/main.js in a child process where the started program itself is under test
// (exit codes, the help with no arguments, the stack trace with --debug). Exit codes: 0 done,
// 1 bad input, 2 bad command line, 3 internal error.
import { beforeAll, describe, expect, it } from "vitest";
import { scratchDir } from "./helpers/scratch.js";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProgram } from "../src/cli/program.js";
import type { Command, Io } from "../src/cli/command.js";
import { diagnoseJson } from "../src/cli/input.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const main = join(root, "dist/cli/main.js");
const classicPath = join(root, "examples/classic.json");
const classic = JSON.parse(readFileSync(classicPath, "utf8"));
const tmp = scratchDir("bt-cli-");

type Run = { code: number; stdout: string; stderr: string };

/** The program as a user starts it: the built dist/cli/main.js in a child process. */
function cliProcess(...args: string[]): Run {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same program in this process: main.js is runProgram with stdout and stderr piped (neither a
 * terminal), so the output and exit code are the same without a Node start per call (half a
 * second each). The tests marked "as started" check that with cliProcess.
 */
async function cli(...args: string[]): Promise<Run> {
  let stdout = "",
    stderr = "";
  const code = await runProgram(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    stdoutIsTTY: false,
  });
  return { code, stdout, stderr };
}

/** A spec file: the classic example with one change, or the given text. */
/** The classic spec as JSON: any field may be changed or removed, a mistake included. */
type SpecJson = { weights: (number | string)[][][] } & Record<string, unknown>;

function specFile(name: string, content: string | ((s: SpecJson) => void)): string {
  const path = join(tmp, name);
  if (typeof content === "string") writeFileSync(path, content);
  else {
    const s = structuredClone(classic);
    content(s);
    writeFileSync(path, JSON.stringify(s, null, 2));
  }
  return path;
}

const STACK_LINE = /^\s+at /m;

/** One line on stderr, prefixed with the program name, no stack trace. */
function expectOneCleanLine(stderr: string): string {
  expect(stderr.startsWith("backprop-tutor: "), stderr).toBe(true);
  expect(stderr.trimEnd().split("\n"), stderr).toHaveLength(1);
  expect(stderr).not.toMatch(STACK_LINE);
  return stderr.trimEnd();
}

/** Whether dist/ is older than some source file (then the tests build it first; `npm test` has just built it). */
function distIsStale(): boolean {
  if (!existsSync(main)) return true;
  const built = statSync(main).mtimeMs;
  return readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).some(
    (f) => f.endsWith(".ts") && statSync(join(root, "src", f)).mtimeMs > built,
  );
}

beforeAll(() => {
  if (!distIsStale()) return;
  const r = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: root,
    encoding: "utf8",
  });
  // other modules may be mid-edit; only errors in the command line's own files stop these tests
  const cliErrors = (r.stdout + r.stderr).split("\n").filter((l) => l.startsWith("src/cli/"));
  if (cliErrors.length > 0 || !existsSync(main)) throw new Error(`the build failed:\n${r.stdout}${r.stderr}`);
}, 180_000);

describe("trace", () => {
  it("as started: classic example in exact: loss 0.29837110876… and w5+ 0.358916479717…", () => {
    const r = cliProcess("trace", classicPath, "--precision", "exact");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const t = JSON.parse(r.stdout);
    expect(t.precision).toBe("exact");
    expect(t.loss.startsWith("0.29837110876")).toBe(true);
    expect(t.update.weights[1][0][0].startsWith("0.358916479717")).toBe(true);
    expect(t.steps.find((s: { key: string }) => s.key === "w5+").value.startsWith("0.358916479717")).toBe(true);
  });

  it("exact is the default, and the JSON is pretty-printed", async () => {
    const r = await cli("trace", classicPath);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).precision).toBe("exact");
    expect(r.stdout).toContain('\n  "precision": "exact"');
  });

  it("dp:4 markdown: a table of steps by phase with the slide values", async () => {
    const r = await cli("trace", classicPath, "--precision", "dp:4", "--format", "markdown");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("0.3775");
    expect(r.stdout).toContain("0.5933");
    for (const h of ["## Forward pass", "## Loss", "## Backward pass", "## Update"]) expect(r.stdout).toContain(h);
    expect(r.stdout).toContain("| step | key | symbol | formula | with numbers | value |");
    expect(r.stdout).toMatch(
      /\| `z_h1` \| \$z_\{h1\}\$ \| .* \| \$0\.15 \\times 0\.05 \+ 0\.2 \\times 0\.1 \+ 0\.35 \\times 1\$ \| 0\.3775 \|/,
    );
    expect(r.stdout).toMatch(/\| `w5\+` \|.*\| 0\.3589 \|/);
  });

  it("--notation and --option=value", async () => {
    const r = await cli("trace", classicPath, "--notation=bracket", "--format=json", "--precision=float");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.notation).toBe("bracket");
    expect(t.precision).toBe("float");
  });
});

describe("train", () => {
  it("classic, 1 epoch: the loss before and after the update, the final parameters and outputs", async () => {
    const r = await cli("train", classicPath, "--epochs", "1");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(""); // no progress when stderr is not a terminal
    const t = JSON.parse(r.stdout);
    expect(t.epochs).toBe(1);
    expect(t.optimizer).toBe("sgd");
    expect(t.history).toHaveLength(1);
    expect(Number(t.history[0].loss)).toBeCloseTo(0.29837110876, 10);
    expect(Number(t.final.loss)).toBeCloseTo(0.29102777369, 10);
    expect(Number(t.final.weights[1][0][0])).toBeCloseTo(0.358916479717, 11);
    expect(t.final.biases).toEqual(["0.35", "0.6"]);
    expect(t.final.outputs).toHaveLength(1);
  });

  it("markdown with --every: loss table, named parameters, outputs", async () => {
    const r = await cli(
      "train",
      classicPath,
      "--epochs",
      "100",
      "--every",
      "50",
      "--format",
      "markdown",
      "--precision",
      "dp:6",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("| epoch | loss |");
    expect(r.stdout).toMatch(/\| 1 \| 0\.298371 \|/);
    expect(r.stdout).toMatch(/\| 50 \| /);
    expect(r.stdout).toMatch(/\| 100 \| /);
    expect(r.stdout).toContain("weights[1][0][0] (w5)");
    expect(r.stdout).toContain("| example | o1 | o2 |");
  });

  const line = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "mse",
    weights: [[[1]]],
    biases: [[1]],
    input: [1],
    target: [3],
    learningRate: 0.1,
  };

  it('the spec\'s "optimizer" and "epochs" are the defaults: adam for 1 epoch moves w from 1 to 1.1', async () => {
    const r = await cli("train", specFile("adam.json", JSON.stringify({ ...line, optimizer: "adam", epochs: 1 })));
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout);
    expect([t.optimizer, t.epochs, t.optimizerConfig.biasCorrection]).toEqual(["adam", 1, true]);
    expect(Number(t.final.weights[0][0][0])).toBeCloseTo(1.1, 8);
    // the command line overrides the spec
    expect(JSON.parse((await cli("train", join(tmp, "adam.json"), "--optimizer", "sgd")).stdout).final.weights).toEqual(
      [[["1.2"]]],
    );
  });

  it("--no-bias-correction: the optimizer notes' Adam, w = 1 + 0.1·0.2/√(0.004 + 1e-8)", async () => {
    const path = specFile("adam-slide.json", JSON.stringify(line));
    const r = await cli(
      "train",
      path,
      "--epochs",
      "1",
      "--optimizer",
      "adam",
      "--no-bias-correction",
      "--format",
      "markdown",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "optimizer: adam (without bias correction, as the lecture notes on optimizers write it)",
    );
    const t = JSON.parse(
      (await cli("train", path, "--epochs", "1", "--optimizer", "adam", "--no-bias-correction")).stdout,
    );
    expect(Number(t.final.weights[0][0][0])).toBeCloseTo(1 + 0.02 / Math.sqrt(0.004 + 1e-8), 12);
  });

  it("--steps: the full trace of the kept epochs only", async () => {
    const r = await cli("train", classicPath, "--epochs", "300", "--every", "100", "--steps");
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.history.map((h: { epoch: number; traces: unknown[] }) => [h.epoch, h.traces.length])).toEqual([
      [1, 1],
      [100, 1],
      [200, 1],
      [300, 1],
    ]);
    expect(t.history[0].traces[0].steps[0].key).toBe("z_h1");
    expect(t.history[0].traces[0].steps[0].value).toBe("0.3775");
    const md = (await cli("train", classicPath, "--epochs", "2", "--steps", "--format", "markdown")).stdout;
    expect(md).toContain("## Steps of epoch 2");
    expect(md).toContain("### Backward pass");
  });

  it("options reach the trainer: --optimizer, --learning-rate, --batch", async () => {
    const r = await cli(
      "train",
      classicPath,
      "--epochs",
      "3",
      "--optimizer",
      "adam",
      "--learning-rate",
      "0.01",
      "--batch",
      "stochastic",
      "--seed",
      "1",
      "--shuffle",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).optimizer).toBe("adam");
  });
});

describe("graph", () => {
  it('"(x + y) * z" with x=-2 y=5 z=-4: f = -12, gradients -4, -4, 3', async () => {
    const r = await cli("graph", "(x + y) * z", "x=-2", "y=5", "z=-4");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    const byLabel = (l: string) => g.nodes.find((n: { label: string; id: string }) => n.label === l || n.id === l);
    const out = g.nodes.find((n: { kind: string }) => n.kind === "output") ?? g.nodes[g.nodes.length - 1];
    expect(Number(out.value)).toBe(-12);
    expect(Number(byLabel("x").grad)).toBe(-4);
    expect(Number(byLabel("y").grad)).toBe(-4);
    expect(Number(byLabel("z").grad)).toBe(3);
    const md = await cli("graph", "(x + y) * z", "x=-2", "y=5", "z=-4", "--format", "markdown");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("-12");
    expect(md.stdout).toContain("| edge | upstream | local | product |");
  });

  it("a value that is not a number is an input error naming the input", async () => {
    const r = await cli("graph", "(x + y) * z", "x=-2", "y=abc", "z=-4");
    expect(r.code).toBe(1);
    expect(expectOneCleanLine(r.stderr)).toBe(
      'backprop-tutor: y: expected a number, got "abc". write e.g. y=-2 or y=0.5.',
    );
  });

  it("a value without = is a usage error", async () => {
    const r = await cli("graph", "(x + y) * z", "x", "y=5");
    expect(r.code).toBe(2);
    expectOneCleanLine(r.stderr);
  });
});

describe("help and version", () => {
  it("--help lists the commands; each command has its own help", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    for (const c of ["trace", "train", "graph"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    const t = await cli("train", "--help");
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("usage: backprop-tutor train SPEC.json [--epochs N]");
    expect(t.stdout).toContain("--learning-rate X");
    expect((await cli("help", "graph")).stdout).toContain('usage: backprop-tutor graph "EXPR"');
  });

  it("trace --help states the default notation the trace really uses: the spec's names, else bracket", async () => {
    expect((await cli("trace", "--help")).stdout).toMatch(
      /--notation \S+ +symbols in formulas \(default: the spec's names if it has them, else bracket\)/,
    );
    expect(JSON.parse((await cli("trace", classicPath)).stdout).notation).toBe("names");
    const unnamed = specFile("unnamed.json", (s) => delete s.names);
    expect(JSON.parse((await cli("trace", unnamed)).stdout).notation).toBe("bracket");
  });

  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const r = await cli("--version");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("as started: no arguments: the help on stderr, exit code 2", () => {
    const r = cliProcess();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: backprop-tutor COMMAND");
  });

  it("main.js starts with a shebang", () => {
    expect(readFileSync(main, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });
});

describe("bad input: exit code 1, one line naming the place", () => {
  const cases: [name: string, args: () => string[], message: string | RegExp][] = [
    [
      "a missing file",
      () => ["trace", join(tmp, "nope.json")],
      `backprop-tutor: ${join(tmp, "nope.json")}: cannot read the spec (no such file, ENOENT). check the path and that the file is readable.`,
    ],
    [
      "a directory",
      () => ["trace", tmp],
      `backprop-tutor: ${tmp}: cannot read the spec (it is a directory, not a file, EISDIR). check the path and that the file is readable.`,
    ],
    [
      "invalid JSON: a trailing comma",
      () => ["trace", specFile("trailing.json", '{\n  "layers": [2, 2, 2],\n  "loss": "half_sse",\n}\n')],
      `backprop-tutor: ${join(tmp, "trailing.json")}: line 4, column 1: invalid JSON: expected a field name after ',', found '}'. JSON allows no comma after the last field; remove it.`,
    ],
    [
      "invalid JSON: a missing comma",
      () => ["trace", specFile("comma.json", '{\n  "layers": [2, 2, 2]\n  "loss": "half_sse"\n}\n')],
      `backprop-tutor: ${join(tmp, "comma.json")}: line 3, column 3: invalid JSON: expected ',' or '}' after a field's value, found '"'. a comma is missing between two fields.`,
    ],
    [
      "invalid JSON: single quotes",
      () => ["trace", specFile("quotes.json", "{'layers': [2, 2, 2]}")],
      `backprop-tutor: ${join(tmp, "quotes.json")}: line 1, column 2: invalid JSON: expected a field name in double quotes, found '''. JSON strings and names use double quotes: write "sigmoid", not 'sigmoid'.`,
    ],
    [
      "invalid JSON: an empty file",
      () => ["trace", specFile("empty.json", "")],
      `backprop-tutor: ${join(tmp, "empty.json")}: line 1, column 1: invalid JSON: expected a value (a number, a string in double quotes, true, false, null, [...] or {...}), found the end of the file. a spec is one JSON object such as examples/classic.json.`,
    ],
    [
      "a missing field",
      () => ["trace", specFile("noloss.json", (s) => delete s.loss)],
      'backprop-tutor: loss: is missing. add e.g. "loss": "half_sse" (or mse, bce, cross_entropy).',
    ],
    [
      "a mistyped field",
      () => ["trace", specFile("upd.json", (s) => (s.updateBiases = "no"))],
      'backprop-tutor: updateBiases: expected true or false, got "no". write true to update biases (the default) or false to leave them fixed.',
    ],
    [
      "weights that do not match layers",
      () => ["trace", specFile("cols.json", (s) => s.weights[1][0].push(0.1))],
      "backprop-tutor: weights[1][0]: has 3 values but needs 2: one weight from each of the 2 units of layer 1 into unit 0 of layer 2. give exactly 2.",
    ],
    [
      "an unknown activation",
      () => ["trace", specFile("act.json", (s) => (s.activations = ["sigmoid", "sigmod"]))],
      /^backprop-tutor: activations\[1\]: unknown activation "sigmod" \(did you mean "sigmoid"\?\)\. use one of .*sigmoid/,
    ],
    [
      "an unknown loss",
      () => ["train", specFile("loss.json", (s) => (s.loss = "mae")), "--epochs", "1"],
      'backprop-tutor: loss: unknown loss "mae" (did you mean "mse"?). use one of half_sse, mse, bce, cross_entropy.',
    ],
    [
      "softmax on a hidden layer",
      () => ["trace", specFile("softmax.json", (s) => (s.activations = ["softmax", "sigmoid"]))],
      "backprop-tutor: activations[0]: softmax is used on hidden layer 1. softmax is for the output layer only; use e.g. sigmoid, tanh or relu in hidden layers.",
    ],
    [
      "a non-numeric value",
      () => ["trace", specFile("abc.json", (s) => (s.weights[0][1][0] = "abc"))],
      'backprop-tutor: weights[0][1][0]: expected a number, got "abc". write a number such as 0.15 or a decimal string such as "0.15".',
    ],
    [
      "Infinity reached in training",
      () => [
        "train",
        specFile(
          "diverge.json",
          JSON.stringify({
            layers: [1, 1],
            activations: ["identity"],
            loss: "mse",
            weights: [[[1]]],
            biases: [[0]],
            input: [1],
            target: [3],
            learningRate: 50,
            names: { weights: [[["w1"]]] },
          }),
        ),
        "--epochs",
        "10000",
      ],
      /^backprop-tutor: epoch \d+: the loss is Infinity; the largest parameter is weights\[0\]\[0\]\[0\] \(w1\) = .*learning rate 50 is too large: try 0\.5/,
    ],
    [
      "divergence in exact precision (values beyond the double range)",
      () => [
        "train",
        specFile(
          "diverge-exact.json",
          JSON.stringify({
            layers: [1, 1],
            activations: ["identity"],
            loss: "mse",
            weights: [[[1]]],
            biases: [[0]],
            input: [1],
            target: [3],
            learningRate: 50,
          }),
        ),
        "--epochs",
        "10000",
        "--precision",
        "exact",
      ],
      "backprop-tutor: epoch 68: the loss is 4.450125206e+308 (beyond the double range, ±1.8e308); the largest parameter is weights[0][0][0] = -2.098984328e+156. learning rate 50 is too large: try 0.5 (the updates overshoot and grow without bound; scaling the inputs also helps).",
    ],
    [
      "a float trace that overflows",
      () => [
        "trace",
        specFile(
          "overflow.json",
          JSON.stringify({
            layers: [1, 1],
            activations: ["identity"],
            loss: "half_sse",
            weights: [[[0.5]]],
            biases: [[0]],
            input: [1e300],
            target: [0],
          }),
        ),
        "--precision",
        "float",
      ],
      "backprop-tutor: step L (loss): is Infinity: it overflowed the double range (±1.8e308). use smaller inputs or weights, or exact precision, whose decimals do not overflow.",
    ],
    [
      "a weight beyond the double range",
      () => ["trace", specFile("huge.json", (s) => (s.weights[0][0][0] = "1e400"))],
      'backprop-tutor: weights[0][0][0]: "1e400" is beyond the range of double-precision numbers (±1.8e308). give a number of ordinary size; the float precision cannot hold it.',
    ],
    [
      "NaN reached in training",
      () => [
        "train",
        specFile(
          "nan.json",
          JSON.stringify({
            layers: [1, 1],
            activations: ["sigmoid"],
            loss: "bce",
            weights: [[[0]]],
            biases: [[0]],
            updateBiases: false,
            input: [1],
            target: [1],
          }),
        ),
        "--epochs",
        "5",
        "--learning-rate",
        "1000",
      ],
      /^backprop-tutor: epoch 2, weights\[0\]\[0\]\[0\]: became NaN at update 2\. log of 0 in bce/,
    ],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    const r = await cli(...args());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    const line = expectOneCleanLine(r.stderr);
    if (typeof message === "string") expect(line).toBe(message);
    else expect(line).toMatch(message);
  });
});

describe("bad command line: exit code 2, one line", () => {
  const cases: [name: string, args: string[], message: string][] = [
    [
      "an unknown command",
      ["frobnicate"],
      "backprop-tutor: frobnicate: unknown command. use one of trace, train, graph, check, check-graph, assign, grade.",
    ],
    [
      "an unknown option",
      ["trace", classicPath, "--verbose"],
      'backprop-tutor: trace: unknown option --verbose. run "backprop-tutor trace --help" for the options.',
    ],
    [
      "an unknown short option",
      ["trace", classicPath, "-x"],
      'backprop-tutor: trace: unknown option -x. run "backprop-tutor trace --help" for the options.',
    ],
    [
      "a missing argument",
      ["trace"],
      "backprop-tutor: trace: missing SPEC.json. write backprop-tutor trace SPEC.json [options].",
    ],
    [
      "an extra argument",
      ["trace", classicPath, "more.json"],
      'backprop-tutor: trace: unexpected argument "more.json". write backprop-tutor trace SPEC.json [options].',
    ],
    [
      "an option without its value",
      ["trace", classicPath, "--precision"],
      "backprop-tutor: --precision: is missing its value. write --precision float|exact|dp:N.",
    ],
    [
      "a bad --precision",
      ["trace", classicPath, "--precision", "dp:x"],
      'backprop-tutor: --precision: unknown precision "dp:x". use float, exact or dp:N with N a whole number of decimal places, e.g. dp:4.',
    ],
    [
      "a bad --format",
      ["trace", classicPath, "--format", "xml"],
      'backprop-tutor: --format: unknown value "xml". use one of json, markdown.',
    ],
    [
      "--epochs missing",
      ["train", classicPath],
      'backprop-tutor: --epochs: is required (the spec has no "epochs"). e.g. --epochs 1000.',
    ],
    [
      "--no-bias-correction without adam",
      ["train", classicPath, "--epochs", "1", "--no-bias-correction"],
      "backprop-tutor: --no-bias-correction: applies to adam only, but the optimizer is sgd. add --optimizer adam.",
    ],
    [
      "--epochs not a number",
      ["train", classicPath, "--epochs", "ten"],
      'backprop-tutor: --epochs: expected a whole number ≥ 1, got "ten". e.g. --epochs 1000.',
    ],
    [
      "--epochs zero",
      ["train", classicPath, "--epochs", "0"],
      'backprop-tutor: --epochs: expected a whole number ≥ 1, got "0". e.g. --epochs 1000.',
    ],
    [
      "--epochs fractional",
      ["train", classicPath, "--epochs", "1.5"],
      'backprop-tutor: --epochs: expected a whole number ≥ 1, got "1.5". e.g. --epochs 1000.',
    ],
    [
      "an unknown optimizer",
      ["train", classicPath, "--epochs", "1", "--optimizer", "adamw"],
      'backprop-tutor: --optimizer: unknown value "adamw" (did you mean "adam"?). use one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adadelta.',
    ],
    [
      "a bad --batch",
      ["train", classicPath, "--epochs", "1", "--batch", "mini:0"],
      'backprop-tutor: --batch: unknown batch mode "mini:0". use full, stochastic or mini:N with N ≥ 1, e.g. mini:10.',
    ],
    [
      "a bad --learning-rate",
      ["train", classicPath, "--epochs", "1", "--learning-rate", "fast"],
      'backprop-tutor: --learning-rate: expected a positive number, got "fast". e.g. --learning-rate 0.5.',
    ],
    [
      "a value given to a switch",
      ["train", classicPath, "--epochs", "1", "--steps=yes"],
      "backprop-tutor: --steps: takes no value. write just --steps.",
    ],
    [
      "an option followed by another option instead of its value",
      ["train", classicPath, "--epochs", "--every", "10"],
      "backprop-tutor: --epochs: is missing its value. write --epochs N.",
    ],
    [
      "a name that every object has is still unknown",
      ["trace", classicPath, "--constructor"],
      'backprop-tutor: trace: unknown option --constructor. run "backprop-tutor trace --help" for the options.',
    ],
    [
      "a group of short options",
      ["trace", classicPath, "-xv"],
      'backprop-tutor: trace: unknown option -xv. run "backprop-tutor trace --help" for the options.',
    ],
    [
      "a negative --seed",
      ["train", classicPath, "--epochs", "1", "--seed", "-1"],
      'backprop-tutor: --seed: expected a whole number ≥ 0, got "-1". e.g. --seed 42.',
    ],
    [
      "--every not a whole number",
      ["train", classicPath, "--epochs", "2", "--every", "1.5"],
      'backprop-tutor: --every: expected a whole number ≥ 1, got "1.5". e.g. --every 100.',
    ],
    [
      "--jobs not a number",
      ["grade", "subs", "--jobs", "two"],
      'backprop-tutor: --jobs: expected a whole number ≥ 1, got "two". e.g. --jobs 2.',
    ],
    [
      "graph without an expression",
      ["graph"],
      'backprop-tutor: graph: missing the expression. write backprop-tutor graph "EXPR" name=value ... [options], e.g. backprop-tutor graph "(x + y) * z" x=-2 y=5 z=-4.',
    ],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(expectOneCleanLine(r.stderr)).toBe(message);
  });
});

describe("--debug", () => {
  it("as started: shows the stack trace after the message", () => {
    const path = specFile("debug.json", (s) => (s.weights[0][1][0] = "abc"));
    const plain = cliProcess("trace", path);
    expect(plain.stderr).not.toMatch(STACK_LINE);
    const r = cliProcess("trace", path, "--debug");
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe(plain.stderr.trimEnd());
    expect(r.stderr).toMatch(STACK_LINE);
    expect(r.stderr).toContain("parseSpec");
  });
});

describe("in process", () => {
  function capture(stderrIsTTY = false): Io & { out: string; err: string } {
    const io = {
      out: "",
      err: "",
      stderrIsTTY,
      stdout: (t: string) => void (io.out += t),
      stderr: (t: string) => void (io.err += t),
    };
    return io;
  }
  const boom: Command = {
    name: "boom",
    summary: "throws",
    usage: "backprop-tutor boom",
    options: {},
    async run() {
      throw new TypeError("cannot read properties of undefined (reading 'x')\n    more");
    },
  };

  it("an internal error is one line saying it is a bug, exit code 3; --debug adds the stack", async () => {
    const io = capture();
    expect(await runProgram(["boom"], io, [boom])).toBe(3);
    expect(io.err).toBe(
      "backprop-tutor: internal error (this is a bug in backprop-tutor, please report it): cannot read properties of undefined (reading 'x'); run with --debug for details\n",
    );
    const dbg = capture();
    expect(await runProgram(["boom", "--debug"], dbg, [boom])).toBe(3);
    expect(dbg.err).toMatch(STACK_LINE);
  });

  it("progress goes to stderr only when stderr is a terminal", async () => {
    const tty = capture(true);
    expect(await runProgram(["train", classicPath, "--epochs", "5"], tty)).toBe(0);
    expect(tty.err).toContain("epoch 5/5");
    const pipe = capture(false);
    expect(await runProgram(["train", classicPath, "--epochs", "5"], pipe)).toBe(0);
    expect(pipe.err).toBe("");
    expect(JSON.parse(pipe.out)).toEqual(JSON.parse(tty.out));
  });

  it("arguments that start with a minus but are no option are positionals, in their place; -- ends the options", async () => {
    const io = capture();
    expect(await runProgram(["graph", "-x*2", "x=3", "--precision", "float"], io), io.err).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ expression: "-x*2", precision: "float" });
    const dashed = capture();
    expect(await runProgram(["graph", "--format", "json", "--", "-x", "x=-2"], dashed), dashed.err).toBe(0);
    expect(JSON.parse(dashed.out).expression).toBe("-x");
  });

  it("--help wins over any other mistake on the line; --debug after -- is an argument", async () => {
    const io = capture();
    expect(await runProgram(["trace", "--bogus", "-h"], io)).toBe(0);
    expect(io.out).toContain("usage: backprop-tutor trace SPEC.json");
    const dd = capture();
    expect(await runProgram(["trace", classicPath, "--", "--debug"], dd)).toBe(2);
    expect(dd.err).toBe(
      'backprop-tutor: trace: unexpected argument "--debug". write backprop-tutor trace SPEC.json [options].\n',
    );
  });

  it("the last of a repeated option wins", async () => {
    const io = capture();
    expect(await runProgram(["trace", classicPath, "--precision", "dp:2", "--precision=float"], io)).toBe(0);
    expect(JSON.parse(io.out).precision).toBe("float");
  });

  it("the JSON diagnosis agrees with JSON.parse on valid and invalid text", () => {
    for (const ok of ['{"a": [1, -2.5e3, "x\\n", true, null, {}]}', " [ ] ", '"\\u00e9"'])
      expect(diagnoseJson(ok)).toBeUndefined();
    for (const bad of ["{", "[1 2]", "[1,]", '{"a" 1}', "NaN", "[.5]", "[01]", '"a\nb"', "{} {}", "// c\n{}"]) {
      expect(() => JSON.parse(bad)).toThrow();
      expect(diagnoseJson(bad), bad).toBeDefined();
    }
  });
});
