// A hostile classroom on the real tslab kernel, in the bubblewrap sandbox (issue 14): one
// grading of honest students beside students whose notebooks attack the grader, the machine or
// each other. For every attack the honest students keep their exact marks, and afterwards no
// process, file, cgroup or IPC object of the grading is left; issue 21 adds an answer whose
// exponent once took the grader down, escape sequences in an error message, a nested user
// namespace, a kernel killed during replay and a scratch folder filled with empty files. Then
// kill -9 and Ctrl-C in the middle of a grading and a re-run, a runner that fails (the machine's
// fault, nobody's 0; a failed re-grade keeps the earlier result), the key's path on no command
// line with `npx`, and a result over 64 MB (the student's).
//
// Time: every student is a tslab kernel (a few seconds of CPU each), so attacks that leave the
// kernel running share notebooks, cells that must never end wait without using the CPU, and
// the tests that grade one student share their gradings. The big grading, three at a time, is
// bound by the symlinker waiting out the notebook limit asleep; where cgroups tell gradings apart
// the interrupted and failed gradings run beside it.
//
// The sandboxed cases need namespaces (bubblewrap; root for the cgroup limits): CI runs as root.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { assignExample, gradeLines, GRADES_HEADER } from "./helpers/assign.js";
import type { AnswerKey } from "../src/exercises/assign.js";
import { codeCell, metaOf, sourceOf, toLines, type Notebook } from "../src/exercises/notebook.js";
import { ROOT } from "../src/exercises/paths.js";
import { namespacesUnavailable } from "../src/exercises/sandbox.js";
import { cgroupsUnavailable } from "../src/exercises/limits.js";

const EX = join(ROOT, "exercises", "backprop-1");
const hasKernel =
  existsSync(join(ROOT, ".venv", "bin", "python")) &&
  existsSync(join(ROOT, ".venv", "share", "jupyter", "kernels", "tslab"));
const hasCli = existsSync(join(ROOT, "dist", "cli", "main.js"));
const noNamespaces = namespacesUnavailable();
const noCgroups = cgroupsUnavailable();
const skipWhy = !hasKernel ? "no .venv with the tslab kernel" : !hasCli ? "no dist/ (npm run build)" : noNamespaces;
if (skipWhy && process.env.CI)
  it("can sandbox student code here, as CI must", () =>
    expect.fail(`the hostile-classroom suite cannot run: ${skipWhy}`));

/** The released notebook with the answer cell replaced by `code` (which defines `answers`, or not). */
function submit(release: string, code: string, extra: string[] = []): Notebook {
  const nb = JSON.parse(readFileSync(release, "utf8")) as Notebook;
  const at = nb.cells.findIndex((c) => metaOf(c)?.kind === "answer");
  nb.cells[at].source = toLines(code);
  nb.cells.splice(at + 1, 0, ...extra.map((e) => codeCell(e)));
  return nb;
}
const answersCode = (answers: Record<string, string>) =>
  `const answers: Record<string, string | number> = ${JSON.stringify(answers, null, 2)};`;

/** A grader's command line: `grade` of this project's CLI. */
const isGrader = (cmd: string) => cmd.includes(`${join(ROOT, "dist", "cli", "main.js")} grade `);

/**
 * Whether process `p` belongs to a grading still running other than the one of `pid`: it is held in
 * that grading's cgroups (backprop-tutor-<its pid>), or it is a child of that grader on its way into
 * them (the shell that moves itself into the cgroups before it starts bwrap).
 */
function heldByAnotherGrading(p: string, pid: number | undefined): boolean {
  const other = (n: number) => n !== pid;
  const cgroups = readFileSync(`/proc/${p}/cgroup`, "utf8");
  if ([...cgroups.matchAll(/\/backprop-tutor-(\d+)(?:\/|$)/gm)].some((m) => other(Number(m[1])))) return true;
  const parent = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1]);
  try {
    return other(parent) && isGrader(readFileSync(`/proc/${parent}/cmdline`, "utf8").replace(/\0/g, " "));
  } catch {
    return false;
  }
}

/**
 * Processes of a grading from this project folder: bwrap, the runner, kernels (by their command
 * lines, which name this folder's runner or scratch folder; other worktrees on the machine may be
 * grading at the same time). With `pid`, those of the grading by that grader: the gradings of
 * this file's other tests, which run beside it where cgroups hold each grading's processes, are
 * left out by their cgroups (a process of this grading left behind is in no other grading's).
 */
function gradingProcesses(pid?: number): string[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ");
        const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
        return state !== "Z" &&
          cmd.includes(`${ROOT}/`) &&
          /run_submission\.py|--config-path \/tmp\/jupyter-runtime\/|bwrap .*--hostname grading/.test(cmd) &&
          !(pid !== undefined && heldByAnotherGrading(p, pid))
          ? [`${p}: ${cmd.slice(0, 120)}`]
          : [];
      } catch {
        return [];
      }
    });
}

/**
 * Resolves once a kernel of the grading by `pid` runs: a tslab kernel in that grading's cgroups
 * (their connection files are nbclient's temporary files, /tmp/tmp*.json in the sandbox). Without
 * cgroups, after 4 s; after two minutes without one, anyway.
 */
async function whenKernelRuns(pid: number | undefined): Promise<void> {
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  if (noCgroups) return sleep(4000);
  const inThisGrading = (p: string) => {
    try {
      return (
        readFileSync(`/proc/${p}/cmdline`, "utf8").includes("tslab\0kernel\0--config-path") &&
        readFileSync(`/proc/${p}/cgroup`, "utf8").includes(`/backprop-tutor-${pid}/`)
      );
    } catch {
      return false;
    }
  };
  const kernelRuns = () => readdirSync("/proc").some((p) => /^\d+$/.test(p) && inThisGrading(p));
  for (let waited = 0; waited < 120_000 && !kernelRuns(); waited += 250) await sleep(250);
}

/** The cgroups of the grading with process id `pid` (backprop-tutor-<pid>) anywhere in the v1 hierarchies. */
function leftCgroups(pid: number | undefined): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      if (e.name === `backprop-tutor-${pid}`) found.push(join(dir, e.name));
      else walk(join(dir, e.name), depth + 1);
    }
  };
  for (const c of ["memory", "pids", "cpu", "cpuacct"])
    if (existsSync(`/sys/fs/cgroup/${c}`)) walk(`/sys/fs/cgroup/${c}`, 0);
  return found;
}

const sysvSegments = (): string => {
  try {
    return execFileSync("ipcs", ["-m"], { encoding: "utf8" });
  } catch {
    return "";
  }
};

/** grade as its own process (as a teacher runs it), with the key by environment. */
function gradeProcess(
  args: string[],
  key: string,
  env: NodeJS.ProcessEnv = {},
  onLine?: (line: string, p: ReturnType<typeof spawn>) => void,
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  pid: number | undefined;
}> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, "dist", "cli", "main.js"), "grade", ...args], {
      cwd: ROOT,
      env: { ...process.env, BACKPROP_TUTOR_KEY: key, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "",
      stderr = "";
    p.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (onLine) for (const line of d.toString().split("\n")) if (line) onLine(line, p);
    });
    p.on("exit", (code, signal) => done({ code, signal, stdout, stderr, pid: p.pid }));
  });
}

mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A class of `ids` with the example assignment, an empty submissions folder, and the key. */
async function classOf(
  ids: string[],
  secret: string,
): Promise<{
  out: string;
  subs: string;
  keyPath: string;
  key: AnswerKey;
  release: (id: string) => string;
  graded: string;
}> {
  const out = mkdtempSync(join(ROOT, ".tmp", "hostile-"));
  made.push(out);
  writeFileSync(join(out, "roster.csv"), `id\n${ids.join("\n")}\n`);
  await assignExample(out, secret, join(out, "roster.csv"));
  const keyPath = join(out, "key", "key.json");
  mkdirSync(join(out, "submissions"));
  return {
    out,
    subs: join(out, "submissions"),
    keyPath,
    key: JSON.parse(readFileSync(keyPath, "utf8")) as AnswerKey,
    release: (id) => join(out, "release", id, "backprop-1.ipynb"),
    graded: join(out, "graded"),
  };
}

/**
 * grade started as `npx backprop-tutor grade ...` starts it: `npm exec` running
 * `sh -c "backprop-tutor grade ..."`, the same chain of a parent with all the arguments, a shell,
 * and the grader (npx itself is not run: in a project whose node_modules is shared and out of date
 * it reinstalls the project, postinstall and all). Meanwhile every process's command line is
 * read ten times a second: `seen` holds those that carried the key's path.
 */
async function gradeAsNpx(
  args: string[],
  key: string,
): Promise<{ code: number | null; stderr: string; seen: string[] }> {
  const seen = new Set<string>();
  const scan = setInterval(() => {
    for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
        if (cmd.includes(key)) seen.add(cmd.replace(/\0/g, " "));
      } catch {
        /* gone */
      }
    }
  }, 100);
  const all = ["grade", ...args];
  const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const npmExec = `exec /bin/sh -c '"$0" "$@"' ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "dist", "cli", "main.js"))} ${all.map((a) => JSON.stringify(a)).join(" ")}`;
    const p = spawn("/bin/sh", ["-c", `${npmExec}; exit $?`, "npm-exec", "backprop-tutor", ...all], {
      cwd: ROOT,
      env: { ...process.env, BACKPROP_TUTOR_KEY: key },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    p.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    p.on("exit", (code) => done({ code, stderr }));
  });
  clearInterval(scan);
  return { ...r, seen: [...seen] };
}

/**
 * The big grading and the interrupted ones run side by side where cgroups hold each grading's
 * processes (CI, as root): each test tells its own grading's processes from the others' by them
 * (gradingProcesses). The big grading is bound by the symlinker, which waits out the notebook limit
 * asleep, so the others fit beside it. Without cgroups, one after another.
 */
const besideEachOther = noCgroups ? describe : describe.concurrent;

besideEachOther("the hostile classroom and the interrupted gradings", () => {
  describe.skipIf(skipWhy !== undefined)(
    `a hostile classroom, sandboxed${skipWhy ? ` (skipped: ${skipWhy})` : ""}`,
    () => {
      let listener: Server,
        port = 0,
        connections = 0;
      beforeAll(async () => {
        listener = createServer((s) => {
          connections++;
          s.destroy();
        });
        await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
        port = (listener.address() as { port: number }).port;
      });
      afterAll(() => new Promise<void>((r) => listener.close(() => r())));

      it("attacks on the grader, the machine and classmates get nothing, and honest students keep their exact marks", async () => {
        // graded in this order, three at a time: the symlinker, which waits out the notebook limit, first,
        // and the honest students (ada, bob, grace) beside the attacks on the other two slots (with two,
        // everyone else queued on one slot behind each other while the symlinker waited). Attacks that leave the kernel
        // running share a notebook (prober, scribbler), each asserted on its own; those that end or
        // stop the kernel have one each
        const roster = ["symlinker", "ada", "hog", "bob", "forker", "grace", "prober", "looper", "crasher"];
        roster.push("scribbler", "timer", "replayer", "filler", "broken", "eve");
        const c = await classOf(roster, "hostile");
        const answersOf = (id: string) => ({ ...c.key.students.find((s) => s.id === id)!.answers });
        const put = (id: string, nb: Notebook) => writeFileSync(join(c.subs, `${id}.ipynb`), JSON.stringify(nb));
        for (const id of ["ada", "bob"]) put(id, submit(c.release(id), answersCode(answersOf(id))));
        // grace: the classic sign slip in w5+ (w5 + η·dE/dw5)
        const graceAnswers = answersOf("grace"),
          gnet = c.key.students.find((s) => s.id === "grace")!.params.network!;
        graceAnswers["w5+"] = (gnet.weights[1][0][0] + gnet.learningRate * Number(graceAnswers["dE/dw5"])).toFixed(4);
        put("grace", submit(c.release("grace"), answersCode(graceAnswers)));
        // a cell that never ends without using the CPU it waits on (the sandbox has one core to share)
        const never = "Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);";

        // 1. the connection-file attack: a process that outlives its kernel keeps replacing every
        // connection file with a link to a root-owned file, while an endless cell forces restarts
        const dummy = join(c.out, "root-owned-dummy");
        writeFileSync(dummy, "precious\n", { mode: 0o600 });
        const dummyBefore = { text: readFileSync(dummy, "utf8"), mode: statSync(dummy).mode, uid: statSync(dummy).uid };
        put(
          "symlinker",
          submit(
            c.release("symlinker"),
            `import { spawn } from "child_process";
spawn("sh", ["-c", ${JSON.stringify(`end=$(($(date +%s) + 40)); while [ $(date +%s) -lt $end ]; do for d in "$JUPYTER_RUNTIME_DIR" "$TMPDIR" "$HOME" /tmp; do for f in "$d"/*.json; do [ -e "$f" ] && ln -sf ${dummy} "$f"; done; done; sleep 0.05; done`)}], { detached: true, stdio: "ignore" }).unref();
${answersCode(answersOf("symlinker"))}`,
            [never],
          ),
        );
        // 2. memory over the limit through child processes and /dev/shm; a SysV segment left behind (prober)
        put(
          "hog",
          submit(c.release("hog"), answersCode(answersOf("hog")), [
            `import { spawn } from "child_process";
import * as fs from "fs";
for (let i = 0; i < 3; i++) spawn(process.execPath, ["-e", "const b = Buffer.alloc(250 * 2 ** 20, 1); setInterval(() => b[0]++, 1000)"], { stdio: "ignore" });
fs.writeFileSync("/dev/shm/fill", Buffer.alloc(200 * 2 ** 20, 1));
const hold: Buffer[] = [];
for (;;) hold.push(Buffer.alloc(50 * 2 ** 20, 1));`,
          ]),
        );
        const sysvBefore = sysvSegments();
        // 40 busy processes for 8 s: held to one core, they cannot slow the others down (the
        // forker's own kernel gets a 41st of that core, so its marks are whatever it manages: not
        // asserted; started once per run, not again by the replay after a cell timed out)
        put(
          "forker",
          submit(
            c.release("forker"),
            `import { spawn } from "child_process";
import * as fs from "fs";
if (!fs.existsSync("/tmp/forked")) {
  fs.writeFileSync("/tmp/forked", "");
  for (let i = 0; i < 40; i++) spawn("timeout", ["8", "sh", "-c", "while :; do :; done"], { stdio: "ignore" });
}
${answersCode(answersOf("forker"))}`,
          ),
        );
        // 7. probes that leave the kernel running, each spoiling an answer of its own if it gets
        // anywhere: a SysV segment (it must die with the sandbox), a listener on the host's loopback
        // and the world, what the grader can read (the key by path, on command lines and in
        // environments, other submissions, the project's solutions), a user namespace of one's own
        // (issue 21); then a cell whose value is a Buffer, and the forward test edited to say it passed
        const secrets = [
          c.keyPath,
          join(c.out, "key"),
          c.subs,
          join(c.subs, "ada.ipynb"),
          c.graded,
          join(EX, "source.ipynb"),
          join(ROOT, "package.json"),
          join(ROOT, "src"),
          dummy,
        ];
        const spoiledBy = {
          sysv: "dE/dw8",
          loopback: "w5+",
          world: "w8+",
          seen: "w1+",
          userns: "df/dz",
        } as const;
        const probed = submit(
          c.release("prober"),
          `import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
${answersCode(answersOf("prober"))}
const spoiled = ${JSON.stringify(spoiledBy)};
const spoil = (probe: keyof typeof spoiled, what: string) => { console.log(probe, what); answers[spoiled[probe]] = "1"; };
try { console.log(execFileSync("ipcmk", ["-M", String(256 * 2 ** 20)], { encoding: "utf8" })); } catch (e) { spoil("sysv", "ipcmk failed: " + e); }
const reached = await new Promise<string>((r) => { const s = net.connect(${port}, "127.0.0.1", () => r("connected")); s.on("error", (e) => r(e.message)); setTimeout(() => r("timeout"), 2000); });
if (reached === "connected") spoil("loopback", reached);
const world = await fetch("http://deb.debian.org/").then(() => "reached", (e) => String(e.cause?.code ?? e));
if (world === "reached") spoil("world", world);
const seen: string[] = [];
for (const p of ${JSON.stringify(secrets)}) { try { fs.statSync(p); seen.push(p); } catch {} }
for (const p of fs.readdirSync("/proc").filter((p) => /^\\d+$/.test(p))) {
  for (const f of ["cmdline", "environ"]) { try { const t = fs.readFileSync(\`/proc/\${p}/\${f}\`, "utf8"); if (/key\\.json|BACKPROP_TUTOR_KEY/.test(t)) seen.push(\`/proc/\${p}/\${f}\`); } catch {} }
}
if (seen.length) spoil("seen", JSON.stringify(seen));
const u = spawnSync("unshare", ["-Urm", "id", "-u"], { encoding: "utf8" });
if (u.status === 0) spoil("userns", u.stdout);`,
          ["Buffer.from([1, 2, 3])"],
        );
        const forward = probed.cells.find((x) => metaOf(x)?.id === "forward")!;
        forward.source = toLines(sourceOf(forward) + '\nconsole.log("all correct!");');
        put("prober", probed);
        // the earlier cases: an endless loop after honest answers, a crash
        put("looper", submit(c.release("looper"), answersCode(answersOf("looper")), ["while (true) {}"]));
        put("crasher", submit(c.release("crasher"), answersCode(answersOf("crasher")), ["process.exit(3)"]));
        // an answer whose exponent asks for a hundred million decimals (issue 21: it took the grader
        // down, 4 GB, no grades for anyone); an error message of escape sequences forging rows on the
        // teacher's terminal (issue 21); an output flood
        const forged = "\u001b[2K\u001b[1A\u001b]52;c;ZXZpbA==\u0007\rada,0,0,0,0,0,12,";
        put(
          "scribbler",
          submit(c.release("scribbler"), answersCode({ ...answersOf("scribbler"), E_total: "1.0300e-100000000" }), [
            `throw new Error(${JSON.stringify(forged)});`,
            "for (let i = 0; i < 100; i++) console.log('flood '.repeat(20000));",
          ]),
        );
        // 8. a busy loop in a timer the answers cell starts
        // (once per run: the sandbox's /tmp outlives the kernel, so the replay after the restart does not start it again)
        put(
          "timer",
          submit(
            c.release("timer"),
            `import * as fs from "fs";
${answersCode(answersOf("timer"))}
if (!fs.existsSync("/tmp/fired")) { fs.writeFileSync("/tmp/fired", ""); setTimeout(() => { while (true) {} }, 0); }`,
            ["const later = 1;"],
          ),
        );
        // issue 21: a kernel killed while the cells are replayed after a timeout (it was "not graded,
        // the machine's fault")
        put(
          "replayer",
          submit(
            c.release("replayer"),
            `import * as fs from "fs";
${answersCode(answersOf("replayer"))}
if (fs.existsSync("/tmp/ran")) process.kill(process.pid, "SIGKILL");
fs.writeFileSync("/tmp/ran", "");`,
            [never],
          ),
        );
        // issue 21: a scratch folder filled with empty files to "no space left on device" by a process
        // that outlives the kernel and, trying without pause, takes every file freed again (the old
        // connection file); then the kernel killed: its restart cannot write a connection file (once
        // "not graded, the machine's fault")
        const fill = `const fs = require("fs"); for (let i = 0; ; i++) try { fs.closeSync(fs.openSync("/tmp/f" + i, "w")); } catch {}`;
        put(
          "filler",
          submit(c.release("filler"), answersCode(answersOf("filler")), [
            `import * as fs from "fs";
import { spawn } from "child_process";
spawn(process.execPath, ["-e", ${JSON.stringify(fill)}], { detached: true, stdio: "ignore" }).unref();
const full = () => { try { fs.closeSync(fs.openSync("/tmp/probe", "w")); fs.unlinkSync("/tmp/probe"); return false; } catch (e) { return String(e).includes("ENOSPC"); } };
while (!full()) await new Promise((r) => setTimeout(r, 50));
process.kill(process.pid, "SIGKILL");`,
          ]),
        );
        writeFileSync(join(c.subs, "broken.ipynb"), "{ not json");
        writeFileSync(
          join(c.subs, "mallory.ipynb"),
          JSON.stringify(submit(c.release("ada"), answersCode(answersOf("ada")))),
        );
        execFileSync("mkfifo", [join(c.subs, "eve.ipynb")]);

        // the notebook limit counts a restarted kernel's start too: 90 s leaves the looper and the timer
        // (a cell timed out, a restart, a replay) their time on a loaded machine, where 60 s did not
        const g = await gradeProcess(
          [c.subs, "--out", c.graded, "--jobs", "3", "--cell-timeout", "10", "--timeout", "90", "--memory", "1024"],
          c.keyPath,
        );
        const rows = Object.fromEntries(
          readFileSync(join(c.graded, "grades.csv"), "utf8")
            .trim()
            .split("\n")
            .slice(1)
            .map((r) => [r.split(",")[0], r]),
        );
        const notesOf = (id: string) =>
          (JSON.parse(readFileSync(join(c.graded, id, "result.json"), "utf8")) as { notes: string[] }).notes.join("; ");

        // honest students: exact marks
        expect(rows.ada).toBe("ada,3,4,3,2,12,12,");
        expect(rows.bob).toBe("bob,3,4,3,2,12,12,");
        expect(rows.grace).toBe("grace,3,3,3,2,11,12,output: wrong w5+ (added-gradient)");
        expect(g.stderr).toMatch(/^sandbox: each student in their own namespaces \(bubblewrap/m);
        expect(g.stderr).toMatch(
          noCgroups
            ? /^limits: a watchdog sums each student's processes/m
            : /^limits: a cgroup per student holds all its processes together to 1024 MB/m,
        );

        // 1: the root-owned file is untouched (the symlinker's own kernels cannot start again: its marks are not asserted)
        expect({ text: readFileSync(dummy, "utf8"), mode: statSync(dummy).mode, uid: statSync(dummy).uid }).toEqual(
          dummyBefore,
        );
        // 2: out of memory, said as such; the prober's SysV segment died with the sandbox
        expect(rows.hog).toMatch(/ran out of memory/);
        expect(rows.hog).not.toMatch(/timed out|did not finish/);
        expect(sysvSegments()).toBe(sysvBefore);
        // 7: each probe got nowhere (its own answer unspoiled), nothing reached the listener; a Buffer's
        // cell is not an error without a message; the edited test scores 0 and says so
        const probeNotes = notesOf("prober");
        for (const [probe, quantity] of Object.entries(spoiledBy))
          expect(probeNotes, `the ${probe} probe got somewhere`).not.toContain(` ${quantity}`);
        expect(connections).toBe(0);
        expect(probeNotes).not.toMatch(/raised an error:\s*(;|$)/);
        expect(rows.prober).toBe("prober,0,4,3,2,9,12,forward: test cell edited");
        // the earlier cases
        expect(rows.looper).toMatch(
          /^looper,3,4,3,2,12,12,"?cell \d+ timed out \(did not finish within 10 s\) and was skipped/,
        );
        expect(rows.crasher).toMatch(/^crasher,3,4,3,2,12,12,"?cell \d+ raised an error: the kernel died/);
        expect(rows.broken).toBe("broken,0,0,0,0,0,12,notebook is not valid JSON");
        expect(rows.mallory).toBe(
          "mallory,0,0,0,0,0,12,not on the roster: no student mallory in the key (check the file or folder name)",
        );
        expect(rows["eve.ipynb"]).toBe(
          'eve.ipynb,0,0,0,0,0,12,"not graded: is not a regular file (a pipe, device or socket): skipped"',
        );
        // 8: the timer's loop is not blamed on the answers cell without saying what else it may be
        expect(rows.timer).toMatch(
          /^timer,3,4,3,2,12,12,"cell \d+ timed out \(did not finish within 10 s\) and was skipped; if it has no long loop itself, code an earlier cell left running \(a setTimeout, setInterval or promise\) kept the kernel busy"$/,
        );
        // issue 21: the runaway exponent costs its own quantity, with a note, and the class is graded
        expect(rows.scribbler).toMatch(/^scribbler,2\.57,4,3,2,11\.57,12,/);
        expect(rows.scribbler).toContain("forward: invalid E_total");
        expect(rows.scribbler).toContain(
          "answer E_total = 1.0300e-100000000 has an exponent too large to judge (40 digits at most): not judged",
        );
        // no control character reaches a gradebook: the escapes are shown, not run
        for (const f of ["grades.csv", "canvas.csv", "moodle.csv"]) {
          const text = readFileSync(join(c.graded, f), "utf8");
          // eslint-disable-next-line no-control-regex
          expect(text.replace(/\n/g, ""), f).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        }
        expect(rows.scribbler).toMatch(
          /(,"?|; )cell \d+ raised an error: Error: \\u\{1b\}\[2K\\u\{1b\}\[1A\\u\{1b\}\]52;c;ZXZpbA==\\u\{7\}(; |"?$)/,
        );
        // an output flood is cut, and said so
        expect(rows.scribbler).toMatch(/(,"?|; )cell \d+ printed too much; its output was cut(; |"?$)/);
        // a kernel the student's code kills during the replay is their run's end, graded, not the machine's fault
        expect(rows.replayer).toMatch(/^replayer,0,0,0,0,0,12,".*kernel lost during replay \(DeadKernelError\)/);
        // a kernel that cannot start again in a full scratch folder is the filler's run: graded, with a note
        expect(rows.filler).toMatch(
          /^filler,0,0,0,0,0,12,.*could not be started again after your code ran \(OSError: \[Errno 28\] No space left on device/,
        );
        expect(rows.filler).toMatch(/cell \d+ raised an error: the kernel died/);

        // afterwards nothing of the grading is left
        expect(gradingProcesses(g.pid)).toEqual([]);
        expect(leftCgroups(g.pid)).toEqual([]);
        expect(g.code, g.stderr).toBe(0);
      }, 900_000);
    },
  );

  describe.skipIf(skipWhy !== undefined)("interrupted, failed and resumed gradings", () => {
    it.sequential(
      "kill -9 and Ctrl-C leave no process, cgroup or folder behind, grade nobody 0 for it, and a re-run finishes the class with the same grades",
      async () => {
        const c = await classOf(["ada", "alan", "grace"], "interrupt");
        for (const s of c.key.students)
          writeFileSync(
            join(c.subs, `${s.id}.ipynb`),
            JSON.stringify(
              // a 3 s cell, asleep rather than busy, so that kernels are running when the grading is killed
              submit(c.release(s.id), answersCode(s.answers), ["await new Promise((r) => setTimeout(r, 3000));"]),
            ),
          );
        // issue 21: first killed outright (SIGKILL) while the students' kernels start: the sandboxes die
        // with their parent and a watcher removes the cgroup folders; the lock it left is taken over
        let killed = false;
        const k9 = await gradeProcess([c.subs, "--out", c.graded, "--jobs", "2"], c.keyPath, {}, (line, p) => {
          if (!killed && line.startsWith("limits:")) {
            killed = true;
            setTimeout(() => p.kill("SIGKILL"), 1500);
          }
        });
        expect(k9.signal).toBe("SIGKILL");
        for (let i = 0; i < 20 && (gradingProcesses(k9.pid).length || leftCgroups(k9.pid).length); i++)
          await new Promise((r) => setTimeout(r, 250));
        expect(gradingProcesses(k9.pid)).toEqual([]);
        expect(leftCgroups(k9.pid)).toEqual([]);
        const tmp = mkdtempSync(join(ROOT, ".tmp", "interrupt-tmp-"));
        made.push(tmp);
        let sent = false;
        const first = await gradeProcess(
          [c.subs, "--out", c.graded, "--jobs", "2"],
          c.keyPath,
          { TMPDIR: tmp },
          (line, p) => {
            // once a kernel of this grading runs (not after a fixed time: on a loaded machine, with
            // the other gradings beside it, 4 s once came before any student had started): Ctrl-C
            if (!sent && line.startsWith("limits:")) {
              sent = true;
              void whenKernelRuns(p.pid).then(() => p.kill("SIGINT"));
            }
          },
        );
        expect(first.code, first.stderr).toBe(130);
        expect(first.stderr).toMatch(/NOT graded \w+ \(\d\/3\): grading was interrupted/);
        expect(gradingProcesses(first.pid)).toEqual([]);
        expect(leftCgroups(first.pid)).toEqual([]);
        expect(readdirSync(tmp)).toEqual([]);
        // nobody got a 0 for the interruption
        for (const row of gradeLines(c.graded).slice(1))
          expect(row).toMatch(
            /^\w+,3,4,3,2,12,12,$|not graded \(the machine's fault, not the student's\): grading was interrupted/,
          );
        // the whole class at once: nothing here depends on the order
        const again = await gradeProcess([c.subs, "--out", c.graded, "--jobs", "3", "--quiet"], c.keyPath);
        expect(again.code, again.stderr).toBe(0);
        expect(gradeLines(c.graded)).toEqual([
          GRADES_HEADER,
          "ada,3,4,3,2,12,12,",
          "alan,3,4,3,2,12,12,",
          "grace,3,4,3,2,12,12,",
        ]);
      },
      300_000,
    );

    it.sequential(
      "a runner that fails is the machine's fault: no 0, grade exits 1 and says so, and the next run grades the student; started as npx starts it, no command line carries the key's path; a result over 64 MB is the student's",
      async () => {
        const c = await classOf(["ada"], "runner-fails");
        writeFileSync(
          join(c.subs, "ada.ipynb"),
          JSON.stringify(submit(c.release("ada"), answersCode(c.key.students[0].answers))),
        );
        const broken = join(c.out, "broken_runner.py");
        writeFileSync(
          broken,
          "import sys\nsys.stderr.write('ImportError: no module named nbclient\\n')\nsys.exit(1)\n",
        );
        chmodSync(broken, 0o644);
        const failed = await gradeProcess([c.subs, "--out", c.graded, "--quiet", "--cell-timeout", "2.5"], c.keyPath, {
          BACKPROP_TUTOR_RUNNER: broken,
        });
        expect(failed.code).toBe(1);
        expect(failed.stderr).toContain(
          "ada: not graded, the machine's fault (not the student's): the notebook runner failed (exit 1: ImportError: no module named nbclient)",
        );
        expect(existsSync(join(c.graded, "ada", "result.json"))).toBe(false);
        expect(readFileSync(join(c.graded, "grades.csv"), "utf8")).toContain("ada,,,,,,12,");
        // --cell-timeout 2.5 passes the command line and the runner alike
        // started as npx starts it: no process's command line carries the key's path
        const ok = await gradeAsNpx([c.subs, "--out", c.graded, "--quiet", "--cell-timeout", "2.5"], c.keyPath);
        expect(ok.code, ok.stderr).toBe(0);
        expect(ok.seen).toEqual([]);
        expect(gradeLines(c.graded)[1]).toBe("ada,3,4,3,2,12,12,");
        // issue 21: a re-grade the machine fails keeps the earlier result in every gradebook (it was
        // moved to history first, and ada vanished from canvas.csv and moodle.csv)
        const regrade = await gradeProcess([c.subs, "--out", c.graded, "--quiet", "--regrade", "ada"], c.keyPath, {
          BACKPROP_TUTOR_RUNNER: broken,
        });
        expect(regrade.code).toBe(1);
        expect(regrade.stderr).toContain("ada: not graded, the machine's fault");
        expect(gradeLines(c.graded)[1]).toBe("ada,3,4,3,2,12,12,");
        expect(readFileSync(join(c.graded, "canvas.csv"), "utf8").trim().split("\n")[2]).toBe("ada,,ada,,,12");
        expect(readFileSync(join(c.graded, "moodle.csv"), "utf8").trim().split("\n")[1]).toBe("ada,,12,");
        // issue 21: a result over 64 MB (once "not graded, the machine's fault"). The runner bounds what
        // it writes well below that (8 MB of cell text as JSON writes it), so no notebook gets there:
        // a runner stands in for a run that did, with a result otherwise valid, which the grader reads
        // no further than 64 MB. The student's run, graded, with a note.
        const bloated = join(c.out, "bloated_runner.py");
        writeFileSync(
          bloated,
          `import json, os, sys
sys.stdin.read()
out = os.fdopen(3, "w")
out.write("ready\\n")
cell = {"index": 0, "status": "ok", "meta": None, "truncated": False, "text": "x" * (65 * 2**20)}
out.write("result " + json.dumps({"cells": [cell], "restarts": 0}) + "\\n")
`,
        );
        chmodSync(bloated, 0o644);
        const big = await gradeProcess([c.subs, "--out", c.graded, "--quiet", "--regrade", "ada"], c.keyPath, {
          BACKPROP_TUTOR_RUNNER: bloated,
        });
        expect(big.code, big.stderr).toBe(0);
        expect(gradeLines(c.graded)[1]).toBe("ada,0,0,0,0,0,12,the notebook's results came to more than 64 MB");
      },
      180_000,
    );
  });
});
