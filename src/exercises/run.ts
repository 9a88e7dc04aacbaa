// Running one prepared submission: scripts/exercises/run_submission.py and the kernels it starts,
// in the student's sandbox (sandbox.ts) under whole-student limits (limits.ts), with a
// wall-clock limit on top of the runner's per-cell limits.
//
// The notebook goes to the runner on stdin and its result comes back on fd 3: nothing of a run
// is exchanged through the file system. Ending a run is killing bwrap: its pid namespace, and so
// everything the student started, ends with it; the cgroup is emptied and removed besides.
import { spawn } from "node:child_process";
import { mkdtemp, rm, symlink, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, RUNNER, VENV } from "./paths.js";
import { ensureKernelSnapshot } from "./kernel-snapshot.js";
import { SCRATCH, bwrapArgs, type SandboxChoice } from "./sandbox.js";
import { noNewUserNamespaces } from "./seccomp.js";
import { StudentCgroup, watchdog, type StudentLimits } from "./limits.js";

export interface RunLimits extends StudentLimits {
  cellTimeoutSeconds: number;
  totalTimeoutSeconds: number;
  maxOutputChars: number;
}

/** How long kernels may take to start, on top of the student's own time (the runner tries three times). */
const KERNEL_START_ALLOWANCE_SECONDS = 180;
/** The most the grader reads of a result: a run's output is capped per cell, so more is a runner gone wrong. */
const MAX_RESULT_BYTES = 64 * 2 ** 20;
export const DEFAULT_LIMITS: RunLimits = {
  cellTimeoutSeconds: 10,
  totalTimeoutSeconds: 120,
  maxOutputChars: 65536,
  memoryMb: 2048,
  processes: 256,
  cpus: 1,
};

export interface CellRun {
  index: number;
  status: "ok" | "error" | "timeout" | "skipped";
  reason?: string;
  /** the kernel died out of memory in this cell */
  oom?: boolean;
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
  /** the run as a whole ended for the student's doing: time or memory limit ... */
  fatal?: string;
  /** the run failed for the machine's doing (the runner broke, a kernel never started): not the student's grade */
  machineFault?: string;
  /** notes about limits the run ran into (refused forks ...) */
  limitNotes?: string[];
}

/** How a grading confines runs: the sandbox (or none) and the whole-student limits (cgroup or watchdog). */
export interface Confinement {
  sandbox: SandboxChoice;
  /** the name of this grading's cgroup folder; null: a watchdog holds the limits */
  cgroupGrading: string | null;
}

/** Runs in progress, so that an interrupted grading can end them all. */
const live = new Set<() => void>();
/** Set once grading is interrupted: a run about to start does not. */
let interrupted = false;

/** Ends every run in progress at once and starts no new one (SIGINT/SIGTERM to grade); `resume` for the next grading in this process. */
export function killAllRuns(resume = false): void {
  interrupted = !resume;
  for (const kill of live) kill();
}

/** V8's own heap limit below the whole-student one, so that a runaway array says "out of memory". */
export function kernelNodeOptions(memoryMb: number): string {
  return `--max-old-space-size=${Math.max(64, Math.round(memoryMb * 0.75))}`;
}

/** The kernel snapshot sought for each NODE_OPTIONS in this process (built once each, then reused). */
const snapshotsSought = new Map<string, Promise<void>>();

/**
 * The kernel's startup snapshot for this heap limit (V8 loads a snapshot only under the flags it was
 * made with), built here, outside any sandbox, before the first run that needs it; without it the
 * kernels start plainly, ~3 s slower each.
 */
function ensureSnapshotFor(memoryMb: number): Promise<void> {
  const options = kernelNodeOptions(memoryMb);
  let sought = snapshotsSought.get(options);
  if (!sought) {
    sought = ensureKernelSnapshot(options).then((made) => {
      if ("error" in made) process.emitWarning(made.error);
    });
    snapshotsSought.set(options, sought);
  }
  return sought;
}

/** The runner's environment: only what it needs (no variable of the grader's, a key path say, reaches the kernel). */
function runnerEnv(home: string, tmp: string, memoryMb: number): Record<string, string> {
  return {
    PATH: `${join(VENV, "bin")}:${join(ROOT, "node_modules", ".bin")}:/usr/local/bin:/usr/bin:/bin`,
    LANG: "C.UTF-8",
    HOME: home,
    TMPDIR: tmp,
    JUPYTER_PATH: join(VENV, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: join(tmp, "jupyter-config"),
    JUPYTER_DATA_DIR: join(tmp, "jupyter-data"),
    JUPYTER_RUNTIME_DIR: join(tmp, "jupyter-runtime"),
    NODE_OPTIONS: kernelNodeOptions(memoryMb),
    PYTHONWARNINGS: "ignore",
    PYTHONDONTWRITEBYTECODE: "1",
  };
}

/** The descriptor bwrap reads the seccomp filter from (0-2 are stdio, 3 the result channel). */
const SECCOMP_FD = 4;

/** The runner's command inside the sandbox, or, with no sandbox, in a temporary folder of its own beside a `dist` link. */
async function commandFor(
  limits: RunLimits,
  sandbox: SandboxChoice,
): Promise<{ argv: string[]; cleanup: () => Promise<void> }> {
  await ensureSnapshotFor(limits.memoryMb);
  const runner = [
    join(VENV, "bin", "python"),
    RUNNER,
    "--cell-timeout",
    String(limits.cellTimeoutSeconds),
    "--max-output",
    String(limits.maxOutputChars),
  ];
  if (sandbox.bwrap)
    return {
      argv: [sandbox.bwrap, ...bwrapArgs(runnerEnv(SCRATCH, "/tmp", limits.memoryMb), runner, SECCOMP_FD)],
      cleanup: async () => {},
    };
  const dir = await mkdtemp(join(tmpdir(), "backprop-tutor-unsafe-"));
  await symlink(join(ROOT, "dist"), join(dir, "dist"), "dir");
  await mkdir(join(dir, "submission"));
  await mkdir(join(dir, "tmp"));
  const env = Object.entries(runnerEnv(join(dir, "submission"), join(dir, "tmp"), limits.memoryMb)).map(
    ([k, v]) => `${k}=${v}`,
  );
  const argv = [
    "/usr/bin/env",
    "-i",
    ...env,
    "/bin/sh",
    "-c",
    `cd '${join(dir, "submission")}' && exec "$@"`,
    "sh",
    ...runner,
  ];
  return { argv, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** What came back on fd 3: whether the kernel got ready, and the result line. */
function parseChannel(text: string): { ready: boolean; result?: RunResult } {
  const ready = text.startsWith("ready\n");
  const line = text.split("\n").find((l) => l.startsWith("result "));
  if (!line) return { ready };
  try {
    const r = JSON.parse(line.slice("result ".length)) as RunResult;
    return Array.isArray(r.cells) ? { ready, result: r } : { ready };
  } catch {
    return { ready };
  }
}

/** How a run ended: the process's exit and what the grader saw of it on the way. */
interface Supervised {
  exit: { code: number | null; signal: NodeJS.Signals | null; error?: string };
  stderr: string;
  /** everything read on fd 3, up to MAX_RESULT_BYTES */
  channel: string;
  /** fd 3 carried more than MAX_RESULT_BYTES */
  overflow: boolean;
  /** why the grader ended the run, if it did */
  ended?: "time" | "memory" | "processes" | "interrupted";
}

/** Runs one prepared notebook (its JSON) as student `name`. */
export async function runNotebook(
  notebookJson: string,
  name: string,
  limits: RunLimits,
  confinement: Confinement,
): Promise<RunResult> {
  if (interrupted) return { cells: [], restarts: 0, seconds: 0, machineFault: "grading was interrupted" };
  const { argv: command, cleanup } = await commandFor(limits, confinement.sandbox);
  const cgroup = confinement.cgroupGrading ? StudentCgroup.create(confinement.cgroupGrading, name, limits) : null;
  const argv = cgroup ? cgroup.wrap(command) : command;
  const started = Date.now();
  const run = await supervise(argv, notebookJson, limits, confinement.sandbox, cgroup, started);
  const seconds = (Date.now() - started) / 1000;
  const oomKills = cgroup?.oomKills() ?? 0,
    forksRefused = cgroup?.forksRefused() ?? 0;
  await cgroup?.remove();
  await cleanup();
  return resultOf(run, limits, { seconds, oomKills, forksRefused });
}

/**
 * Starts the runner, feeds it the notebook, reads fd 3 and stderr, and ends it when its time is up,
 * a watchdog limit is broken or grading is interrupted; resolves once the process has closed.
 */
function supervise(
  argv: string[],
  notebookJson: string,
  limits: RunLimits,
  sandbox: SandboxChoice,
  cgroup: StudentCgroup | null,
  started: number,
): Promise<Supervised> {
  const run: Omit<Supervised, "exit"> = { stderr: "", channel: "", overflow: false };
  let readyAt: number | undefined;
  return new Promise<Supervised>((done) => {
    // detached: its own process group, so that ending the run kills bwrap and whatever is around it
    const filter = sandbox.bwrap ? noNewUserNamespaces() : undefined;
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ["pipe", "ignore", "pipe", "pipe", filter ? "pipe" : "ignore"],
      detached: true,
    });
    if (filter) {
      const fd4 = child.stdio[SECCOMP_FD] as NodeJS.WritableStream;
      fd4.on("error", () => {}); // bwrap gone before reading it: the run fails as any start does
      fd4.end(filter);
    }
    const killRun = () => {
      if (child.pid)
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      cgroup?.killAll();
    };
    const interrupt = () => {
      run.ended ??= "interrupted";
      killRun();
    };
    live.add(interrupt);
    if (interrupted) interrupt(); // between runNotebook's check and here
    child.stdin!.on("error", () => {}); // a runner that died before reading all of it
    child.stdin!.end(notebookJson);
    child.stderr!.on("data", (d: Buffer) => {
      if (run.stderr.length < 8192) run.stderr += d.toString();
    });
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.on("data", (d: Buffer) => {
      // past the bound nothing more is kept (the rest is read and dropped, so the runner is not blocked)
      if (run.overflow || run.channel.length + d.length > MAX_RESULT_BYTES) run.overflow = true;
      else run.channel += d.toString();
      if (readyAt === undefined && run.channel.startsWith("ready\n")) readyAt = Date.now();
    });
    const stopWatchdog =
      !cgroup && child.pid
        ? watchdog(child.pid, limits, (why) => {
            run.ended ??= why;
            killRun();
          })
        : () => {};
    // The student's time counts from when their kernel is ready: on a loaded machine a kernel may
    // take a minute to start, which is nobody's fault. Starting has its own, bounded allowance.
    const timer = setInterval(() => {
      const deadline =
        readyAt !== undefined
          ? readyAt + limits.totalTimeoutSeconds * 1000
          : started + (limits.totalTimeoutSeconds + KERNEL_START_ALLOWANCE_SECONDS) * 1000;
      if (Date.now() >= deadline) {
        run.ended ??= "time";
        killRun();
      }
    }, 250);
    let finished = false;
    const end = (exit: Supervised["exit"]) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      stopWatchdog();
      live.delete(interrupt);
      done({ ...run, exit });
    };
    child.on("error", (e) => end({ code: null, signal: null, error: `cannot start ${argv[0]}: ${e.message}` }));
    // `close` waits for fd 3 to be read to its end (everything the runner wrote); bwrap's
    // namespace holds nothing open once bwrap is gone
    child.on("close", (code, signal) => end({ code, signal }));
  });
}

/**
 * What a finished run comes to: the runner's result, or why there is none, told apart as the
 * student's doing (`fatal`: time, memory, processes, too much output) or the machine's (`machineFault`).
 */
function resultOf(
  run: Supervised,
  limits: RunLimits,
  { seconds, oomKills, forksRefused }: { seconds: number; oomKills: number; forksRefused: number },
): RunResult {
  const { exit, stderr, channel, overflow, ended } = run;
  const { ready, result } = parseChannel(channel);
  const limitNotes =
    forksRefused > 0
      ? [`tried to run more than ${limits.processes} processes and threads at once (${forksRefused} refused)`]
      : [];
  const outOfMemory = `ran out of memory: all its processes together may use ${limits.memoryMb} MB`;
  if (ended === "interrupted") return { cells: [], restarts: 0, seconds, machineFault: "grading was interrupted" };
  const startLimit = limits.totalTimeoutSeconds + KERNEL_START_ALLOWANCE_SECONDS;
  const noStart = `the kernel did not start within ${startLimit} s (the machine may be overloaded)`;
  if (ended === "time" && !ready) return { cells: [], restarts: 0, seconds, machineFault: noStart };
  if (ended === "time")
    return {
      cells: [],
      restarts: 0,
      seconds,
      fatal: `the notebook did not finish within ${limits.totalTimeoutSeconds} s`,
      limitNotes,
    };
  if (ended === "memory") return { cells: [], restarts: 0, seconds, fatal: `the notebook ${outOfMemory}`, limitNotes };
  const tooMany = `the notebook ran more than ${limits.processes} processes and threads at once`;
  if (ended === "processes") return { cells: [], restarts: 0, seconds, fatal: tooMany, limitNotes };
  // the runner bounds its result well below this: more is what the student's run made it write
  if (overflow)
    return {
      cells: [],
      restarts: 0,
      seconds,
      fatal: `the notebook's results came to more than ${MAX_RESULT_BYTES / 2 ** 20} MB`,
      limitNotes,
    };
  if (!result) {
    // the runner itself was killed by the memory limit: the student's doing; otherwise it broke, the machine's
    if (oomKills > 0) return { cells: [], restarts: 0, seconds, fatal: `the notebook ${outOfMemory}`, limitNotes };
    const last = (exit.error ?? stderr.trim().split("\n").pop() ?? "").slice(0, 300);
    const how = exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`;
    return {
      cells: [],
      restarts: 0,
      seconds,
      machineFault: `the notebook runner failed (${how}${last ? `: ${last}` : ""})`,
    };
  }
  if (oomKills > 0) {
    // a kernel the cgroup's OOM killer ended looks to the runner like any dead kernel
    for (const c of result.cells)
      if (c.reason === "the kernel died") Object.assign(c, { reason: `the kernel ${outOfMemory}`, oom: true });
    // another of the student's processes was the one killed: say so all the same
    const killed = `${oomKills} of its processes ${oomKills === 1 ? "was" : "were"} killed`;
    if (!result.cells.some((c) => c.oom)) limitNotes.push(`the notebook ${outOfMemory}; ${killed}`);
  }
  for (const c of result.cells)
    if (c.oom && c.reason === "the kernel ran out of memory") c.reason = `the kernel ${outOfMemory}`;
  const runnerFatal = result.fatal;
  return { ...result, fatal: undefined, seconds, limitNotes, ...(runnerFatal ? { machineFault: runnerFatal } : {}) };
}
