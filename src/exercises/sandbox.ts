// The grading sandbox: each student's run (the notebook runner and the kernels it starts) in its
// own Linux namespaces, made by bubblewrap (`bwrap`). Inside: no network (its own loopback only),
// its own pid namespace (killing bwrap ends everything the student started), its own IPC
// namespace (SysV and POSIX shared memory die with it), and a filesystem holding only the
// runtime, read-only (the system's /usr, the Python the venv was made from, the venv,
// node_modules, dist/ and the runner script, at their own paths) plus private tmpfs scratch
// folders (as root, with a file limit: SCRATCH_FILES). Not the project, the key, other
// submissions or the grades: they are not mounted.
// As root, bwrap builds the namespaces and the run drops to an unprivileged uid with no
// capabilities (setpriv); as another user bwrap makes a user namespace for it. Either way no
// process inside may make a user namespace of its own (where it would be uid 0 with every
// capability, a wide door into the kernel): a seccomp filter (seccomp.ts) refuses unshare and
// clone with CLONE_NEWUSER, and without root bwrap's --disable-userns says the same.
//
// Nothing of a run is on the host's disk, so the grader never touches a path a student can
// write: the notebook goes in on stdin, the result comes back on a pipe (fd 3).
//
// Limits for the student as a whole (runner, kernels and every child, shared memory included)
// are in limits.ts.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { TutorError } from "../engine/errors.js";
import { KERNEL_DIR } from "./kernel-snapshot.js";
import { ROOT, RUNNER, VENV } from "./paths.js";
import { noNewUserNamespaces } from "./seccomp.js";

/** The unprivileged uid (and gid) a run drops to as root: "nobody". Runs cannot see each other (own pid, mount and IPC namespaces). */
export const SANDBOX_UID = 65534;
/** The kernel's working folder inside the sandbox: beside dist/, so that notebooks' `../dist/index` imports resolve. */
export const SCRATCH = join(ROOT, "submission");
/** Sizes of the private tmpfs folders (charged to the student's memory limit where a cgroup holds it). */
const SCRATCH_BYTES = 256 * 2 ** 20;
/**
 * Files and folders each tmpfs folder may hold (as root). tmpfs's own default is half the machine's
 * memory pages, millions, each costing the kernel about a kilobyte: a student filling a folder with
 * empty files would take gigabytes (or their whole memory limit) before "no space left on device".
 */
export const SCRATCH_FILES = 65536;
/** The private tmpfs folders, in the order they are mounted. */
const TMPFS = ["/dev/shm", "/tmp", SCRATCH] as const;

export interface SandboxChoice {
  /** null: student code runs unconfined (--unsafe-no-sandbox) */
  bwrap: string | null;
  /** one line for the grade output */
  description: string;
}

function onPath(cmd: string): string | undefined {
  return (process.env.PATH ?? "/usr/bin:/bin")
    .split(":")
    .map((d) => join(d, cmd))
    .find((p) => existsSync(p));
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The runtime the run needs, read-only: [host path, path inside] pairs plus symlinks at the project's own paths. */
interface Mounts {
  binds: [string, string][];
  links: [string, string][];
}

function runtimeMounts(): Mounts {
  const binds = new Map<string, string>();
  const links: [string, string][] = [];
  const bind = (p: string) => {
    const real = realpathSync(p);
    binds.set(real, real);
    return real;
  };
  // the system (merged /usr on Debian: /bin, /lib are links into it)
  bind("/usr");
  for (const top of ["/bin", "/sbin", "/lib", "/lib64", "/lib32"]) {
    if (!existsSync(top)) continue;
    if (lstatSync(top).isSymbolicLink())
      links.push([realpathSync(top).startsWith("/usr/") ? realpathSync(top).slice(1) : realpathSync(top), top]);
    else bind(top);
  }
  // node (it may live outside /usr, e.g. nvm) and the Python the venv was made from (pyenv under /root, say)
  const nodePrefix = dirname(dirname(realpathSync(process.execPath)));
  if (!nodePrefix.startsWith("/usr")) bind(nodePrefix);
  const cfg = readFileSync(join(VENV, "pyvenv.cfg"), "utf8");
  const home = /^home\s*=\s*(.+)$/m.exec(cfg)?.[1]?.trim();
  if (home && !realpathSync(home).startsWith("/usr/")) bind(dirname(realpathSync(home)));
  // the project's runtime: at their real paths (shebangs and the kernel spec name those), linked from the project's own
  for (const [p, name] of [
    [VENV, ".venv"],
    [join(ROOT, "node_modules"), "node_modules"],
  ] as const) {
    const real = bind(p);
    if (real !== join(ROOT, name)) links.push([real, join(ROOT, name)]);
  }
  bind(join(ROOT, "dist"));
  bind(RUNNER);
  // the kernel spec's command (start.sh) and what names its snapshot
  bind(KERNEL_DIR);
  return { binds: [...binds], links };
}

/** Every folder above the mount points, made 0755 (bwrap would make them 0700, which the sandbox uid cannot pass). */
function parentsOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) for (let d = dirname(p); d !== "/" && d !== "."; d = dirname(d)) dirs.add(d);
  return [...dirs].sort((a, b) => a.split(sep).length - b.split(sep).length || a.localeCompare(b));
}

/** What a path inside the runtime would expose: the key must be in none of the mounted folders. */
export function mountedPaths(): string[] {
  return runtimeMounts().binds.map(([host]) => host);
}

/**
 * bwrap's arguments for one run: namespaces, the read-only runtime, the private scratch folders,
 * a clean environment, and (as root) the drop to SANDBOX_UID; `command` runs inside.
 */
export function bwrapArgs(
  env: Readonly<Record<string, string>>,
  command: readonly string[],
  seccompFd: number,
): string[] {
  const { binds, links } = runtimeMounts();
  const root = isRoot();
  const args = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"];
  // the filter is read from this descriptor (seccomp.ts noNewUserNamespaces)
  args.push("--seccomp", String(seccompFd));
  args.push("--die-with-parent", "--new-session", "--hostname", "grading");
  // as root bwrap needs no user namespace; the run keeps only what setpriv needs to drop to the
  // sandbox uid, and what the remount of the tmpfs folders before that drop needs
  if (root) {
    args.push("--cap-drop", "ALL");
    for (const cap of ["SETUID", "SETGID", "SETPCAP", "SYS_ADMIN"]) args.push("--cap-add", `CAP_${cap}`);
  } else args.push("--unshare-user", "--disable-userns");
  // /proc, /dev and the empty tmpfs folders first: bwrap mounts in order, so a project cloned under /tmp
  // (CI, mktemp) would otherwise have its runtime hidden under the fresh /tmp
  args.push("--proc", "/proc", "--dev", "/dev");
  for (const dir of TMPFS.slice(0, 2)) args.push("--perms", "1777", "--size", String(SCRATCH_BYTES), "--tmpfs", dir);
  for (const d of parentsOf([...binds.map(([, inside]) => inside), ...links.map(([, at]) => at), SCRATCH]))
    args.push("--perms", "0755", "--dir", d);
  for (const [host, inside] of binds) args.push("--ro-bind", host, inside);
  for (const [target, at] of links) args.push("--symlink", target, at);
  args.push("--perms", "0777", "--size", String(SCRATCH_BYTES), "--tmpfs", SCRATCH);
  args.push("--remount-ro", "/", "--chdir", SCRATCH, "--clearenv");
  for (const [k, v] of Object.entries(env)) args.push("--setenv", k, v);
  if (root) {
    // bwrap 0.8 gives a tmpfs no file limit: a remount sets one, before any student code and
    // before setpriv takes every capability away
    const mount = `${onPath("mount") ?? "mount"} -o remount,nr_inodes=${SCRATCH_FILES}`;
    const remount = `for d in "$1" "$2" "$3"; do ${mount} "$d" || exit 1; done; shift 3; exec "$@"`;
    args.push("/bin/sh", "-c", remount, "sh", ...TMPFS);
    args.push("setpriv", `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, "--clear-groups");
    args.push("--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "--");
  }
  return [...args, ...command];
}

/** Why namespaces cannot be made here, or undefined when they can (a tiny sandbox is tried). */
export function namespacesUnavailable(): string | undefined {
  const bwrap = onPath("bwrap");
  if (!bwrap) return "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (Debian/Ubuntu)";
  if (isRoot() && !onPath("setpriv")) return "setpriv (util-linux) is not installed";
  if (isRoot() && !onPath("mount")) return "mount (util-linux) is not installed";
  const filter = noNewUserNamespaces();
  if (!filter)
    return `no seccomp filter for this machine's architecture (${process.arch}): nested user namespaces could not be closed`;
  const r = spawnSync(bwrap, bwrapArgs({ PATH: "/usr/bin:/bin" }, ["/bin/true"], 0), {
    encoding: "utf8",
    timeout: 20_000,
    input: filter,
  });
  if (r.error) return `bwrap could not be started: ${r.error.message}`;
  const first = (r.stderr || `exit ${r.status}`).trim().split("\n")[0];
  if (r.status !== 0)
    return `bwrap could not make the namespaces: ${first} (in a container, allow user namespaces or run as root)`;
  return undefined;
}

/** The sandbox this grading runs under; refuses (a TutorError) when there is none unless `unsafe`. */
export function chooseSandbox(unsafe: boolean): SandboxChoice {
  const none =
    "NO SANDBOX (--unsafe-no-sandbox): student code runs as the grading user and can read and change what it can";
  if (unsafe) return { bwrap: null, description: none };
  const why = namespacesUnavailable();
  if (why) {
    const problem = `student code is not run without a sandbox, and none can be made here: ${why}`;
    throw new TutorError(
      "sandbox",
      problem,
      "install bubblewrap, or grade only trusted notebooks with --unsafe-no-sandbox",
      "exercise",
    );
  }
  const who = isRoot() ? `as uid ${SANDBOX_UID} with no capabilities` : "in a user namespace";
  const what =
    "bubblewrap: no network, own processes and shared memory, only the runtime read-only, no user namespaces";
  return { bwrap: onPath("bwrap")!, description: `each student in their own namespaces (${what}), ${who}` };
}

/** The key must not be inside anything the sandbox mounts. */
export function keyExposure(keyPath: string): string | undefined {
  const key = realpathSync(keyPath);
  const inside = mountedPaths().find((m) => key === m || key.startsWith(m + sep));
  return inside ? `the key ${keyPath} lies inside ${inside}, which the sandbox mounts for student code` : undefined;
}
