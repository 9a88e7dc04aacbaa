// Grading's side of a hostile classroom that needs no kernel: what the grader itself reads and
// writes (issue 14 items 4-7). Names that would be spreadsheet formulas or terminal escapes, a
// FIFO and symbolic links named like submissions, options the runner could not honour, no
// sandbox to be had; and the teacher's tools: nbgrader's collected layout with its timestamps,
// Canvas and Moodle imports, overrides that survive re-grading.
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/cli/program.js";
import { assignExample, EXAMPLE, gradeAssigned, gradeLines, GRADES_HEADER } from "./helpers/assign.js";
import { answerTooBig, jsonDepth } from "../src/exercises/untrusted.js";
import { bwrapArgs, namespacesUnavailable, SCRATCH_FILES } from "../src/exercises/sandbox.js";
import { noNewUserNamespaces } from "../src/exercises/seccomp.js";
import { safeCell } from "../src/exercises/gradebook.js";
import { printable } from "../src/exercises/submissions.js";
import { scratchDir } from "./helpers/scratch.js";

/** The example assignment given to the example roster (ada, alan, grace), with an empty submissions folder. */
async function assignedClass(): Promise<{ out: string; subs: string; key: string; graded: string }> {
  const out = scratchDir("bt-safe-");
  await assignExample(out, "safe");
  const subs = join(out, "submissions");
  mkdirSync(subs);
  return { out, subs, key: join(out, "key", "key.json"), graded: join(out, "graded") };
}

describe("what grade writes cannot run as a formula or an escape", () => {
  it("neutralises every cell a spreadsheet would read as a formula, and only those", () => {
    for (const f of ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
      expect(safeCell(f)).toBe(`'${f}`);
    for (const f of ["ada", "1", "a=b", "x-1", ""]) expect(safeCell(f)).toBe(f);
  });

  it("prints names with their control characters made visible", () => {
    expect(printable("\u001b[31mred\u001b[0m.ipynb")).toBe("\\u{1b}[31mred\\u{1b}[0m.ipynb");
    expect(printable("a\nb\u202ec")).toBe("a\\u{a}b\\u{202e}c");
    expect(printable("ada.ipynb")).toBe("ada.ipynb");
  });

  it("a file named like a formula lands in grades.csv as text; an escape in a name reaches neither the terminal nor the CSV", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, '=HYPERLINK("evil.example","click").ipynb'), "{}");
    writeFileSync(join(c.subs, "\u001b[2Jclear.ipynb"), "{}");
    const r = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(c.graded, "grades.csv"), "utf8");
    expect(csv).toContain(`"'=HYPERLINK(""evil.example"",""click"").ipynb",0,0,0,0,0,12,`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
    expect(csv).not.toContain("\u001b");
    expect(r.stderr).not.toContain("\u001b");
    expect(r.stderr).toContain("\\u{1b}[2Jclear.ipynb: not graded");
  });
});

describe("files a student may have made in the submissions folder", () => {
  it("a FIFO named like a submission is skipped (no hang); links at the top and inside a folder are not followed and say so", async () => {
    const c = await assignedClass();
    execFileSync("mkfifo", [join(c.subs, "ada.ipynb")]);
    // a link at the top to the key, and grace's notebook a link to it inside her folder
    symlinkSync(c.key, join(c.subs, "alan.ipynb"));
    mkdirSync(join(c.subs, "grace"));
    symlinkSync(c.key, join(c.subs, "grace", "backprop-1.ipynb"));
    symlinkSync(c.key, join(c.subs, "sym"));
    const started = Date.now();
    const r = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(0);
    expect(gradeLines(c.graded)).toEqual([
      GRADES_HEADER,
      "ada,0,0,0,0,0,12,no submission (missing file)",
      "alan,0,0,0,0,0,12,no submission (missing file)",
      "grace,0,0,0,0,0,12,grace/backprop-1.ipynb is a symbolic link: not followed (student folders may hold only real files; copy the notebook itself in)",
      'ada.ipynb,0,0,0,0,0,12,"not graded: is not a regular file (a pipe, device or socket): skipped"',
      "alan.ipynb,0,0,0,0,0,12,not graded: is a symbolic link: not followed (student folders may hold only real files; copy the notebook itself in)",
      "sym,0,0,0,0,0,12,not graded: is a symbolic link: not followed (student folders may hold only real files; copy the notebook itself in)",
    ]);
    expect(r.stderr).not.toContain("rename it to sym.ipynb");
    // the key was not copied anywhere
    const keyText = readFileSync(c.key, "utf8").slice(0, 200);
    for (const id of ["ada", "alan", "grace"])
      expect(readFileSync(join(c.graded, id, "result.json"), "utf8")).not.toContain(keyText.slice(0, 60));
  });

  it("of two submissions of one student, both the teacher and the student are told which was graded", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    mkdirSync(join(c.subs, "ada"));
    writeFileSync(join(c.subs, "ada", "backprop-1.ipynb"), "not json either");
    const r = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"]);
    expect(r.stderr).toContain(
      "ada.ipynb: not graded: ada also handed in ada/backprop-1.ipynb, which was graded; only one is",
    );
    expect(JSON.parse(readFileSync(join(c.graded, "ada", "result.json"), "utf8")).submission).toBe(
      "ada/backprop-1.ipynb",
    );
  });

  it("graded folders are private to the teacher (0700), result files 0600", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    expect((await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"])).code).toBe(0);
    expect(statSync(c.graded).mode & 0o777).toBe(0o700);
    expect(statSync(join(c.graded, "ada")).mode & 0o777).toBe(0o700);
    expect(statSync(join(c.graded, "ada", "result.json")).mode & 0o777).toBe(0o600);
    expect(statSync(join(c.graded, "grades.csv")).mode & 0o777).toBe(0o600);
  });
});

describe("options are checked once, in the command line, as the runner takes them", () => {
  it("rejects what the runner could not honour, naming the option, before any student is graded", async () => {
    const c = await assignedClass();
    const base = ["grade", c.subs, "--key", c.key, "--out", c.graded];
    for (const [opt, value, want] of [
      ["--max-output", "1000.5", "--max-output: expected a whole number ≥ 1"],
      ["--memory", "2048.5", "--memory: expected a whole number ≥ 64"],
      ["--cell-timeout", "0", "--cell-timeout: must be a positive number"],
      ["--timeout", "abc", "--timeout: must be a positive number"],
      ["--cell-timeout", "Infinity", "--cell-timeout: must be a positive number"],
      ["--due", "tomorrow", "--due: is not a date and time"],
    ]) {
      const r = await runCli([...base, opt, value]);
      expect(r.code, `${opt} ${value}`).toBe(2);
      expect(r.stderr).toContain(want);
    }
    expect(existsSync(c.graded)).toBe(false);
  });

  it("reads the key's path from BACKPROP_TUTOR_KEY, so that it need be on no command line", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    const r = await (async () => {
      process.env.BACKPROP_TUTOR_KEY = c.key;
      try {
        return await runCli(["grade", c.subs, "--out", c.graded, "--quiet"]);
      } finally {
        delete process.env.BACKPROP_TUTOR_KEY;
      }
    })();
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(c.graded, "grades.csv"), "utf8")).toContain("ada,0,0,0,0,0,12,notebook is not valid JSON");
    const none = await runCli(["grade", c.subs, "--out", c.graded]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no answer key: set BACKPROP_TUTOR_KEY or give --key");
  });
});

describe("without namespaces", () => {
  it("grade refuses to run student code and says why and what to do, unless --unsafe-no-sandbox", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent"; // no bwrap to be found
    try {
      const r = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        "student code is not run without a sandbox, and none can be made here: bubblewrap (bwrap) is not installed",
      );
      expect(r.stderr).toContain("--unsafe-no-sandbox");
      expect(existsSync(join(c.graded, "grades.csv"))).toBe(false);
      const unsafe = await runCli([
        "grade",
        c.subs,
        "--key",
        c.key,
        "--out",
        c.graded,
        "--quiet",
        "--unsafe-no-sandbox",
      ]);
      expect(unsafe.code, unsafe.stderr).toBe(0);
      expect(unsafe.stderr).toContain("warning: NO SANDBOX (--unsafe-no-sandbox)");
    } finally {
      process.env.PATH = path;
    }
  });
});

describe("the teacher's tools", () => {
  it("reads nbgrader's submitted/<student>/<assignment>/ layout and marks late submissions by timestamp.txt", async () => {
    const c = await assignedClass();
    const put = (id: string, stamp: string) => {
      const dir = join(c.subs, id, "backprop-1");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "backprop-1.ipynb"), "not json");
      writeFileSync(join(dir, "timestamp.txt"), stamp);
    };
    put("ada", "2026-12-01 22:58:59.123456 UTC");
    put("alan", "2026-12-01 23:00:01.000001 UTC");
    const r = await runCli([
      "grade",
      c.subs,
      "--key",
      c.key,
      "--out",
      c.graded,
      "--quiet",
      "--due",
      "2026-12-01T23:00Z",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(gradeLines(c.graded).slice(1)).toEqual([
      "ada,0,0,0,0,0,12,notebook is not valid JSON",
      'alan,0,0,0,0,0,12,"notebook is not valid JSON; late: handed in 2026-12-01T23:00:01.000Z, due 2026-12-01T23:00:00.000Z (nbgrader\'s timestamp.txt)"',
      "grace,0,0,0,0,0,12,no submission (missing file)",
    ]);
    const ada = JSON.parse(readFileSync(join(c.graded, "ada", "result.json"), "utf8"));
    expect(ada).toMatchObject({
      submission: "ada/backprop-1/backprop-1.ipynb",
      submittedAt: "2026-12-01T22:58:59.123Z",
    });
    expect(ada.late).toBeUndefined();
  });

  it("writes Canvas's and Moodle's gradebook imports, and a teacher's override survives re-grading and shows in the feedback", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    mkdirSync(c.graded, { recursive: true });
    writeFileSync(
      join(c.graded, "overrides.csv"),
      'student,score,comment\nada,7.5,"=1+1, handed in by e-mail; graded by hand"\n',
    );
    const grade = (...more: string[]) =>
      runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet", ...more]);
    expect((await grade()).code).toBe(0);
    const check = () => {
      expect(readFileSync(join(c.graded, "canvas.csv"), "utf8").split("\n")).toEqual([
        "Student,ID,SIS User ID,SIS Login ID,Section,backprop-1",
        "    Points Possible,,,,,12",
        // a plain roster's id is the SIS User ID; no submission is an empty cell (Canvas leaves it alone), not 0
        "Ada Lovelace,,ada,,,7.5",
        "Alan Turing,,alan,,,",
        "Grace Hopper,,grace,,,",
        "",
      ]);
      const moodle = readFileSync(join(c.graded, "moodle.csv"), "utf8").split("\n");
      expect(moodle[0]).toBe("ID number,Email address,Full name,backprop-1 (Real),backprop-1 (Feedback)");
      expect(moodle[1]).toBe(
        'ada,ada@example.org,Ada Lovelace,7.5,"score set by the teacher to 7.5 (graded 0): =1+1, handed in by e-mail; graded by hand; notebook is not valid JSON"',
      );
      expect(readFileSync(join(c.graded, "grades.csv"), "utf8")).toContain(
        'ada,0,0,0,0,7.5,12,"score set by the teacher to 7.5 (graded 0)',
      );
      const feedback = readFileSync(join(c.graded, "ada", "feedback.html"), "utf8");
      expect(feedback).toContain("Score: <strong>7.5 / 12</strong>, set by your teacher (the tests gave 0)");
      expect(feedback).toContain("Your teacher's comment: =1+1, handed in by e-mail; graded by hand");
    };
    check();
    expect((await grade("--force")).code).toBe(0);
    check();
    // a wrong override is an error naming the row, not a silently ignored line
    writeFileSync(join(c.graded, "overrides.csv"), "student,score,comment\nada,13,too many\n");
    const bad = await grade();
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('overrides.csv row 2: the score "13" for ada is not a number from 0 to 12');
    // removing the override brings back the graded score, on the page too
    writeFileSync(join(c.graded, "overrides.csv"), "student,score,comment\n");
    expect((await grade()).code).toBe(0);
    expect(readFileSync(join(c.graded, "ada", "feedback.html"), "utf8")).toContain("Score: <strong>0 / 12</strong>");
  });
});

describe("the watchdog (whole-student limits where no cgroup can be made)", () => {
  it("sums a process tree's memory and ends it when over the limit", async () => {
    const { spawn } = await import("node:child_process");
    const { watchdog, usageOf } = await import("../src/exercises/limits.js");
    // a parent that starts two children of 150 MB each: only the sum is over 200 MB
    const child = "const b = Buffer.alloc(150 * 2 ** 20, 1); setInterval(() => b[0]++, 100)";
    const p = spawn(
      process.execPath,
      [
        "-e",
        `const { spawn } = require("child_process"); for (let i = 0; i < 2; i++) spawn(process.execPath, ["-e", ${JSON.stringify(child)}], { stdio: "inherit" }); setInterval(() => {}, 1000)`,
      ],
      { stdio: "ignore", detached: true },
    );
    try {
      const why = await new Promise<string>((done) => {
        const stop = watchdog(p.pid!, { memoryMb: 200, processes: 1000, cpus: 1 }, (w) => done(w));
        setTimeout(() => {
          stop();
          done("no breach within 20 s");
        }, 20_000);
      });
      expect(why).toBe("memory");
      expect(usageOf(p.pid!).processes).toBeGreaterThanOrEqual(3);
    } finally {
      process.kill(-p.pid!, "SIGKILL");
    }
  }, 30_000);
});

describe("gradebook round trips, validation and bounds (issues 18 and 21)", () => {
  // A Canvas gradebook export as Canvas writes it: names "Last, First", its own ID, the SIS ids,
  // the section, assignment columns "Name (id)", read-only score columns, the "Points Possible"
  // row (with Canvas's leading spaces) and a posting-policy row.
  const CANVAS_EXPORT = [
    "Student,ID,SIS User ID,SIS Login ID,Section,Backprop 1 (87568490),Current Score,Unposted Current Score,Final Score",
    ",,,,,Manual Posting,,,",
    "    Points Possible,,,,,12.00,(read only),(read only),(read only)",
    '"Lovelace, Ada",4101,S0001,ada.lovelace,Section A,,,,',
    '"Turing, Alan",4102,S0002,alan.turing,Section B,,,,',
    '"Hopper, Grace",4103,S0003,grace.hopper,Section A,,,,',
    "",
  ].join("\r\n");
  // Moodle's grade export (CSV), first name and last name apart, then its identity columns
  const MOODLE_EXPORT = [
    "First name,Last name,ID number,Institution,Department,Email address,Assignment: Backprop 1 (Real),Last downloaded from this course",
    "Ada,Lovelace,M-101,,Maths,ada@uni.example,-,1765100000",
    "Alan,Turing,M-102,,Maths,alan@uni.example,-,1765100000",
    "",
  ].join("\n");

  it("a Canvas roster export with its Points Possible row assigns, and canvas.csv goes back with the columns Canvas imports", async () => {
    const out = scratchDir("bt-canvas-");
    writeFileSync(join(out, "canvas-export.csv"), CANVAS_EXPORT);
    await assignExample(out, "canvas", join(out, "canvas-export.csv"));
    const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8"));
    expect(key.students.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([
      ["S0001", "Lovelace, Ada"],
      ["S0002", "Turing, Alan"],
      ["S0003", "Hopper, Grace"],
    ]);
    const subs = join(out, "submissions");
    mkdirSync(subs);
    writeFileSync(join(subs, "S0001.ipynb"), "not json");
    const graded = join(out, "graded");
    mkdirSync(graded);
    writeFileSync(join(graded, "overrides.csv"), "student,score,comment\nS0002,9,graded by hand\n");
    await gradeAssigned(out, subs, graded, "--students", "S0001", "--canvas-column", "Backprop 1 (87568490)");
    // ids, SIS ids and sections carried through; S0002 (not graded: --students) still gets the override; S0003 stays empty
    expect(readFileSync(join(graded, "canvas.csv"), "utf8").split("\n")).toEqual([
      "Student,ID,SIS User ID,SIS Login ID,Section,Backprop 1 (87568490)",
      "    Points Possible,,,,,12",
      '"Lovelace, Ada",4101,S0001,ada.lovelace,Section A,0',
      '"Turing, Alan",4102,S0002,alan.turing,Section B,9',
      '"Hopper, Grace",4103,S0003,grace.hopper,Section A,',
      "",
    ]);
    expect(gradeLines(graded).slice(1)).toEqual([
      "S0001,0,0,0,0,0,12,notebook is not valid JSON",
      "S0002,,,,,9,12,score set by the teacher to 9: graded by hand; not graded yet",
      "S0003,,,,,,12,not graded yet",
    ]);
    // a second run on the rest merges into the same gradebook; --missing-zero writes 0 for no submission
    await gradeAssigned(out, subs, graded, "--missing-zero");
    expect(readFileSync(join(graded, "canvas.csv"), "utf8").split("\n").slice(2, 5)).toEqual([
      '"Lovelace, Ada",4101,S0001,ada.lovelace,Section A,0',
      '"Turing, Alan",4102,S0002,alan.turing,Section B,9',
      '"Hopper, Grace",4103,S0003,grace.hopper,Section A,0',
    ]);
  });

  it("a Moodle export assigns by ID number, and moodle.csv carries its ID number and email address", async () => {
    const out = scratchDir("bt-moodle-");
    writeFileSync(join(out, "moodle-export.csv"), MOODLE_EXPORT);
    await assignExample(out, "moodle", join(out, "moodle-export.csv"));
    const subs = join(out, "submissions");
    mkdirSync(subs);
    writeFileSync(join(subs, "M-101.ipynb"), "not json");
    const graded = join(out, "graded");
    await gradeAssigned(out, subs, graded);
    expect(readFileSync(join(graded, "moodle.csv"), "utf8").split("\n")).toEqual([
      "ID number,Email address,Full name,backprop-1 (Real),backprop-1 (Feedback)",
      "M-101,ada@uni.example,Ada Lovelace,0,notebook is not valid JSON",
      "M-102,alan@uni.example,Alan Turing,,no submission (missing file)",
      "",
    ]);
  });

  it("two grade runs started together on one output folder lose no student, and --students grades a subset", async () => {
    const c = await assignedClass();
    // two submission folders (say, on time and late), graded at once into one folder
    const late = join(c.out, "late");
    mkdirSync(late);
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    writeFileSync(join(c.subs, "alan.ipynb"), "{ not json either");
    writeFileSync(join(late, "grace.ipynb"), "not json");
    const run = (dir: string) => runCli(["grade", dir, "--key", c.key, "--out", c.graded]);
    const [a, b] = await Promise.all([run(c.subs), run(late)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr + b.stderr).toMatch(
      /another grade \(process \d+\) is writing to this --out folder: waiting for it to finish/,
    );
    expect(gradeLines(c.graded).slice(1)).toEqual([
      "ada,0,0,0,0,0,12,notebook is not valid JSON",
      "alan,0,0,0,0,0,12,notebook is not valid JSON",
      "grace,0,0,0,0,0,12,notebook is not valid JSON",
    ]);
    expect(existsSync(join(c.graded, ".grading.lock"))).toBe(false);
    const unknown = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--students", "zoe"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--students: zoe is not on the roster of the key");
  });

  it("overrides.csv is strictly validated, one clear line per problem; --out and --key of the wrong kind are usage errors", async () => {
    const c = await assignedClass();
    writeFileSync(join(c.subs, "ada.ipynb"), "not json");
    mkdirSync(c.graded);
    const grade = (...more: string[]) =>
      runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet", ...more]);
    const cases: [string, string][] = [
      ["student,score\nada,0x0a\n", 'overrides.csv row 2: the score "0x0a" for ada is not a number from 0 to 12'],
      ["student,score\nada,1e1\n", 'overrides.csv row 2: the score "1e1" for ada is not a number from 0 to 12'],
      ["student,score\nada,5\nada,6\n", "overrides.csv row 3: ada has an override already, in row 2"],
    ];
    for (const [text, line] of cases) {
      writeFileSync(join(c.graded, "overrides.csv"), text);
      const r = await grade();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(line);
    }
    rmSync(join(c.graded, "overrides.csv"));
    mkdirSync(join(c.graded, "overrides.csv"));
    const folder = await grade();
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("overrides.csv: is a folder, not the overrides file");
    rmSync(join(c.graded, "overrides.csv"), { recursive: true });
    const outFile = join(c.out, "a-file");
    writeFileSync(outFile, "");
    for (const args of [
      ["grade", c.subs, "--key", c.key, "--out", outFile],
      ["assign", join(EXAMPLE, "source.ipynb"), "--roster", join(EXAMPLE, "roster.csv"), "--out", outFile],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out: .*a-file is a file/);
      expect(r.stderr).not.toContain("internal error");
    }
    const keyDir = await runCli(["grade", c.subs, "--key", join(c.out, "key"), "--out", c.graded]);
    expect(keyDir.stderr).toContain("is a folder, not the answer key");
    expect(keyDir.stderr).not.toContain("missing file");
  });

  it("a notebook nested 200,000 deep is the student's 0 with a reason, not a machine fault or a crash", async () => {
    const c = await assignedClass();
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    writeFileSync(
      join(c.subs, "ada.ipynb"),
      `{"cells":[{"cell_type":"code","source":"","metadata":{"backprop_tutor":${deep}},"outputs":[]}],"metadata":{},"nbformat":4,"nbformat_minor":5}`,
    );
    const r = await runCli(["grade", c.subs, "--key", c.key, "--out", c.graded, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(c.graded, "grades.csv"), "utf8")).toContain(
      "ada,0,0,0,0,0,12,the notebook's JSON nests more than 64 levels deep (a notebook needs a few): not read",
    );
  });

  it("bounds typed answers before anything is built from them, and counts JSON depth without parsing", () => {
    expect(answerTooBig("1.0300e-100000000")).toBe("has an exponent too large to judge (40 digits at most)");
    expect(answerTooBig("1.03e-45")).toBe("asks for 47 decimals (answers are judged to 40 at most)");
    expect(answerTooBig("5e41")).toBe("has 42 digits before the point (40 at most)");
    expect(answerTooBig("0.3775")).toBeUndefined();
    expect(answerTooBig("-1.5e-3")).toBeUndefined();
    expect(answerTooBig("0.0000000000000000000000000000000000000001")).toBeUndefined();
    expect(answerTooBig("1,5")).toBeUndefined(); // not a number: the checker names the comma
    expect(answerTooBig("9".repeat(101))).toBe("is 101 characters long (at most 100 are read)");
    expect(jsonDepth('{"a":[1,{"b":"[[[["}]}')).toBe(3);
    expect(jsonDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(jsonDepth("[".repeat(1000), 64)).toBe(65);
  });

  it("grades.csv, canvas.csv and moodle.csv hold no control character whatever a student or a roster wrote", async () => {
    const out = scratchDir("bt-ctl-");
    writeFileSync(join(out, "roster.csv"), 'id,name\nada,"Ada \u001b]52;c;ZXZpbA==\u0007Lovelace"\n');
    await assignExample(out, "ctl", join(out, "roster.csv"));
    const subs = join(out, "submissions");
    mkdirSync(subs);
    writeFileSync(join(subs, "ada.ipynb"), "not json");
    const graded = join(out, "graded");
    mkdirSync(graded);
    writeFileSync(join(graded, "overrides.csv"), 'student,score,comment\nada,1,"\u001b[2K\u001b[1Aada,12,12,\r"\n');
    await gradeAssigned(out, subs, graded);
    for (const f of ["grades.csv", "canvas.csv", "moodle.csv"]) {
      const text = readFileSync(join(graded, f), "utf8");
      // eslint-disable-next-line no-control-regex
      expect(text.replace(/\n/g, ""), f).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(text, f).toContain("\\u{1b}");
    }
  });
});

describe.skipIf(namespacesUnavailable() !== undefined)("the sandbox closes nested user namespaces (issue 21)", () => {
  it("unshare -Urm fails inside, while processes, threads and child processes still work", () => {
    const inside = (script: string) =>
      spawnSync("bwrap", bwrapArgs({ PATH: "/usr/bin:/bin" }, ["/bin/sh", "-c", script], 0), {
        encoding: "utf8",
        input: noNewUserNamespaces(),
      });
    const r = inside("unshare -Urm id -u; echo unshare=$?; unshare -U true; echo plain=$?; sh -c 'echo child ok'");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("unshare=1");
    expect(r.stdout).toContain("plain=1");
    expect(r.stdout).toContain("child ok");
    expect(r.stderr).toContain("unshare failed: Operation not permitted");
    const node = inside(
      `${process.execPath} -e 'new (require("worker_threads").Worker)("1", { eval: true }).on("exit", () => console.log("thread ok"))'`,
    );
    expect(node.stdout, node.stderr).toContain("thread ok");
  });

  // issue 21: tmpfs's own file limit is millions (half the machine's memory pages), and empty
  // files cost the kernel memory only: gigabytes before "no space left on device"
  it.skipIf(process.getuid?.() !== 0)(
    "as root each scratch folder holds at most SCRATCH_FILES files, and the run keeps no capability",
    () => {
      // (one more than the bound at most: without it the fill would take the machine's memory)
      const fill = `for (const d of ["/tmp", "/dev/shm", "."]) { let i = 0, why = "no error"; try { while (i <= ${SCRATCH_FILES}) fs.closeSync(fs.openSync(d + "/f" + i, "w")), i++; } catch (e) { why = e.code; } console.log(d, i, why, fs.statfsSync(d).files); }`;
      const script = `${process.execPath} -e '${fill}'; grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status`;
      const r = spawnSync("bwrap", bwrapArgs({ PATH: "/usr/bin:/bin" }, ["/bin/sh", "-c", script], 0), {
        encoding: "utf8",
        input: noNewUserNamespaces(),
      });
      expect(r.status, r.stderr).toBe(0);
      // each folder's file system holds SCRATCH_FILES files in all: the folder itself is one, and the
      // folders bwrap made for its mounts (the project's path, when it lies under /tmp) take a few more
      for (const d of ["/tmp", "/dev/shm", "."]) {
        const [, made, why, total] = new RegExp(`^${d.replace(/[./]/g, "\\$&")} (\\d+) (\\S+) (\\d+)$`, "m").exec(
          r.stdout,
        ) ?? [d, "", "", ""];
        expect([why, Number(total)], d).toEqual(["ENOSPC", SCRATCH_FILES]);
        expect(Number(made), d).toBeGreaterThan(SCRATCH_FILES - 64);
        expect(Number(made), d).toBeLessThan(SCRATCH_FILES);
      }
      for (const set of ["CapEff", "CapPrm", "CapBnd"]) expect(r.stdout).toMatch(new RegExp(`^${set}:\\s+0+$`, "m"));
    },
  );
});
