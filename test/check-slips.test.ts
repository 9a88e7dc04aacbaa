// One slip costs one mark (issue: fair follow-through), and each classic slip is named. A 2-3-2
// network (tanh hidden, softmax output with cross-entropy) is worked by a "student" who makes
// three classic slips and carries their own numbers forward honestly; the key comes from the
// engine. The checker must find exactly the three slips, name each, and credit the rest.
import { describe, expect, it } from "vitest";
import { traceNetwork } from "../src/engine/network.js";
import { checkHandCalculation } from "../src/checking/check.js";
import { Decimal } from "decimal.js";

const spec = {
  layers: [2, 3, 2],
  activations: ["tanh", "softmax"],
  loss: "cross_entropy",
  weights: [
    [
      [0.1, -0.2],
      [0.3, 0.45],
      [-0.5, 0.25],
    ],
    [
      [0.2, -0.3, 0.5],
      [-0.1, 0.4, 0.3],
    ],
  ],
  biases: [
    [0.1, -0.1, 0.05],
    [0.0, 0.1],
  ],
  input: [0.5, -1],
  target: [1, 0],
  learningRate: 0.5,
};

/** The values of an exact run with some steps replaced: a student carrying their own numbers forward. */
const run = (overrides: Record<string, string>) => {
  const t = traceNetwork(spec, { precision: "exact", overrides });
  return { steps: t.steps, value: (id: string) => new Decimal(t.steps.find((s) => s.id === id)!.value) };
};
const at4 = (x: Decimal) => x.toFixed(4);

/**
 * The student: (1) writes a_h2 = z_h2 (tanh not applied); (2) writes δ_h1 = ∂L/∂a_h1 (tanh'
 * forgotten) and works the weight gradients of h1 as their δ × input; (3) adds η·∂L/∂W for W^[2]_12.
 * Everything else is computed right from their own numbers.
 */
function studentAnswers(): { answers: Record<string, string>; slips: string[] } {
  const overrides: Record<string, string> = {};
  overrides["forward.a.1.1"] = run({}).value("forward.z.1.1").toString();
  const afterSlip1 = run(overrides);
  overrides["backward.delta.1.0"] = afterSlip1.value("backward.dL/da.1.0").toString();
  for (const k of [0, 1])
    overrides[`backward.dW.1.0.${k}`] = new Decimal(overrides["backward.delta.1.0"]).times(spec.input[k]).toString();
  const afterSlip2 = run(overrides);
  const w = new Decimal(spec.weights[1][0][1]);
  overrides["update.W.2.0.1"] = w
    .plus(new Decimal(spec.learningRate).times(afterSlip2.value("backward.dW.2.0.1")))
    .toString();
  const student = run(overrides);
  const answers = Object.fromEntries(student.steps.map((s) => [s.key, at4(new Decimal(s.value))]));
  const keyOf = (id: string) => student.steps.find((s) => s.id === id)!.key;
  return { answers, slips: ["forward.a.1.1", "backward.delta.1.0", "update.W.2.0.1"].map(keyOf) };
}

describe("three planted slips in a 2-3-2 tanh / softmax / cross-entropy hand calculation", () => {
  const { answers, slips } = studentAnswers();
  const report = checkHandCalculation(spec, answers);

  it("reports exactly three wrong: the slips, and credits everything else", () => {
    const wrong = report.rows.filter((r) => r.verdict === "wrong").map((r) => r.key);
    expect(wrong).toEqual(slips);
    expect(report.summary.wrong).toBe(3);
    expect(report.summary.total).toBe(Object.keys(answers).length);
    expect(report.summary.correct + report.summary.rounding + report.summary.followThrough).toBe(
      report.summary.total - 3,
    );
    // the slips' consequences are credited as follow-through, naming the slip they follow from
    const hidden2 = report.rows.find((r) => r.stepId === "forward.z.2.0")!;
    expect(hidden2).toMatchObject({ verdict: "follows", followsFrom: [slips[0]] });
    const grad = report.rows.find((r) => r.stepId === "backward.dW.1.0.1")!;
    expect(grad.verdict).toBe("follows");
    expect(grad.followsFrom).toContain(slips[1]);
  });

  it("names each slip", () => {
    const named = Object.fromEntries(
      report.rows.filter((r) => r.verdict === "wrong").map((r) => [r.key, r.diagnosis?.mistake]),
    );
    expect(named).toEqual({
      [slips[0]]: "z-for-a",
      [slips[1]]: "forgot-activation-derivative",
      [slips[2]]: "added-gradient",
    });
  });

  it("the same answers without the slips are all credited", () => {
    const clean = Object.fromEntries(
      traceNetwork(spec, { precision: "exact" }).steps.map((s) => [s.key, at4(new Decimal(s.value))]),
    );
    const r = checkHandCalculation(spec, clean);
    expect(r.summary.wrong).toBe(0);
    expect(r.summary.followThrough).toBe(0);
  });
});

describe("one slip in δ costs one mark", () => {
  it("∂E/∂w written as (their δ) × a follows from δ, for every weight of the unit (the classic network)", async () => {
    const { readFileSync } = await import("node:fs");
    const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
    // δ_o1 = 0.1385 slipped to 0.1400; ∂E/∂w5 = δ_o1 · a_h1, ∂E/∂w6 = δ_o1 · a_h2, and the updates from those
    const d = new Decimal("0.1400");
    const answers = {
      "dE/da_o1": "0.7414",
      "da_o1/dz_o1": "0.1868",
      delta_o1: "0.1400",
      "dE/dw5": at4(d.times("0.593269992")),
      "dE/dw6": at4(d.times("0.596884378")),
      "w5+": at4(new Decimal("0.4").minus(d.times("0.593269992").times(0.5))),
      "w6+": at4(new Decimal("0.45").minus(d.times("0.596884378").times(0.5))),
    };
    const r = checkHandCalculation(classic, answers);
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["dE/da_o1", "correct"],
      ["da_o1/dz_o1", "correct"],
      ["delta_o1", "wrong"],
      ["dE/dw5", "follows"],
      ["dE/dw6", "follows"],
      ["w5+", "follows"],
      ["w6+", "follows"],
    ]);
  });
});

describe("follow-through cannot be gamed with a trivial early answer", () => {
  it("δ = 0 makes ∂E/∂w = 0 and w⁺ = w: no follow-through credit for those", async () => {
    const { readFileSync } = await import("node:fs");
    const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));
    const r = checkHandCalculation(classic, { delta_o1: "0.0000", "dE/dw5": "0.0000", "w5+": "0.4000" });
    expect(r.rows.map((x) => x.verdict)).toEqual(["wrong", "wrong", "wrong"]);
    expect(r.rows[1].explanation).toContain("follow-through credit is not given for what an answer of 0 for delta_o1");
    // a non-degenerate slip still carries credit
    const fair = checkHandCalculation(classic, { delta_o1: "0.1400", "dE/dw5": "0.0831" });
    expect(fair.rows.map((x) => x.verdict)).toEqual(["wrong", "follows"]);
  });
});
