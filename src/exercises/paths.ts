// Where the project's exercise tooling lives: the project root (from src/ or dist/), the venv,
// the per-submission runner and the kernel spec the grader starts.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root: the nearest folder above this module with the project's package.json (works from src/ and dist/). */
function findRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && /"name":\s*"backprop-tutor"/.test(readFileSync(pkg, "utf8"))) return dir;
  }
  return resolve(here, "..", "..");
}
export const ROOT = findRoot();
export const VENV = join(ROOT, ".venv");
/** The per-submission runner; BACKPROP_TUTOR_RUNNER replaces it only so that tests can make a runner fail (the machine's fault). */
export const RUNNER = process.env.BACKPROP_TUTOR_RUNNER ?? join(ROOT, "scripts", "exercises", "run_submission.py");
export const KERNEL_SPEC = join(VENV, "share", "jupyter", "kernels", "tslab", "kernel.json");
