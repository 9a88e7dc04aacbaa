// Running one prepared submission: scripts/exercises/run_submission.py in its own process, with
// a wall-clock limit on top of its per-cell limits. On the limit the runner and every kernel it
// started are killed by pid (the kernels run in their own sessions, so killing the runner alone
// would leave them behind).
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
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
export const RUNNER = join(ROOT, "scripts", "exercises", "run_submission.py");

export interface RunLimits {
  cellTimeoutSeconds: number;
  totalTimeoutSeconds: number;
  maxOutputChars: number;
}

export const DEFAULT_LIMITS: RunLimits = { cellTimeoutSeconds: 10, totalTimeoutSeconds: 120, maxOutputChars: 65536 };

export interface CellRun {
  index: number;
  status: "ok" | "error" | "timeout" | "skipped";
  reason?: string;
  ename?: string;
  evalue?: string;
  meta?: { kind?: string; id?: string } | null;
  truncated: boolean;
  text: string;
}

export interface RunResult {
  cells: CellRun[];
  restarts: number;
  seconds: number;
  /** the run as a whole failed: limit reached, kernel would not start ... */
  fatal?: string;
}

/** Same environment as scripts/paths.mjs jupyterEnv(): the venv's Jupyter, the project's tslab. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  // Only what Jupyter needs is passed on: no variable of the grader's (a key path, say) reaches the kernel.
  const keep = ["HOME", "LANG", "LC_ALL", "TMPDIR", "USER"];
  const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  env.PATH = `${join(VENV, "bin")}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`;
  env.JUPYTER_PATH = join(VENV, "share", "jupyter");
  env.PYTHONWARNINGS = "ignore";
  return env;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export async function runNotebook(notebook: string, workdir: string, limits: RunLimits): Promise<RunResult> {
  const resultPath = join(workdir, "run-result.json");
  const pidFile = join(workdir, "kernel-pids.txt");
  const python = join(VENV, "bin", "python");
  const args = [RUNNER, notebook, resultPath, "--cwd", workdir, "--cell-timeout", String(limits.cellTimeoutSeconds), "--max-output", String(limits.maxOutputChars), "--pid-file", pidFile];
  const started = Date.now();
  const timedOut = await new Promise<boolean>((done) => {
    const child = spawn(python, args, { cwd: workdir, env: jupyterEnv(), stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { if (stderr.length < 8192) stderr += d.toString(); });
    let limited = false;
    const timer = setTimeout(() => {
      limited = true;
      if (child.pid) killPid(child.pid);
    }, limits.totalTimeoutSeconds * 1000);
    child.on("error", () => { clearTimeout(timer); done(false); });
    child.on("close", () => { clearTimeout(timer); done(limited); });
  });
  // kernels outlive a killed runner. A runner that finished has shut its kernels down, and their
  // pids may already belong to another student's kernel, so only a killed run's pids are killed.
  if (timedOut && existsSync(pidFile)) for (const line of (await readFile(pidFile, "utf8")).split("\n")) if (/^\d+$/.test(line.trim())) killPid(Number(line));
  const seconds = (Date.now() - started) / 1000;
  if (timedOut) return { cells: [], restarts: 0, seconds, fatal: `the notebook did not finish within ${limits.totalTimeoutSeconds} s` };
  try {
    const r = JSON.parse(await readFile(resultPath, "utf8")) as RunResult;
    return { ...r, seconds };
  } catch {
    return { cells: [], restarts: 0, seconds, fatal: "the notebook runner failed (no result)" };
  }
}
