// The grading sandbox. As root (with util-linux's setpriv), every job slot has its own
// unprivileged uid (no passwd entry needed) from a block the grading reserves, the kernel runs as
// that uid in a fresh work folder it owns, and after the run every process of that uid is killed
// (detached children included) and its files in the shared temporary folders removed. The uid can
// read the project (world-readable) but not the root-only key, and can write neither the project
// nor the graded folder. Not root, or where the uid cannot reach the project: the kernel runs as
// the grading user and only process-level limits hold (docs/exercises.md, "The sandbox").
import { spawnSync } from "node:child_process";
import { lstat, readdir, readFile, rm } from "node:fs/promises";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { TutorError } from "../engine/errors.js";
import { KERNEL_SPEC, ROOT } from "./paths.js";

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

/** How kernels are confined in this grading run. */
export interface Sandbox {
  /** uids are per job slot; null: the kernel runs as the grading user */
  uidBase: number | null;
  /** one line for the grade output */
  description: string;
  /** gives the uid block back (nothing to give for the weaker sandbox) */
  release(): void;
}

function onPath(cmd: string): string | undefined {
  return (process.env.PATH ?? "/usr/bin:/bin").split(delimiter).map((d) => join(d, cmd)).find((p) => existsSync(p));
}

/** The sandbox this process can give: a block of per-slot uids as root with setpriv, else the weaker one. */
export function chooseSandbox(jobs: number): Sandbox {
  const root = process.getuid?.() === 0;
  if (!root || !onPath("setpriv")) return weakerSandbox(root ? "setpriv (util-linux) is not installed" : "the grader is not running as root");
  const block = reserveUids(jobs);
  return { uidBase: block.base, description: `each kernel runs as its own unprivileged uid (${block.base} + job slot)`, release: block.release };
}

export function weakerSandbox(why: string): Sandbox {
  return { uidBase: null, description: `weaker sandbox: ${why}, so student code runs as the grading user and can read what that user can read; grade as root or in a container (docs/exercises.md, "The sandbox")`, release: () => {} };
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

/** SIGKILL, for a pid or (negative) a process group that may be gone already. */
export function kill(pid: number): void {
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
export async function removeFilesOf(uid: number): Promise<void> {
  for (const dir of ["/tmp", "/var/tmp", "/dev/shm"]) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const p = join(dir, name);
      const st = await lstat(p).catch(() => undefined);
      if (st?.uid === uid) await rm(p, { recursive: true, force: true }).catch(() => {});
    }
  }
}
