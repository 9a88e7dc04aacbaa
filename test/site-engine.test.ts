// The engine as the browser kernel runs it (the site's engine.js, built by esbuild from src/ with
// Node's built-ins swapped for lite/host's stand-ins) gives the same numbers as the engine tslab
// runs: every step of the lecture's two-layer example and of the XOR network in float, exact and
// 4-place arithmetic, training in float (200 epochs, two optimizers) and exact (10 epochs), and the
// checker's verdicts. Its displays go through the kernel's writer with KaTeX's fonts inlined.
import { beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as src from "../src/index.js";
import { ROOT } from "../src/exercises/paths.js";
// @ts-expect-error: a plain .mjs build script without types
import { buildEngineBundle } from "../scripts/site-bundles.mjs";

type Engine = typeof src;
interface Bundle {
  modules: { engine: Engine; fs: { readFileSync(p: string, enc?: string): string | Uint8Array } };
  host: { writeDisplay: ((m: { data: Record<string, unknown> }, update: boolean) => void) | null; filesBase: string };
}

const classic = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8")) as Record<string, unknown>;
const xor = {
  layers: [2, 2, 1],
  activations: ["sigmoid", "sigmoid"],
  loss: "half_sse",
  weights: [
    [
      [0.5, -0.4],
      [0.9, 1.0],
    ],
    [[-1.2, 1.1]],
  ],
  biases: [[0.8, -0.1], [0.3]],
  learningRate: 0.5,
  inputs: [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ],
  targets: [[0], [1], [1], [0]],
};

let bundle: Bundle;
let dir: string;

beforeAll(async () => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(ROOT, ".tmp", "site-engine-"));
  await buildEngineBundle(join(dir, "engine.mjs"));
  bundle = (await import(pathToFileURL(join(dir, "engine.mjs")).href)) as Bundle;
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

const steps = (t: ReturnType<Engine["traceNetwork"]>) => t.steps.map((s) => [s.id, s.value, s.formula, s.substituted]);

describe("the browser engine bundle gives the engine's numbers", () => {
  for (const precision of ["float", "exact", "dp:4"])
    it(`every step of the two-layer example and of XOR, ${precision}`, () => {
      const web = bundle.modules.engine;
      expect(steps(web.traceNetwork(classic, { precision }))).toEqual(steps(src.traceNetwork(classic, { precision })));
      expect(steps(web.traceNetwork(xor, { precision }))).toEqual(steps(src.traceNetwork(xor, { precision })));
    });

  it("has the lecture's numbers: a_h1 = 0.593269992, E_total = 0.298371109 (float), w5+ = 0.3589 (4 places)", () => {
    const web = bundle.modules.engine;
    const value = (t: ReturnType<Engine["traceNetwork"]>, key: string) => t.steps.find((s) => s.key === key)!.value;
    const float = web.traceNetwork(classic, { precision: "float" });
    expect(Number(value(float, "a_h1")).toFixed(9)).toBe("0.593269992");
    expect(Number(value(float, "E_total")).toFixed(9)).toBe("0.298371109");
    expect(value(web.traceNetwork(classic, { precision: "dp:4" }), "w5+")).toBe("0.3589");
  });

  for (const [precision, optimizer, epochs] of [
    ["float", "sgd", 200],
    ["float", "adam", 200],
    ["exact", "momentum", 10],
  ] as const)
    it(`trains XOR for ${epochs} epochs to the same losses (${precision}, ${optimizer})`, () => {
      const run = (e: Engine) => e.train(xor, { epochs, precision, optimizer }).history.map((r) => String(r.loss));
      expect(run(bundle.modules.engine)).toEqual(run(src));
    });

  it("judges answers as the checker does", () => {
    const answers = { "dE/dw5": "0.0820", "w5+": "0.3589" };
    const web = bundle.modules.engine.checkHandCalculation(classic, answers);
    expect(web).toEqual(src.checkHandCalculation(classic, answers));
    expect(web.rows.map((r) => r.verdict)).toEqual(["wrong", "correct"]);
  });

  it("displays through the kernel's writer, with KaTeX's fonts inlined (nothing fetched)", () => {
    const shown: Record<string, unknown>[] = [];
    bundle.host.writeDisplay = (m) => shown.push(m.data);
    bundle.modules.engine.showMath("E_{total} = \\tfrac12\\sum (t - a)^2");
    bundle.host.writeDisplay = null;
    expect(shown).toHaveLength(1);
    const html = String(shown[0]["text/html"]);
    expect(html).toContain('class="katex"');
    expect(html).toMatch(/@font-face\{[^}]*src:url\(data:font\/woff2;base64,/);
    expect(shown[0]["text/plain"]).toContain("E_{total}");
  });
});
