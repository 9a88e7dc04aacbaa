// End to end on the real tslab kernel: assign the example to its three students, submit one
// perfect notebook, one with a classic mistake (the gradient added instead of subtracted) and one
// hostile one (an infinite loop and an edited test cell), grade, and check the exact CSV rows and
// the feedback. Takes about 15-30 s (three kernels, one of them restarted after the loop).
// Then the notebook limit (--timeout) on a slow submission, and, as root, the sandbox: cheats
// that read the key or write outside their folder get nothing and change nobody else's grade.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync, chmodSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Decimal } from "decimal.js";
import { runCli } from "../src/cli/program.js";
import type { AnswerKey } from "../src/exercises/assign.js";
import { codeCell, metaOf, sourceOf, toLines, type Notebook } from "../src/exercises/notebook.js";
import { ROOT } from "../src/exercises/paths.js";
import { reserveUids, SANDBOX_UID_BASE, UID_BLOCK } from "../src/exercises/sandbox.js";

const EX = join(ROOT, "exercises", "backprop-1");
const hasKernel = existsSync(join(ROOT, ".venv", "bin", "python")) && existsSync(join(ROOT, ".venv", "share", "jupyter", "kernels", "tslab"));

/** The released notebook with the answer cell filled in (or replaced by `code` that defines `answers`). */
function submit(release: string, answers: Record<string, string>, code?: string): Notebook {
  const nb = JSON.parse(readFileSync(release, "utf8")) as Notebook;
  const cell = nb.cells.find((c) => metaOf(c)?.kind === "answer")!;
  cell.source = toLines(code ?? `const answers: Record<string, string | number> = ${JSON.stringify(answers, null, 2)};`);
  return nb;
}

// grading runs in $TMPDIR: one of our own (others may pass through, as the sandbox uid must), to check that it is left empty
mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const TMP = mkdtempSync(join(ROOT, ".tmp", "e2e-tmp-"));
chmodSync(TMP, 0o755);
process.env.TMPDIR = TMP;
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const isRoot = process.getuid?.() === 0;

/** The first uid of the block a grading used, from its results (other gradings may run meanwhile, on other blocks). */
function uidBaseOf(graded: string): number {
  const student = readdirSync(graded).find((d) => existsSync(join(graded, d, "result.json")))!;
  const described = (JSON.parse(readFileSync(join(graded, student, "result.json"), "utf8")) as { sandbox?: string }).sandbox ?? "";
  return Number(/\((\d+) \+ job slot\)/.exec(described)?.[1]);
}

/** Live processes of a grading's sandbox uids (root only: the uids exist only then). */
function sandboxProcesses(base: number): string[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      // a zombie is dead already; it waits for a parent (in a container, maybe an init that never reaps)
      return uid >= base && uid < base + UID_BLOCK && !/^State:\s+Z/m.test(status);
    } catch {
      return false;
    }
  });
}

/** The real command line, in a process of its own, so that its arguments are in /proc as a teacher's would be. */
function gradeProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const p = spawn(process.execPath, [join(ROOT, "dist", "cli", "main.js"), "grade", ...args], { cwd: ROOT, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    p.on("exit", (code) => done({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

if (!hasKernel && process.env.CI) it("has the tslab kernel in .venv, as CI must", () => expect.fail("no .venv with the tslab kernel: npm install creates it"));

describe.skipIf(!hasKernel)("assign → submit → grade, on the tslab kernel", () => {
  it("grades a perfect, a mistaken and a hostile submission exactly, each on its own numbers", async () => {
    const out = mkdtempSync(join(ROOT, ".tmp", "e2e-"));
    const assigned = await runCli(["assign", join(EX, "source.ipynb"), "--roster", join(EX, "roster.csv"), "--out", out, "--secret", "e2e-secret"]);
    expect(assigned.code, assigned.stderr).toBe(0);
    const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8")) as AnswerKey;
    const release = (id: string) => join(out, "release", id, "backprop-1.ipynb");
    const answersOf = (id: string) => ({ ...key.students.find((s) => s.id === id)!.answers });
    const subs = join(out, "submissions");
    mkdirSync(subs);

    // ada: every answer right (the 4-dp chain of her own numbers)
    writeFileSync(join(subs, "ada.ipynb"), JSON.stringify(submit(release("ada"), answersOf("ada"))));

    // alan: w5+ = w5 + η·dE/dw5, the sign slip of the update
    const alan = answersOf("alan");
    const net = key.students.find((s) => s.id === "alan")!.params.network;
    alan["w5+"] = new Decimal(net.weights[1][0][0]).add(new Decimal(net.learningRate).mul(alan["dE/dw5"])).toFixed(4);
    writeFileSync(join(subs, "alan.ipynb"), JSON.stringify(submit(release("alan"), alan)));

    // grace: right answers, then an infinite loop, and the forward test edited to print a pass
    const grace = submit(release("grace"), answersOf("grace"));
    const answerAt = grace.cells.findIndex((c) => metaOf(c)?.kind === "answer");
    grace.cells.splice(answerAt + 1, 0, codeCell("while (true) {}"));
    const forward = grace.cells.find((c) => metaOf(c)?.id === "forward")!;
    forward.source = toLines(sourceOf(forward) + '\nconsole.log("all correct!");');
    // and the output test's points raised in its metadata
    const output = grace.cells.find((c) => metaOf(c)?.id === "output")!;
    output.metadata = { ...output.metadata, backprop_tutor: { ...metaOf(output)!, points: 40 } };
    writeFileSync(join(subs, "grace.ipynb"), JSON.stringify(grace));

    const started = Date.now();
    const graded = await runCli(["grade", subs, "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--jobs", "3", "--cell-timeout", "5", "--quiet"]);
    const seconds = (Date.now() - started) / 1000;
    expect(graded.code, graded.stderr).toBe(0);
    expect(readFileSync(join(out, "graded", "grades.csv"), "utf8").trim().split("\n")).toEqual([
      "student,forward,output,hidden,graph,total,max,notes",
      "ada,3,4,3,2,12,12,",
      "alan,3,3,3,2,11,12,output: wrong w5+ (added-gradient)",
      `grace,0,4,3,2,9,12,"forward: test cell edited; test ""output"": metadata tampered with (points 4 → 40); ignored, graded as released; cell ${answerAt + 2} timed out (did not finish within 5 s) and was skipped"`,
    ]);
    const feedback = (id: string) => readFileSync(join(out, "graded", id, "feedback.html"), "utf8");
    expect(feedback("alan")).toContain("added η·dE/dw5 instead of subtracting it");
    expect(feedback("alan")).toContain("Worked solution for your numbers");
    expect(feedback("alan")).toContain('class="katex"');
    expect(feedback("grace")).toContain("test cell edited");
    expect(feedback("grace")).toContain("timed out");
    expect(feedback("grace")).toContain("metadata tampered with (points 4 → 40)");
    expect(feedback("ada")).toContain("Score: <strong>12 / 12</strong>");
    // the grading folder is gone; the key never went there
    expect(readdirSync(TMP)).toEqual([]);
    console.log(`e2e grading of 3 submissions took ${seconds.toFixed(1)} s`);
    rmSync(out, { recursive: true, force: true });
  }, 180_000);
});

describe.skipIf(!hasKernel)("the notebook limit", () => {
  it("stops a slow submission (cells under the cell limit, over the total) promptly, with its reason in the CSV", async () => {
    const out = mkdtempSync(join(ROOT, ".tmp", "e2e-"));
    expect((await runCli(["assign", join(EX, "source.ipynb"), "--roster", join(EX, "roster.csv"), "--out", out, "--secret", "e2e-secret"])).code).toBe(0);
    const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8")) as AnswerKey;
    const slow = submit(join(out, "release", "ada", "backprop-1.ipynb"), key.students[0].answers);
    const at = slow.cells.findIndex((c) => metaOf(c)?.kind === "answer");
    for (let i = 0; i < 3; i++) slow.cells.splice(at + 1, 0, codeCell("{ const t = Date.now(); while (Date.now() - t < 4000) {} }"));
    mkdirSync(join(out, "submissions"));
    writeFileSync(join(out, "submissions", "ada.ipynb"), JSON.stringify(slow));
    const started = Date.now();
    const graded = await runCli(["grade", join(out, "submissions"), "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--cell-timeout", "5", "--timeout", "8", "--quiet"]);
    const seconds = (Date.now() - started) / 1000;
    expect(graded.code, graded.stderr).toBe(0);
    expect(readFileSync(join(out, "graded", "grades.csv"), "utf8").trim().split("\n")).toEqual([
      "student,forward,output,hidden,graph,total,max,notes",
      "ada,0,0,0,0,0,12,the notebook did not finish within 8 s",
      "alan,0,0,0,0,0,12,no submission (missing file)",
      "grace,0,0,0,0,0,12,no submission (missing file)",
    ]);
    expect(seconds).toBeLessThan(15);
    if (isRoot) expect(sandboxProcesses(uidBaseOf(join(out, "graded")))).toEqual([]);
    expect(readdirSync(TMP)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  }, 60_000);
});

const hasCli = existsSync(join(ROOT, "dist", "cli", "main.js"));
/** Whether a sandbox uid can reach the project's dist/ (not when the project lies where only root may go, e.g. under /root). */
const reachable = (uid: number) => spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "--", "test", "-r", join(ROOT, "dist", "index.js")]).status === 0;
const strongSandbox = isRoot && hasCli && reachable(SANDBOX_UID_BASE);
// why the uid-sandbox suite is skipped, in its title, so the skip says so in the test output
const noStrongSandbox = !isRoot
  ? "it needs root (each kernel runs as its own uid); as another user the grader says its sandbox is weaker"
  : !strongSandbox ? `it needs the project readable by other users (${ROOT} is not); the grader falls back to its weaker sandbox and says so` : undefined;

describe.skipIf(!hasKernel || !isRoot || !hasCli)("a project the sandbox uid cannot reach", () => {
  it("is graded all the same, with the weaker sandbox, and the warning says why and how to get the stronger one", async () => {
    const out = mkdtempSync(join(ROOT, ".tmp", "e2e-"));
    writeFileSync(join(out, "roster.csv"), "id\nbob\n");
    expect((await runCli(["assign", join(EX, "source.ipynb"), "--roster", join(out, "roster.csv"), "--out", out, "--secret", "e2e-weaker"])).code).toBe(0);
    const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8")) as AnswerKey;
    mkdirSync(join(out, "submissions"));
    writeFileSync(join(out, "submissions", "bob.ipynb"), JSON.stringify(submit(join(out, "release", "bob", "backprop-1.ipynb"), key.students[0].answers)));
    // a run folder only root may enter stands for a project under /root: the sandbox uid cannot reach its dist/
    const closed = mkdtempSync(join(TMP, "closed-"));
    chmodSync(closed, 0o700);
    const graded = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const p = spawn(process.execPath, [join(ROOT, "dist", "cli", "main.js"), "grade", join(out, "submissions"), "--key", join(out, "key", "key.json"), "--out", join(out, "graded"), "--jobs", "1", "--quiet"], { cwd: ROOT, env: { ...process.env, TMPDIR: closed }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      p.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
      p.on("exit", (code) => done({ code, stderr }));
    });
    expect(graded.code, graded.stderr).toBe(0);
    // (where the project itself is out of reach, its tslab is named too: the closed folder need not come first)
    expect(graded.stderr).toMatch(/^warning: weaker sandbox: the sandbox uid \d+ cannot read /m);
    expect(graded.stderr).toContain(`cannot read ${closed}/`);
    expect(graded.stderr).toContain("keep the project, and TMPDIR, where other users may read and pass through");
    expect(readFileSync(join(out, "graded", "grades.csv"), "utf8").trim().split("\n")[1]).toBe("bob,3,4,3,2,12,12,");
    rmSync(closed, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }, 90_000);
});

describe.skipIf(!hasKernel || !strongSandbox)(`the sandbox (root: each kernel its own uid)${noStrongSandbox ? ` (skipped: ${noStrongSandbox})` : ""}`, () => {
  it("cheats that read the key get nothing; writes outside the kernel's folder, detached processes and memory hogs fail; others are graded as usual", async () => {
    const out = mkdtempSync(join(ROOT, ".tmp", "e2e-"));
    const tag = `pwned-${Date.now()}`;
    writeFileSync(join(out, "roster.csv"), "id\nada\nalan\ngrace\nbob\n");
    expect((await runCli(["assign", join(EX, "source.ipynb"), "--roster", join(out, "roster.csv"), "--out", out, "--secret", "e2e-sandbox"])).code).toBe(0);
    const keyPath = join(out, "key", "key.json");
    const key = JSON.parse(readFileSync(keyPath, "utf8")) as AnswerKey;
    const release = (id: string) => join(out, "release", id, "backprop-1.ipynb");
    const subs = join(out, "submissions");
    mkdirSync(subs);
    // ada: the key's path from the grader's command line in /proc
    writeFileSync(join(subs, "ada.ipynb"), JSON.stringify(submit(release("ada"), {}, `import * as fs from "fs";
let stolen: Record<string, string> = {};
for (const p of fs.readdirSync("/proc")) {
  try {
    const argv = fs.readFileSync(\`/proc/\${p}/cmdline\`, "utf8").split("\\0");
    const i = argv.indexOf("--key");
    if (i >= 0) stolen = JSON.parse(fs.readFileSync(argv[i + 1], "utf8")).students.find((s: { id: string }) => s.id === "ada").answers;
  } catch {}
}
const answers: Record<string, string> = stolen;`)));
    // alan: the key by its absolute path and by a relative one
    writeFileSync(join(subs, "alan.ipynb"), JSON.stringify(submit(release("alan"), {}, `import * as fs from "fs";
import * as path from "path";
let stolen: Record<string, string> = {};
for (const p of [${JSON.stringify(keyPath)}, path.relative(process.cwd(), ${JSON.stringify(keyPath)}), ${JSON.stringify(relative(join(out, "submissions"), keyPath))}]) {
  try {
    stolen = JSON.parse(fs.readFileSync(p, "utf8")).students.find((s: { id: string }) => s.id === "alan").answers;
    break;
  } catch {}
}
const answers: Record<string, string> = stolen;`)));
    // grace: the graph part answered honestly; writes into the project and the graded folder, a
    // detached process that keeps writing (bob's result too), and 3 GB of memory
    const graceGraph = Object.fromEntries(Object.entries(key.students.find((s) => s.id === "grace")!.answers).filter(([k]) => ["q", "f", "df/dx", "df/dy", "df/dz", "df/dq"].includes(k)));
    const targets = [join("..", "dist", `${tag}.js`), join(ROOT, "scripts", "exercises", `${tag}.txt`), join(out, "graded", `${tag}.txt`)];
    const grace = submit(release("grace"), {}, `import * as fs from "fs";
import { spawn } from "child_process";
for (const f of ${JSON.stringify(targets)}) { try { fs.writeFileSync(f, "x"); } catch {} }
spawn("sh", ["-c", ${JSON.stringify(`while true; do date >> /tmp/${tag}-detached; echo '{"forged":true}' > ${join(out, "graded", "bob", "result.json")}; sleep 0.2; done 2>/dev/null`)}], { detached: true, stdio: "ignore" }).unref();
const answers: Record<string, string> = ${JSON.stringify(graceGraph)};`);
    const graceAt = grace.cells.findIndex((c) => metaOf(c)?.kind === "answer");
    grace.cells.splice(graceAt + 1, 0, codeCell("const big = Buffer.alloc(3 * 2 ** 30);\nconsole.log(big.length);"));
    writeFileSync(join(subs, "grace.ipynb"), JSON.stringify(grace));
    // bob: honest and perfect
    writeFileSync(join(subs, "bob.ipynb"), JSON.stringify(submit(release("bob"), key.students.find((s) => s.id === "bob")!.answers)));

    const graded = await gradeProcess([subs, "--key", keyPath, "--out", join(out, "graded"), "--jobs", "2", "--quiet"]);
    expect(graded.code, graded.stderr).toBe(0);
    expect(graded.stderr).toBe("");
    const rows = readFileSync(join(out, "graded", "grades.csv"), "utf8").trim().split("\n");
    const forwardQ = key.tests.find((t) => t.id === "forward")!.quantities.join(" "), outputQ = key.tests.find((t) => t.id === "output")!.quantities.join(" "), hiddenQ = key.tests.find((t) => t.id === "hidden")!.quantities.join(" "), graphQ = key.tests.find((t) => t.id === "graph")!.quantities.join(" ");
    const nothing = `forward: missing ${forwardQ}; output: missing ${outputQ}; hidden: missing ${hiddenQ}; graph: missing ${graphQ}`;
    expect(rows).toEqual([
      "student,forward,output,hidden,graph,total,max,notes",
      `ada,0,0,0,0,0,12,${nothing}`,
      `alan,0,0,0,0,0,12,${nothing}`,
      `grace,0,0,0,2,2,12,forward: missing ${forwardQ}; output: missing ${outputQ}; hidden: missing ${hiddenQ}; cell ${graceAt + 2} raised an error: RangeError: Array buffer allocation failed`,
      "bob,3,4,3,2,12,12,",
    ]);
    await new Promise((r) => setTimeout(r, 1000)); // the detached loop would have written by now
    for (const f of [join(ROOT, "dist", `${tag}.js`), ...targets.slice(1), `/tmp/${tag}-detached`]) expect(existsSync(f), f).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "graded", "bob", "result.json"), "utf8")).total).toBe(12);
    expect(sandboxProcesses(uidBaseOf(join(out, "graded")))).toEqual([]);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(readdirSync(TMP)).toEqual([]);
    rmSync(out, { recursive: true, force: true });
  }, 180_000);
});

describe("sandbox uids for gradings at the same time", () => {
  it("two gradings get different blocks; a released block, or one whose holder died, is taken again", () => {
    const first = reserveUids(2), second = reserveUids(2);
    try {
      expect(second.base).not.toBe(first.base);
      expect((second.base - SANDBOX_UID_BASE) % UID_BLOCK).toBe(0);
      first.release();
      const again = reserveUids(2);
      expect(again.base).toBe(first.base);
      // a holder that died without releasing: its pid is gone, so the block is free
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
      writeFileSync(`/tmp/backprop-tutor-uids/${again.base}/pid`, String(dead));
      const takenOver = reserveUids(2);
      expect(takenOver.base).toBe(again.base);
      takenOver.release();
    } finally {
      second.release();
    }
    expect(() => reserveUids(UID_BLOCK + 1)).toThrow(/--jobs: is 65, but a grading runs at most 64 kernels at once/);
  });
});
