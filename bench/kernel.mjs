// npm run bench:kernel: what a TypeScript kernel costs to start and to compile a notebook, with the
// startup snapshot (src/exercises/kernel-snapshot.ts) and without it: tslab's own converter made
// as a kernel makes it, then notebook 05's code cells compiled in order as Run All would, in a
// fresh Node each time, from notebooks/. The figures are CPU seconds of that Node (user + system),
// not wall time, so a busy machine changes them little; ROUNDS rounds interleaved, the median.
// Prints one JSON line per figure.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const NOTEBOOK = join(ROOT, "notebooks", "05-two-layer-hand-calculation.ipynb");
const { ensureKernelSnapshot } = await import(join(ROOT, "dist", "exercises", "kernel-snapshot.js"));

const made = await ensureKernelSnapshot();
if ("error" in made) throw new Error(made.error);

// the probe: a converter as tslab's kernel makes one, then every code cell of the notebook
const PROBE = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const nb = JSON.parse(require("fs").readFileSync(${JSON.stringify(NOTEBOOK)}, "utf8"));
const { createConverter } = require(${JSON.stringify(join(ROOT, "node_modules/tslab/dist/converter.js"))});
const c = createConverter({ isJS: false, isBrowser: false });
const started = cpu();
let decls = "";
for (const cell of nb.cells.filter((x) => x.cell_type === "code")) {
  const r = c.convert(decls, [].concat(cell.source).join(""));
  if (r.diagnostics.length) throw new Error("a cell did not compile: " + r.diagnostics[0].messageText);
  if (r.declOutput !== undefined) decls = r.declOutput;
}
console.log(JSON.stringify({ started, compiled: cpu() }));
setImmediate(() => process.exit(0));
`;

const dir = mkdtempSync(join(tmpdir(), "bpt-bench-kernel-"));
const probe = join(dir, "probe.cjs");
writeFileSync(probe, PROBE);
const runs = { plain: [], snapshot: [] };
try {
  for (let i = 0; i < ROUNDS; i++)
    for (const [name, args] of [
      ["plain", [probe]],
      ["snapshot", ["--snapshot-blob", made.path, probe]],
    ]) {
      const r = spawnSync(process.execPath, args, { cwd: join(ROOT, "notebooks"), encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      runs[name].push(JSON.parse(r.stdout.trim().split("\n").at(-1)));
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, rs] of Object.entries(runs)) {
  for (const [figure, key] of [
    ["kernel started (CPU s)", "started"],
    ["kernel started and 05's cells compiled (CPU s)", "compiled"],
  ])
    console.log(
      JSON.stringify({
        case: `TypeScript kernel, ${name === "plain" ? "tslab as it comes" : "from the startup snapshot"}: ${figure}`,
        median: Number(median(rs.map((r) => r[key])).toFixed(2)),
        runs: rs.length,
        load_average: Number(loadavg()[0].toFixed(2)),
      }),
    );
}
