// Running one prepared submission: scripts/exercises/run_submission.py in its own process group,
// with a wall-clock limit on top of its per-cell limits, and the kernel in a sandbox.
//
// The sandbox, when the grader runs as root (and util-linux's setpriv is there): every job slot
// has its own unprivileged uid (SANDBOX_UID_BASE + slot, no passwd entry needed), the kernel runs
// as that uid in a fresh work folder it owns, and after the run every process of that uid is
// killed (detached children included) and its files in the shared temporary folders removed.
// The uid can read the project (world-readable) but not the root-only key, and can write neither
// the project nor the graded folder. Not root: the kernel runs as the grading user, so only the
// process-level limits hold (see docs/exercises.md, "The sandbox").
//
// On the notebook limit the runner's whole process group and every kernel it started are killed;
// the grader waits for the runner's `exit`, never for its pipes, which a kernel could hold open.
import { spawn, spawnSync } from "node:child_process";
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { TutorError } from "../engine/errors.js";
import { delimiter, dirname, join, resolve } from "node:path";
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
export const KERNEL_SPEC = join(VENV, "share", "jupyter", "kernels", "tslab", "kernel.json");
/** The sandbox uids: blocks of UID_BLOCK from here, one block per grading (see reserveUids). */
export const SANDBOX_UID_BASE = 60000;
export const UID_BLOCK = 64;
const UID_BLOCKS = 1000;
/** Fixed, not $TMPDIR: every grading on the machine must see the same locks. */
const UID_LOCKS = "/tmp/backprop-tutor-uids";

export interface UidBlock { base: number; release(): void }

/** A lock without its pid file yet is being taken right now, unless it is old (its taker died). */
function heldByLiveGrading(lock: string): boolean {
  try {
    return alive(Number(readFileSync(join(lock, "pid"), "utf8").trim()));
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs < 60_000;
    } catch {
      return false; // gone meanwhile: free
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A block of sandbox uids for one grading, one uid per job slot. Two gradings at once (two
 * classes, or test files run in parallel) must never share a uid, since each kills every process
 * of its uids between students. A block is held by a folder named after its first uid with the
 * holder's pid inside (mkdir is atomic); a block whose holder has died is taken over.
 */
export function reserveUids(jobs: number): UidBlock {
  if (jobs > UID_BLOCK) throw new TutorError("--jobs", `is ${jobs}, but a grading runs at most ${UID_BLOCK} kernels at once`, `use --jobs ${UID_BLOCK} or fewer`, "usage");
  mkdirSync(UID_LOCKS, { recursive: true, mode: 0o755 });
  for (let b = 0; b < UID_BLOCKS; b++) {
    const base = SANDBOX_UID_BASE + b * UID_BLOCK, lock = join(UID_LOCKS, String(base));
    try {
      mkdirSync(lock, { mode: 0o755 });
    } catch {
      if (heldByLiveGrading(lock)) continue;
      rmSync(lock, { recursive: true, force: true });
      try { mkdirSync(lock, { mode: 0o755 }); } catch { continue; } // another grading took it first
    }
    writeFileSync(join(lock, "pid"), String(process.pid));
    return { base, release: () => rmSync(lock, { recursive: true, force: true }) };
  }
  throw new TutorError("sandbox", `all ${UID_BLOCKS} blocks of sandbox uids in ${UID_LOCKS} are held by running gradings`, "wait for one to finish, or remove the folders of gradings that are no longer running", "exercise");
}

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

/** How kernels are confined in this grading run. */
export interface Sandbox {
  /** uids are per job slot; null: the kernel runs as the grading user */
  uidBase: number | null;
  /** one line for the grade output */
  description: string;
}

function onPath(cmd: string): string | undefined {
  return (process.env.PATH ?? "/usr/bin:/bin").split(delimiter).map((d) => join(d, cmd)).find((p) => existsSync(p));
}

/** The sandbox this process can give: per-slot uids as root with setpriv, else the weaker one. */
export function chooseSandbox(): Sandbox {
  const root = process.getuid?.() === 0;
  if (root && onPath("setpriv")) return { uidBase: SANDBOX_UID_BASE, description: "each kernel runs as its own unprivileged uid" };
  return weakerSandbox(root ? "setpriv (util-linux) is not installed" : "the grader is not running as root");
}

export function weakerSandbox(why: string): Sandbox {
  return { uidBase: null, description: `weaker sandbox: ${why}, so student code runs as the grading user and can read what that user can read; grade as root or in a container (docs/exercises.md, "The sandbox")` };
}

function tslabCommand(): string[] {
  try {
    const spec = JSON.parse(readFileSync(KERNEL_SPEC, "utf8")) as { argv?: unknown };
    if (Array.isArray(spec.argv)) return spec.argv.filter((a): a is string => typeof a === "string" && !a.includes("{"));
  } catch {
    // no kernel spec: the runner reports that itself
  }
  return [];
}

export interface SandboxCheck {
  /** what the sandbox uid cannot run or read but must (the project lies where only root may go) */
  unreachable: string[];
  /** what it can read or write but must not (the key, the project) */
  exposed: string[];
}

/**
 * Before any kernel starts: the sandbox uid must be able to run the kernel and reach dist/ from
 * the run folder (makeRunDir), and must not be able to read the key or write into the project.
 */
export function sandboxProblems(uid: number, keyPath: string, runDir: string): SandboxCheck {
  const [node, tslab] = tslabCommand();
  const checks = [
    ...(node ? ["need-x", node] : []),
    ...(tslab ? ["need-r", tslab] : []),
    "need-r", join(runDir, "dist", "index.js"),
    "deny-r", resolve(keyPath),
    "deny-w", join(ROOT, "dist"),
    "deny-w", join(ROOT, "scripts", "exercises"),
  ];
  const script = `while [ $# -gt 1 ]; do case "$1" in
    need-x) test -x "$2" || echo "cannot run $2";; need-r) test -r "$2" || echo "cannot read $2";;
    deny-r) test -r "$2" && echo "can read $2 (chmod 600 it and 700 its folder)";; deny-w) test -w "$2" && echo "can write to $2";;
  esac; shift 2; done; true`;
  const r = spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", "/bin/sh", "-c", script, "sh", ...checks], { encoding: "utf8" });
  if (r.error) return { unreachable: [`setpriv failed: ${r.error.message}`], exposed: [] };
  const lines = r.stdout.split("\n").filter((l) => l.trim() !== "");
  return { unreachable: lines.filter((l) => l.startsWith("cannot")), exposed: lines.filter((l) => !l.startsWith("cannot")) };
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

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Live (not zombie) processes whose real uid is `uid`. */
async function processesOf(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(join("/proc", name, "status"), "utf8").catch(() => "");
    const u = /^Uid:\s+(\d+)/m.exec(status), state = /^State:\s+(\S)/m.exec(status);
    if (u && Number(u[1]) === uid && state?.[1] !== "Z") pids.push(Number(name));
  }
  return pids;
}

/** Kills every process of the sandbox uid (until none is left: a fork loop is capped by its nproc limit). */
export async function killUid(uid: number): Promise<number> {
  let killed = 0;
  for (let round = 0; round < 50; round++) {
    const pids = await processesOf(uid);
    if (pids.length === 0) break;
    pids.forEach(kill);
    killed += pids.length;
    await new Promise((r) => setTimeout(r, 20));
  }
  return killed;
}

/** What the uid left in the world-writable folders, so the next submission on its slot cannot read it. */
async function removeFilesOf(uid: number): Promise<void> {
  for (const dir of ["/tmp", "/var/tmp", "/dev/shm"]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const p = join(dir, name);
      const st = await lstat(p).catch(() => undefined);
      if (st?.uid === uid) await rm(p, { recursive: true, force: true }).catch(() => {});
    }
  }
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
