// Where things live, shared by the project's scripts.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const VENV = join(ROOT, ".venv");
export const VENV_PYTHON = join(VENV, "bin", "python");
export const JUPYTER = join(VENV, "bin", "jupyter");
export const KERNELS_DIR = join(VENV, "share", "jupyter", "kernels");
export const NOTEBOOKS = join(ROOT, "notebooks");

// Environment for anything that starts Jupyter: the venv first on PATH, this project's
// node_modules/.bin for tslab, and every Jupyter path (kernels, settings, runtime files)
// confined to the venv, so nothing in the user's own ~/.jupyter or ~/.local is read or written.
export function jupyterEnv(extra = {}) {
  return {
    ...process.env,
    PATH: `${join(VENV, "bin")}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    JUPYTER_PATH: join(VENV, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(VENV, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: join(VENV, "etc", "jupyter"),
    JUPYTER_RUNTIME_DIR: join(VENV, "share", "jupyter", "runtime"),
    ...extra,
  };
}
