// The project's benchmark cases; each returns JSON figures. run.mjs puts them beside the baselines.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const engine = () => import("../dist/index.js");
// the baselines' seeded weights, data and cases, as the project keeps them (common.mjs says whence)
const common = () => import("./common.mjs");

/** The baselines' synthetic classification cases, trained on the matrix path from the same weights. */
async function matrixCase(name) {
  const { matrixNet, trainMatrix, forwardBatch, batchLoss, resolveActivation, resolveLoss } = await engine();
  const { synthetic, CASES, initMLP, fanInScale } = await common();
  const c = CASES[name],
    sizes = [c.features, c.hidden, c.classes];
  const { X, y } = synthetic(c);
  const init = initMLP(sizes, c.seed + 1, fanInScale);
  const weights = init.map((L) =>
    Array.from({ length: L.nOut }, (_, j) => Array.from(L.W.subarray(j * L.nIn, (j + 1) * L.nIn))),
  );
  const net = matrixNet(
    sizes,
    weights,
    [Array(c.hidden).fill(0), Array(c.classes).fill(0)],
    [resolveActivation("sigmoid", "activations[0]"), resolveActivation("softmax", "activations[1]")],
    resolveLoss("cross_entropy"),
  );
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
  return {
    impl: "matrix",
    case: name,
    epochs: c.epochs,
    seconds,
    sec_per_epoch: seconds / c.epochs,
    final_loss: batchLoss(net, output, T, c.samples),
    accuracy: ok / c.samples,
  };
}

/** The baselines' moons MLP trained through the autograd graph engine, with or without recording every node and edge. */
async function moonsCase(logging) {
  const { Value, valueMLP, GraphRecorder } = await engine();
  const { initMLP, loadMoons, MOONS } = await common();
  const { X, y } = loadMoons();
  const weights = initMLP(MOONS.sizes, MOONS.seed).map((L) =>
    Array.from({ length: L.nOut }, (_, j) => Array.from(L.W.subarray(j * L.nIn, (j + 1) * L.nIn))),
  );
  const model = valueMLP(weights);
  const params = model.parameters();
  const recorder = logging ? new GraphRecorder() : null;
  let total,
    acc,
    nodes = 0,
    edges = 0;
  const step = (k) => {
    const scores = X.map((row) => model.call(row.map((v) => new Value(v)))[0]);
    let data = new Value(0);
    for (let i = 0; i < scores.length; i++) data = data.add(scores[i].mul(-y[i]).add(1).relu());
    data = data.mul(1 / scores.length);
    let reg = new Value(0);
    for (const p of params) reg = reg.add(p.mul(p));
    total = data.add(reg.mul(MOONS.alpha));
    acc = scores.filter((s, i) => y[i] > 0 === s.data > 0).length / scores.length;
    for (const p of params) p.grad = 0;
    total.backward();
    const lr = MOONS.lr(k);
    for (const p of params) p.data -= lr * p.grad;
  };
  const t0 = performance.now();
  for (let k = 0; k < MOONS.steps; k++) {
    if (recorder) {
      recorder.clear(); // keep the latest step's full record: every node and edge of it
      recorder.record(() => step(k));
      nodes += recorder.nodeCount;
      edges += recorder.edgeCount;
    } else step(k);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    impl: logging ? "graph-log" : "graph-nolog",
    case: "moons",
    steps: MOONS.steps,
    seconds,
    sec_per_step: seconds / MOONS.steps,
    final_loss: total.data,
    accuracy: acc,
    ...(logging ? { nodes_recorded: nodes, edges_recorded: edges } : {}),
  };
}

export const CASES = [
  { name: "graph-nolog", run: async () => [await moonsCase(false)] },
  { name: "graph-log", run: async () => [await moonsCase(true)] },
  { name: "mnist-shape", run: async () => [await matrixCase("mnist-shape")] },
  { name: "iris-shape", run: async () => [await matrixCase("iris-shape")] },
  {
    name: "exact-step",
    run: async ({ timeMs, ROOT }) => {
      const { traceNetwork } = await engine();
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      return [
        {
          impl: "backprop-tutor",
          case: "exact-step",
          ms: timeMs(() => traceNetwork(spec, { precision: "exact" })),
          limit_ms: 20,
        },
      ];
    },
  },
  {
    // trace → HTML: the whole derivation, the trace tables and the exact-vs-4dp comparison
    name: "render-classic",
    run: async ({ timeMs, ROOT }) => {
      const { traceNetwork, derivationBundle, traceTablesBundles, comparisonBundle } = await engine();
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      const render = () => {
        const exact = traceNetwork(spec, { precision: "exact" }),
          rounded = traceNetwork(spec, { precision: "dp:4" });
        return [derivationBundle(rounded), ...traceTablesBundles(rounded), comparisonBundle(exact, rounded)];
      };
      return [{ impl: "backprop-tutor", case: "render-classic", ms: timeMs(render, 9), limit_ms: 200 }];
    },
  },
  {
    // the step-through view's state logic (src/view/session.ts) on the classic example, node-side:
    // the browser adds KaTeX and the DOM (the browser test reports those figures)
    name: "view-classic",
    run: async ({ timeMs, ROOT }) => {
      const { StepThrough } = await import("../dist/view/session.js");
      const { networkPayload } = await import("../dist/view/payload.js");
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      const open = (precision) => new StepThrough(networkPayload(spec, { precision }));
      const s = open("dp:4");
      const step = () => {
        if (s.index === s.steps.length - 1) s.go(0);
        else s.next();
        return s.summary();
      };
      // a what-if edit re-traces (verdicts are kept as earned); with the loss plot for an edited weight
      const editing = (precision) => {
        const e = open(precision);
        for (const [key, typed] of [
          ["z_h1", "0.3775"],
          ["a_h1", "0.5933"],
          ["dE/dw5", "0.0820"],
        ]) {
          e.go(e.steps.findIndex((x) => x.key === key));
          e.check(typed);
        }
        let n = 0;
        const w5 = "given.weight.2.0.0";
        return {
          edit: () => e.edit(w5, String(0.4 + (++n % 7) / 100)),
          withPlot: () => {
            e.edit(w5, String(0.4 + (++n % 7) / 100));
            return e.lossCurve(w5);
          },
        };
      };
      // a check: the checker judges a typed value (started again each time, so the step is open)
      const checking = () => {
        const c = open("dp:4");
        const at = c.steps.findIndex((x) => x.key === "dE/dw5");
        return () => {
          c.startAgain();
          c.go(at);
          return c.check("0.0822");
        };
      };
      return [
        { impl: "backprop-tutor", case: "view-first-render", ms: timeMs(() => open("dp:4"), 9), limit_ms: 300 },
        { impl: "backprop-tutor", case: "view-step-change", ms: timeMs(step, 50), limit_ms: 16 },
        { impl: "backprop-tutor", case: "view-check", ms: timeMs(checking(), 9), limit_ms: 80 },
        { impl: "backprop-tutor", case: "view-edit-float", ms: timeMs(editing("float").edit, 9), limit_ms: 50 },
        { impl: "backprop-tutor", case: "view-edit-dp4", ms: timeMs(editing("dp:4").edit, 9), limit_ms: 50 },
        { impl: "backprop-tutor", case: "view-edit-exact", ms: timeMs(editing("exact").edit, 9), limit_ms: 200 },
        // what-if on a weight also draws the loss against it (25 float traces)
        {
          impl: "backprop-tutor",
          case: "view-edit-with-loss-plot-dp4",
          ms: timeMs(editing("dp:4").withPlot, 9),
          limit_ms: 100,
        },
      ];
    },
  },
  {
    // the full slide answer set of the classic 0.05/0.10 worked example (27 values, two slips and a follow-through)
    name: "check-classic",
    run: async ({ timeMs, ROOT }) => {
      const { checkHandCalculation, parseAnswersCsv } = await engine();
      const spec = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8"));
      const answers = parseAnswersCsv(readFileSync(join(ROOT, "examples", "classic-slide-answers.csv"), "utf8"));
      // first: a spec the checker has not seen (its dependency scan is cached per spec), as when a
      // student checks an exercise's numbers for the first time; the learning rate differs by a
      // trace each time so no run hits the cache
      let n = 0;
      const fresh = () => checkHandCalculation({ ...spec, learningRate: 0.5 + ++n * 1e-9 }, answers);
      return [
        {
          impl: "backprop-tutor",
          case: "check-classic",
          ms: timeMs(() => checkHandCalculation(spec, answers)),
          limit_ms: 100,
        },
        { impl: "backprop-tutor", case: "check-classic-first", ms: timeMs(fresh), limit_ms: 100 },
      ];
    },
  },
];
