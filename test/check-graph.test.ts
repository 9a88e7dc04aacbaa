// Checking computation graphs and plain exercise numbers: the same verdicts as for networks.
import { describe, expect, it } from "vitest";
import { scratchDir } from "./helpers/scratch.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkGraphCalculation, checkNumbers, checkReportMarkdown } from "../src/index.js";
import { runCli } from "../src/cli/program.js";

const gate = "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))";
const gateValues = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
const seedCode = "s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)";

describe("checkGraphCalculation", () => {
  it("(x + y) z: right answers in every spelling", () => {
    const r = checkGraphCalculation(
      "q = x + y; f = q * z",
      { x: -2, y: 5, z: -4 },
      { q: "3", f: "-12", "df/dx": "-4", dy: "-4", grad_z: "3", "∂f/∂q": "-4" },
    );
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["q", "correct"],
      ["f", "correct"],
      ["grad_z", "correct"],
      ["∂f/∂q", "correct"],
      ["dy", "correct"],
      ["df/dx", "correct"],
    ]);
    expect(r.unknownKeys).toEqual([]);
  });

  it("the sigmoid gate at 2 decimals as the slide computes it: 0.2 × 2 = 0.4 is rounding, not wrong (exact 0.39)", () => {
    const r = checkGraphCalculation(seedCode, gateValues, { L: "0.73", ds3: "0.20", dx0: "0.40", dw0: "-0.20" });
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["L", "correct"],
      ["ds3", "correct"],
      ["dx0", "rounding"],
      ["dw0", "correct"],
    ]);
  });

  it("a wrong gradient is the first error, and what follows from it gets follow-through credit", () => {
    // σ'(s3) taken as σ(s3) = 0.73 instead of σ(1 − σ) = 0.20: then dx0 = 0.73 × 2 = 1.46
    const r = checkGraphCalculation(seedCode, gateValues, { L: "0.73", ds3: "0.73", ds0: "0.73", dx0: "1.46" });
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["L", "correct"],
      ["ds3", "wrong"],
      ["ds0", "follows"],
      ["dx0", "follows"],
    ]);
    expect(r.firstWrong).toBe("ds3");
    expect(r.rows[3].explanation).toContain("follows from your value of ds3");
  });

  it("one unit off with exact inputs is wrong, not rounding; what is computed from it follows", () => {
    // q = x + y = 3 exactly, so q = 4 is wrong; f = 4 × (−4) = −16 follows from it
    const r = checkGraphCalculation("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { q: "4", f: "-16" });
    expect(r.rows.map((x) => [x.key, x.verdict, x.followsFrom])).toEqual([
      ["q", "wrong", undefined],
      ["f", "follows", ["q"]],
    ]);
    expect(r.firstWrong).toBe("q");
  });

  it("follow-through names only the wrong answers the value depends on", () => {
    // q = 4 (wrong) and df/dq = −5 (wrong): df/dz = q = 4 follows from q, df/dx = df/dq = −5 only from df/dq
    const r = checkGraphCalculation(
      "q = x + y; f = q * z",
      { x: -2, y: 5, z: -4 },
      { q: "4", dz: "4", dq: "-5", dx: "-5" },
    );
    expect(r.rows.map((x) => [x.key, x.verdict, x.followsFrom])).toEqual([
      ["q", "wrong", undefined],
      ["dz", "follows", ["q"]],
      ["dq", "wrong", undefined],
      ["dx", "follows", ["dq"]],
    ]);
  });

  it("keys are read with the engine's one normaliser and named with its one key builder", () => {
    // \partial in both places (the old local normaliser replaced only a leading one)
    const r = checkGraphCalculation(
      "q = x + y; f = q * z",
      { x: -2, y: 5, z: -4 },
      { "\\partial f/\\partial x": "-4" },
    );
    expect(r.unknownKeys).toEqual([]);
    expect(r.rows.map((x) => [x.verdict, x.canonicalKey])).toEqual([["correct", "df/dx"]]);
    // an unnamed node is named by its id, as the view names it, not by its operation's label ("+")
    const u = checkGraphCalculation("x * y + z", { x: 2, y: 3, z: 1 }, { dx: "3" });
    expect(u.rows[0].verdict).toBe("correct");
    expect(u.rows[0].canonicalKey).toMatch(/^dn\d+\/dx$/);
  });

  it("two spellings of the same quantity are an error", () => {
    expect(() =>
      checkGraphCalculation("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { "df/dx": "-4", dx: "-4" }),
    ).toThrow('answers["dx"]: "dx" and "df/dx" are the same quantity (df/dx). Keep one value per quantity.');
  });

  it("too few digits to judge", () => {
    const r = checkGraphCalculation(seedCode, gateValues, { L: "1" });
    expect(r.rows[0]).toMatchObject({ verdict: "wrong", tooFewDigits: 2 });
    // an exact integer needs no more digits
    expect(checkGraphCalculation("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { q: "3" }).rows[0].verdict).toBe(
      "correct",
    );
  });

  it("an unknown key is named with a suggestion, the rest is checked", () => {
    const r = checkGraphCalculation(gate, gateValues, { dw00: "-0.20", dw0: "-0.2" });
    expect(r.unknownKeys.map((u) => u.message)).toEqual([
      '"dw00" is not a node or gradient of this graph: did you mean dw0?',
    ]);
    expect(r.rows).toHaveLength(1);
  });

  it("nothing typed yet is a note, not an error", () => {
    const r = checkGraphCalculation(gate, gateValues, {});
    expect(r.note).toMatch(/^Nothing typed yet/);
  });
});

describe("checkNumbers", () => {
  it("correct at the decimals typed, rounding one unit off, wrong otherwise, unknown keys named", () => {
    const r = checkNumbers({ x1: "0.0512", loss: 0.123456 }, { x1: "0.05", loss: "0.1236", lss: "1" });
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["x1", "correct"],
      ["loss", "rounding"],
    ]);
    expect(checkNumbers({ a: 2 }, { a: "2.5" }).rows[0].verdict).toBe("wrong");
    expect(r.unknownKeys[0].message).toBe('"lss" is not one of the answers asked for (x1, loss): did you mean loss?');
    expect(checkReportMarkdown(r)).toContain("| $x_{1}$ | 0.05 |");
  });
});

describe("the check-graph command", () => {
  const dir = scratchDir("bt-check-graph-");
  const run = (...args: string[]) => runCli(["check-graph", ...args]);
  it("checks a CSV of answers and exits 1 when one is wrong", async () => {
    const answers = join(dir, "a.csv");
    writeFileSync(answers, "quantity,value\nq,3\nf,-12\ndf/dx,4\n");
    const r = await run("q = x + y; f = q * z", "x=-2", "y=5", "z=-4", answers);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("The calculation first goes off at df/dx.");
    const ok = join(dir, "ok.json");
    writeFileSync(ok, '{"q": 3, "dz": 3}');
    expect((await run("q = x + y; f = q * z", "x=-2", "y=5", "z=-4", ok)).code).toBe(0);
    // one unit off with exact inputs: exit 1
    const off = join(dir, "off.json");
    writeFileSync(off, '{"q": 4, "f": -16}');
    expect((await run("q = x + y; f = q * z", "x=-2", "y=5", "z=-4", off)).code).toBe(1);
    expect(await run("q = x + y; f = q * z", "x=-2", "y=5", "z=-4")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("needs an expression, its values and an answers file"),
    });
  });
});
