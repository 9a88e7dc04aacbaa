// `npm install` runs this (postinstall): it makes the project runnable with no other step.
//   1. builds src/ to dist/ (the notebooks and the CLI import the compiled engine),
//   2. creates .venv with the pinned JupyterLab, nbclient and nbconvert (requirements.txt),
//   3. registers the tslab TypeScript kernel inside .venv (never in the user's Jupyter),
//      pointing at this project's own tslab so it works without node_modules/.bin on PATH, and
//      builds its startup snapshot (src/exercises/kernel-snapshot.ts),
//   4. says how to get the browser for the browser tests if there is none. It installs no system
//      package: `npm run setup:browser` does that (scripts/setup-browser.mjs), and `.ci/run` in CI.
// Each step is skipped when already done, so re-running is cheap.
import { existsSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, VENV_PYTHON, KERNELS_DIR } from "./paths.mjs";
import { missingBrowser } from "./browser.mjs";

function run(cmd, args) {
  console.log(`[setup] ${cmd} ${args.join(" ")}`);
  try {
    execFileSync(cmd, args, { stdio: "inherit", cwd: ROOT });
  } catch (err) {
    console.error(
      `[setup] failed: ${cmd} ${args.join(" ")} (exit ${err.status ?? err.code}). Fix the error above and run \`npm install\` again.`,
    );
    process.exit(1);
  }
}

function requirementsHash() {
  return readFileSync(join(ROOT, "requirements.txt"), "utf8");
}

// 1. build
run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]);

// 2. venv
const stamp = join(ROOT, ".venv", ".requirements-installed");
if (!existsSync(VENV_PYTHON)) run("python3", ["-m", "venv", ".venv"]);
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== requirementsHash()) {
  run(VENV_PYTHON, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", "requirements.txt"]);
  writeFileSync(stamp, requirementsHash());
}

// The project's package.json says "type": "module", which would make Node read the JavaScript
// that Python packages inside .venv run (JupyterLab's yarn.js) as ESM, and fail; mark .venv CommonJS.
writeFileSync(join(ROOT, ".venv", "package.json"), '{ "type": "commonjs" }\n');

// 3. kernel
run(process.execPath, [
  join(ROOT, "node_modules/tslab/bin/tslab"),
  "install",
  `--python=${VENV_PYTHON}`,
  "--sys-prefix",
]);
for (const name of readdirSync(KERNELS_DIR)) {
  const specPath = join(KERNELS_DIR, name, "kernel.json");
  if (!existsSync(specPath)) continue;
  const spec = JSON.parse(readFileSync(specPath, "utf8"));
  // The spec tslab writes starts the bare command `tslab`, found only when node_modules/.bin
  // is on PATH. Point it at this project's copy, run by this Node, so JupyterLab finds it anywhere,
  // through scripts/kernel/start.sh, which starts it from the startup snapshot below when there is one.
  if (spec.argv[0] === "tslab")
    spec.argv.splice(
      0,
      1,
      "/bin/sh",
      join(ROOT, "scripts/kernel/start.sh"),
      process.execPath,
      join(ROOT, "node_modules/tslab/bin/tslab"),
    );
  writeFileSync(specPath, JSON.stringify(spec, null, 2) + "\n");
}
// the kernel's startup snapshot (TypeScript and its libraries loaded ahead: ~1 s a kernel start, not ~4)
const { ensureKernelSnapshot } = await import(pathToFileURL(join(ROOT, "dist/exercises/kernel-snapshot.js")).href);
// and for graded kernels at grade's default memory limit (their heap limit is a V8 flag: a snapshot of its own)
const { DEFAULT_LIMITS, kernelNodeOptions } = await import(pathToFileURL(join(ROOT, "dist/exercises/run.js")).href);
const snapshots = [
  await ensureKernelSnapshot(),
  await ensureKernelSnapshot(kernelNodeOptions(DEFAULT_LIMITS.memoryMb)),
];
for (const s of snapshots) if ("error" in s) console.log(`[setup] ${s.error}`);
if (snapshots.every((s) => "path" in s)) console.log("[setup] the kernel's startup snapshots are ready");

// 3b. the step-through view's JupyterLab extension (labextension/), built and copied into .venv;
// skipped when up to date. Kept in its own script (scripts/build-labextension.mjs).
run(process.execPath, [join(ROOT, "scripts", "build-labextension.mjs")]);

// 4. browser for the end-to-end tests: only a note; installing system packages is not npm install's job
const noBrowser = missingBrowser();
if (noBrowser) console.log(`[setup] ${noBrowser}. Until then \`npm test\` skips the browser test and says so.`);
console.log("[setup] done: `npm start` opens JupyterLab on notebooks/, `npm test` runs the tests.");
