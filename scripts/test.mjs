// `npm test`: build dist/, run the vitest suite, execute every notebook headless, then print one
// closing line that counts both, `tests: N passed, M failed`. Both parts always run, so one
// failure in the unit tests does not hide a broken notebook; the exit code is non-zero if either
// part failed.
//
//   npm test                        everything
//   npm test -- --skip-notebooks    build and vitest only (the closing line counts those)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths.mjs";
import { missingBrowser } from "./browser.mjs";

const ARTIFACTS = join(ROOT, "test-artifacts");
// The files that start JupyterLab, chromium or grading kernels run one at a time, after the rest:
// on two cores, side by side they starve each other's kernels past the time limits they test.
const HEAVY = [
  "test/browser.test.ts",
  "test/exercises-e2e.test.ts",
  "test/exercises-hostile.test.ts",
  "test/step-through-browser.test.ts",
  "test/site-browser.test.ts",
];
const skipNotebooks = process.argv.includes("--skip-notebooks");

function step(title, args) {
  console.log(`\n== ${title}`);
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: "inherit" }).status ?? 1;
}

mkdirSync(ARTIFACTS, { recursive: true });
if (step("build", [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]) !== 0) {
  console.log("\nthe build failed (the TypeScript errors are above), so no test ran.\ntests: 0 passed, 1 failed");
  process.exit(1);
}

let passed = 0,
  failed = 0,
  skipped = 0;
// vitest strips types without checking them: the tests are type-checked here, as strictly as src/
if (step("type-check the tests", [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.test.json"]) !== 0)
  failed += 1;
// the code is kept in Prettier's layout (.prettierrc.json); `npm run format` fixes what this names
if (
  step("formatting (Prettier)", [
    join(ROOT, "node_modules/prettier/bin/prettier.cjs"),
    "--check",
    "--log-level=warn",
    ".",
  ]) !== 0
) {
  console.log("these files are not formatted: run `npm run format`");
  failed += 1;
}

function vitest(title, name, args) {
  const report = join(ARTIFACTS, `vitest-${name}.json`);
  rmSync(report, { force: true });
  const code = step(title, [
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
  }
  failed += code !== 0 && failedHere === 0 ? 1 : failedHere;
}
vitest(
  "vitest",
  "unit",
  HEAVY.map((f) => `--exclude=${f}`),
);
// without a browser the browser test is skipped, and this says why; in CI (CI set) it fails instead
const noBrowser = missingBrowser();
if (noBrowser && !process.env.CI) console.log(`\n== the browser test is skipped: ${noBrowser}`);
vitest("vitest: JupyterLab, chromium and grading, one file at a time", "end-to-end", [
  "--no-file-parallelism",
  ...HEAVY,
]);

if (!skipNotebooks) {
  const notebooks = spawnSync(process.execPath, [join(ROOT, "scripts/run-notebooks.mjs")], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  console.log("\n== notebooks");
  process.stdout.write(notebooks.stdout);
  const counts = /^notebooks: (\d+) passed, (\d+) failed$/m.exec(notebooks.stdout);
  if (counts) {
    passed += Number(counts[1]);
    failed += Number(counts[2]);
  }
  if (notebooks.status !== 0 && (!counts || Number(counts[2]) === 0)) failed += 1;
}

console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
