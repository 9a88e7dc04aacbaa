// One judge: the grader's graph answers go through the same checker as check-graph, so the two
// never disagree. At x = −0.5, y = 0.25, f = x·y = −0.125: written to 2 decimals, −0.12 is the
// checker's rounding (ties towards +∞), and the grader used to call it wrong ("should be −0.13").
import { describe, expect, it } from "vitest";
import { checkGraphCalculation } from "../src/index.js";
import { checkGraphPart } from "../src/exercises/checking.js";

const question = { assignments: ["f = x * y"], values: { x: -0.5, y: 0.25 } };

describe("the grader judges graph answers with the checker", () => {
  it("the tie −0.125 written −0.12: correct in both", () => {
    const checker = checkGraphCalculation("f = x * y", question.values, { f: "-0.12" });
    expect(checker.rows[0].verdict).toBe("correct");
    const graded = checkGraphPart(question, { f: "-0.12" }, ["f"]).byKey.get("f")!;
    expect(graded.verdict).toBe(checker.rows[0].verdict);
    expect(graded.explanation).toBe(checker.rows[0].explanation);
  });

  it("−0.13 is not the tie's rounding in either", () => {
    const checker = checkGraphCalculation("f = x * y", question.values, { f: "-0.13" });
    const graded = checkGraphPart(question, { f: "-0.13" }, ["f"]).byKey.get("f")!;
    expect(graded.verdict).toBe(checker.rows[0].verdict);
    expect(graded.verdict).not.toBe("correct");
  });

  it("every verdict agrees on a two-step graph, follow-through and a flipped sign included", () => {
    const q = { assignments: ["q = x + y", "f = q * z"], values: { x: -2, y: 5, z: -4 } };
    const answers = { q: "4", f: "-16", "df/dq": "-4", "df/dz": "-3", "df/dx": "-4" };
    const checker = checkGraphCalculation(q.assignments.join("; "), q.values, answers);
    const graded = checkGraphPart(q, answers, Object.keys(answers)).byKey;
    for (const row of checker.rows) expect(graded.get(row.key)!.verdict, row.key).toBe(row.verdict);
    expect(graded.get("f")!.verdict).toBe("follows");
    expect(graded.get("df/dz")!.mistake).toMatch(/^sign/);
  });

  it("missing, not a number, and not asked: the grader's own verdicts", () => {
    const r = checkGraphPart(question, { f: "abc" }, ["f", "df/dx", "dg/dx"]).byKey;
    expect(r.get("f")!.verdict).toBe("invalid");
    expect(r.get("df/dx")!.verdict).toBe("missing");
    expect(r.get("dg/dx")!.verdict).toBe("invalid");
  });
});
