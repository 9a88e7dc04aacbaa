// `npm test`: build dist/ and check the code (types, layout, lint), run the vitest suite, every
// notebook headless, and the end-to-end files; then print the time each part took and one
// closing line that counts them all, `tests: N passed, M failed`. Every part runs even when an
// earlier one failed (a failing unit test does not hide a broken notebook), but nothing runs after
// a failed build; the exit code is non-zero if any part failed.
//
//   npm test                        everything
//   npm test -- --skip-notebooks    all but the notebooks (the closing line counts the rest)
//
// The parts run as soon as what they need is done and the machine has room for them: each says
// how many of the machine's two cores it keeps busy, and parts run side by side while their cores
// add up to two. A part's output is shown when it ends. The times go to
// test-artifacts/test-timings.json as well (per end-to-end file and per notebook in the vitest and
// notebook reports beside it).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";
import { missingBrowser } from "./browser.mjs";

const ARTIFACTS = join(ROOT, "test-artifacts");
const CACHE = join(ROOT, "node_modules", ".cache", "backprop-tutor");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");
const CORES = 2;
const skipNotebooks = process.argv.includes("--skip-notebooks");

// The files that start JupyterLab, chromium or grading kernels are parts of their own (the unit
// run leaves them out), known by name: *browser.test.ts, *-e2e.test.ts, *-hostile.test.ts.
const HEAVY_NAME = /(^|-)browser\.test\.ts$|-e2e\.test\.ts$|-hostile\.test\.ts$/;
const HEAVY = readdirSync(join(ROOT, "test"))
  .filter((f) => HEAVY_NAME.test(f))
  .sort()
  .map((f) => `test/${f}`);
// the two JupyterLab files share one JupyterLab (test/helpers/shared-lab.ts): one vitest run
const LAB_FILES = ["test/browser.test.ts", "test/step-through-browser.test.ts"].filter((f) => HEAVY.includes(f));

/** [part, seconds] in the order the parts ended; end-to-end files indented under their part */
const timings = [];
let passed = 0,
  failed = 0,
  skipped = 0;
const started = Date.now();
const since = () => ((Date.now() - started) / 1000).toFixed(0).padStart(4);

/** Run node with `args`, its output kept for when it ends. */
function run(args, env = {}) {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - t) / 1000 }));
  });
}

/** A check that passes or fails as a whole (a compiler, a formatter, a linter). */
function check(args, onFail) {
  return async () => {
    const r = await run(args);
    if (r.code !== 0) {
      if (onFail) r.output += `${onFail}\n`;
      failed += 1;
    }
    return r;
  };
}

/** A vitest run over `files` (or all but the heavy ones), its counts added to the closing line. */
function vitest(name, args, env = {}) {
  return async () => {
    const report = join(ARTIFACTS, `vitest-${name}.json`);
    rmSync(report, { force: true });
    const r = await run(
      [VITEST, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
      env,
    );
    let failedHere = r.code !== 0 ? 1 : 0;
    r.files = [];
    if (existsSync(report)) {
      const j = JSON.parse(readFileSync(report, "utf8"));
      passed += j.numPassedTests;
      skipped += j.numPendingTests + j.numTodoTests;
      // a test file that fails to load counts no test; count it as one failure so it cannot pass unseen
      const counted =
        j.numFailedTests + j.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
      failedHere = Math.max(counted, failedHere);
      r.files = j.testResults;
    }
    failed += failedHere;
    return r;
  };
}

async function notebooks() {
  const r = await run([join(ROOT, "scripts/run-notebooks.mjs")]);
  const counts = /^notebooks: (\d+) passed, (\d+) failed$/m.exec(r.output);
  if (counts) {
    passed += Number(counts[1]);
    failed += Number(counts[2]);
  }
  if (r.code !== 0 && (!counts || Number(counts[2]) === 0)) failed += 1;
  // the JupyterLab files open these executed copies instead of running the same notebooks again
  // (helpers/jupyter.ts executedNotebook); only a clean run's copies, or they execute their own
  if (r.code === 0) executedNotebooks = join(ARTIFACTS, "notebooks");
  return r;
}
let executedNotebooks;

const cached = (name) => join(CACHE, name);
// without a browser the browser tests are skipped, and this says why; in CI (CI set) they fail instead
const noBrowser = missingBrowser();
const heavyRest = HEAVY.filter((f) => !LAB_FILES.includes(f));
const SITE_TEST = "test/site-browser.test.ts";
const SITE_DIR = join(ROOT, ".tmp", "site-for-tests");

/**
 * The parts, in the order they are started when several could be: each with the parts it needs
 * (`after`) and the cores it keeps busy. The checks that time their limits (grading kernels under
 * a cell limit) take both cores, so nothing else runs beside them.
 */
const parts = [
  // the static site the site test opens, built first, beside the build (one core, no browser,
  // ~10 s of CPU), and handed to it
  {
    title: "build the static site",
    skip: !HEAVY.includes(SITE_TEST),
    cores: 1,
    job: check([join(ROOT, "scripts/build-site.mjs"), "--out", SITE_DIR]),
  },
  // tsc -b: composite and incremental, its build info in dist/ (a second run rebuilds what changed)
  { title: "build", cores: 1, job: check([TSC, "-b", "tsconfig.json"]) },
  // the tests against dist/'s declarations (tsconfig.test.json references src/)
  {
    title: "type-check the tests",
    after: ["build"],
    cores: 1,
    job: check([TSC, "-p", "tsconfig.test.json"]),
  },
  // the view's extension with the modules of src/ it is built from, in its own settings (DOM, no Node)
  {
    title: "type-check the view's extension",
    cores: 1,
    job: check([
      TSC,
      "-p",
      "labextension/tsconfig.json",
      "--noEmit",
      "--incremental",
      "--tsBuildInfoFile",
      cached("labextension.tsbuildinfo"),
    ]),
  },
  // the code is kept in Prettier's layout (.prettierrc.json) and passes the linter (eslint.config.mjs);
  // both remember the files they passed, by content, until those change
  {
    title: "formatting (Prettier)",
    cores: 1,
    job: check(
      [
        join(ROOT, "node_modules/prettier/bin/prettier.cjs"),
        "--check",
        "--log-level=warn",
        "--cache",
        "--cache-strategy=content",
        "--cache-location",
        cached("prettier"),
        ".",
      ],
      "these files are not formatted: run `npm run format`",
    ),
  },
  {
    title: "lint (ESLint)",
    cores: 1,
    job: check(
      [
        join(ROOT, "node_modules/eslint/bin/eslint.js"),
        "--cache",
        "--cache-strategy=content",
        "--cache-location",
        cached("eslint"),
        ".",
      ],
      "the linter found the problems above (`npm run lint` shows them again)",
    ),
  },
  // the browser files test the view's extension installed in .venv: rebuilt here when a source it is
  // built from (labextension/src, the modules of src/ it imports) changed since, else a hash check
  {
    title: "the view's extension, if its sources changed",
    cores: 1,
    job: check([join(ROOT, "scripts/build-labextension.mjs")]),
  },
  {
    title: "notebooks",
    skip: skipNotebooks,
    after: ["build"],
    cores: 2,
    job: notebooks,
  },
  {
    title: "vitest",
    after: ["build"],
    cores: 2,
    job: vitest(
      "unit",
      HEAVY.map((f) => `--exclude=${f}`),
    ),
  },
  {
    title: "vitest: the JupyterLab files, side by side",
    files: LAB_FILES,
    after: ["build", "notebooks", "the view's extension, if its sources changed"],
    cores: 2,
    job: () =>
      vitest(
        "jupyterlab",
        ["--maxWorkers=2", ...LAB_FILES],
        executedNotebooks ? { BPT_EXECUTED_NOTEBOOKS: executedNotebooks } : {},
      )(),
  },
  ...heavyRest.map((f) => ({
    title: `vitest: ${f}`,
    files: [f],
    after: f === SITE_TEST ? ["build", "build the static site"] : ["build"],
    cores: 2,
    job: vitest(f.replace(/^test\/|\.test\.ts$/g, ""), [f], f === SITE_TEST ? { SITE_DIR } : {}),
  })),
].filter((p) => !p.skip && (!p.files || p.files.length > 0));

/** Start every part whose needs are met while it fits; resolves when all have ended. */
function schedule() {
  const done = new Set();
  const waiting = [...parts];
  let free = CORES,
    running = 0;
  return new Promise((finish) => {
    const startWhatFits = () => {
      for (const p of [...waiting]) {
        if (!(p.after ?? []).every((a) => done.has(a) || !parts.some((q) => q.title === a))) continue;
        if (p.cores > free && running > 0) continue;
        waiting.splice(waiting.indexOf(p), 1);
        free -= p.cores;
        running += 1;
        console.log(`${since()} s  started  ${p.title}`);
        p.job().then((r) => ended(p, r));
      }
      if (running === 0 && waiting.length === 0) finish();
    };
    const ended = (p, r) => {
      free += p.cores;
      running -= 1;
      done.add(p.title);
      results.push([p, r]);
      console.log(`${since()} s  ${r.code === 0 ? "passed " : "FAILED "}  ${p.title} (${r.seconds.toFixed(1)} s)`);
      timings.push([p.title, r.seconds]);
      for (const f of r.files ?? [])
        if (p.files && p.files.length > 1)
          timings.push([`  ${f.name.slice(ROOT.length + 1)}`, Math.max(0, (f.endTime - f.startTime) / 1000)]);
      if (p.title === "build" && r.code !== 0) {
        // nothing can run on a broken build: the rest is not started
        waiting.length = 0;
      }
      startWhatFits();
    };
    startWhatFits();
  });
}

function printTimings(total) {
  console.log("\n== time per part (in the order they ended)");
  const width = Math.max(...timings.map(([t]) => t.length), 5);
  for (const [title, seconds] of timings) console.log(`  ${title.padEnd(width)}  ${seconds.toFixed(1).padStart(6)} s`);
  console.log(`  ${"total".padEnd(width)}  ${total.toFixed(1).padStart(6)} s`);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(
    join(ARTIFACTS, "test-timings.json"),
    JSON.stringify(
      {
        total_seconds: Number(total.toFixed(1)),
        parts: timings.map(([part, s]) => ({ part, seconds: Number(s.toFixed(1)) })),
      },
      null,
      2,
    ) + "\n",
  );
}

mkdirSync(ARTIFACTS, { recursive: true });
mkdirSync(CACHE, { recursive: true });
if (noBrowser && !process.env.CI) console.log(`the browser tests are skipped: ${noBrowser}\n`);
const results = [];
await schedule();
// each part's output, in the order of the list above (the build's first: nothing runs after a failed one)
for (const p of parts) {
  const found = results.find(([q]) => q === p);
  if (!found) continue;
  console.log(`\n== ${p.title}`);
  process.stdout.write(found[1].output);
}
if (results.some(([p, r]) => p.title === "build" && r.code !== 0)) {
  console.log("\nthe build failed (the TypeScript errors are above), so no test ran.\ntests: 0 passed, 1 failed");
  process.exit(1);
}
printTimings((Date.now() - started) / 1000);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
