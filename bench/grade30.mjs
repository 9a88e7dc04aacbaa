// Benchmark: grade 30 submissions of the example assignment with --jobs 2 on the tslab kernel.
// Every student hands in the released notebook with the answers filled in from the key; every
// third one with the classic sign slip in w5+, so the checker's diagnosis runs too.
// Run after a build:  npm run build && node bench/grade30.mjs [--jobs N] [--count N]
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../scripts/paths.mjs";
import { runCli } from "../dist/cli/program.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const count = arg("--count", 30), jobs = arg("--jobs", 2);
mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const out = mkdtempSync(join(ROOT, ".tmp", "bench-grade-"));
try {
  const roster = ["id,name", ...Array.from({ length: count }, (_, i) => `s${String(i + 1).padStart(2, "0")},Student ${i + 1}`)].join("\n");
  writeFileSync(join(out, "roster.csv"), roster + "\n");
  const a = await runCli(["assign", join(ROOT, "exercises", "backprop-1", "source.ipynb"), "--roster", join(out, "roster.csv"), "--out", out, "--secret", "bench"]);
  if (a.code !== 0) throw new Error(a.stderr);
  const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8"));
  mkdirSync(join(out, "submissions"));
  key.students.forEach((s, i) => {
    const nb = JSON.parse(readFileSync(join(out, "release", s.id, "backprop-1.ipynb"), "utf8"));
    const answers = { ...s.answers };
    if (i % 3 === 2) answers["w5+"] = (s.params.network.weights[1][0][0] + s.params.network.learningRate * Number(answers["dE/dw5"])).toFixed(4);
    const cell = nb.cells.find((c) => c.metadata?.backprop_tutor?.kind === "answer");
    cell.source = `const answers: Record<string, string | number> = ${JSON.stringify(answers, null, 2)};`;
    writeFileSync(join(out, "submissions", `${s.id}.ipynb`), JSON.stringify(nb));
  });
  const started = performance.now();
  const g = await runCli(["grade", join(out, "submissions"), "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--jobs", String(jobs)]);
  const seconds = (performance.now() - started) / 1000;
  if (g.code !== 0) throw new Error(g.stderr);
  const rows = readFileSync(join(out, "graded", "grades.csv"), "utf8").trim().split("\n").slice(1);
  const full = rows.filter((r) => r.split(",")[5] === "12").length;
  console.log(`graded ${rows.length} submissions with --jobs ${jobs} in ${seconds.toFixed(1)} s (${(seconds / rows.length).toFixed(2)} s each; ${full} full marks, ${rows.length - full} with the w5+ slip; ${process.getuid?.() === 0 ? "each kernel as its own uid" : "weaker sandbox, not root"})`);
  if (seconds > 180) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
