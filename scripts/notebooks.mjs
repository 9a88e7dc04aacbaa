// The notebooks are paired with Markdown by jupytext (notebooks/jupytext.toml): notebooks/NN.ipynb
// is what JupyterLab opens, notebooks/md/NN.md the same notebook as reviewable text. JupyterLab
// saves both on every save; after an edit outside it, this syncs them.
//
//   npm run notebooks             sync every pair (the file edited later wins) and clear outputs
//   npm run notebooks -- --check  fail, naming the stale file, if a pair disagrees or has outputs
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, NOTEBOOKS, VENV_PYTHON, jupyterEnv } from "./paths.mjs";

if (!existsSync(VENV_PYTHON)) {
  console.error("notebooks: .venv is missing. run `npm install` (it installs jupytext with JupyterLab).");
  process.exit(1);
}
const args = [
  join(ROOT, "scripts", "notebook_pairs.py"),
  NOTEBOOKS,
  ...process.argv.slice(2).filter((a) => a === "--check"),
];
const result = spawnSync(VENV_PYTHON, args, { stdio: "inherit", env: jupyterEnv() });
process.exit(result.status ?? 1);
