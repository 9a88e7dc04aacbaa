// The TypeScript kernel's startup snapshot (src/exercises/kernel-snapshot.ts, scripts/kernel/):
// a kernel started from it compiles and type-checks exactly as tslab does without it, and
// start.sh falls back to plain tslab whenever there is no snapshot for its Node and NODE_OPTIONS.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KERNEL_LAUNCHER, ensureKernelSnapshot, kernelSnapshotPath } from "../src/exercises/kernel-snapshot.js";
import { KERNEL_SPEC, ROOT } from "../src/exercises/paths.js";
import { DEFAULT_LIMITS, kernelNodeOptions } from "../src/exercises/run.js";

// tslab's own converter, on cells a student could write: a Node API, a type error, a module of the
// project; prints what it made of each (the JavaScript, the diagnostics) and where TypeScript read
// the standard library from
const PROBE = `
const { createConverter } = require(${JSON.stringify(join(ROOT, "node_modules/tslab/dist/converter.js"))});
const c = createConverter({ isJS: false, isBrowser: false });
const cells = [
  "const b: Buffer = Buffer.from('ab'); const n: number = Math.max(1, 2); b.length + n",
  "let s: string = 1;",
  "import { traceNetwork } from '../dist/index.js'; const t: number = traceNetwork;",
  "[1, 2, 3].flatMap((x) => [x, x]).at(-1)",
];
const out = cells.map((src) => { const r = c.convert("", src); return { output: r.output, diagnostics: r.diagnostics }; });
const error = { limit: Error.stackTraceLimit, stack: new Error("probe").stack.split("\\n").length > 1, cwd: process.cwd() };
console.log(JSON.stringify({ out, error, cached: typeof globalThis.__bptCachedSourceFile }));
setImmediate(() => process.exit(0));
`;

function runProbe(snapshot?: string): { out: unknown; error: unknown; cached: string } {
  const dir = mkdtempSync(join(tmpdir(), "bpt-snapshot-"));
  try {
    const probe = join(dir, "probe.cjs");
    writeFileSync(probe, PROBE);
    const args = snapshot ? ["--snapshot-blob", snapshot, probe] : [probe];
    const r = spawnSync(process.execPath, args, { cwd: join(ROOT, "notebooks"), encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the kernel's startup snapshot", () => {
  it("npm install built it (for JupyterLab's kernels and grade's default limits), and the kernel spec starts tslab through start.sh", () => {
    expect(existsSync(kernelSnapshotPath())).toBe(true);
    expect(existsSync(kernelSnapshotPath(kernelNodeOptions(DEFAULT_LIMITS.memoryMb)))).toBe(true);
    const argv = JSON.parse(readFileSync(KERNEL_SPEC, "utf8")).argv as string[];
    expect(argv.slice(0, 4)).toEqual([
      "/bin/sh",
      KERNEL_LAUNCHER,
      process.execPath,
      join(ROOT, "node_modules/tslab/bin/tslab"),
    ]);
  });

  it("holds the standard library and @types/node, parsed, and a kernel from it compiles cells exactly as plain tslab", async () => {
    const made = await ensureKernelSnapshot();
    if ("error" in made) throw new Error(made.error);
    const check = spawnSync(process.execPath, ["--snapshot-blob", made.path, "check-snapshot"], { encoding: "utf8" });
    expect(Number(/^(\d+) files$/m.exec(check.stdout)?.[1])).toBeGreaterThan(100);
    const plain = runProbe();
    const fromSnapshot = runProbe(made.path);
    expect(plain.cached).toBe("undefined");
    expect(fromSnapshot.cached).toBe("function");
    expect(fromSnapshot.out).toEqual(plain.out);
    // the process around the cells is Node's as usual: errors with their stack, the kernel's own folder
    expect(plain.error).toEqual({ limit: 10, stack: true, cwd: join(ROOT, "notebooks") });
    expect(fromSnapshot.error).toEqual(plain.error);
    // the probe is not vacuous: the type errors are there, the good cells compiled
    const text = JSON.stringify(plain.out);
    expect(text).toContain("Type 'number' is not assignable to type 'string'.");
    expect(text).toContain("is not assignable to type 'number'");
    expect(text).toContain("Buffer.from");
  });

  it("is one per NODE_OPTIONS (V8 loads a snapshot only under its flags), and start.sh runs tslab plainly when there is none", () => {
    const options = "--max-old-space-size=123";
    expect(kernelSnapshotPath(options)).not.toBe(kernelSnapshotPath());
    expect(existsSync(kernelSnapshotPath(options))).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), "bpt-snapshot-"));
    try {
      const script = join(dir, "argv.cjs");
      writeFileSync(script, "console.log(JSON.stringify(process.execArgv))");
      const started = (nodeOptions: string) =>
        spawnSync("/bin/sh", [KERNEL_LAUNCHER, process.execPath, script], {
          encoding: "utf8",
          env: { ...process.env, NODE_OPTIONS: nodeOptions },
        });
      const none = started(options);
      expect(none.status, none.stderr).toBe(0);
      expect(JSON.parse(none.stdout)).toEqual([]);
      // with the snapshot for these options, the same command loads it (and the snapshot's main runs the script)
      const withSnapshot = started("");
      expect(withSnapshot.status, withSnapshot.stderr).toBe(0);
      expect(JSON.parse(withSnapshot.stdout)).toEqual(["--snapshot-blob", kernelSnapshotPath()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
