// `npm start`: JupyterLab on notebooks/, from the project's .venv, bound to localhost, with the
// TypeScript (tslab) kernel as the default. Builds dist/ first when src/ is newer (and the view's
// extension when what it bundles changed), and runs the
// set-up (scripts/setup.mjs) if `npm install` has not created the venv yet.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, NOTEBOOKS, JUPYTER, KERNELS_DIR, jupyterEnv } from "./paths.mjs";

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(JUPYTER) || !existsSync(join(KERNELS_DIR, "tslab", "kernel.json"))) {
  console.log("[start] JupyterLab or the TypeScript kernel is not set up yet; running the set-up first.");
  execFileSync(process.execPath, [join(ROOT, "scripts", "setup.mjs")], { stdio: "inherit" });
}
const built = join(ROOT, "dist", "index.js");
if (!existsSync(built) || newest(join(ROOT, "src")) > statSync(built).mtimeMs) {
  console.log("[start] src/ changed: rebuilding dist/ (the notebooks import the compiled engine)");
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    stdio: "inherit",
    cwd: ROOT,
  });
}
// the step-through view bundles the compiled engine and checker: rebuild it too (skipped when its inputs are unchanged)
execFileSync(process.execPath, [join(ROOT, "scripts", "build-labextension.mjs")], { stdio: "inherit", cwd: ROOT });

const port = process.env.PORT ?? "8888";
const args = [
  "lab",
  `--notebook-dir=${NOTEBOOKS}`,
  "--ip=127.0.0.1",
  `--port=${port}`,
  "--MappingKernelManager.default_kernel_name=tslab",
  ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ...process.argv.slice(2),
];
console.log(
  `[start] JupyterLab on ${NOTEBOOKS} (TypeScript kernel); its URL with the login token follows. Ctrl-C stops it.`,
);
const lab = spawn(JUPYTER, args, { env: jupyterEnv(), stdio: "inherit", cwd: NOTEBOOKS });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => lab.kill(sig));
lab.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
