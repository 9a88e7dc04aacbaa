// The docs live inside the project and say what the code does: the spec format in docs/, no link
// out of the repository, every optimizer's update rule in `train --help` and docs/cli.md (and the
// rule stated is the one the engine applies), help texts of their own, and the labels of the
// tanh line and of bracket-notation drawings.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { runCli } from "../src/cli/program.js";
import { traceNetwork } from "../src/engine/network.js";
import { train } from "../src/engine/train.js";
import { ACTIVATION_NAMES } from "../src/engine/activations.js";
import { LOSS_NAMES } from "../src/engine/losses.js";
import { OPTIMIZER_NAMES } from "../src/engine/optimizers.js";
import { networkDot } from "../src/render/diagram.js";
import { OPTIMIZER_HELP } from "../src/cli/commands/train.js";
// @ts-expect-error: a plain .mjs module of the bench, without types
import { overBudget, stepFailed } from "../bench/budget.mjs";

const ROOT = join(import.meta.dirname, "..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const CLASSIC = JSON.parse(read("examples/classic.json"));

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((f) => {
    const rel = join(dir, f);
    return statSync(join(ROOT, rel)).isDirectory() ? filesUnder(rel) : [rel];
  });
}

describe("docs inside the project", () => {
  it("no README, doc or source file points at ../shared", () => {
    for (const f of ["README.md", ...filesUnder("docs"), ...filesUnder("src")])
      expect(read(f), f).not.toMatch(/\.\.\/shared|shared\/spec/);
  });

  it("docs/network-spec.md names every activation and loss, and both bias shapes", () => {
    const doc = read("docs/network-spec.md");
    for (const name of [...ACTIVATION_NAMES, ...LOSS_NAMES]) expect(doc).toContain(`| \`${name}\` |`);
    expect(doc).toMatch(/\*\*one number\*\* for the whole layer, shared by all its units/);
    expect(doc).toMatch(/\*\*an array\*\* with one bias per unit/);
    expect(read("README.md")).toContain("docs/network-spec.md");
  });
});

describe("train --help and docs/cli.md state every optimizer's update rule", () => {
  it("lists --hidden-delta-weights in the usage and every optimizer's rule", async () => {
    const help = await runCli(["train", "--help"]);
    expect(help.stdout.split("\n")[0]).toContain("[--hidden-delta-weights original|updated]");
    expect(help.stdout).toContain(OPTIMIZER_HELP);
    for (const name of OPTIMIZER_NAMES) expect(OPTIMIZER_HELP).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
    expect(OPTIMIZER_HELP).toContain("V ← β·V + (1 − β)·dθ,  θ ← θ − α·V");
    const cli = read("docs/cli.md");
    for (const name of OPTIMIZER_NAMES) expect(cli).toContain(`| \`${name}\` |`);
    expect(cli).toContain("| `momentum` | V ← β V + (1 − β) dθ, θ ← θ − α V | β = 0.9 |");
  });

  it("the rules stated are the engine's: momentum, AdaGrad and RMSProp by hand over three steps of the classic network", () => {
    const lr = 0.5,
      beta = 0.9,
      eps = 1e-8;
    const rules: Record<string, (w: number, g: number, s: { v: number }) => number> = {
      momentum: (w, g, s) => ((s.v = beta * s.v + (1 - beta) * g), w - lr * s.v),
      adagrad: (w, g, s) => ((s.v = s.v + g * g), w - (lr * g) / Math.sqrt(s.v + eps)),
      rmsprop: (w, g, s) => ((s.v = beta * s.v + (1 - beta) * g * g), w - (lr * g) / Math.sqrt(s.v + eps)),
    };
    for (const [name, rule] of Object.entries(rules)) {
      // three steps by hand: each gradient from a float trace of the weights so far
      let spec = structuredClone(CLASSIC);
      const state = spec.weights.map((M: number[][]) => M.map((row) => row.map(() => ({ v: 0 }))));
      for (let step = 0; step < 3; step++) {
        const t = traceNetwork(spec, { precision: "float" });
        const weights = spec.weights.map((M: number[][], l: number) =>
          M.map((row, j) => row.map((w, k) => rule(w, Number(t.backward.dW[l][j][k]), state[l][j][k]))),
        );
        spec = { ...spec, weights };
      }
      const engine = train(CLASSIC, { epochs: 3, optimizer: name as "momentum", precision: "float" });
      const w5 = Number(engine.final.weights[1][0][0]);
      expect(w5, name).toBeCloseTo(spec.weights[1][0][0], 12);
    }
    // and the textbook's v = βv − αg, θ += v is the same with the learning rate α(1 − β), as the docs say
    const textbook = train(CLASSIC, { epochs: 3, optimizer: "momentum", precision: "float", learningRate: 5 });
    let spec = structuredClone(CLASSIC);
    const v = spec.weights.map((M: number[][]) => M.map((row) => row.map(() => 0)));
    for (let step = 0; step < 3; step++) {
      const t = traceNetwork(spec, { precision: "float" });
      spec = {
        ...spec,
        weights: spec.weights.map((M: number[][], l: number) =>
          M.map((row, j) =>
            row.map((w, k) => w + (v[l][j][k] = beta * v[l][j][k] - 0.5 * Number(t.backward.dW[l][j][k]))),
          ),
        ),
      };
    }
    expect(Number(textbook.final.weights[1][0][0])).toBeCloseTo(spec.weights[1][0][0], 12);
  });
});

describe("help texts and labels of their own", () => {
  it("check-graph --help speaks of graphs, not of check's network keys", async () => {
    const graph = (await runCli(["check-graph", "--help"])).stdout,
      check = (await runCli(["check", "--help"])).stdout;
    expect(graph).not.toMatch(/z_h1|E_total|w_5/);
    expect(graph).toContain('{"q": "3", "f": "-12", "df/dx": "-4"}');
    expect(graph).toContain("(∂f/∂q;");
    expect(graph).toContain("sigmoid");
    expect(graph.split("\n")[2]).not.toBe(check.split("\n")[2]);
  });

  it("the tanh line is written once, not \\tanh(z) = \\tanh(z); sigmoid keeps its definition", () => {
    const spec = { ...CLASSIC, activations: ["tanh", "sigmoid"] };
    const steps = traceNetwork(spec, { precision: "dp:4" }).steps;
    expect(steps.find((s) => s.key === "a_h1")!.formula).toBe("\\tanh(z_{h1})");
    expect(steps.find((s) => s.key === "a_o1")!.formula).toBe("\\sigma(z_{o1}) = \\frac{1}{1 + e^{-z_{o1}}}");
    for (const s of steps) expect(s.formula).not.toMatch(/(\\[a-z]+\([^)]*\)) = \1$/);
  });

  it("bracket-notation drawings label units a[1]₁ and weights W[1]₁₂, not ^[1]_1", () => {
    const { names: _names, ...plain } = CLASSIC;
    const dot = networkDot(traceNetwork(plain, { precision: "dp:4", notation: "bracket" }));
    expect(dot).not.toContain("^[");
    expect(dot).toContain("<b>a[0]₁</b>");
    expect(dot).toContain("<b>a[1]₂</b>");
    expect(dot).toContain("<b>a[2]₁</b>");
    expect(dot).toContain("W[1]₁₂ = 0.2");
    const paren = networkDot(traceNetwork(plain, { precision: "dp:4", notation: "paren" }));
    expect(paren).toContain("<b>a₁⁽¹⁾</b>");
    // the names notation keeps its own names
    expect(networkDot(traceNetwork(CLASSIC, { precision: "dp:4" }))).toContain("<b>h1</b>");
  });

  it("bench:grade says why it exits 1", () => {
    expect(overBudget(95.2, 30)).toBeNull();
    expect(overBudget(130.4, 30)).toBe(
      "bench:grade: exit 1 because grading 30 submissions took 130.4 s, over the budget of 120 s (4.35 s each). " +
        "A busy machine slows every kernel (see the load average above); run it again when the machine is idle " +
        "before looking for a slowdown in the grader.",
    );
    expect(stepFailed("grade", { code: 1, stderr: "" })).toBe(
      "bench:grade: exit 1 because grade failed (exit 1): it printed nothing on stderr",
    );
    expect(read("bench/grade30.mjs")).toMatch(
      /const over = overBudget\(seconds, rows\.length\);\s+if \(over\) \{\s+console\.error\(over\);/,
    );
  });
});
