// Builds the step-through view's JupyterLab extension (labextension/) and installs it into the
// project's .venv, where `jupyter labextension list` shows it enabled: a prebuilt extension is
// copied into .venv/share/jupyter/labextensions/, no JupyterLab rebuild. Run by `npm install`
// (scripts/setup.mjs). The extension is built from the TypeScript sources: its tsc compiles
// labextension/src and the modules of src/ they import (engine, checker, view state) into
// labextension/lib, and JupyterLab's builder bundles that; dist/ plays no part. Skipped when
// nothing it is built from has changed (a hash of its inputs).
//
//   node scripts/build-labextension.mjs                 build if needed, then install into .venv
//   node scripts/build-labextension.mjs --force         build even if up to date
//   node scripts/build-labextension.mjs --prefix DIR    use the Python environment at DIR instead of .venv (binder/postBuild)
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, relative } from "node:path";
import { ROOT, VENV } from "./paths.mjs";
import { extensionInputs } from "./import-graph.mjs";

const prefixAt = process.argv.indexOf("--prefix");
const PREFIX = prefixAt > 0 && process.argv[prefixAt + 1] ? process.argv[prefixAt + 1] : VENV;
const EXT = join(ROOT, "labextension");
const NAME = JSON.parse(readFileSync(join(EXT, "package.json"), "utf8")).name;
const OUT = join(EXT, "labext");
const INSTALLED = join(PREFIX, "share", "jupyter", "labextensions", NAME);
const STAMP = ".inputs-hash";

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** What the bundle is made of: the extension's sources, its styles and settings, and every module of src/ they import. */
function inputsHash() {
  const h = createHash("sha256");
  const inputs = [
    ...extensionInputs(),
    ...files(join(EXT, "style")),
    join(EXT, "package.json"),
    join(EXT, "package-lock.json"),
    join(EXT, "tsconfig.json"),
  ].sort();
  for (const f of inputs) h.update(relative(ROOT, f)).update(readFileSync(f));
  return h.digest("hex");
}

/** Runs quietly (webpack's report is long); on failure its output is shown and the set-up stops. */
function run(cmd, args, cwd) {
  console.log(`[labextension] ${relative(ROOT, cwd) || "."}: ${relative(ROOT, cmd) || cmd} ${args.join(" ")}`);
  try {
    execFileSync(cmd, args, { stdio: "pipe", cwd, encoding: "utf8" });
  } catch (err) {
    process.stdout.write(`${err.stdout ?? ""}${err.stderr ?? ""}`);
    const code = err.status ?? err.code;
    console.error(
      `[labextension] failed (exit ${code}): the view's extension was not built. Fix the error above and run \`npm install\` again.`,
    );
    process.exit(1);
  }
}

// JupyterLab's own packages, which the builder shares with the extension (and where it is installed)
const lib = join(PREFIX, "lib");
const staging = (existsSync(lib) ? readdirSync(lib) : [])
  .map((py) => join(lib, py, "site-packages", "jupyterlab", "staging"))
  .find((p) => existsSync(p));
if (!staging) {
  console.error(
    `[labextension] JupyterLab is not installed in ${PREFIX}: run \`npm install\` (it creates .venv first).`,
  );
  process.exit(1);
}

const hash = inputsHash();
const stampOf = (dir) => (existsSync(join(dir, STAMP)) ? readFileSync(join(dir, STAMP), "utf8") : "");
if (process.argv.includes("--force") || stampOf(OUT) !== hash) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  if (!existsSync(join(EXT, "node_modules", "@jupyterlab", "builder")))
    run(npm, ["ci", "--no-audit", "--no-fund"], EXT);
  rmSync(join(EXT, "lib"), { recursive: true, force: true });
  run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], EXT);
  rmSync(OUT, { recursive: true, force: true });
  run(
    process.execPath,
    [join(EXT, "node_modules", "@jupyterlab", "builder", "lib", "build-labextension.js"), "--core-path", staging, "."],
    EXT,
  );
  writeFileSync(join(OUT, STAMP), hash);
}
if (stampOf(INSTALLED) !== hash) {
  rmSync(INSTALLED, { recursive: true, force: true });
  cpSync(OUT, INSTALLED, { recursive: true });
  console.log(
    `[labextension] installed into ${relative(ROOT, INSTALLED).startsWith("..") ? INSTALLED : relative(ROOT, INSTALLED)}`,
  );
}
const size = files(join(OUT, "static"))
  .filter((f) => f.endsWith(".js"))
  .reduce((n, f) => n + statSync(f).size, 0);
console.log(`[labextension] ${NAME} ready (${Math.round(size / 1024)} KB of JavaScript)`);
