// Limits for a student as a whole: every process of their run together (runner, kernels, any
// child they start), shared memory included. Where the grader may make cgroups (v1 here: the
// memory, pids, cpu and cpuacct controllers, as root), each run gets its own cgroup in each;
// otherwise a watchdog sums the run's processes twice a second and ends the run on a breach.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface StudentLimits {
  /** memory of all the student's processes together, shared memory and tmpfs included, in MiB */
  memoryMb: number;
  /** processes and threads at once */
  processes: number;
  /** CPU cores the student may keep busy (a cgroup holds them to it; the watchdog cannot) */
  cpus: number;
}

const V1 = "/sys/fs/cgroup";
const CONTROLLERS = ["memory", "pids", "cpu", "cpuacct"] as const;
type Controller = (typeof CONTROLLERS)[number];
/** Our cgroups' names start with this, then the grader's pid: a grading that was killed can be recognised and swept up. */
const PREFIX = "backprop-tutor-";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Where this process's own cgroup is in a controller's hierarchy (ours go below it, so outer limits still count us). */
function ownCgroup(controller: Controller): string {
  for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
    const [, names, path] = line.split(":");
    if (names?.split(",").includes(controller)) return join(V1, controller, path ?? "/");
  }
  return join(V1, controller);
}

function writeTo(file: string, value: string): void {
  writeFileSync(file, value);
}

function pidsIn(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map(Number);
  } catch {
    return [];
  }
}

function killPids(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/**
 * Kills what is left in a cgroup folder and removes it. Only an empty one can be removed (v1), so
 * this also waits until every process of the student has exited: up to a minute, since a pid
 * namespace of many processes takes a while to die on a loaded machine.
 */
async function removeCgroup(dir: string): Promise<void> {
  for (let round = 0; round < 1200 && existsSync(dir); round++) {
    killPids(pidsIn(dir));
    try {
      rmdirSync(dir);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** One student's cgroups, one per controller. */
export class StudentCgroup {
  private constructor(
    private readonly dirs: Record<Controller, string>,
    readonly limits: StudentLimits,
  ) {}

  static create(grading: string, name: string, limits: StudentLimits): StudentCgroup {
    const dirs = Object.fromEntries(CONTROLLERS.map((c) => [c, join(ownCgroup(c), grading, name)])) as Record<
      Controller,
      string
    >;
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o755 });
    const bytes = String(limits.memoryMb * 2 ** 20);
    writeTo(join(dirs.memory, "memory.limit_in_bytes"), bytes);
    // no way around the limit through swap, where swap accounting is on
    if (existsSync(join(dirs.memory, "memory.memsw.limit_in_bytes")))
      writeTo(join(dirs.memory, "memory.memsw.limit_in_bytes"), bytes);
    writeTo(join(dirs.pids, "pids.max"), String(limits.processes));
    const period = Number(readFileSync(join(dirs.cpu, "cpu.cfs_period_us"), "utf8"));
    writeTo(join(dirs.cpu, "cpu.cfs_quota_us"), String(Math.round(period * limits.cpus)));
    return new StudentCgroup(dirs, limits);
  }

  /** `command` prefixed so that it enters the cgroups before it starts (nothing it forks escapes them). */
  wrap(command: readonly string[]): string[] {
    const enter = Object.values(this.dirs)
      .map((d) => `echo $$ > '${join(d, "cgroup.procs")}'`)
      .join(" && ");
    return ["/bin/sh", "-c", `${enter} && exec "$@"`, "sh", ...command];
  }

  /** How many of the student's processes the kernel's out-of-memory killer ended. */
  oomKills(): number {
    try {
      return Number(
        /^oom_kill (\d+)/m.exec(readFileSync(join(this.dirs.memory, "memory.oom_control"), "utf8"))?.[1] ?? 0,
      );
    } catch {
      return 0;
    }
  }

  /** How often a fork was refused because the student had `processes` already. */
  forksRefused(): number {
    try {
      return Number(/^max (\d+)/m.exec(readFileSync(join(this.dirs.pids, "pids.events"), "utf8"))?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  killAll(): void {
    for (const d of Object.values(this.dirs)) killPids(pidsIn(d));
  }

  async remove(): Promise<void> {
    await Promise.all(Object.values(this.dirs).map(removeCgroup));
  }
}

/** The folder name of this grading's cgroups. */
export function gradingCgroupName(): string {
  return `${PREFIX}${process.pid}`;
}

/** Removes this grading's (now empty) parent folders, and those of gradings that died (kill -9, a crash). */
export async function sweepCgroups(includeOwn: boolean): Promise<void> {
  for (const c of CONTROLLERS) {
    const parent = ownCgroup(c);
    let names: string[];
    try {
      names = readdirSync(parent).filter((n) => n.startsWith(PREFIX));
    } catch {
      continue;
    }
    for (const n of names) {
      const pid = Number(n.slice(PREFIX.length));
      if (pid === process.pid ? !includeOwn : alive(pid)) continue;
      const dir = join(parent, n);
      for (const student of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()))
        await removeCgroup(join(dir, student.name));
      await removeCgroup(dir);
    }
  }
}

/**
 * A small watcher, detached, that removes this grading's cgroup folders once the grader is gone
 * however it ended (kill -9 included: the sandboxes die with their parent, the folders would
 * stay until the next grading). It polls the grader's pid once a second and gives up after a
 * minute of folders that will not empty. Returns a stop function for a normal end.
 */
export function reapCgroupsAfterExit(): () => void {
  const dirs = CONTROLLERS.map((c) => join(ownCgroup(c), gradingCgroupName()));
  const rm = dirs.map((d) => `rmdir '${d}'/* '${d}' 2>/dev/null`).join("; ");
  const left = dirs.map((d) => `[ -e '${d}' ]`).join(" || ");
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; i=0; while [ $i -lt 60 ] && { ${left}; }; do ${rm}; i=$((i+1)); sleep 1; done`;
  const child = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  return () => {
    try {
      if (child.pid) process.kill(child.pid, "SIGKILL");
    } catch {
      // gone already
    }
  };
}

/** Why per-student cgroups cannot be made here, or undefined when they can (one is made and removed). */
export function cgroupsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "only root may make cgroups";
  for (const c of CONTROLLERS)
    if (!existsSync(join(V1, c, "cgroup.procs")))
      return `the cgroup v1 ${c} controller is not mounted at ${join(V1, c)}`;
  const probe = `${gradingCgroupName()}-probe`;
  try {
    StudentCgroup.create(probe, "probe", { memoryMb: 64, processes: 8, cpus: 1 });
    return undefined;
  } catch (e) {
    return `cannot make a cgroup: ${(e as Error).message}`;
  } finally {
    for (const c of CONTROLLERS) {
      try {
        rmdirSync(join(ownCgroup(c), probe, "probe"));
      } catch {
        /* not made */
      }
      try {
        rmdirSync(join(ownCgroup(c), probe));
      } catch {
        /* not made */
      }
    }
  }
}

/** What a watchdog found over a run's processes. */
export interface Usage {
  memoryMb: number;
  processes: number;
}

function childrenOf(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** The memory (resident, shared included) and the tasks of `pid` and all its descendants. */
export function usageOf(pid: number): Usage {
  const children = childrenOf();
  let kib = 0,
    tasks = 0;
  for (const todo = [pid]; todo.length > 0;) {
    const p = todo.pop()!;
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kib += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      continue;
    }
    todo.push(...(children.get(p) ?? []));
  }
  return { memoryMb: kib / 1024, processes: tasks };
}

/** Watches `pid`'s process tree; calls `breach` once (and stops) when it goes over a limit. Returns the stop function. */
export function watchdog(
  pid: number,
  limits: StudentLimits,
  breach: (why: "memory" | "processes") => void,
): () => void {
  const timer = setInterval(() => {
    const u = usageOf(pid);
    const why = u.memoryMb > limits.memoryMb ? "memory" : u.processes > limits.processes ? "processes" : undefined;
    if (why) {
      clearInterval(timer);
      breach(why);
    }
  }, 500);
  return () => clearInterval(timer);
}
