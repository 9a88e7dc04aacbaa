// Benchmark: grade 30 submissions of the example assignment with --jobs 2 on the tslab kernel,
// each student in the bubblewrap sandbox (and, as root, their own cgroup). Every student hands
// in the released notebook with the answers filled in from the key; every third one with the
// classic sign slip in w5+, so the checker's diagnosis runs too. Then the sandbox's own cost per
// student: /bin/true in a fresh sandbox and cgroup against /bin/true, median of 21; and whole gradings of --compare N (4)
// students with and without the sandbox, interleaved; and --runaway N (4) students graded as they
// are and with the first one's E_total written 1.0300e-100000000 (issue 21: that answer once took the
// grader down), interleaved.
// Run after a build:  npm run build && node bench/grade30.mjs [--jobs N] [--count N] [--compare N] [--runaway N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { ROOT } from "../scripts/paths.mjs";
import { runCli } from "../dist/cli/program.js";
import { bwrapArgs, chooseSandbox } from "../dist/exercises/sandbox.js";
import { noNewUserNamespaces } from "../dist/exercises/seccomp.js";
import { cgroupsUnavailable, gradingCgroupName, StudentCgroup, sweepCgroups } from "../dist/exercises/limits.js";
import { overBudget, stepFailed } from "./budget.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const count = arg("--count", 30),
  jobs = arg("--jobs", 2);

/** Milliseconds to run /bin/true with `wrap` around it (set up before, torn down after, both counted): median of 21. */
async function medianMs(wrap) {
  const times = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const { argv, done, input } = wrap(["/bin/true"]);
    const r = spawnSync(argv[0], argv.slice(1), { stdio: [input ? "pipe" : "ignore", "ignore", "ignore"], input });
    await done();
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(stepFailed(`${argv[0]} /bin/true`, r));
  }
  return times.sort((x, y) => x - y)[10];
}

mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const out = mkdtempSync(join(ROOT, ".tmp", "bench-grade-"));
/** `grade` over the class assigned in `out`, with the bench's jobs, quietly; `extra` appended. */
const gradeArgs = (...extra) => [
  "grade",
  join(out, "submissions"),
  "--key",
  join(out, "key", "key.json"),
  "--out",
  join(out, "graded"),
  "--jobs",
  String(jobs),
  "--quiet",
  ...extra,
];
try {
  const roster = [
    "id,name",
    ...Array.from({ length: count }, (_, i) => `s${String(i + 1).padStart(2, "0")},Student ${i + 1}`),
  ].join("\n");
  writeFileSync(join(out, "roster.csv"), roster + "\n");
  const a = await runCli([
    "assign",
    join(ROOT, "exercises", "backprop-1", "source.ipynb"),
    "--roster",
    join(out, "roster.csv"),
    "--out",
    out,
    "--secret",
    "bench",
  ]);
  if (a.code !== 0) throw new Error(stepFailed("assign", a));
  const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8"));
  mkdirSync(join(out, "submissions"));
  key.students.forEach((s, i) => {
    const nb = JSON.parse(readFileSync(join(out, "release", s.id, "backprop-1.ipynb"), "utf8"));
    const answers = { ...s.answers };
    if (i % 3 === 2)
      answers["w5+"] = (
        s.params.network.weights[1][0][0] +
        s.params.network.learningRate * Number(answers["dE/dw5"])
      ).toFixed(4);
    const cell = nb.cells.find((c) => c.metadata?.backprop_tutor?.kind === "answer");
    cell.source = `const answers: Record<string, string | number> = ${JSON.stringify(answers, null, 2)};`;
    writeFileSync(join(out, "submissions", `${s.id}.ipynb`), JSON.stringify(nb));
  });
  const load = loadavg()[0];
  const started = performance.now();
  const g = await runCli(gradeArgs());
  const seconds = (performance.now() - started) / 1000;
  if (g.code !== 0) throw new Error(stepFailed("grade", g));
  const rows = readFileSync(join(out, "graded", "grades.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const full = rows.filter((r) => r.split(",")[5] === "12").length;
  const how = g.stderr
    .split("\n")
    .filter((l) => /^(sandbox|limits):/.test(l))
    .join("; ");
  console.log(
    `graded ${rows.length} submissions with --jobs ${jobs} in ${seconds.toFixed(1)} s (${(seconds / rows.length).toFixed(2)} s each; ${full} full marks, ${rows.length - full} with the w5+ slip; load average ${load.toFixed(1)} on ${jobs === 2 ? "2 cores" : "this machine"} when it began)`,
  );
  console.log(how);

  // the sandbox's cost per student: a fresh sandbox (and cgroup: made, entered, emptied, removed) around /bin/true
  const sandbox = chooseSandbox(false);
  const cgroups = cgroupsUnavailable() === undefined;
  let n = 0;
  const direct = await medianMs((argv) => ({ argv, done: async () => {} }));
  const boxed = await medianMs((argv) => {
    const cg = cgroups
      ? StudentCgroup.create(gradingCgroupName(), `bench-${n++}`, { memoryMb: 2048, processes: 256, cpus: 1 })
      : null;
    // the seccomp filter on stdin, as namespacesUnavailable() gives it
    const inner = [sandbox.bwrap, ...bwrapArgs({ PATH: "/usr/bin:/bin" }, argv, 0)];
    return {
      input: noNewUserNamespaces(),
      argv: cg ? cg.wrap(inner) : inner,
      done: async () => {
        await cg?.remove();
      },
    };
  });
  await sweepCgroups(true);
  console.log(
    `sandbox cost per student: ${(boxed - direct).toFixed(0)} ms (/bin/true ${direct.toFixed(1)} ms direct, ${boxed.toFixed(1)} ms in a fresh bubblewrap sandbox${cgroups ? " and cgroup" : ""}; median of 21)`,
  );

  // and whole gradings, with and without the sandbox, interleaved so that both see the same load
  const ab = arg("--compare", 4);
  if (ab > 0) {
    const ids = key.students
      .slice(0, ab)
      .map((s) => s.id)
      .join(",");
    const times = { sandboxed: [], unsandboxed: [] };
    for (let round = 0; round < 2; round++) {
      for (const [name, extra] of [
        ["sandboxed", []],
        ["unsandboxed", ["--unsafe-no-sandbox"]],
      ]) {
        const t = performance.now();
        const r = await runCli(gradeArgs("--regrade", ids, ...extra));
        if (r.code !== 0) throw new Error(stepFailed(`grade --regrade${extra.length ? ` ${extra.join(" ")}` : ""}`, r));
        times[name].push((performance.now() - t) / 1000 / ab);
      }
    }
    const best = (xs) => Math.min(...xs);
    console.log(
      `grading ${ab} students, best of 2 interleaved rounds: ${best(times.sandboxed).toFixed(2)} s each sandboxed, ${best(times.unsandboxed).toFixed(2)} s each without (--unsafe-no-sandbox): the sandbox costs ${((best(times.sandboxed) - best(times.unsandboxed)) * 1000).toFixed(0)} ms a student (load average ${loadavg()[0].toFixed(1)} now)`,
    );
  }
  // a class with one runaway answer against the same class without it, interleaved
  const runaway = arg("--runaway", 4);
  if (runaway > 0) {
    const ids = key.students.slice(0, runaway).map((s) => s.id);
    const first = join(out, "submissions", `${ids[0]}.ipynb`);
    const honest = readFileSync(first, "utf8");
    const nb = JSON.parse(honest);
    const cell = nb.cells.find((c) => c.metadata?.backprop_tutor?.kind === "answer");
    cell.source = cell.source.replace(/"E_total": "[^"]*"/, '"E_total": "1.0300e-100000000"');
    if (!cell.source.includes("1.0300e-100000000")) throw new Error("bench: no E_total answer to replace");
    const wild = JSON.stringify(nb);
    const times = { normal: [], runaway: [] };
    for (let round = 0; round < 2; round++) {
      for (const [name, text] of [
        ["normal", honest],
        ["runaway", wild],
      ]) {
        writeFileSync(first, text);
        const t = performance.now();
        const r = await runCli(gradeArgs("--regrade", ids.join(",")));
        if (r.code !== 0) throw new Error(r.stderr);
        times[name].push((performance.now() - t) / 1000);
      }
    }
    writeFileSync(first, honest);
    const best = (xs) => Math.min(...xs);
    console.log(
      `a class of ${runaway}, best of 2 interleaved rounds: ${best(times.normal).toFixed(1)} s as handed in, ${best(times.runaway).toFixed(1)} s with one answer of 1.0300e-100000000 (load average ${loadavg()[0].toFixed(1)} now)`,
    );
  }
  const over = overBudget(seconds, rows.length);
  if (over) {
    console.error(over);
    process.exitCode = 1;
  }
} catch (e) {
  // one line saying why, not a stack trace
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
