// The step-through view's state logic (src/view): the order of the steps, judging typed values
// with the checker (follow-through included), what-if edits recomputed exactly as a fresh engine
// trace of the edited spec, the notation switch, the payload's checks and the symbol marks.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { traceNetwork } from "../src/engine/network.js";
import { graphTrace } from "../src/engine/graph.js";
import { StepThrough } from "../src/view/session.js";
import {
  graphPayload,
  networkPayload,
  readPayload,
  STEP_THROUGH_MIME,
  STEP_THROUGH_VERSION,
} from "../src/view/payload.js";
import { markSymbols } from "../src/view/marks.js";
import { foldedBundle, graphStepThroughBundle, stepThroughBundle } from "../src/view/show.js";
import { viewAnswersShown, type NotebookJson } from "../src/exercises/leaks.js";

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8")) as Record<
  string,
  unknown
>;
const session = (precision = "dp:4") => new StepThrough(networkPayload(classic, { precision }));
const at = (s: StepThrough, key: string) => {
  const i = s.steps.findIndex((x) => x.key === key);
  if (i < 0) throw new Error(`no step ${key}`);
  s.go(i);
  return s;
};

describe("step order", () => {
  it("follows the hand calculation: each unit's z then a, the error, output gradients, hidden paths and sums, the updates", () => {
    const s = session();
    expect(s.steps).toHaveLength(43);
    expect(s.steps.slice(0, 9).map((x) => x.key)).toEqual([
      "z_h1",
      "a_h1",
      "z_h2",
      "a_h2",
      "z_o1",
      "a_o1",
      "z_o2",
      "a_o2",
      "E_total",
    ]);
    expect(s.steps.slice(9, 12).map((x) => x.key)).toEqual(["dE/da_o1", "dE/da_o2", "da_o1/dz_o1"]);
    // a hidden unit's gradient comes after both of its paths
    const keys = s.steps.map((x) => x.key);
    expect(keys.indexOf("dE/da_h1")).toBeGreaterThan(keys.indexOf("dE_o2/da_h1"));
    expect(keys.indexOf("dE_o2/da_h1")).toBeGreaterThan(keys.indexOf("dE_o1/da_h1"));
    expect(keys.slice(-8)).toEqual(["w5+", "w6+", "w7+", "w8+", "w1+", "w2+", "w3+", "w4+"]);
    expect(s.phases.map((p) => [p.id, p.first])).toEqual([
      ["forward", 0],
      ["loss", 8],
      ["output", 9],
      ["hidden", 20],
      ["update", 35],
    ]);
  });

  it("moves by one, jumps to a phase, and stays within the steps", () => {
    const s = session();
    s.previous();
    expect(s.index).toBe(0);
    s.next();
    expect(s.current.key).toBe("a_h1");
    s.jump("output");
    expect(s.current.key).toBe("dE/da_o1");
    expect(s.phase.title).toBe("Output layer");
    s.go(1000);
    expect(s.current.key).toBe("w4+");
    s.next();
    expect(s.index).toBe(42);
  });

  it("steps through a graph node by node forward, then each gradient backward", () => {
    const s = new StepThrough(graphPayload("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }));
    expect(s.steps.map((x) => [x.phase, x.key, x.value])).toEqual([
      ["forward", "q", "3"],
      ["forward", "f", "-12"],
      ["backward", "df/dz", "3"],
      ["backward", "df/dq", "-4"],
      ["backward", "df/dy", "-4"],
      ["backward", "df/dx", "-4"],
    ]);
    expect(s.phases.map((p) => p.title)).toEqual(["Forward pass", "Backward pass"]);
  });
});

describe("predict, then reveal", () => {
  it("judges the slide's 0.0820 for dE/dw5: first 'not yet' with a nudge and no value, the second wrong try reveals 0.0822", () => {
    const s = at(session(), "dE/dw5");
    expect(s.revealed(s.current.id)).toBe(false);
    expect(s.check("0.0820")).toEqual({ ok: true });
    const first = s.attempts(s.current.id)[0];
    expect(first.verdict).toBe("wrong");
    expect(s.revealed(s.current.id)).toBe(false);
    expect(first.nudge).toBe("look again at the values it reads: dE/da_o1, da_o1/dz_o1, a_h1");
    expect(first.nudge).not.toMatch(/0\.082/);
    expect(s.check("0.0830")).toEqual({ ok: true });
    expect(s.revealed(s.current.id)).toBe(true);
    expect(s.attempts(s.current.id)[1].explanation).toContain("should be 0.0822");
    expect(s.result(s.current.id)).toBe("shown");
    // revealed: nothing more is judged
    expect(s.check("0.0822")).toEqual({ ok: false, message: "dE/dw5 is shown already: Next goes on" });
  });

  it("right at the second try counts as such; right at once reveals at once", () => {
    const s = at(session(), "dE/dw5");
    s.check("0.0820");
    s.check("0.0822");
    expect(s.result(s.current.id)).toBe("second-try");
    at(s, "a_h1").check("0.5933");
    expect(s.revealed(s.current.id)).toBe(true);
    expect(s.result(s.current.id)).toBe("first-try");
  });

  it("nudges from the checker's diagnosis: the sign, the missing path, z for a (never the value)", () => {
    const s = at(session(), "dE/da_o2");
    s.check("0.2171"); // should be −0.2171
    expect(s.attempts(s.current.id)[0].nudge).toMatch(/minus sign|look at the sign/);
    at(s, "a_h1").check("0.3775"); // z written for a
    expect(s.attempts(s.current.id)[0].nudge).toBe("it looks as if you used z where a was needed");
    expect(s.revealed(s.current.id)).toBe(false);
  });

  it("gives follow-through credit from the student's own earlier value, and reveals it", () => {
    const s = at(session(), "dE/da_o1");
    s.check("0.7500");
    expect(s.attempts(s.current.id)[0].verdict).toBe("wrong");
    at(s, "delta_o1").check("0.1401"); // 0.7500 × 0.1868
    const d = s.attempts(s.current.id)[0];
    expect(d.verdict).toBe("follows");
    expect(d.explanation).toContain("dE/da_o1");
    expect(s.revealed(s.current.id)).toBe(true);
  });

  it("accepts a value the rounded chain gives, and a Unicode minus", () => {
    const s = at(session(), "dE/da_o2");
    s.check("−0.2171");
    expect(s.attempts(s.current.id)[0].verdict).toBe("correct");
    at(s, "E_total").check("0.2984");
    expect(["correct", "rounding"]).toContain(s.attempts(s.current.id)[0].verdict);
  });

  it("wants the places the view asks for: 1.2 for a 4-place value is a request, not a verdict", () => {
    const s = at(session(), "z_o1");
    expect(s.current.value).toBe("1.1059");
    expect(s.check("1.1")).toEqual({ ok: false, message: "give 4 decimal places (1.1 has 1)" });
    at(s, "z_o2");
    expect(s.check("1.2")).toEqual({ ok: false, message: "give 4 decimal places (1.2 has 1)" }); // z_o2 = 1.2249
    expect(s.attempts(s.current.id)).toHaveLength(0);
    // a value that is short itself needs no padding (∂E/∂E-like ones, a graph's 3)
    const g = new StepThrough(graphPayload("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }));
    expect(g.check("3")).toEqual({ ok: true });
    expect(g.result(g.current.id)).toBe("first-try");
  });

  it("answers an empty box and what is not a number with a message and changes nothing", () => {
    const s = at(session(), "a_h1");
    expect(s.check("  ")).toEqual({ ok: false, message: "type your value for a_h1 first (4 decimal places)" });
    expect(s.check("abc")).toEqual({
      ok: false,
      message: 'a_h1: "abc" is not a number. Write a decimal number such as 0.3775 or -0.0190.',
    });
    expect(s.check("0,5933")).toMatchObject({
      ok: false,
      message: expect.stringContaining("Write the decimal point as a point: 0.5933, not 0,5933"),
    });
    expect(s.attempts(s.current.id)).toHaveLength(0);
    expect(s.revealed(s.current.id)).toBe(false);
  });

  it("records Next on an unanswered step as skipped, and sums up first and second tries, shown and skipped", () => {
    const s = session();
    s.show(); // z_h1 shown
    s.next(); // a_h1 left unanswered: skipped
    s.next(); // z_h2 too; jumping ahead from it below skips it
    at(s, "dE/dw5").check("0.0820");
    s.check("0.0822"); // second try
    at(s, "w5+").check("0.3589");
    at(s, "z_o1").check("1.1059");
    const sum = s.summary();
    expect(sum.counts).toEqual({ "first-try": 2, "second-try": 1, follows: 0, shown: 1, skipped: 2, open: 37 });
    expect(sum.answered).toBe(3);
    expect(sum.lines.map((l) => [l.key, l.result])).toEqual([
      ["z_h1", "shown"],
      ["a_h1", "skipped"],
      ["z_h2", "skipped"],
      ["dE/dw5", "second-try"],
    ]);
    // answering a skipped step later takes it off the skipped list
    at(s, "a_h1").check("0.5933");
    expect(s.result(s.current.id)).toBe("first-try");
  });
});

describe("a step is written only with what the student has seen", () => {
  it("keeps the numbers off a line until every step it reads is revealed; givens are always on the page", () => {
    const s = session();
    const step = (key: string) => s.steps.find((x) => x.key === key)!;
    expect(s.inputsSeen(step("z_h1"))).toBe(true); // reads only givens
    expect(s.inputsSeen(step("a_h1"))).toBe(false);
    expect(s.inputsSeen(step("w7+"))).toBe(false); // 0.5 − 0.5 × (−0.0226) would give dE/dw7 away
    s.show();
    expect(s.inputsSeen(step("a_h1"))).toBe(true);
    at(s, "dE/dw7").check(step("dE/dw7").value);
    expect(s.inputsSeen(step("w7+"))).toBe(true);
  });
});

describe("every revealed value, typed back, is accepted", () => {
  const problems = {
    "softmax + cross-entropy (08)": networkPayload(
      {
        layers: [2, 3],
        activations: ["softmax"],
        loss: "cross_entropy",
        weights: [
          [
            [0.6, -0.4],
            [1.0, 0.3],
            [-0.8, 0.5],
          ],
        ],
        biases: [[0.2, -0.1, 0]],
        input: [1.5, 0.5],
        target: [0, 1, 0],
      },
      { precision: "dp:4" },
    ),
    "XNOR with sigmoids in paren1 (09)": networkPayload(
      {
        layers: [2, 2, 1],
        activations: ["sigmoid", "sigmoid"],
        loss: "half_sse",
        weights: [
          [
            [0.2, 0.2],
            [-0.2, -0.2],
          ],
          [[0.2, 0.2]],
        ],
        biases: [[-0.3, 0.2], [-0.1]],
        learningRate: 0.5,
        input: [1, 1],
        target: [1],
      },
      { precision: "dp:4", notation: "paren1" },
    ),
    "the sigmoid gate (04)": graphPayload(
      "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
      { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
      { precision: "dp:2" },
    ),
  };
  for (const [name, payload] of Object.entries(problems)) {
    it(name, () => {
      const s = new StepThrough(payload);
      const refused = s.steps.flatMap((step, i) => {
        s.go(i);
        s.check(step.value);
        const last = s.attempts(step.id).at(-1)!;
        return last.verdict === "correct" || last.verdict === "rounding"
          ? []
          : [`${step.key} = ${step.value}: ${last.verdict}, ${last.explanation}`];
      });
      expect(refused).toEqual([]);
    });
  }
});

describe("what if: an edited number is recomputed as a fresh trace of the edited spec", () => {
  for (const precision of ["float", "exact", "dp:4"]) {
    it(`in ${precision}: w5 = 0.41 changes dE/dw5 and w5+ to the engine's values, and marks what changed`, () => {
      const s = session(precision);
      const before = new Map(s.steps.map((x) => [x.key, x.value]));
      expect(s.edit("given.weight.2.0.0", "0.41")).toEqual({ ok: true });
      const fresh = traceNetwork(
        {
          ...classic,
          weights: [
            [
              [0.15, 0.2],
              [0.25, 0.3],
            ],
            [
              [0.41, 0.45],
              [0.5, 0.55],
            ],
          ],
        },
        { precision, notation: "names" },
      );
      expect(s.steps.map((x) => [x.id, x.value])).toEqual(fresh.steps.map((x) => [x.id, x.value]));
      const w5 = s.steps.find((x) => x.key === "dE/dw5")!,
        w5plus = s.steps.find((x) => x.key === "w5+")!;
      expect(w5.value).not.toBe(before.get("dE/dw5"));
      expect(s.changed.has(w5.id) && s.changed.has(w5plus.id)).toBe(true);
      // nothing before the edited weight is used changes
      expect(s.changed.has(s.steps.find((x) => x.key === "a_h1")!.id)).toBe(false);
      s.resetEdits();
      expect(s.steps.map((x) => x.value)).toEqual([...before.values()]);
      expect(s.changed.size).toBe(0);
    });
  }

  it("edits inputs, targets, a shared bias and the learning rate", () => {
    const s = session("exact");
    const edits = [
      ["given.input.1", "0.2"],
      ["given.target.0", "0.02"],
      ["given.bias.1", "0.3"],
      ["given.learningRate", "0.25"],
    ];
    for (const [id, text] of edits) expect(s.edit(id, text)).toEqual({ ok: true });
    const edited = {
      ...classic,
      input: [0.05, "0.2"],
      target: ["0.02", 0.99],
      biases: ["0.3", 0.6],
      learningRate: "0.25",
    };
    const fresh = traceNetwork(edited, { precision: "exact", notation: "names" });
    expect(s.steps.map((x) => x.value)).toEqual(fresh.steps.map((x) => x.value));
  });

  it("is a separate mode: an edit leaves every verdict as earned, keeps the old values, and answering waits", () => {
    const s = session();
    for (const [key, typed] of [
      ["z_h1", "0.3775"],
      ["a_h1", "0.5"],
      ["dE/dw5", "0.0822"],
    ])
      at(s, key).check(typed);
    const before = s.summary();
    const w5 = s.steps.find((x) => x.key === "dE/dw5")!.id;
    s.edit("given.bias.1", "0.5");
    expect(s.summary()).toEqual(before);
    expect(s.attempts(w5)[0].verdict).toBe("correct");
    expect(s.baseValues.get(w5)).toBe("0.0822");
    expect(s.steps.find((x) => x.id === w5)!.value).not.toBe("0.0822");
    expect(s.changed.has(w5)).toBe(true);
    at(s, "z_o1");
    expect(s.check("1.1059")).toEqual({
      ok: false,
      message: "what-if numbers are on: go back to the problem's own numbers to answer",
    });
    s.resetEdits();
    expect(s.check("1.1059")).toEqual({ ok: true });
    // judged against the problem's own numbers even right after an edit and its undoing
    expect(s.attempts(s.current.id)[0].verdict).toBe("correct");
  });

  it("draws the loss against an edited weight with the gradient as its tangent", () => {
    const s = session("exact");
    s.edit("given.weight.2.0.0", "0.41");
    const c = s.lossCurve("given.weight.2.0.0")!;
    expect(c).toMatchObject({ weightKey: "w5", lossKey: "E_total", gradientKey: "dE/dw5" });
    expect(c.at.x).toBe(0.41);
    const fresh = (w: number) =>
      Number(
        traceNetwork(
          {
            ...classic,
            weights: [
              [
                [0.15, 0.2],
                [0.25, 0.3],
              ],
              [
                [w, 0.45],
                [0.5, 0.55],
              ],
            ],
          },
          { precision: "float" },
        )
          .steps.filter((x) => x.quantity === "loss")
          .at(-1)!.value,
      );
    expect(c.at.loss).toBeCloseTo(fresh(0.41), 12);
    // the tangent's slope is the curve's: a central difference of the engine's own loss
    const h = 1e-6;
    expect(c.at.slope).toBeCloseTo((fresh(0.41 + h) - fresh(0.41 - h)) / (2 * h), 6);
    for (const p of c.points) expect(p.loss).toBeCloseTo(fresh(p.x), 12);
    expect(c.points[0].x).toBeCloseTo(-0.59, 12);
    expect(s.lossCurve("given.learningRate")).toBeUndefined();
  });

  it("refuses an edit the engine refuses, with its message, and keeps the numbers", () => {
    const s = session();
    expect(s.edit("given.learningRate", "-1")).toMatchObject({
      ok: false,
      message: expect.stringContaining("learningRate"),
    });
    expect(s.edit("given.weight.2.0.0", "0,4")).toMatchObject({
      ok: false,
      message: 'weight w5: "0,4" is not a number. Write the decimal point as a point: 0.4, not 0,4.',
    });
    expect(s.givenValue("given.learningRate")).toBe("0.5");
    expect(s.changed.size).toBe(0);
  });

  it("edits a graph's input: the gradients are the engine's for the new value", () => {
    const s = new StepThrough(graphPayload("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { precision: "dp:2" }));
    expect(s.edit("given.z", "0.5")).toEqual({ ok: true });
    const fresh = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: "0.5" }, "dp:2");
    expect(s.steps.map((x) => x.value)).toEqual(fresh.steps.map((x) => x.value));
    expect(s.steps.find((x) => x.key === "df/dz")!.value).toBe("3.00"); // ∂f/∂z = q does not depend on z
    expect(s.changed.has("backward.z")).toBe(false);
    expect(s.changed.has("backward.x")).toBe(true);
  });
});

describe("progress saved with the notebook", () => {
  it("comes back whole after a JSON round trip: attempts, verdicts, shown and skipped steps, the step, notation, edits", () => {
    const s = session();
    s.show();
    s.next();
    s.next();
    at(s, "dE/dw5").check("0.0820");
    at(s, "a_h1").check("0.5933");
    const w5 = s.steps.find((x) => x.key === "dE/dw5")!.id;
    s.setNotation("paren");
    s.edit("given.weight.2.0.0", "0.41");
    const saved = JSON.parse(JSON.stringify(s.progress())) as unknown;
    const t = session();
    t.restore(saved);
    expect(t.summary()).toEqual(s.summary());
    expect(t.index).toBe(s.index);
    expect(t.notation).toBe("paren");
    expect([...t.edits]).toEqual([["given.weight.2.0.0", "0.41"]]);
    expect(t.attempts(w5)[0]).toMatchObject({ typed: "0.0820", verdict: "wrong", nudge: expect.any(String) });
    expect(t.revealed(w5)).toBe(false);
  });

  it("takes from a hand-edited or foreign record only what fits this view, and nothing from junk", () => {
    const s = session();
    const a_h1 = s.steps[1].id;
    s.restore({
      version: 1,
      index: 9999,
      notation: "greek",
      steps: {
        [a_h1]: {
          attempts: [{ typed: "0.5933", verdict: "correct", explanation: "ok" }, { typed: 5 }],
          revealed: true,
        },
        "no.such.step": { attempts: [], revealed: true },
        __proto__: { revealed: true },
      },
      edits: { "given.weight.2.0.0": "<b>", "given.nothing": "1" },
    });
    expect(s.result(a_h1)).toBe("first-try");
    expect(s.attempts(a_h1)).toHaveLength(1);
    expect(s.index).toBe(42);
    expect(s.notation).toBe("names");
    expect(s.edits.size).toBe(0); // "<b>" is not a number: the edit is refused
    for (const junk of [null, "x", 3, [], { version: 2, steps: {} }]) {
      const t = session();
      t.restore(junk);
      expect(t.summary().counts.open).toBe(43);
    }
  });

  it("starts again: no answers, nothing shown, the first step, the problem's own numbers and notation", () => {
    const s = session();
    at(s, "a_h1").check("0.5933");
    s.setNotation("aima");
    s.edit("given.bias.1", "0.5");
    s.startAgain();
    expect(s.summary().counts.open).toBe(43);
    expect([s.index, s.notation, s.edits.size, s.changed.size]).toEqual([0, "names", 0, 0]);
    expect(s.progress()).toEqual({ version: 1, index: 0, notation: "names", steps: {}, edits: {} });
  });
});

describe("notation and links", () => {
  it("switches among the five presets, keeping the answers of each step", () => {
    const s = at(session(), "dE/dw5");
    s.check("0.0820");
    s.setNotation("bracket");
    expect(s.current.key).toBe("dL/dW^[2]_11");
    expect(s.attempts(s.current.id)[0]).toMatchObject({ typed: "0.0820", verdict: "wrong" });
    for (const preset of ["paren", "paren1", "aima", "names"] as const) {
      s.setNotation(preset);
      expect(s.steps).toHaveLength(43);
      expect(s.attempts(s.current.id)[0].verdict).toBe("wrong");
    }
  });

  it("knows what each step reads and which units and edges of the drawing it uses", () => {
    const s = session();
    const id = (key: string) => s.steps.find((x) => x.key === key)!.id;
    const step = (key: string) => s.steps.find((x) => x.key === key)!;
    // as its formula writes it: ∂E/∂a_o1 · ∂a_o1/∂z_o1 · a_h1
    expect(step("dE/dw5").uses).toEqual({
      units: ["2.0", "1.0"],
      edges: ["1.0>2.0"],
      reads: [id("dE/da_o1"), id("da_o1/dz_o1"), id("a_h1")],
    });
    expect(step("dE/dw1").uses.reads).toEqual([id("dE/da_h1"), id("da_h1/dz_h1"), "given.input.0"]);
    expect(step("z_h1").uses.reads).toEqual([
      "given.input.0",
      "given.weight.1.0.0",
      "given.input.1",
      "given.weight.1.0.1",
      "given.bias.1",
    ]);
    expect(step("dE/da_h1").uses.reads).toEqual([id("dE_o1/da_h1"), id("dE_o2/da_h1")]);
    expect(step("w5+").uses.reads).toEqual(["given.weight.2.0.0", id("dE/dw5"), "given.learningRate"]);
    for (const x of s.steps)
      for (const r of x.uses.reads)
        expect(s.steps.some((y) => y.id === r) || s.givens.some((g) => g.id === r)).toBe(true);
  });
});

describe("the drawing", () => {
  it("labels units as the chosen notation writes them and lays layers out as columns", () => {
    const s = session();
    expect(s.layout().nodes.map((n) => n.label)).toEqual(["i1", "i2", "h1", "h2", "o1", "o2"]);
    s.setNotation("bracket");
    const layout = s.layout();
    expect(layout.nodes.map((n) => n.label)).toEqual([
      "a^[0]_1",
      "a^[0]_2",
      "a^[1]_1",
      "a^[1]_2",
      "a^[2]_1",
      "a^[2]_2",
    ]);
    expect(new Set(layout.nodes.map((n) => n.x)).size).toBe(3);
    expect(layout.edges.map((e) => e.key)).toContain("1.0>2.0");
    expect(layout.edges).toHaveLength(8);
  });
});

describe("the payload", () => {
  it("is versioned and small: the classic example's adds well under 100 KB to the notebook", () => {
    const bundle = stepThroughBundle(classic, { precision: "dp:4" });
    const data = bundle[STEP_THROUGH_MIME] as { version: number };
    expect(data.version).toBe(STEP_THROUGH_VERSION);
    expect(JSON.stringify(data).length).toBeLessThan(100_000);
    expect(bundle["text/html"]).toContain("0.3775"); // the static derivation beside it
    expect(readPayload(JSON.parse(JSON.stringify(data)))).toMatchObject({ ok: true });
  });

  it("can carry a one-line note instead of the derivation where the notebook shows it anyway", () => {
    const bundle = stepThroughBundle(classic, {
      precision: "dp:4",
      fallback: "note",
      title: "The <two-layer> network",
    });
    expect(bundle["text/html"]).toBe(
      "<p><em>The &lt;two-layer&gt; network: an interactive step-through view, shown in JupyterLab with backprop-tutor&#39;s extension " +
        "(npm install). The worked calculation is in the cells around it.</em></p>",
    );
    expect(JSON.stringify(bundle).length).toBeLessThan(2_000);
    expect(bundle[STEP_THROUGH_MIME]).toEqual(
      networkPayload(classic, { precision: "dp:4", title: "The <two-layer> network" }),
    );
  });

  it("reads an older or hand-edited payload as one sentence saying what is wrong", () => {
    const good = networkPayload(classic);
    expect(readPayload({ ...good, version: 0 })).toEqual({
      ok: false,
      message:
        "The step-through view's data has version 0; this view reads version 1: run the cell again to redraw it.",
    });
    expect(readPayload("x")).toMatchObject({ ok: false });
    expect(readPayload({ ...good, kind: "table" })).toMatchObject({
      ok: false,
      message: expect.stringContaining('"table"'),
    });
    expect(readPayload({ ...good, notation: "greek" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("names, bracket"),
    });
    expect(readPayload({ ...good, precision: "dp:x" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("dp:x"),
    });
    expect(() => new StepThrough({ ...good, spec: { ...classic, layers: [2, 3, 2] } })).toThrow(/weights/);
  });
});

describe("symbol marks and shown values", () => {
  it("marks the longest symbol once and never a letter inside a command", () => {
    const syms = ["\\frac{\\partial E_{total}}{\\partial a_{o1}}", "a_{o1}", "x", "w_{5}"];
    expect(markSymbols("\\frac{\\partial E_{total}}{\\partial a_{o1}} a_{o1}", syms)).toBe(
      "\\htmlData{ref=0}{\\frac{\\partial E_{total}}{\\partial a_{o1}}} \\htmlData{ref=1}{a_{o1}}",
    );
    expect(markSymbols("\\exp(x) + \\max(x, 1)", syms)).toBe(
      "\\exp(\\htmlData{ref=2}{x}) + \\max(\\htmlData{ref=2}{x}, 1)",
    );
  });
});

describe("the leak check over a notebook with a view", () => {
  const view = (bundle: Record<string, unknown>) => ({
    cell_type: "code",
    source: "showStepThrough(spec)",
    outputs: [{ output_type: "display_data", data: bundle }],
  });
  const html = (text: string) => ({
    cell_type: "code",
    source: "",
    outputs: [{ output_type: "display_data", data: { "text/html": text } }],
  });
  const prose = (text: string, metadata: Record<string, unknown> = {}) => ({
    cell_type: "markdown",
    source: text,
    metadata,
  });
  const net = stepThroughBundle(classic, { precision: "dp:4", fallback: "note" }) as unknown as Record<string, unknown>;

  it("finds a view's value above it or right after it, at the view's precision, and not folded away", () => {
    const nb = {
      cells: [
        html("<p>a<sub>h1</sub> = 0.59327</p>"), // 0.5933 at 4 places
        html(foldedBundle("worked", [{ "text/plain": "", "text/html": "<p>z_o1 = 1.1059</p>" }])["text/html"]!),
        prose("## Worked", { "jp-MarkdownHeadingCollapsed": true }),
        prose("E_total = 0.2984"), // under a folded heading
        prose("## Your turn"),
        view(net),
        prose("so dE/dw5 = 0.0822, as the slides nearly say"),
        prose("far below: w5+ = 0.3589"),
      ],
    } as NotebookJson;
    expect(viewAnswersShown(nb).map((x) => [x.cell, x.key, x.printed])).toEqual([
      [0, "a_h1", "0.59327"],
      [6, "dE/dw5", "0.0822"],
    ]);
  });

  it("counts a short whole number only written beside its name (q = 3), never a bare 3", () => {
    const graph = graphStepThroughBundle("q = x + y; f = q * z", { x: -2, y: 5, z: -4 }, { fallback: "note" });
    const nb = {
      cells: [
        prose("Take x = -2, y = 5, z = -4: 3 steps, then f = −12."),
        view(graph as unknown as Record<string, unknown>),
      ],
    } as NotebookJson;
    expect(viewAnswersShown(nb).map((x) => [x.key, x.printed])).toEqual([["f", "f = −12"]]);
  });
});
