// Each classic mistake, planted into an otherwise correct 4-decimal answer set of the classic
// example, is found at the step where it was made and named; the quantities computed from it
// are "follows". A planted set is the dp:4 chain with the mistaken number put in at one step
// (the engine carries it forward, as the student would); the planted numbers are worked out by
// hand in each case.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Decimal } from "decimal.js";
import { traceNetwork } from "../src/index.js";
import { checkHandCalculation, type CheckReport } from "../src/checking/check.js";
import type { MistakeId } from "../src/checking/mistakes.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

/** The dp:4 answer set, with `overrides` (step id → the mistaken number) carried forward. */
function planted(overrides: Record<string, string>, spec: object = classic): Record<string, string> {
  return Object.fromEntries(traceNetwork(spec, { precision: "dp:4", overrides }).steps.map((s) => [s.key, s.value]));
}
const clean = planted({});
const changed = (answers: Record<string, string>) => Object.keys(answers).filter((k) => answers[k] !== clean[k]);

interface Case {
  mistake: MistakeId;
  /** the planted value, worked out by hand */
  check: () => void;
  answers: Record<string, string>;
  /** where it was made */
  at: string;
  /** further instances of the same mistake (wrong, same diagnosis) */
  repeats?: string[];
}

const d = (x: string) => new Decimal(x);
const CASES: Case[] = [
  {
    mistake: "z-for-a",
    at: "z_o1",
    // z_o1 = w5 z_h1 + w6 z_h2 + b2 = 0.40 × 0.3775 + 0.45 × 0.3925 + 0.60
    check: () =>
      expect(d("0.40").times("0.3775").plus(d("0.45").times("0.3925")).plus("0.60").toFixed(4)).toBe("0.9276"),
    answers: planted({ "forward.z.2.0": "0.9276" }),
  },
  {
    mistake: "z-for-a",
    at: "dE/dw5",
    // ∂E/∂w5 = 0.7414 × 0.1868 × z_h1 (0.3775) instead of a_h1
    check: () => expect(d("0.7414").times("0.1868").times("0.3775").toFixed(4)).toBe("0.0523"),
    answers: planted({ "backward.dW.2.0.0": "0.0523" }),
  },
  {
    mistake: "sigma-instead-of-derivative",
    at: "da_o1/dz_o1",
    // σ(z_o1) = a_o1 = 0.7514 instead of a_o1(1 − a_o1) = 0.1868
    check: () =>
      expect(
        d("1")
          .div(d("1").plus(d("-1.1059").exp()))
          .toFixed(4),
      ).toBe("0.7514"),
    answers: planted({ "backward.da/dz.2.0": "0.7514" }),
  },
  {
    mistake: "lost-minus-sign",
    at: "dE/da_o1",
    // −(t − a) = −(0.01 − 0.7514) = 0.7414; without the minus −0.7414
    check: () => expect(d("0.01").minus("0.7514").toFixed(4)).toBe("-0.7414"),
    answers: planted({ "backward.dL/da.2.0": "-0.7414" }),
  },
  {
    mistake: "lost-minus-sign",
    at: "dE_o2/da_h1",
    // the path term δ_o2 w7 = −0.0381 × 0.50 = −0.01905 (→ −0.0190, ties towards +∞), written without its minus
    check: () => expect(d("-0.0381").times("0.50").toFixed(4, Decimal.ROUND_HALF_CEIL)).toBe("-0.0190"),
    answers: planted({ "backward.path.1.0.1": "0.0190" }),
  },
  {
    mistake: "lost-minus-sign",
    at: "dE/da_h1",
    // the sum 0.0554 + (−0.0190) = 0.0364, written −0.0364
    check: () => expect(d("0.0554").plus("-0.0190").toFixed(4)).toBe("0.0364"),
    answers: planted({ "backward.dL/da.1.0": "-0.0364" }),
  },
  {
    mistake: "target-for-output",
    at: "E_total",
    // ½(t_o1 − t_o1)² + ½(0.99 − 0.7729)² = 0.0236 instead of 0.2984
    check: () => expect(d("0.99").minus("0.7729").pow(2).div(2).toFixed(4)).toBe("0.0236"),
    answers: planted({ loss: "0.0236" }),
  },
  {
    mistake: "missed-second-path",
    at: "dE/da_h1",
    // only δ_o1 w5 = 0.1385 × 0.40 = 0.0554, without δ_o2 w7 = −0.0190
    check: () => expect(d("0.1385").times("0.40").toFixed(4)).toBe("0.0554"),
    answers: planted({ "backward.dL/da.1.0": "0.0554" }),
  },
  {
    mistake: "updated-weights-in-backprop",
    at: "dE_o1/da_h1",
    // δ_o1 w5+ = 0.1385 × 0.3589 instead of δ_o1 w5 = 0.1385 × 0.40
    check: () => expect(d("0.1385").times("0.3589").toFixed(4)).toBe("0.0497"),
    answers: planted({}, { ...classic, hiddenDeltaWeights: "updated" }),
    repeats: ["dE_o2/da_h1", "dE_o1/da_h2", "dE_o2/da_h2"],
  },
  {
    mistake: "added-gradient",
    at: "w5+",
    // w5 + η ∂E/∂w5 = 0.40 + 0.5 × 0.0822
    check: () => expect(d("0.40").plus(d("0.5").times("0.0822")).toFixed(4)).toBe("0.4411"),
    answers: planted({ "update.W.2.0.0": "0.4411" }),
  },
  {
    mistake: "forgot-learning-rate",
    at: "w5+",
    // w5 − ∂E/∂w5 = 0.40 − 0.0822
    check: () => expect(d("0.40").minus("0.0822").toFixed(4)).toBe("0.3178"),
    answers: planted({ "update.W.2.0.0": "0.3178" }),
  },
  {
    mistake: "target-for-output",
    at: "da_o1/dz_o1",
    // t_o1 (1 − t_o1) = 0.01 × 0.99 instead of a_o1 (1 − a_o1)
    check: () => expect(d("0.01").times("0.99").toFixed(4)).toBe("0.0099"),
    answers: planted({ "backward.da/dz.2.0": "0.0099" }),
  },
];

function expectDetected(c: Case, r: CheckReport): void {
  const wrong = r.rows.filter((x) => x.verdict === "wrong");
  expect(r.firstWrong).toBe(c.at);
  expect(wrong.map((x) => x.key)).toEqual([c.at, ...(c.repeats ?? [])]);
  for (const w of wrong) expect(w.diagnosis?.mistake, w.key).toBe(c.mistake);
  expect(wrong[0].diagnosis?.at).toBe(c.at);
  expect(wrong[0].isFirstWrong).toBe(true);
  // every other changed quantity follows from the mistake; unchanged ones are still right
  const changedKeys = changed(c.answers);
  for (const x of r.rows) {
    if (x.verdict === "wrong") continue;
    if (changedKeys.includes(x.key)) {
      expect(x.verdict, x.key).toBe("follows");
      expect(
        x.followsFrom?.every((k) => [c.at, ...(c.repeats ?? [])].includes(k)),
        x.key,
      ).toBe(true);
    } else expect(["correct", "rounding"], x.key).toContain(x.verdict);
  }
}

describe("classic mistakes, planted into a 4-decimal answer set", () => {
  for (const c of CASES) {
    it(`${c.mistake} at ${c.at}`, () => {
      c.check();
      expect(changed(c.answers)).toContain(c.at);
      expectDetected(c, checkHandCalculation(classic, c.answers));
    });
  }

  it("the quantities after a forward-pass mistake all follow from it", () => {
    const r = checkHandCalculation(classic, CASES[0].answers);
    expect(r.summary).toMatchObject({ wrong: 1, followThrough: 18 });
    const a = r.rows.find((x) => x.key === "a_o1")!;
    expect(a).toMatchObject({ typed: "0.7166", verdict: "follows", followsFrom: ["z_o1"] });
    expect(a.explanation).toBe(
      "should be 0.7514, but from your earlier values it is 0.7166: follows from your value of z_o1",
    );
  });

  it("names the mistake in the explanation", () => {
    const r = checkHandCalculation(classic, CASES[2].answers);
    const row = r.rows.find((x) => x.isFirstWrong)!;
    expect(row.explanation).toMatch(
      /^should be 0\.1868 \(exact 0\.1868156\); probably: da_o1\/dz_o1 was taken as sigmoid\(z\) itself/,
    );
  });

  it("finds a mistake made in a step the student did not write down", () => {
    // σ(z) for ∂a_o1/∂z_o1, but only δ_o1 = 0.7414 × 0.7514 = 0.5571 is written
    const { ["da_o1/dz_o1"]: _skipped, ...answers } = CASES[2].answers;
    expect(answers.delta_o1).toBe("0.5571");
    const r = checkHandCalculation(classic, answers);
    const first = r.rows.find((x) => x.isFirstWrong)!;
    expect(first.key).toBe("delta_o1");
    expect(first.diagnosis).toMatchObject({ mistake: "sigma-instead-of-derivative" });
  });

  it("does not name a mistake for an unexplained slip", () => {
    const r = checkHandCalculation(classic, { ...clean, "w8+": "0.5617" });
    const w8 = r.rows.find((x) => x.key === "w8+")!;
    expect(w8.verdict).toBe("wrong");
    expect(w8.diagnosis).toBeUndefined();
  });
});
