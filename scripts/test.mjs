// `npm test`: build dist/ and check the code (types, layout, lint), run the vitest suite, every
// notebook headless, and the heavy end-to-end files one at a time; then print the time each
// part took and one closing line that counts them all, `tests: N passed, M failed`. Every part
// runs even when an earlier one failed (a failing unit test does not hide a broken notebook), but
// nothing runs after a failed build; the exit code is non-zero if any part failed.
//
//   npm test                        everything
//   npm test -- --skip-notebooks    all but the notebooks (the closing line counts the rest)
//
// The times go to test-artifacts/test-timings.json as well (per heavy file and per notebook in
// the vitest and notebook reports beside it).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";
import { missingBrowser } from "./browser.mjs";

const ARTIFACTS = join(ROOT, "test-artifacts");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
// The files that start JupyterLab, chromium or grading kernels run after the rest, one at a time:
// on two cores, side by side they starve each other's kernels past the time limits they test.
// They are known by name: *browser.test.ts, *-e2e.test.ts, *-hostile.test.ts. The two JupyterLab
// files are the exception, run side by side before the others: they share one JupyterLab, test no
// time limit, and spend more of their time waiting on the browser than computing.
const HEAVY_NAME = /(^|-)browser\.test\.ts$|-e2e\.test\.ts$|-hostile\.test\.ts$/;
const HEAVY = readdirSync(join(ROOT, "test"))
  .filter((f) => HEAVY_NAME.test(f))
  .sort()
  .map((f) => `test/${f}`);
const LAB_FILES = ["test/browser.test.ts", "test/step-through-browser.test.ts"].filter((f) => HEAVY.includes(f));
const skipNotebooks = process.argv.includes("--skip-notebooks");

/** [part, seconds], in the order the parts ran; heavy files and notebooks indented under theirs */
const timings = [];
let passed = 0,
  failed = 0,
  skipped = 0;

/** Run node with `args`; its output is shown as it comes, or (buffered) once it is done. */
function run(args, { buffered = false } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: buffered ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

async function step(title, args) {
  console.log(`\n== ${title}`);
  const r = await run(args);
  timings.push([title, r.seconds]);
  return r.code;
}

/** Checks that do not depend on each other, two at a time (the machine has two cores), shown in order. */
async function sideBySide(checks) {
  const results = await Promise.all(checks.map((c) => run(c.args, { buffered: true })));
  checks.forEach((c, i) => {
    const r = results[i];
    console.log(`\n== ${c.title}`);
    process.stdout.write(r.output);
    timings.push([c.title, r.seconds]);
    if (r.code !== 0) {
      if (c.onFail) console.log(c.onFail);
      failed += 1;
    }
  });
  return results.map((r) => r.code);
}

async function vitest(title, name, args) {
  const report = join(ARTIFACTS, `vitest-${name}.json`);
  rmSync(report, { force: true });
  const code = await step(title, [
    join(ROOT, "node_modules/vitest/vitest.mjs"),
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...args,
  ]);
  let failedHere = 0;
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, "utf8"));
    passed += r.numPassedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    // a test file that fails to load counts no test; count it as one failure so it cannot pass unseen
    failedHere =
      r.numFailedTests + r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    return { failedHere: code !== 0 && failedHere === 0 ? 1 : failedHere, files: r.testResults };
  }
  return { failedHere: code !== 0 ? 1 : 0, files: [] };
}

function printTimings(total) {
  console.log("\n== time per part");
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

const started = Date.now();
mkdirSync(ARTIFACTS, { recursive: true });

// the build and the tests' type-check side by side (vitest strips types without checking them:
// the tests are type-checked here, as strictly as src/)
const [build] = await sideBySide([
  { title: "build", args: [TSC, "-p", "tsconfig.json"] },
  { title: "type-check the tests", args: [TSC, "-p", "tsconfig.test.json"] },
  // the view's extension with the modules of src/ it is built from, in its own settings (DOM, no Node)
  { title: "type-check the view's extension", args: [TSC, "-p", "labextension/tsconfig.json", "--noEmit"] },
]);
if (build !== 0) {
  console.log("\nthe build failed (the TypeScript errors are above), so no test ran.\ntests: 0 passed, 1 failed");
  process.exit(1);
}
// the code is kept in Prettier's layout (.prettierrc.json) and passes the linter (eslint.config.mjs)
await sideBySide([
  {
    title: "formatting (Prettier)",
    args: [join(ROOT, "node_modules/prettier/bin/prettier.cjs"), "--check", "--log-level=warn", "."],
    onFail: "these files are not formatted: run `npm run format`",
  },
  {
    title: "lint (ESLint)",
    args: [join(ROOT, "node_modules/eslint/bin/eslint.js"), "."],
    onFail: "the linter found the problems above (`npm run lint` shows them again)",
  },
]);

// the browser files test the view's extension installed in .venv: rebuilt here when a source it is
// built from (labextension/src, the modules of src/ it imports) changed since, else a hash check
if ((await step("the view's extension, if its sources changed", [join(ROOT, "scripts/build-labextension.mjs")])) !== 0)
  failed += 1;

const unit = await vitest(
  "vitest",
  "unit",
  HEAVY.map((f) => `--exclude=${f}`),
);
failed += unit.failedHere;
// the notebooks before the end-to-end files, which reuse what they executed
if (!skipNotebooks) {
  const notebooks = await run([join(ROOT, "scripts/run-notebooks.mjs")], { buffered: true });
  console.log("\n== notebooks");
  process.stdout.write(notebooks.output);
  timings.push(["notebooks", notebooks.seconds]);
  const counts = /^notebooks: (\d+) passed, (\d+) failed$/m.exec(notebooks.output);
  if (counts) {
    passed += Number(counts[1]);
    failed += Number(counts[2]);
  }
  if (notebooks.code !== 0 && (!counts || Number(counts[2]) === 0)) failed += 1;
  // the browser files open these executed copies instead of running the same notebooks again
  // (helpers/jupyter.ts executedNotebook); only a clean run's copies, or they execute their own
  if (notebooks.code === 0) process.env.BPT_EXECUTED_NOTEBOOKS = join(ARTIFACTS, "notebooks");
}

// without a browser the browser tests are skipped, and this says why; in CI (CI set) they fail instead
const noBrowser = missingBrowser();
if (noBrowser && !process.env.CI) console.log(`\n== the browser tests are skipped: ${noBrowser}`);
const rest = HEAVY.filter((f) => !LAB_FILES.includes(f));
for (const [title, name, files, args] of [
  ["vitest: the JupyterLab files, side by side", "jupyterlab", LAB_FILES, ["--maxWorkers=2"]],
  ["vitest: the other end-to-end files, one at a time", "end-to-end", rest, ["--no-file-parallelism"]],
]) {
  if (files.length === 0) continue;
  const heavy = await vitest(title, name, [...args, ...files]);
  failed += heavy.failedHere;
  for (const f of heavy.files)
    timings.push([`  ${f.name.slice(ROOT.length + 1)}`, Math.max(0, (f.endTime - f.startTime) / 1000)]);
}

printTimings((Date.now() - started) / 1000);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
