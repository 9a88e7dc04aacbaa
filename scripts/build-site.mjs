// `npm run site`: the whole course as a static JupyterLite site in site/, served by any static
// file host with nothing to install. What goes in:
//   - the TypeScript kernel (lite/kernel, lite/worker) as a prebuilt JupyterLite extension, with
//     the engine bundled for the browser from the same src/ as dist/ (lite/host swaps Node's
//     built-ins for browser stand-ins at bundle time);
//   - the step-through view's prebuilt extension, as installed in .venv (labextension/);
//   - the notebooks (without outputs) and the data they read (assets/), under files/;
//   - a landing page that opens notebooks/00-index.ipynb.
// JupyterLite itself (jupyterlite-core, pinned in requirements.txt) comes from the project's .venv.
//
//   node scripts/build-site.mjs            build site/
//   node scripts/build-site.mjs --out DIR  build into DIR instead
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, relative, resolve } from "node:path";
import { buildKernelExtension } from "./site-bundles.mjs";
import { ROOT, VENV, VENV_PYTHON, JUPYTER, NOTEBOOKS, jupyterEnv } from "./paths.mjs";

const outAt = process.argv.indexOf("--out");
const OUT = outAt > 0 ? resolve(process.argv[outAt + 1]) : join(ROOT, "site");
const WORK = join(ROOT, ".tmp", "site-build");
const VIEW_NAME = JSON.parse(readFileSync(join(ROOT, "labextension", "package.json"), "utf8")).name;
const LABEXTENSIONS = join(VENV, "share", "jupyter", "labextensions");
/** what the notebooks read besides the engine: `readFileSync("../assets/...")` */
const DATA_DIRS = ["assets"];

function step(what) {
  console.log(`[site] ${what}`);
}

function fail(message) {
  console.error(`[site] ${message}`);
  process.exit(1);
}

/** jupyterlite-core and the rest of requirements.txt in .venv, installed if the pins changed. */
function ensureJupyterLite() {
  if (!existsSync(VENV_PYTHON)) fail("no .venv: run `npm install` first (it creates the Python environment).");
  const stamp = join(VENV, ".requirements-installed");
  const wanted = readFileSync(join(ROOT, "requirements.txt"), "utf8");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== wanted) {
    step("installing requirements.txt into .venv (jupyterlite-core)");
    execFileSync(VENV_PYTHON, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", "requirements.txt"], {
      cwd: ROOT,
      stdio: "inherit",
    });
    writeFileSync(stamp, wanted);
  }
}

/** The notebooks without outputs or execution counts, as in the repository. */
function stripOutputs(text) {
  const nb = JSON.parse(text);
  for (const cell of nb.cells)
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
  return JSON.stringify(nb, null, 1) + "\n";
}

function stageContents(dir) {
  mkdirSync(join(dir, "notebooks"), { recursive: true });
  for (const f of readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")))
    writeFileSync(join(dir, "notebooks", f), stripOutputs(readFileSync(join(NOTEBOOKS, f), "utf8")));
  for (const d of DATA_DIRS) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
}

/** jupyter-lite.json (the app's settings) and jupyter_lite_config.json (the build's) in the lite folder. */
function liteConfig(dir, extensions) {
  mkdirSync(dir, { recursive: true });
  // only these prebuilt extensions; with ignore_sys_prefix nothing comes from .venv (not
  // jupytext's or pygments' JupyterLab extensions, which have no use here)
  const build = { LiteBuildConfig: { federated_extensions: extensions, ignore_sys_prefix: true } };
  writeFileSync(join(dir, "jupyter_lite_config.json"), JSON.stringify(build, null, 2));
  // the tslab kernel is the only one; the app is reachable from the page for the browser test
  const config = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
      appName: "Backpropagation, step by step",
      defaultKernelName: "tslab",
      exposeAppInBrowser: true,
    },
  };
  writeFileSync(join(dir, "jupyter-lite.json"), JSON.stringify(config, null, 2));
}

const START = "lab/index.html?path=notebooks/00-index.ipynb";

/**
 * The landing page opens 00-index. JupyterLite's own root page stays (every page of the site reads
 * its configuration from it); only its redirect, to the app without a notebook, is replaced.
 */
function landingPage(dir) {
  const file = join(dir, "index.html");
  const page = readFileSync(file, "utf8");
  const redirect = "await import('./config-utils.js');";
  if (!page.includes(redirect)) fail("JupyterLite's index.html has changed: the landing page could not be set.");
  const opened = page
    .replace(redirect, `location.replace(${JSON.stringify(START)});`)
    .replace(
      "</html>",
      `  <body><p>Opening the course: <a href="${START}">Backpropagation, step by step</a>.</p></body>\n</html>`,
    );
  writeFileSync(file, opened);
}

async function main() {
  ensureJupyterLite();
  if (!existsSync(join(LABEXTENSIONS, VIEW_NAME)))
    fail(`the step-through view is not built in .venv: run \`npm install\`.`);
  rmSync(WORK, { recursive: true, force: true });
  const lite = join(WORK, "lite");
  const exts = join(WORK, "extensions");
  step("bundling the kernel and the engine for the browser");
  const KERNEL_NAME = await buildKernelExtension(exts);
  cpSync(join(LABEXTENSIONS, VIEW_NAME), join(exts, VIEW_NAME), { recursive: true });
  step("staging the notebooks and their data");
  const contents = join(WORK, "contents");
  stageContents(contents);
  liteConfig(lite, [join(exts, KERNEL_NAME), join(exts, VIEW_NAME)]);
  step(`jupyter lite build -> ${relative(ROOT, OUT) || OUT}`);
  rmSync(OUT, { recursive: true, force: true });
  const args = ["lite", "build", "--contents", contents, "--output-dir", OUT, "--no-sourcemaps"];
  try {
    execFileSync(JUPYTER, args, { cwd: lite, env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (err) {
    process.stdout.write(`${err.stdout ?? ""}${err.stderr ?? ""}`);
    fail(`jupyter lite build failed (exit ${err.status}).`);
  }
  landingPage(OUT);
  step(`done: open ${relative(ROOT, OUT) || OUT}/index.html through a static file server`);
}

await main();
