// Tolerance from the arithmetic actually done: where nothing was rounded (whole numbers, exact
// decimals) an answer off by a unit is wrong; a rounding allowance only where the student could
// have rounded, sized from what they wrote; keys compared as exact decimals, not doubles.
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "./helpers/scratch.js";
import { checkGraphCalculation, checkNumbers } from "../src/checking/simple.js";
import { judgeExercise } from "../src/exercises/notebook-exercises.js";
import { traceNetwork } from "../src/engine/network.js";
import { runCli } from "../src/cli/program.js";

const verdicts = (r: { rows: { key: string; verdict: string }[] }) =>
  Object.fromEntries(r.rows.map((x) => [x.key, x.verdict]));

describe("whole-number graphs: nothing was rounded, so one unit off is wrong", () => {
  it("q = 3, f = −11 for x = −3, y = 6, z = −4 (f = −12) is wrong, not 'rounding, within 2.5'", async () => {
    const r = checkGraphCalculation("q = x + y; f = q * z", { x: -3, y: 6, z: -4 }, { q: "3", f: "-11" });
    expect(verdicts(r)).toEqual({ q: "correct", f: "wrong" });
    expect(r.rows[1].explanation).not.toMatch(/within/);
    const dir = scratchDir("bt-check-tolerance-");
    const answers = join(dir, "a.csv");
    writeFileSync(answers, "q,3\nf,-11\n");
    const cli = await runCli(["check-graph", "q = x + y; f = q * z", "x=-3", "y=6", "z=-4", answers]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("first goes off at f");
  });

  it("exercise 04.1: f = 5 for 4 is wrong", () => {
    expect(verdicts(judgeExercise("04.1", { q: "2", f: "5" }))).toEqual({ q: "correct", f: "wrong" });
  });

  it("exercise 04.2: ∂J/∂b a few units from 21 and J = −37 for −39 are wrong", () => {
    for (const b of ["20", "22", "28", "14"])
      expect(verdicts(judgeExercise("04.2", { "dJ/db": b }))["dJ/db"]).toBe("wrong");
    expect(verdicts(judgeExercise("04.2", { "dJ/db": "21" }))["dJ/db"]).toBe("correct");
    expect(verdicts(judgeExercise("04.2", { u: "-14", v: "-13", J: "-37" })).J).toBe("wrong");
    // what follows from a wrong written value still follows
    expect(verdicts(judgeExercise("04.2", { u: "-15", v: "-14", J: "-42" }))).toEqual({
      u: "wrong",
      v: "follows",
      J: "follows",
    });
  });

  it("where the student did round (decimals in the graph), rounding is still allowed, sized from what they wrote", () => {
    // σ(0.5) = 0.6225; at 2 decimals 0.62; ∂L/∂s3 = 0.2350 → written from 0.62 as 0.62 × 0.38 = 0.2356 → 0.24 is right
    const r = checkGraphCalculation(
      "s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)",
      { w0: 1, x0: 0.5, w1: -1, x1: 1, w2: 0.5 },
      { s3: "0.00", L: "0.50", ds3: "0.25" },
    );
    expect(verdicts(r)).toEqual({ s3: "correct", L: "correct", ds3: "correct" });
  });
});

describe("exact keys", () => {
  it("exercise 14's forward difference is judged against 12.00060001, not the double 12.000600010022566", () => {
    const r = judgeExercise("14", { central: "12.00000001", forward: "12.00060001" });
    expect(verdicts(r)).toEqual({ central: "correct", forward: "correct" });
    expect(r.rows.find((x) => x.key === "forward")!.exact).toBe("12.00060001");
    // one unit off in the 8th decimal is wrong on both, as it is on central
    expect(verdicts(judgeExercise("14", { central: "12.00000002", forward: "12.00060002" }))).toEqual({
      central: "wrong",
      forward: "wrong",
    });
  });

  it("exercise 13's kept value is exact (0.9 / 0.6 = 1.5, a double's 1.5000000000000002 is not the key): never 'rounds to'", () => {
    const r = judgeExercise("13", { kept: "1.50" });
    expect(r.rows[0]).toMatchObject({ verdict: "correct", exact: "1.5" });
    expect(judgeExercise("13", { kept: "1.49" }).rows[0].verdict).toBe("wrong");
    expect(judgeExercise("13", { kept: "1.51" }).rows[0].verdict).toBe("wrong");
    // a key of 0.75 is exact too: 0.7 is not "0.75 rounds to 0.7"
    const short = checkNumbers({ kept: "0.75" }, { kept: "0.7" });
    expect(short.rows[0].explanation).not.toContain("rounds to 0.7");
  });

  it("named numbers: one unit off is rounding only where the exact value has more decimals than written", () => {
    expect(verdicts(checkNumbers({ x: "1.029", y: "0.13533528" }, { x: "1.028", y: "0.1354" }))).toEqual({
      x: "wrong",
      y: "rounding",
    });
  });

  it("an exactly zero shared-bias gradient is 0, not 2e-50", () => {
    const spec = {
      layers: [2, 2],
      activations: ["softmax"],
      loss: "cross_entropy",
      weights: [
        [
          [0.66, 0.99],
          [0.41, -0.54],
        ],
      ],
      biases: [-0.85],
      input: [-0.13, 0.76],
      target: [1, 0],
      learningRate: 0.5,
    };
    const t = traceNetwork(spec, { precision: "exact" });
    expect(t.steps.find((s) => s.id === "backward.db.1")!.value).toBe("0");
    expect(t.update.biases[0]).toBe("-0.85");
  });
});
