// npm run bench: the project's figures side by side with the benchmark baselines (plain-JS
// programs kept outside the repository, in ../shared/bench/ when present; without them the
// project's own figures are printed alone), all in one run (times on these machines vary by 30%
// between runs, so compare ratios). The cases start from the baselines' seeded weights and data,
// which the project keeps in bench/common.mjs; when the baselines are at hand, that copy is first
// checked against theirs. Each
// figure, ours and the baselines' alike, is the best of ROUNDS interleaved rounds, so that one
// slow moment on a shared 2-core machine does not decide a ratio.
// Prints one JSON line per figure, then one line per target with the ratio and whether it holds.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SHARED = join(ROOT, "..", "shared", "bench");
const only = process.argv.slice(2);
const wanted = (name) => only.length === 0 || only.some((o) => name.includes(o));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const best = new Map(); // "impl|case" → the fastest of the rounds

function report(obj) {
  const key = `${obj.impl}|${obj.case}`,
    time = obj.seconds ?? obj.ms,
    old = best.get(key);
  if (!old || obj.error || (time !== undefined && time < (old.seconds ?? old.ms))) best.set(key, obj);
}

/** Run a baseline script and collect its JSON lines. */
function baseline(script, args = []) {
  const path = join(SHARED, script);
  if (!existsSync(path)) {
    console.error(`bench: ${path} not found; baselines skipped`);
    return;
  }
  const out = execFileSync(process.execPath, [path, ...args], { cwd: ROOT, encoding: "utf8" });
  for (const line of out.trim().split("\n"))
    if (line.startsWith("{")) report({ ...JSON.parse(line), source: "baseline" });
}

/** Median of n timed runs of fn (after one warm-up), in milliseconds. */
export function timeMs(fn, n = 15) {
  fn();
  const t = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(n / 2)];
}

/** The project's copy of the baselines' module (common.mjs) draws the same weights and data as theirs. */
async function checkCommonCopy() {
  const theirsPath = join(SHARED, "common.mjs");
  if (!existsSync(theirsPath)) return;
  const [ours, theirs] = await Promise.all([import("./common.mjs"), import(theirsPath)]);
  const sample = (m) =>
    JSON.stringify({
      moons: m.loadMoons(),
      cases: m.CASES,
      weights: [m.initMLP(m.MOONS.sizes, m.MOONS.seed), m.initMLP([784, 32, 10], 8, m.fanInScale)].map((ls) =>
        ls.map((l) => Array.from(l.W)),
      ),
      synthetic: Object.values(m.CASES).map((c) => {
        const { X, y } = m.synthetic(c);
        return [Array.from(X.subarray(0, 50)), Array.from(y.subarray(0, 50)), X.length];
      }),
      moonsSettings: { ...m.MOONS, lr: [0, 10, 19].map(m.MOONS.lr) },
    });
  if (sample(ours) !== sample(theirs)) {
    console.error("bench: bench/common.mjs no longer draws what the baselines' common.mjs draws; update the copy");
    process.exit(1);
  }
}

const cases = (await import("./cases.mjs")).CASES;
// one round of our cases, in a process of its own: a fresh process each round, like the baselines
if (process.env.BENCH_CHILD) {
  for (const c of cases) {
    if (!wanted(c.name)) continue;
    try {
      for (const r of await c.run({ timeMs, SHARED, ROOT }))
        console.log(JSON.stringify({ ...r, source: "backprop-tutor" }));
    } catch (err) {
      console.log(JSON.stringify({ impl: "backprop-tutor", case: c.name, error: String(err?.message ?? err) }));
    }
  }
  process.exit(0);
}
await checkCommonCopy();
for (let round = 0; round < ROUNDS; round++) {
  if (wanted("baseline") || wanted("moons") || wanted("mnist") || wanted("iris")) {
    baseline("js_scalar_baseline.mjs", ["--style", "static"]);
    baseline("js_scalar_baseline.mjs");
    baseline("js_matrix_baseline.mjs", ["all"]);
  }
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...only], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, BENCH_CHILD: "1" },
  });
  for (const line of out.trim().split("\n")) if (line.startsWith("{")) report(JSON.parse(line));
}
const results = [...best.values()];
for (const r of results) console.log(JSON.stringify({ ...r, rounds: ROUNDS }));

// Targets from the issues: ratio = ours / baseline (or absolute ms)
const find = (impl, kase) => results.find((r) => r.impl === impl && r.case === kase);
const targets = [
  ["graph engine, logging off vs js-scalar-static (moons)", "graph-nolog", "js-scalar-static", "moons", 1.5],
  ["graph engine, full logging vs js-scalar-static (moons)", "graph-log", "js-scalar-static", "moons", 3],
  ["matrix path vs js-matrix (mnist-shape)", "matrix", "js-matrix", "mnist-shape", 1.5],
  ["matrix path vs js-matrix (iris-shape)", "matrix", "js-matrix", "iris-shape", 1.5],
];
for (const [label, ours, base, kase, limit] of targets) {
  const a = find(ours, kase),
    b = find(base, kase);
  if (!a || !b || a.error) continue;
  const ratio = a.seconds / b.seconds;
  console.log(JSON.stringify({ target: label, ratio: Number(ratio.toFixed(3)), limit, holds: ratio <= limit }));
}
for (const r of results)
  if (r.limit_ms !== undefined)
    console.log(
      JSON.stringify({ target: `${r.case} (ms)`, ms: r.ms, limit_ms: r.limit_ms, holds: r.ms <= r.limit_ms }),
    );
