// The project's benchmark cases; each returns JSON figures. run.mjs puts them beside the baselines.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const engine = () => import("../dist/index.js");
const common = (SHARED) => import(join(SHARED, "common.mjs"));

/** The baselines' synthetic classification cases, trained on the matrix path from the same weights. */
async function matrixCase(name, { SHARED }) {
  const { matrixNet, trainMatrix, forwardBatch, batchLoss, resolveActivation, resolveLoss } = await engine();
  const { synthetic, CASES, initMLP, fanInScale } = await common(SHARED);
  const c = CASES[name], sizes = [c.features, c.hidden, c.classes];
  const { X, y } = synthetic(c);
  const init = initMLP(sizes, c.seed + 1, fanInScale);
  const weights = init.map((L) => Array.from({ length: L.nOut }, (_, j) => Array.from(L.W.subarray(j * L.nIn, (j + 1) * L.nIn))));
  const net = matrixNet(sizes, weights, [Array(c.hidden).fill(0), Array(c.classes).fill(0)],
    [resolveActivation("sigmoid", "activations[0]"), resolveActivation("softmax", "activations[1]")], resolveLoss("cross_entropy"));
  const T = new Float64Array(c.samples * c.classes);
  for (let i = 0; i < c.samples; i++) T[i * c.classes + y[i]] = 1;
  const t0 = performance.now();
  trainMatrix(net, X, T, c.samples, { epochs: c.epochs, batchSize: c.batch, learningRate: c.lr });
  const seconds = (performance.now() - t0) / 1000;
  const { output } = forwardBatch(net, X, c.samples);
  let ok = 0;
  for (let i = 0; i < c.samples; i++) {
    const row = Array.from(output.subarray(i * c.classes, (i + 1) * c.classes));
    if (row.indexOf(Math.max(...row)) === y[i]) ok++;
  }
  return { impl: "matrix", case: name, epochs: c.epochs, seconds, sec_per_epoch: seconds / c.epochs, final_loss: batchLoss(net, output, T, c.samples), accuracy: ok / c.samples };
}

export const CASES = [
  { name: "mnist-shape", run: async (ctx) => [await matrixCase("mnist-shape", ctx)] },
  { name: "iris-shape", run: async (ctx) => [await matrixCase("iris-shape", ctx)] },
  {
    name: "exact-step",
    run: async ({ timeMs, ROOT }) => {
      const { traceNetwork } = await engine();
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      return [{ impl: "backprop-tutor", case: "exact-step", ms: timeMs(() => traceNetwork(spec, { precision: "exact" })), limit_ms: 20 }];
    },
  },
  {
    // the full slide answer set of seed 001 Example 8 (27 values, two slips and a follow-through)
    name: "check-classic",
    run: async ({ timeMs, ROOT }) => {
      const { checkHandCalculation, parseAnswersCsv } = await engine();
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      const answers = parseAnswersCsv(readFileSync(join(ROOT, "examples", "classic-slide-answers.csv"), "utf8"));
      return [{ impl: "backprop-tutor", case: "check-classic", ms: timeMs(() => checkHandCalculation(spec, answers)), limit_ms: 100 }];
    },
  },
];
