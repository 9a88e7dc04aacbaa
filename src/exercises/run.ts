// Running one prepared submission: scripts/exercises/run_submission.py in its own process group,
// with a wall-clock limit on top of its per-cell limits, and the kernel in the sandbox
// (sandbox.ts) when a uid is given.
//
// On the notebook limit the runner's whole process group and every kernel it started are killed;
// the grader waits for the runner's `exit`, never for its pipes, which a kernel could hold open.
import { spawn } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, RUNNER, VENV } from "./paths.js";
import { kill, killUid, removeFilesOf } from "./sandbox.js";

export interface RunLimits {
  cellTimeoutSeconds: number;
  totalTimeoutSeconds: number;
  maxOutputChars: number;
  /** the kernel's memory (data segment and V8 heap), in MiB */
  memoryMb: number;
}

/** How long kernels may take to start, on top of the student's own time (the runner tries three times). */
const KERNEL_START_ALLOWANCE_SECONDS = 180;
export const DEFAULT_LIMITS: RunLimits = { cellTimeoutSeconds: 10, totalTimeoutSeconds: 120, maxOutputChars: 65536, memoryMb: 2048 };

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


/**
 * The runner's environment. Like scripts/paths.mjs jupyterEnv(), the venv's Jupyter and the
 * project's tslab come first on PATH and kernel specs are found in the venv; unlike it, nothing
 * else of the grader's environment is passed on (no variable, a key path say, reaches the
 * kernel), and HOME, TMPDIR and Jupyter's config, data and runtime folders are the submission's
 * own work folder, so that nothing is shared between submissions or written into the venv.
 */
export function jupyterEnv(work: string, memoryMb: number): NodeJS.ProcessEnv {
  const keep = ["LANG", "LC_ALL"];
  const env: NodeJS.ProcessEnv = Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
  env.PATH = `${join(VENV, "bin")}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  env.HOME = work;
  env.TMPDIR = work;
  env.JUPYTER_PATH = join(VENV, "share", "jupyter");
  env.JUPYTER_CONFIG_DIR = join(work, ".jupyter");
  env.JUPYTER_DATA_DIR = join(work, ".local", "share", "jupyter");
  // the kernel's uid must reach its connection file, so the runtime folder is the one it owns
  env.JUPYTER_RUNTIME_DIR = work;
  env.NODE_OPTIONS = `--max-old-space-size=${memoryMb}`;
  env.PYTHONWARNINGS = "ignore";
  return env;
}

/**
 * Runs one prepared notebook (its JSON) as `name` in `runDir`: the kernel's work folder
 * runDir/<name>/ (owned by the sandbox uid) and the runner's own folder runDir/.<name>.ctl/
 * (the notebook, the result, the kernels' pids; only the grader's user can read it).
 */
export async function runNotebook(notebookJson: string, runDir: string, name: string, limits: RunLimits, uid: number | null): Promise<RunResult> {
  const work = join(runDir, name), ctl = join(runDir, `.${name}.ctl`);
  await mkdir(work, { mode: 0o700 });
  await mkdir(ctl, { mode: 0o700 });
  if (uid !== null) {
    await chown(work, uid, uid);
    await killUid(uid); // leftovers of an earlier, interrupted grading on this slot
  }
  const notebook = join(ctl, "submission.ipynb"), resultPath = join(ctl, "run-result.json"), pidFile = join(ctl, "kernel-pids.txt"), readyFile = join(ctl, "kernel-ready");
  await writeFile(notebook, notebookJson);
  const args = [RUNNER, notebook, resultPath, "--cwd", work, "--cell-timeout", String(limits.cellTimeoutSeconds), "--max-output", String(limits.maxOutputChars), "--pid-file", pidFile, "--ready-file", readyFile, "--memory-mb", String(limits.memoryMb), ...(uid !== null ? ["--uid", String(uid)] : [])];
  const started = Date.now();
  let stderr = "";
  const timedOut = await new Promise<boolean>((done) => {
    // detached: its own process group, so that the limit kills the runner and all it started
    const child = spawn(join(VENV, "bin", "python"), args, { cwd: ctl, env: jupyterEnv(work, limits.memoryMb), stdio: ["ignore", "ignore", "pipe"], detached: true });
    child.stderr.on("data", (d: Buffer) => { if (stderr.length < 8192) stderr += d.toString(); });
    let limited = false;
    // The student's time counts from when their kernel is ready (the runner touches readyFile):
    // on a loaded machine a kernel may take a minute to start, which is nobody's fault, and the
    // runner retries one that never comes up. Starting has its own, bounded allowance.
    const watchdog = () => {
      const readyAt = existsSync(readyFile) ? statSync(readyFile).mtimeMs : undefined;
      const deadline = readyAt !== undefined ? readyAt + limits.totalTimeoutSeconds * 1000 : started + (limits.totalTimeoutSeconds + KERNEL_START_ALLOWANCE_SECONDS) * 1000;
      if (readyAt === undefined && Date.now() < deadline) { timer = setTimeout(watchdog, 500); return; }
      if (Date.now() < deadline) { timer = setTimeout(watchdog, deadline - Date.now()); return; }
      limited = true;
      if (child.pid) kill(-child.pid);
    };
    let timer = setTimeout(watchdog, Math.min(500, limits.totalTimeoutSeconds * 1000));
    const end = (v: boolean) => {
      clearTimeout(timer);
      child.stderr.destroy(); // whoever still holds the pipe, we no longer wait for it
      done(v);
    };
    child.on("error", (e) => {
      stderr += `\ncannot start ${join(VENV, "bin", "python")}: ${e.message}`;
      end(false);
    });
    // `exit`, not `close`: `close` waits for every holder of the pipes to let go
    child.on("exit", () => end(limited));
  });
  if (uid !== null) {
    await killUid(uid);
    await removeFilesOf(uid);
  } else if (timedOut && existsSync(pidFile)) {
    // kernels run in their own sessions: kill each one's group (its children), then itself. A
    // runner that finished has shut its kernels down, and their pids may already be reused.
    for (const line of (await readFile(pidFile, "utf8")).split("\n")) if (/^\d+$/.test(line.trim())) { kill(-Number(line)); kill(Number(line)); }
  }
  const seconds = (Date.now() - started) / 1000;
  let result: RunResult;
  if (timedOut && !existsSync(readyFile)) result = { cells: [], restarts: 0, seconds, fatal: `the kernel did not start within ${limits.totalTimeoutSeconds + KERNEL_START_ALLOWANCE_SECONDS} s (the machine may be overloaded): grade this student again with --regrade` };
  else if (timedOut) result = { cells: [], restarts: 0, seconds, fatal: `the notebook did not finish within ${limits.totalTimeoutSeconds} s` };
  else {
    try {
      result = { ...(JSON.parse(await readFile(resultPath, "utf8")) as RunResult), seconds };
    } catch {
      const last = stderr.trim().split("\n").pop();
      result = { cells: [], restarts: 0, seconds, fatal: `the notebook runner failed (no result${last ? `: ${last.slice(0, 200)}` : ""})` };
    }
  }
  await rm(work, { recursive: true, force: true });
  await rm(ctl, { recursive: true, force: true });
  return result;
}

/** The folder submissions run in: private to the grader except for traversal, with the `dist` link imports need. */
export async function makeRunDir(parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, "backprop-tutor-grading-"));
  // others may pass through (the sandbox uid reaches its own folder and dist), not list
  await chmod(dir, 0o711);
  // the kernel's folder must sit beside a `dist` so that notebooks' `../dist/index` imports resolve
  await symlink(join(ROOT, "dist"), join(dir, "dist"), "dir");
  return dir;
}
