// The notebooks' exercises (issue 12, items 1 and 5): defined in the library with their expected
// values, checked by id without giving the answers away, a hint per question, one-line errors,
// and a leak check that finds an answer printed before its exercise.
import { describe, expect, it, vi } from "vitest";
import { inspect } from "node:util";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  AnswerError,
  NOTEBOOK_EXERCISES,
  answersShownEarlier,
  checkExercise,
  expectedAnswers,
  hint,
  printedNumbers,
  revealsAnswer,
  type NotebookJson,
} from "../src/index.js";
import { exerciseHint, judgeExercise } from "../src/exercises/notebook-exercises.js";
import { withoutAnswer } from "../src/exercises/notebook-check.js";
import { errorBundle, exerciseBundle } from "../src/render/exercise.js";

const NOTEBOOKS = join(import.meta.dirname, "..", "notebooks");
const shown = () => {
  const out: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  return out;
};

describe("exercise definitions", () => {
  it("every expected value comes out of the engine, with the values worked by hand", () => {
    const v = Object.fromEntries(expectedAnswers().map((a) => [`${a.set}:${a.key}`, a.value]));
    expect(v["02:x3"]).toBeCloseTo(3 * 0.7 ** 3, 12); // (1 − 2·0.15)³ · 3
    expect(v["02:x1"]).toBeCloseTo(2.4, 12);
    expect(v["05:z_h1"]).toBeCloseTo(0.15 * 0.2 + 0.2 * 0.4 + 0.35, 12);
    expect(v["05.4:w5+"]).toBeCloseTo(0.4 - 0.1 * 0.08216704056423078, 10);
    expect(v["06:total"]).toBe(25450);
    expect(v["07:dsigma"]).toBeCloseTo(0.14914645207033284, 12);
    expect(v["12:up"]).toBeCloseTo(2 * 1.5 ** 11, 9);
    expect(v["15:precision"]).toBeCloseTo(9 / 11, 12);
    // computed by the engine (counted shapes, training runs, the graph engine), checked against hand values
    expect([v["06:W1"], v["06:b1"], v["06:Z1"], v["06:cols"]]).toEqual([784 * 32, 32, 64 * 32, 785]);
    expect(v["08:p1"]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1), 14);
    expect(v["08:dz1"]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1) - 1, 14);
    expect(v["08:bce"]).toBeCloseTo(-Math.log(0.2), 14);
    expect([v["10:mini"], v["10:stochastic"], v["10:factor"]]).toEqual([15 * 25, 120 * 25, 96]);
    expect(v["10:lr"]).toBeCloseTo(0.03 / 0.2, 12);
    expect(v["11:xr"]).toBeCloseTo(-8 + 0.05 / Math.sqrt(0.05), 8);
    expect(v["11:alphaMax"]).toBeCloseTo(2 / 16, 9);
    expect([v["13:factor"], v["13:kept"], v["13:w"], v["13:wSmall"]].map((x) => Number(x.toFixed(12)))).toEqual([
      0.999, 1.5, 0.18, 0,
    ]);
    expect(v["13:z"]).toBeCloseTo(7 / 9, 12);
    // (2 ± ε)³ exactly: the central difference is 12 + ε², the one-sided 12 + 6ε + ε²
    expect(v["14:central"]).toBe(12.00000001);
    expect(v["14:forward"]).toBe(12.00060001);
    expect(v["14:noDivision"]).toBe(0.001200060001);
    expect(Object.values(v).every(Number.isFinite)).toBe(true);
  });

  it("every notebook with exercises checks each of its sets in a cell, with no expected value written in the cell", () => {
    for (const set of NOTEBOOK_EXERCISES) {
      const file = readdirSync(NOTEBOOKS).find((f) => f.startsWith(`${set.id.slice(0, 2)}-`) && f.endsWith(".ipynb"))!;
      const nb = JSON.parse(readFileSync(join(NOTEBOOKS, file), "utf8")) as NotebookJson;
      const cell = nb.cells.find(
        (c) => c.cell_type === "code" && [c.source].flat().join("").includes(`checkExercise("${set.id}"`),
      );
      expect(cell, `${file}: checkExercise("${set.id}")`).toBeDefined();
      const source = [cell!.source].flat().join("");
      expect(source).not.toMatch(/checkNumbers|checkHandCalculation|checkGraphCalculation|traceNetwork|descend/);
    }
  });
});

describe("checkExercise", () => {
  it("judges with the checker's verdicts and never shows the value a wrong answer should have", () => {
    const out = shown();
    expect(checkExercise("05", { z_h1: "0.4000", a_h1: "0.5987", z_h2: "" })).toBeUndefined(); // the kernel would print a returned report, exact values and all
    vi.restoreAllMocks();
    expect(judgeExercise("05", { z_h1: "0.4000", a_h1: "0.5987" }).rows.map((r) => r.verdict)).toEqual([
      "wrong",
      "follows",
    ]);
    const text = out.join("");
    expect(text).toContain("follows from an earlier error");
    expect(text).toContain('hint("05", "z_h1")');
    expect(text).toContain("Not answered yet: z_h2");
    expect(text).not.toContain("0.46"); // z_h1's value, 0.4600
    expect(text).not.toContain("should be");
  });

  it("03 is judged as traced networks: w11 from the student's own wrong δ6 follows from it", () => {
    // δ6 written as a − y (the a(1 − a) factor forgotten): −0.1824; then w11 = 0.4 − 0.5 · (−0.1824) · 2
    const report = judgeExercise("03", { a6: "0.8176", delta6: "-0.1824", w11: "0.5824" });
    expect(report.rows.map((r) => [r.key, r.verdict])).toEqual([
      ["a6", "correct"],
      ["delta6", "wrong"],
      ["w11", "follows"],
    ]);
    expect(report.rows[2].followsFrom).toEqual(["delta6"]);
    expect(report.rows[1].diagnosis?.mistake).toBe("forgot-activation-derivative");
    // shown to the student: the exercise's own keys, no answer
    const out = shown();
    checkExercise("03", { a6: "0.8176", delta6: "-0.1824", w11: "0.5824" });
    vi.restoreAllMocks();
    const text = out.join("");
    expect(text).toContain(
      "w11 = 0.5824: → follows from an earlier error. From your earlier values it is 0.5824: follows from your value of delta6.",
    );
    expect(text).not.toMatch(/0\.4272|0\.0272/);
  });

  it("03: the right answers, worked by hand in doubles, are all correct; the quantities are typeset as math", () => {
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const a = s(0.4);
    const a6 = s(0.4 * 2 - 0.6 * -1 + 0.1),
      delta6 = (a6 - 1) * a6 * (1 - a6);
    const h = s(0.4 * 1 - 0.6 * 0.5 + 0.1),
      o = s(-1 * h - 0.2);
    const dw11 = (o - 1) * o * (1 - o) * -1 * h * (1 - h) * 1;
    const hand = { a, dz: a - 1, dzBce: a, dzSse: a * a * (1 - a), a6, delta6, w11: 0.4 - 0.5 * delta6 * 2, dw11 };
    const answers = Object.fromEntries(Object.entries(hand).map(([k, v]) => [k, v.toFixed(4)]));
    const report = judgeExercise("03", answers);
    expect(report.rows.map((r) => [r.key, r.verdict])).toEqual(Object.keys(hand).map((k) => [k, "correct"]));
    const symbols = Object.fromEntries(report.rows.map((r) => [r.key, r.symbol]));
    // the trace's symbol, and the key beside it upright (dz, dzBce and dzSse are each a δ)
    expect(symbols).toMatchObject({
      a: "a_{1}^{(1)}\\;(\\texttt{a})",
      dz: "\\delta_{1}^{(1)}\\;(\\texttt{dz})",
      dzBce: "\\delta_{1}^{(1)}\\;(\\texttt{dzBce})",
      w11: "{w_{11}^{(1)}}^{+}\\;(\\texttt{w11})",
      dw11: "\\frac{\\partial L}{\\partial w_{11}^{(1)}}\\;(\\texttt{dw11})",
    });
    // a key is never typeset as a product of italic letters (d·z·B·c·e)
    const html = String(exerciseBundle({ rows: report.rows, notes: [] })["text/html"]);
    expect(html).not.toMatch(/mathnormal[^"]*">B</);
    expect(html).toContain(`<span class="mord text"><span class="mord texttt">dzBce</span>`);
  });

  it("03: fewer places than asked get a request for 4 places, not a verdict", () => {
    const report = judgeExercise("03", { a: "0.60", a6: "0.8176" });
    expect(report.rows.map((r) => [r.key, r.verdict])).toEqual([
      ["a", "too few places"],
      ["a6", "correct"],
    ]);
    expect(report.rows[0].explanation).toMatch(/^give 4 decimal places/);
  });

  it("names a classic mistake where the checker recognises it", () => {
    // a_h1 typed as z_h1 (0.4600 is z, not σ(z))
    const report = judgeExercise("05", { z_h1: "0.4600", a_h1: "0.4600" });
    expect(report.rows[1].diagnosis?.mistake).toBe("z-for-a");
  });

  it("gives rounding credit where rounding can explain a difference, and none where the answer is exact", () => {
    expect(judgeExercise("02", { x3: "1.029", x1: "2.4", x2: "-1.8" }).rows.map((r) => r.verdict)).toEqual([
      "correct",
      "correct",
      "correct",
    ]);
    // 1.029 and 2.4 are exact: one unit off is wrong (checkNumbers alone called it rounding)
    const exact = judgeExercise("02", { x3: "1.030", x1: "2.5" });
    expect(exact.rows.map((r) => r.verdict)).toEqual(["wrong", "wrong"]);
    expect(exact.summary.wrong).toBe(2);
    // σ'(−1.5) = 0.14914…: a student who rounds σ(−1.5) to 0.1824 first gets 0.1491 × … = 0.1491 or 0.1492
    expect(judgeExercise("07", { dsigma: "0.1492" }).rows[0].verdict).toBe("rounding");
  });

  it("a comma for a decimal point is one line saying how to write it, not a stack", () => {
    const out = shown();
    expect(checkExercise("02", { x3: "0,3775" })).toBeUndefined();
    vi.restoreAllMocks();
    expect(out.join("")).toBe(
      'AnswerError: answers["x3"]: "0,3775" is not a number. Write the decimal point as a point: 0.3775, not 0,3775.\n',
    );
  });

  it("an empty template says nothing is answered yet; an unknown id or key says which exist", () => {
    const out = shown();
    checkExercise("02", { x3: "", alpha: "", x1: "", x2: "" });
    checkExercise("2", {});
    hint("02", "x4");
    vi.restoreAllMocks();
    expect(out[0]).toMatch(/^Nothing answered yet/);
    expect(out[1]).toContain('did you mean "02"?');
    expect(out[2]).toContain('did you mean "x3"?');
  });

  it("hint shows the question's hint by key or number", () => {
    const out = shown();
    hint("02", "x3");
    hint("02", 1);
    vi.restoreAllMocks();
    expect(out[0]).toContain("Hint for question 1: Each step multiplies x by 1 − 2α");
    expect(out[1]).toBe(out[0]);
  });

  it("XOR from step units is judged by running the student's output unit", () => {
    expect(judgeExercise("09.3", { w10: "0.1", w11: "-0.2", w12: "-0.2" }).summary.correct).toBe(4);
    expect(judgeExercise("09.3", { w10: "-0.1", w11: "0.2", w12: "0.2" }).summary.wrong).toBe(4);
  });

  it("a wrong row suggests a hint(...) call that answers: 09.3's rows are input cases, so by question number", () => {
    const rows = judgeExercise("09.3", { w10: "-0.1", w11: "0.2", w12: "0.2" }).rows.filter(
      (r) => r.verdict === "wrong",
    );
    expect(rows.length).toBe(4);
    for (const row of rows) {
      const said = withoutAnswer("09.3", row).explanation;
      expect(said).toContain('hint("09.3", 3)');
      expect(said).not.toContain("XOR(");
    }
    expect(exerciseHint("09.3", 3).hint).toContain("XOR is 1 when neither AND nor NOR fires");
    // where a row is an answer key, the hint is asked by that key
    const keyed = judgeExercise("02", { x3: "123.4567" }).rows.find((r) => r.key === "x3");
    expect(keyed?.verdict).toBe("wrong");
    expect(withoutAnswer("02", keyed!).explanation).toContain('hint("02", "x3")');
  });
});

describe("errors in a notebook", () => {
  it("a TutorError that reaches the kernel prints as one line (tslab prints uncaught errors with console.error)", () => {
    const e = new AnswerError('answers["x3"]', '"0,3775" is not a number', "write the decimal point as a point");
    expect(inspect(e)).toBe(
      'AnswerError: answers["x3"]: "0,3775" is not a number. Write the decimal point as a point.',
    );
    expect(errorBundle(e)["text/html"]).not.toContain("at ");
  });
});

describe("answers shown before their exercise", () => {
  it("reads printed numbers with their decimals", () => {
    expect(printedNumbers("x = −0.0238, 1.455e-11 and 2.560000").map((p) => [p.value, p.decimals])).toEqual([
      [-0.0238, 4],
      [1.455e-11, 14],
      [2.56, 6],
    ]);
  });

  it("a number printed at or beyond the asked precision gives it away; fewer digits only with 3 significant ones", () => {
    const [p] = printedNumbers("2.560000");
    expect(revealsAnswer(p, 2.56, { decimals: 3 })).toBe(true);
    expect(revealsAnswer(printedNumbers("2.56")[0], 2.5604, { decimals: 3 })).toBe(true);
    expect(revealsAnswer(printedNumbers("0.41")[0], 0.405, { decimals: 4 })).toBe(false);
    expect(revealsAnswer(printedNumbers("0.5")[0], 0.5, { decimals: 1 })).toBe(false); // one significant digit: exempt
    expect(revealsAnswer(printedNumbers("173.0")[0], 172.995, { significant: 4 })).toBe(true);
  });

  it("finds notebook 02's old leak: x after 3 steps printed in the table above the exercise", () => {
    const nb: NotebookJson = {
      cells: [
        {
          cell_type: "code",
          source: "showTable(...)",
          outputs: [
            {
              output_type: "display_data",
              data: {
                "text/html": "<style>.a{width:1.029px}</style><table><tr><td>3</td><td>1.029000</td></tr></table>",
              },
            },
          ],
        },
        { cell_type: "code", source: 'checkExercise("02", answers)', outputs: [] },
      ],
    };
    const found = answersShownEarlier(nb).filter((a) => a.answer.set === "02");
    expect(found.map((f) => [f.answer.key, f.cell, f.printed])).toEqual([["x3", 0, "1.029000"]]);
    // after the exercise cell it is no leak
    expect(answersShownEarlier({ cells: [nb.cells[1], nb.cells[0]] }).filter((a) => a.answer.set === "02")).toEqual([]);
  });
});
