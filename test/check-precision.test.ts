// Precision asked is precision required (one rule for the view, the exercises and the command
// line), and the refusals a student meets first: an empty box, a decimal comma or a thousands
// separator, every bad key of a malformed answer set, sentences that start with a capital.
import { describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { checkHandCalculation } from "../src/checking/check.js";
import { checkGraphCalculation, checkNumbers } from "../src/checking/simple.js";
import { parseTypedNumber } from "../src/checking/answers.js";
import { placesShortfall } from "../src/checking/verdict.js";
import { judgeExercise } from "../src/exercises/notebook-exercises.js";
import { checkExercise } from "../src/exercises/notebook-check.js";
import { AnswerError } from "../src/engine/errors.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
const rowOf = (r: ReturnType<typeof checkNumbers>, key: string) => r.rows.find((x) => x.key === key)!;

describe("precision asked is precision required", () => {
  it("1.2 for a 4-place step 1.2249 is too few places, not correct and not wrong", () => {
    const r = checkHandCalculation(classic, { z_o2: "1.2" }, { places: 4 });
    expect(rowOf(r, "z_o2")).toMatchObject({
      verdict: "too few places",
      explanation: "give 4 decimal places (1.2 has 1)",
    });
    expect(r.summary).toMatchObject({ correct: 0, wrong: 0, tooFewPlaces: 1, total: 1 });
    // without a precision asked, the same answer is judged at the decimals written (as before)
    expect(rowOf(checkHandCalculation(classic, { z_o2: "1.2" }), "z_o2").verdict).toBe("correct");
  });

  it("more places than asked are judged as usual; the exact value itself needs no padding", () => {
    const r = checkHandCalculation(classic, { z_h1: "0.3775", z_o2: "1.22492", a_o2: "0.77392" }, { places: 4 });
    expect(r.rows.map((x) => x.verdict)).toEqual(["correct", "correct", "wrong"]);
    // 0.3775 is exactly z_h1: at 6 places asked it is still right
    expect(rowOf(checkHandCalculation(classic, { z_h1: "0.3775" }, { places: 6 }), "z_h1").verdict).toBe("correct");
  });

  it("a short answer is not carried into later steps: what follows is judged against the exact values", () => {
    const r = checkHandCalculation(classic, { a_o1: "0.75", "dE/da_o1": "0.7414" }, { places: 4 });
    expect(r.rows.map((x) => x.verdict)).toEqual(["too few places", "correct"]);
  });

  it("per-key places, for graphs and named numbers alike", () => {
    const g = checkGraphCalculation(
      "q = x + y; f = q * z",
      { x: -2, y: 5, z: -4 },
      { q: "3", "df/dx": "-4" },
      {
        places: { q: 2 },
      },
    );
    // q = 3 exactly: no padding needed; df/dx has no places asked
    expect(g.rows.map((x) => x.verdict)).toEqual(["correct", "correct"]);
    const n = checkNumbers({ x: "0.1353", y: "12.00000001" }, { x: "0.15", y: "12" }, { places: { x: 4, y: 8 } });
    expect(n.rows.map((x) => [x.key, x.verdict, x.explanation])).toEqual([
      ["x", "too few places", "give 4 decimal places (0.15 has 2)"],
      ["y", "too few places", "give 8 decimal places (12 has none)"],
    ]);
  });

  it("the notebook exercises hold answers to the places their questions ask (14 at 8 decimals, 07 at 4)", () => {
    expect(judgeExercise("14", { central: "12" }).rows[0].verdict).toBe("too few places");
    expect(judgeExercise("14", { central: "12.00000001" }).rows[0].verdict).toBe("correct");
    expect(judgeExercise("07", { dtanh: "0.79" }).rows[0].verdict).toBe("too few places");
    expect(judgeExercise("05", { z_h1: "0.3" }).rows[0].verdict).toBe("too few places");
  });

  it("the view's box: one sentence before anything is judged", () => {
    expect(placesShortfall("1.2", 4)).toBe("give 4 decimal places (1.2 has 1)");
    expect(placesShortfall("1.2249", 4)).toBeUndefined();
    expect(placesShortfall("1.22490", 4)).toBeUndefined();
    expect(placesShortfall("3", 1)).toBe("give 1 decimal place (3 has none)");
  });
});

describe("verdict sentences", () => {
  it("an exact answer is exactly right, not 'the exact value 3 is 3 to the 0 decimals written'", () => {
    const r = checkGraphCalculation("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { q: "3" });
    expect(r.rows[0].explanation).toBe("exactly right: the value is 3");
    const w = checkNumbers({ x: "2.4" }, { x: "2" });
    expect(w.rows[0].explanation).not.toMatch(/0 decimals/);
  });
});

describe("an exercise's summary line", () => {
  it("one right answer is 'Right.', not 'All 1 right.'", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    checkExercise("14", { central: "12.00000001" });
    checkExercise("14", { central: "12.00000001", forward: "12.00060001" });
    vi.restoreAllMocks();
    const text = out.join("");
    expect(text).not.toContain("All 1 right");
    expect(text).toContain("Right.");
    expect(text).toContain("All 2 right.");
  });
});

describe("refusals", () => {
  const refusal = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof AnswerError) return e.message;
      throw e;
    }
    throw new Error("no refusal");
  };

  it("an empty box says it is empty", () => {
    expect(refusal(() => parseTypedNumber("", "a_h1"))).toBe(
      "a_h1: the answer is empty. Type a number such as 0.3775 or -0.0190.",
    );
    expect(refusal(() => parseTypedNumber("   ", "a_h1"))).not.toContain('""');
  });

  it("a decimal comma is told apart from a thousands separator", () => {
    expect(refusal(() => parseTypedNumber("0,5", "x"))).toBe(
      'x: "0,5" is not a number. Write the decimal point as a point: 0.5, not 0,5.',
    );
    const thousands = refusal(() => parseTypedNumber("11,935", "x"));
    expect(thousands).toContain("Write 11935 if the comma separates thousands, or 11.935 if it is a decimal comma");
    expect(refusal(() => parseTypedNumber("1,234,567", "x"))).toContain("Write 1234567");
    expect(refusal(() => parseTypedNumber("0,935", "x"))).toContain("Write the decimal point as a point: 0.935");
    expect(refusal(() => parseTypedNumber("12,5", "x"))).toContain("12.5, not 12,5");
  });

  it("a malformed answer set names every bad key, each in a sentence", () => {
    const m = refusal(() => checkHandCalculation(classic, { z_h1: "0,3775", a_h1: "abc", z_h2: "0.3925", a_h2: "" }));
    expect(m).toBe(
      'answers: 3 answers are not numbers. answers["z_h1"]: "0,3775" is not a number. Write the decimal point as a point: 0.3775, not 0,3775. ' +
        'answers["a_h1"]: "abc" is not a number. Write a decimal number such as 0.3775 or -0.0190. ' +
        'answers["a_h2"]: the answer is empty. Type a number such as 0.3775 or -0.0190.',
    );
    const g = refusal(() => checkNumbers({ x: 1, y: 2 }, { x: "1,5", y: "?" }));
    expect(g).toMatch(/^answers: 2 answers are not numbers\./);
  });

  it("the second sentence of a refusal starts with a capital letter", () => {
    for (const bad of ["abc", "0,5", "", "1.2.3"]) {
      const m = refusal(() => parseTypedNumber(bad, "x"));
      for (const s of m.split(/(?<=\.) /).slice(1)) expect(s.charAt(0)).toMatch(/[A-Z"]/);
    }
  });
});
