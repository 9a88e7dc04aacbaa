// The TypeScript kernel's startup snapshot: TypeScript loaded and the standard library and @types
// parsed and bound ahead of time (scripts/kernel/snapshot.cjs), so that a kernel starts in ~1 s of
// CPU instead of ~4 (every notebook opened, every student graded). scripts/kernel/start.sh, the
// kernel spec's command, uses the snapshot made for its Node, its TypeScript and its NODE_OPTIONS,
// or starts tslab plainly when there is none: a missing snapshot is slower, never broken.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./paths.js";

export const KERNEL_DIR = join(ROOT, "scripts", "kernel");
export const KERNEL_LAUNCHER = join(KERNEL_DIR, "start.sh");

/** Where start.sh looks for the snapshot for this Node and these NODE_OPTIONS. */
export function kernelSnapshotPath(nodeOptions = ""): string {
  return execFileSync("/bin/sh", [KERNEL_LAUNCHER, "--print-blob", process.execPath], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  }).trim();
}

/**
 * Build the snapshot for these NODE_OPTIONS unless it is there (~4 s of CPU, once), and check that
 * this Node loads it. Returns its path, or why there is none (the kernel then starts without it).
 * The build runs in a child process: a grader waiting for it still answers Ctrl-C.
 */
export async function ensureKernelSnapshot(nodeOptions = ""): Promise<{ path: string } | { error: string }> {
  let path: string;
  try {
    path = kernelSnapshotPath(nodeOptions);
  } catch (e) {
    return { error: `cannot name the kernel's snapshot: ${(e as Error).message}` };
  }
  if (existsSync(path)) return { path };
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const env = {
    ...process.env,
    NODE_OPTIONS: nodeOptions,
    BPT_SNAPSHOT_TS: join(ROOT, "node_modules", "@tslab", "typescript-for-tslab", "lib", "typescript.js"),
    BPT_SNAPSHOT_TYPES: join(ROOT, "node_modules", "@types"),
    BPT_SNAPSHOT_ENGINE: join(ROOT, "dist", "index.d.ts"),
  };
  const node = (args: string[]) =>
    new Promise<{ ok: boolean; out: string; why: string }>((done) =>
      execFile(process.execPath, args, { env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) =>
        done({ ok: !error, out: stdout, why: stderr || stdout || error?.message || "" }),
      ),
    );
  const built = await node(["--snapshot-blob", partial, "--build-snapshot", join(KERNEL_DIR, "snapshot.cjs")]);
  const checked = built.ok ? await node(["--snapshot-blob", partial, "check-snapshot"]) : built;
  if (!checked.ok || !/^\d+ files$/m.test(checked.out)) {
    rmSync(partial, { force: true });
    const why = checked.why.trim().split("\n").slice(-3).join(" ");
    return { error: `the kernel's startup snapshot was not built (${why}); kernels start without it, ~3 s slower` };
  }
  // a grading beside this one may have built it too: whichever rename lands, the file is whole
  renameSync(partial, path);
  pruneSnapshots(dirname(path));
  return { path };
}

/** Snapshots kept (~50 MB each): one per heap limit in use; older ones (another Node, an old TypeScript) go. */
const KEEP = 4;

function pruneSnapshots(dir: string): void {
  // a build cut short (its grading interrupted) leaves its partial file; one still being written is minutes young
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".partial")))
    if (Date.now() - statSync(join(dir, f)).mtimeMs > 600_000) rmSync(join(dir, f), { force: true });
  const blobs = readdirSync(dir)
    .filter((f) => f.endsWith(".blob"))
    .map((f) => ({ file: join(dir, f), used: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const old of blobs.slice(KEEP)) rmSync(old.file, { force: true });
}
