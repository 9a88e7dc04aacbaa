// The step-through view's state logic (src/view): the order of the steps, judging typed values
// with the checker (follow-through included), what-if edits recomputed exactly as a fresh engine
// trace of the edited spec, the notation switch, the payload's checks and the symbol marks.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { traceNetwork } from "../src/engine/network.js";
import { graphTrace } from "../src/engine/graph.js";
import { StepThrough, displayValue } from "../src/view/session.js";
import {
  graphPayload,
  networkPayload,
  readPayload,
  STEP_THROUGH_MIME,
  STEP_THROUGH_VERSION,
} from "../src/view/payload.js";
import { markSymbols } from "../src/view/marks.js";
import { stepThroughBundle } from "../src/view/show.js";

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
  it("judges the slide's 0.0820 for dE/dw5 wrong (should be 0.0822) and 0.0822 correct, revealing the value", () => {
    const s = at(session(), "dE/dw5");
    expect(s.revealed(s.current.id)).toBe(false);
    expect(s.check("0.0820")).toEqual({ ok: true });
    expect(s.attempts(s.current.id)[0]).toMatchObject({
      verdict: "wrong",
      explanation: expect.stringContaining("should be 0.0822"),
    });
    expect(s.revealed(s.current.id)).toBe(true);
    expect(s.current.value).toBe("0.0822");
    s.check("0.0822");
    expect(s.attempts(s.current.id).at(-1)!.verdict).toBe("correct");
  });

  it("gives follow-through credit from the student's own earlier value, and names a classic mistake", () => {
    const s = at(session(), "dE/da_o1");
    s.check("0.7500");
    expect(s.attempts(s.current.id)[0].verdict).toBe("wrong");
    at(s, "delta_o1").check("0.1401"); // 0.7500 × 0.1868
    const d = s.attempts(s.current.id)[0];
    expect(d.verdict).toBe("follows");
    expect(d.explanation).toContain("dE/da_o1");
    at(s, "a_h1").check("0.3775"); // z written for a
    expect(s.attempts(s.current.id)[0].explanation).toMatch(/activation was not applied/);
  });

  it("accepts a value the rounded chain gives, and a Unicode minus", () => {
    const s = at(session(), "dE/da_o2");
    s.check("−0.2171");
    expect(s.attempts(s.current.id)[0].verdict).toBe("correct");
    at(s, "E_total").check("0.2984");
    expect(["correct", "rounding"]).toContain(s.attempts(s.current.id)[0].verdict);
  });

  it("answers what is not a number with the checker's own message and changes nothing", () => {
    const s = at(session(), "a_h1");
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

  it("shows without judging, and sums up which steps went wrong and why", () => {
    const s = session();
    s.show();
    at(s, "dE/dw5").check("0.0820");
    at(s, "w5+").check("0.3590"); // 0.4 − 0.5 × 0.0820: follows from the slip
    at(s, "z_o1").check("1.1059");
    const sum = s.summary();
    expect(sum.counts).toMatchObject({ correct: 1, wrong: 1, follows: 1, shown: 1, open: 39 });
    expect(sum.lines.map((l) => [l.key, l.verdict])).toEqual([
      ["z_h1", "shown"],
      ["dE/dw5", "wrong"],
      ["w5+", "follows"],
    ]);
    expect(sum.lines[1].explanation).toContain("should be 0.0822");
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

  it("re-judges typed answers against the edited numbers", () => {
    const s = at(session(), "dE/dw5");
    s.check("0.0822");
    expect(s.attempts(s.current.id)[0].verdict).toBe("correct");
    s.edit("given.weight.2.0.0", "0.1");
    expect(s.verdictsStale).toBe(true);
    s.rejudge();
    expect(s.attempts(s.current.id)[0].verdict).toBe("wrong");
    expect(s.attempts(s.current.id)[0].explanation).toContain(`should be ${s.current.value}`); // the edited trace's dp:4 value
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

describe("notation and links", () => {
  it("switches among the five presets, keeping the answers of each step", () => {
    const s = at(session(), "dE/dw5");
    s.check("0.0820");
    s.setNotation("bracket");
    expect(s.current.key).toBe("dL/dW^[2]_11");
    expect(s.attempts(s.current.id)[0]).toMatchObject({ typed: "0.0820", verdict: "wrong" });
    for (const preset of ["paren", "paren1", "aima", "names"] as const) {
      s.setNotation(preset);
      s.rejudge();
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
  it("labels units by name in every notation and lays layers out as columns", () => {
    const s = session();
    s.setNotation("bracket");
    const layout = s.layout();
    expect(layout.nodes.map((n) => n.label)).toEqual(["i1", "i2", "h1", "h2", "o1", "o2"]);
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

  it("cuts exact values to 8 decimals and leaves short ones alone", () => {
    expect(displayValue("0.08216704056423077884641903355410638770526")).toBe("0.08216704…");
    expect(displayValue("-4")).toBe("-4");
  });
});
