// The hand-calculation checker: the slide values of seed 001 Example 8 (every verdict), clean
// answer sets at 4, 3 and 2 decimals, key spellings, partial sets, malformed answers, the
// renderers, the command and the time it takes.
import { describe, expect, it } from "vitest";
import { scratchDir } from "./helpers/scratch.js";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Decimal } from "decimal.js";
import { traceNetwork } from "../src/index.js";
import { checkHandCalculation, type CheckReport, type Verdict } from "../src/checking/check.js";
import { parseAnswersText, parseTypedNumber } from "../src/checking/answers.js";
import { normaliseKey } from "../src/checking/keys.js";
import { checkReportHtml, checkReportMarkdown } from "../src/render/check-report.js";
import { runCli } from "../src/cli/program.js";

const runCheck = (args: string[]) => runCli(["check", ...args]);

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

/** The slides' numbers, as printed (strings keep their trailing zeros: 0.3590 has 4 decimals). */
const SLIDES: [string, string, Verdict][] = [
  ["z_h1", "0.3775", "correct"],
  ["a_h1", "0.5933", "correct"],
  ["z_h2", "0.3925", "correct"],
  ["a_h2", "0.5969", "correct"],
  ["z_o1", "1.1059", "correct"],
  ["a_o1", "0.7514", "correct"],
  ["z_o2", "1.2249", "correct"],
  ["a_o2", "0.7729", "correct"],
  ["E_total", "0.2984", "correct"],
  ["dE/da_o1", "0.7414", "correct"],
  ["da_o1/dz_o1", "0.1868", "correct"],
  ["dz_o1/dw5", "0.5933", "correct"],
  // the slip: 0.7414 × 0.1868 × 0.5933 = 0.08217…, written .0820
  ["dE/dw5", ".0820", "wrong"],
  // 0.40 − 0.5 × 0.0820: right from the slip
  ["w5+", "0.3590", "follows"],
  ["w6+", "0.4087", "correct"],
  ["w7+", "0.5113", "correct"],
  // correct is 0.5614; no rounding of the chain gives 0.5617
  ["w8+", "0.5617", "wrong"],
  // ∂z_o1/∂a_h1 is the weight w5, ∂z_h1/∂w1 the input i1: numbers of the spec
  ["dE_o1/dz_o1", "0.1385", "correct"],
  ["dz_o1/da_h1", "0.40", "correct"],
  ["dE_o1/da_h1", "0.0554", "correct"],
  ["dE_o2/da_h1", "-0.0190", "correct"],
  ["dE/da_h1", "0.0364", "correct"],
  ["da_h1/dz_h1", "0.2413", "correct"],
  // exact 0.000438568…: right at the 4 decimals written
  ["dz_h1/dw1", "0.05", "correct"],
  ["dE/dw1", "0.0004", "correct"],
  ["w1+", "0.1498", "correct"],
  ["w2+", "0.1996", "correct"],
  ["w3+", "0.2498", "correct"],
  ["w4+", "0.2995", "correct"],
];
const slideAnswers = Object.fromEntries(SLIDES.map(([k, v]) => [k, v]));

const row = (r: CheckReport, key: string) => {
  const x = r.rows.find((y) => y.key === key);
  if (!x) throw new Error(`no row ${key}`);
  return x;
};

/** Every step's value in one precision, keyed by the names notation. */
function chainAnswers(precision: string): Record<string, string> {
  return Object.fromEntries(traceNetwork(classic, { precision }).steps.map((s) => [s.key, s.value]));
}

describe("the slide values of seed 001 Example 8", () => {
  const report = checkHandCalculation(classic, slideAnswers);

  it("the example's slide answers file is this set", () => {
    const file = parseAnswersText(
      readFileSync(new URL("../examples/classic-slide-answers.csv", import.meta.url), "utf8"),
      "slides.csv",
    );
    expect(file.map((a) => [a.key, parseTypedNumber(a.typed, a.where).text])).toEqual(
      SLIDES.map(([k, v]) => [k, parseTypedNumber(v, k).text]),
    );
  });

  it("gives every value on the slides its verdict", () => {
    expect(report.unknownKeys).toEqual([]);
    expect(report.rows).toHaveLength(SLIDES.length);
    for (const [key, , verdict] of SLIDES) expect(row(report, key).verdict, key).toBe(verdict);
    expect(report.summary).toEqual({
      correct: 26,
      rounding: 0,
      followThrough: 1,
      wrong: 2,
      tooFewPlaces: 0,
      total: 29,
    });
    expect(row(report, "dz_o1/da_h1")).toMatchObject({ role: "given", stepId: "given.weight.2.0.0", exact: "0.4" });
    expect(row(report, "dz_h1/dw1")).toMatchObject({ role: "given", stepId: "given.input.0", exact: "0.05" });
    expect(report.warning).toBeUndefined();
  });

  it("marks dE/dw5 as where the calculation goes off, and w5+ as following from it", () => {
    expect(report.firstWrong).toBe("dE/dw5");
    expect(report.rows.filter((r) => r.isFirstWrong).map((r) => r.key)).toEqual(["dE/dw5"]);
    const w5 = row(report, "w5+");
    expect(w5.followsFrom).toEqual(["dE/dw5"]);
    expect(w5.explanation).toContain("follows from your value of dE/dw5");
    expect(new Decimal(w5.followThrough).toFixed(4)).toBe("0.3590");
    const dw5 = row(report, "dE/dw5");
    expect(dw5.decimals).toBe(4);
    expect(dw5.typed).toBe("0.0820");
    expect(dw5.explanation).toContain("should be 0.0822");
    expect(row(report, "w8+").explanation).toContain("should be 0.5614");
  });

  it("checks the factor dz_o1/dw5 as a_h1, and dE_o1/dz_o1 as delta_o1", () => {
    expect(row(report, "dz_o1/dw5")).toMatchObject({
      role: "factor",
      stepId: "forward.a.1.0",
      canonicalKey: "dz_o1/dw5",
    });
    expect(row(report, "dE_o1/dz_o1")).toMatchObject({
      role: "step",
      stepId: "backward.delta.2.0",
      canonicalKey: "delta_o1",
    });
  });

  it("orders rows as the calculation goes (the factor just before the product it is in)", () => {
    const keys = report.rows.map((r) => r.key);
    expect(keys.indexOf("dz_o1/dw5")).toBe(keys.indexOf("dE/dw5") - 1);
    expect(keys.indexOf("dE/dw5")).toBeLessThan(keys.indexOf("dE_o1/da_h1"));
    expect(keys.indexOf("w8+")).toBeLessThan(keys.indexOf("w1+"));
  });
});

describe("clean answer sets", () => {
  it("at 4 decimals (the dp:4 chain): nothing wrong, and the two places where the chain drifts are rounding", () => {
    const r = checkHandCalculation(classic, chainAnswers("dp:4"));
    expect(r.summary.wrong + r.summary.followThrough).toBe(0);
    expect(r.summary.total).toBe(43);
    // ∂E/∂a_h2 = 0.0623 + (−0.0210) = 0.0413 on paper; exact 0.041370… rounds to 0.0414
    expect(new Decimal("0.0623").plus("-0.0210").toFixed(4)).toBe("0.0413");
    expect(row(r, "dE/da_h2").verdict).toBe("rounding");
    expect(row(r, "delta_h2").verdict).toBe("rounding");
    expect(
      r.rows
        .filter((x) => x.verdict === "rounding")
        .map((x) => x.key)
        .sort(),
    ).toEqual(["dE/da_h2", "delta_h2"]);
  });

  it("at 4 decimals of the exact values: all correct", () => {
    const r = checkHandCalculation(
      classic,
      Object.fromEntries(Object.entries(chainAnswers("exact")).map(([k, v]) => [k, new Decimal(v).toFixed(4)])),
    );
    expect(r.summary.correct).toBe(43);
  });

  it("at 2 decimals: z_o2 = 0.50 × 0.59 + 0.55 × 0.60 + 0.60 = 1.225 → 1.23 is rounding (exact 1.2249… → 1.22)", () => {
    const r = checkHandCalculation(classic, chainAnswers("dp:2"));
    const z = new Decimal("0.50").times("0.59").plus(new Decimal("0.55").times("0.60")).plus("0.60");
    expect(z.toFixed(2, Decimal.ROUND_HALF_UP)).toBe("1.23");
    expect(row(r, "z_o2")).toMatchObject({ typed: "1.23", verdict: "rounding", roundedChain: "1.23" });
    expect(new Decimal(row(r, "z_o2").exact).toFixed(2)).toBe("1.22");
    expect(r.summary.wrong + r.summary.followThrough).toBe(0);
  });

  it("at 3 decimals: delta_o1 = 0.741 × 0.187 = 0.138567 → 0.139 is rounding (exact 0.13850 → 0.138)", () => {
    const r = checkHandCalculation(classic, chainAnswers("dp:3"));
    expect(new Decimal("0.741").times("0.187").toFixed(3)).toBe("0.139");
    expect(row(r, "delta_o1")).toMatchObject({ typed: "0.139", verdict: "rounding" });
    expect(r.summary.wrong + r.summary.followThrough).toBe(0);
  });

  it("a value rounded from the student's own rounded inputs, off the dp chain, is rounding, not wrong", () => {
    // a_h1 copied with 6 decimals, then z_o1 from it at 4 decimals
    const r = checkHandCalculation(classic, { a_h1: "0.593270", a_h2: "0.5969", z_o1: "1.1059" });
    expect(row(r, "z_o1").verdict).toBe("correct");
    // a_h1 0.59, a_h2 0.60: 0.40 × 0.59 + 0.45 × 0.60 + 0.60 = 1.106, written 1.1060 (exact 1.10590… → 1.1059; the dp:4 chain gives 1.1059)
    expect(new Decimal("0.40").times("0.59").plus(new Decimal("0.45").times("0.60")).plus("0.60").toFixed(4)).toBe(
      "1.1060",
    );
    const r2 = checkHandCalculation(classic, { a_h1: "0.59", a_h2: "0.60", z_o1: "1.1060" });
    expect(row(r2, "z_o1")).toMatchObject({ verdict: "rounding", roundedChain: "1.1059" });
  });

  it("one unit off in the last decimal is not rounding when nothing upstream explains it", () => {
    // z_h1 = 0.15 × 0.05 + 0.20 × 0.10 + 0.35 = 0.3775 exactly, from given numbers only
    const r = checkHandCalculation(classic, { z_h1: "0.3776" });
    expect(row(r, "z_h1")).toMatchObject({ verdict: "wrong", isFirstWrong: true });
    expect(row(r, "z_h1").explanation).toBe("should be 0.3775 (exact 0.3775)");
    // 0.40 × 0.5933 + 0.45 × 0.5969 + 0.60 = 1.105925 → 1.11: 1.10 is neither that nor within rounding of exact 1.10591
    const r2 = checkHandCalculation(classic, { a_h1: "0.5933", a_h2: "0.5969", z_o1: "1.10" });
    expect(row(r2, "z_o1").verdict).toBe("wrong");
    expect(row(r2, "z_o1").explanation).toBe("should be 1.11 (exact 1.105906)");
  });
});

describe("partial answer sets", () => {
  it("checks only what is there, with follow-through across unanswered steps", () => {
    const r = checkHandCalculation(classic, { "dE/dw5": "0.0900", "w5+": "0.3550" });
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["dE/dw5", "wrong"],
      ["w5+", "follows"],
    ]);
    expect(r.firstWrong).toBe("dE/dw5");
  });

  it("an update computed from a wrong δ, with ∂E/∂w left unwritten, follows from that δ (it was called rounding)", () => {
    // δ_o1 as a_o1 − t_o1 (the a(1 − a) factor forgotten), then w5+ = 0.4 − 0.5 · 0.7414 · 0.5933
    const r = checkHandCalculation(classic, { a_h1: "0.5933", delta_o1: "0.7414", "w5+": "0.1801" });
    expect(r.rows.map((x) => [x.key, x.verdict])).toEqual([
      ["a_h1", "correct"],
      ["delta_o1", "wrong"],
      ["w5+", "follows"],
    ]);
    expect(row(r, "w5+").followsFrom).toEqual(["delta_o1"]);
    expect(row(r, "w5+").explanation).toBe(
      "should be 0.3589, but from your earlier values it is 0.1801: follows from your value of delta_o1",
    );
  });

  it("a single right answer", () => {
    const r = checkHandCalculation(classic, { "w8+": "0.5614" });
    expect(r.summary).toEqual({ correct: 1, rounding: 0, followThrough: 0, wrong: 0, tooFewPlaces: 0, total: 1 });
    expect(r.firstWrong).toBeUndefined();
  });
});

describe("keys", () => {
  it("accepts the common spellings", () => {
    const spellings: [string, string][] = [
      ["dEtotal/dw5", "backward.dW.2.0.0"],
      ["dE_total/dw5", "backward.dW.2.0.0"],
      ["∂E/∂w5", "backward.dW.2.0.0"],
      ["\\frac{\\partial E_{total}}{\\partial w_5}", "backward.dW.2.0.0"],
      ["DE/DW5", "backward.dW.2.0.0"],
      ["dE / dw5", "backward.dW.2.0.0"],
      ["w5_new", "update.W.2.0.0"],
      ["w5'", "update.W.2.0.0"],
      ["w5^+", "update.W.2.0.0"],
      ["new w5", "update.W.2.0.0"],
      ["w5^{+}", "update.W.2.0.0"],
      ["δ_o1", "backward.delta.2.0"],
      ["dE/dz_o1", "backward.delta.2.0"],
      ["\\delta_{o1}", "backward.delta.2.0"],
      ["E", "loss"],
      ["Etotal", "loss"],
      ["E_{total}", "loss"],
      ["z^{[1]}_2", "forward.z.1.1"],
      ["z^[1]_2", "forward.z.1.1"],
      ["z[1]_2", "forward.z.1.1"],
      ["Z_H2", "forward.z.1.1"],
    ];
    for (const [key, id] of spellings) {
      const r = checkHandCalculation(classic, { [key]: "0.5" });
      expect(r.unknownKeys, key).toEqual([]);
      expect(r.rows[0].stepId, key).toBe(id);
    }
  });

  it("reduces LaTeX and Unicode to one normal form", () => {
    expect(normaliseKey("\\frac{\\partial E_{total}}{\\partial w_{5}}")).toBe("detotal/dw5");
    expect(normaliseKey("new w5")).toBe("w5+");
    expect(normaliseKey("−δ_o1")).toBe("-deltao1");
  });

  it("uses the bracket notation's keys for a spec without names", () => {
    const { names: _names, ...plain } = classic;
    const r = checkHandCalculation(plain, { "z^{[1]}_1": "0.3775", "dL/dW^[2]_11": "0.0822", "W^[2]_11+": "0.3589" });
    expect(r.rows.map((x) => x.verdict)).toEqual(["correct", "correct", "correct"]);
  });
});

describe("malformed answers give one clear message each", () => {
  it("an unknown key is listed with close matches, and the rest is checked", () => {
    const r = checkHandCalculation(classic, { "dE/dww5": "0.0822", z_h1: "0.3775" });
    expect(r.rows.map((x) => x.key)).toEqual(["z_h1"]);
    expect(r.unknownKeys).toEqual([
      {
        key: "dE/dww5",
        message: '"dE/dww5" is not a quantity of this calculation: did you mean dE/dw5?',
        suggestions: ["dE/dw5"],
      },
    ]);
  });

  it("a key for another network names what the spec lacks", () => {
    const r = checkHandCalculation(classic, { "w9+": "0.1", z_h1: "0.3775" });
    expect(r.unknownKeys[0].message).toContain(
      "the spec has no weight w9 (its weights are w1, w2, w3, w4, w5, w6, w7, w8)",
    );
    const r2 = checkHandCalculation(classic, { z_h3: "0.1", z_h1: "0.3775" });
    expect(r2.unknownKeys[0].message).toContain("the spec has no unit h3 (its units are h1, h2)");
  });

  it("answers that match nothing in the spec are an error", () => {
    expect(() => checkHandCalculation(classic, { "w9+": "0.1", "w10+": "0.2" })).toThrow(
      /no key names a quantity of this calculation .*the spec has no weight w9/,
    );
  });

  it("a non-number", () => {
    expect(() => checkHandCalculation(classic, { z_h1: "abc" })).toThrow(
      'answers["z_h1"]: "abc" is not a number. Write a decimal number such as 0.3775 or -0.0190.',
    );
    expect(() => checkHandCalculation(classic, { z_h1: "0,3775" })).toThrow(/Write the decimal point as a point/);
    expect(() => parseAnswersText('{"z_h1": true}', "a.json")).toThrow('a.json: "z_h1": true is not a number');
  });

  it("an empty file, or one without answers", () => {
    expect(() => parseAnswersText("  \n", "a.csv")).toThrow("a.csv: the file is empty.");
    expect(() => parseAnswersText("quantity,value\n", "a.csv")).toThrow("a.csv: has no answers.");
    expect(() => parseAnswersText("{}", "a.json")).toThrow("a.json: has no answers.");
    // in a notebook, an empty answers object is an exercise not yet attempted: a note, not an error
    const empty = checkHandCalculation(classic, {});
    expect(empty.rows).toEqual([]);
    expect(empty.note).toMatch(/^Nothing typed yet: put your numbers into the answers above/);
    expect(checkReportMarkdown(empty)).toBe(empty.note);
  });

  it("a CSV line with three columns names the line", () => {
    expect(() => parseAnswersText("quantity,value\nz_h1,0.3775\na_h1,0.5933,extra\n", "a.csv")).toThrow(
      'a.csv, line 3: has 3 columns ("a_h1,0.5933,extra") but an answers CSV has exactly two.',
    );
  });

  it("a duplicate key, as written or as another spelling of the same quantity", () => {
    expect(() => parseAnswersText("z_h1,0.3775\nz_h1,0.3776\n", "a.csv")).toThrow(
      "a.csv, line 2: gives z_h1 again (first on line 1)",
    );
    expect(() => parseAnswersText('{"z_h1": 0.3775, "z_h1": 0.3776}', "a.json")).toThrow(
      'a.json: "z_h1": is given twice',
    );
    expect(() => checkHandCalculation(classic, { delta_o1: "0.1385", "dE/dz_o1": "0.1385" })).toThrow(
      '"dE/dz_o1" and "delta_o1" are the same quantity (delta_o1)',
    );
  });

  it("invalid JSON", () => {
    expect(() => parseAnswersText('{"z_h1": 0.3775,', "a.json")).toThrow(/a.json: is not valid JSON/);
  });
});

describe("reading answers", () => {
  it("keeps numbers as typed, from JSON and CSV, and infers their decimals", () => {
    const json = parseAnswersText('{"a": 0.0190, "b": "-.02", "c": 4e-4}', "x");
    expect(json.map((a) => a.typed)).toEqual(["0.0190", "-.02", "4e-4"]);
    expect(json.map((a) => parseTypedNumber(a.typed, "x").decimals)).toEqual([4, 2, 4]);
    const csv = parseAnswersText('quantity,value\r\n# a comment\n"dE/dw5", 0.0820\n', "x");
    expect(csv).toEqual([{ key: "dE/dw5", typed: "0.0820", where: "x, line 3" }]);
    expect(parseTypedNumber("−0.0190", "x")).toMatchObject({ text: "-0.0190", decimals: 4 });
  });

  it("a CSV of the slides gives the same report as the object", () => {
    const csv = ["quantity,value", ...SLIDES.map(([k, v]) => `${k},${v}`)].join("\n");
    const r = checkHandCalculation(classic, parseAnswersText(csv, "slides.csv"));
    expect(r.rows.map((x) => x.verdict)).toEqual(
      checkHandCalculation(classic, slideAnswers).rows.map((x) => x.verdict),
    );
  });
});

describe("rendering", () => {
  const report = checkHandCalculation(classic, slideAnswers);

  it("markdown: a table row per quantity, symbols in $..$, the first error marked", () => {
    const md = checkReportMarkdown(report);
    expect(md.split("\n").filter((l) => l.startsWith("| $"))).toHaveLength(29);
    expect(md).toContain(
      "| $\\frac{\\partial E_{total}}{\\partial w_{5}}$ | 0.0820 | 0.08216704… | **✗ wrong (first error)** |",
    );
    expect(md).toContain("29 checked: 26 correct, 0 rounding, 1 follows from an earlier error, 2 wrong.");
  });

  it("the exact column rounds as the explanation does (a_h2 = 0.596884378…)", () => {
    const md = checkReportMarkdown(report);
    expect(md).toContain("| $a_{h2}$ | 0.5969 | 0.59688438… | ✓ correct | the exact value 0.59688438 rounds to 0.5969");
    // an exact value with no more digits has no ellipsis
    expect(checkReportMarkdown(checkHandCalculation(classic, { z_h1: "0.3775" }))).toContain(
      "| 0.3775 | 0.3775 | ✓ correct |",
    );
  });

  it("HTML: KaTeX symbols, escaped student text", () => {
    const r = checkHandCalculation(classic, { z_h1: "0.3775", "<b>x</b>": "1" });
    const html = checkReportHtml(r);
    expect(html).toContain('class="katex"');
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<b>x</b>");
  });
});

describe("the check command", () => {
  const dir = scratchDir("bt-check-");
  const specPath = join(dir, "spec.json");
  writeFileSync(specPath, JSON.stringify(classic));

  it("prints the table and exits 1 when something is wrong", async () => {
    const answers = join(dir, "slides.csv");
    writeFileSync(answers, ["quantity,value", ...SLIDES.map(([k, v]) => `${k},${v}`)].join("\n"));
    const out = await runCheck([specPath, answers]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain("The calculation first goes off at dE/dw5.");
    const json = await runCheck([specPath, answers, "--format", "json"]);
    expect((JSON.parse(json.stdout) as CheckReport).firstWrong).toBe("dE/dw5");
  });

  it("exits 0 for a right answer set, 1 or 2 with one message for bad input or a bad command line", async () => {
    const good = join(dir, "good.json");
    writeFileSync(good, '{"z_h1": 0.3775, "w8+": 0.5614}');
    expect((await runCheck([specPath, good, "--notation=names"])).code).toBe(0);
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "z_h1,0.3775,1\n");
    expect(await runCheck([specPath, bad])).toEqual({
      code: 1,
      stdout: "",
      stderr: `backprop-tutor: ${bad}, line 1: has 3 columns ("z_h1,0.3775,1") but an answers CSV has exactly two. Write quantity,value, e.g. z_h1,0.3775 (put a key containing a comma in double quotes: "W_3,5",0.1).\n`,
    });
    expect(await runCheck([specPath])).toMatchObject({
      code: 2,
      stderr:
        "backprop-tutor: check: missing ANSWERS. write backprop-tutor check SPEC.json ANSWERS.json|ANSWERS.csv [options].\n",
    });
    expect((await runCheck([specPath, join(dir, "missing.json")])).stderr).toContain(
      "cannot read the answers file (no such file",
    );
    expect((await runCheck([specPath, good, "--format", "xml"])).stderr).toContain('"xml"');
  });

  it("a spec that does not match the answers", async () => {
    const other = join(dir, "other.json");
    writeFileSync(
      other,
      JSON.stringify({ ...classic, layers: [2, 1, 2], weights: [[[0.15, 0.2]], [[0.4], [0.5]]], names: undefined }),
    );
    const answers = join(dir, "a.json");
    writeFileSync(answers, '{"z^[1]_2": 0.3925, "z^[3]_1": 1}');
    const out = await runCheck([other, answers]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("the spec has no layer 3 (its computing layers are 1 to 2)");
    expect(out.stderr).toContain('"z^[1]_2" is not a quantity of this calculation');
  });
});

describe("too few digits to judge", () => {
  it("0 decimals and fewer than 2 significant digits are wrong, with how many decimals to write", () => {
    const r = checkHandCalculation(classic, { z_h1: "0", a_h1: "1", E_total: "0", "w5+": "0" });
    for (const k of ["z_h1", "a_h1", "E_total", "w5+"])
      expect(row(r, k), k).toMatchObject({ verdict: "wrong", tooFewDigits: 2 });
    expect(row(r, "z_h1").explanation).toBe(
      "too few digits to judge: write at least 2 decimals (0 stands for anything from -0.5 to 0.5)",
    );
    expect(row(r, "a_h1").explanation).toBe(
      "too few digits to judge: write at least 2 decimals (1 stands for anything from 0.5 to 1.5)",
    );
    expect(row(r, "z_h1").diagnosis).toBeUndefined();
    // one decimal, one significant digit: 0.4 for 0.3775 is still too coarse; 1.1 for 1.1059 is not
    expect(row(checkHandCalculation(classic, { z_h1: "0.4" }), "z_h1").tooFewDigits).toBe(2);
    expect(checkHandCalculation(classic, { z_o1: "1.1" }).rows[0]).toMatchObject({ verdict: "correct" });
    // a small value at 4 decimals is judged (the slides' dE/dw1 = 0.0004)
    expect(checkHandCalculation(classic, { "dE/dw1": "0.0004" }).rows[0].verdict).toBe("correct");
  });
});

describe("diagnoses are named only when they explain the number", () => {
  it("w1+ = 0.15 − 0.5 × 0.0004 = 0.149800 (dE/dw1 rounded, not written) names no mistake", () => {
    expect(new Decimal("0.15").minus(new Decimal("0.5").times("0.0004")).toFixed(6)).toBe("0.149800");
    const w1 = checkHandCalculation(classic, { "w1+": "0.149800" }).rows[0];
    expect(w1.verdict).toBe("wrong");
    expect(w1.diagnosis).toBeUndefined();
    expect(w1.explanation).toBe("should be 0.149781 (exact 0.1497807161)");
  });
});

describe("answers for another network", () => {
  it("every forward value wrong: one summary sentence", () => {
    // the 0.05/0.10 example with the inputs swapped: z_h1 = 0.15 × 0.10 + 0.20 × 0.05 + 0.35 = 0.3750
    const r = checkHandCalculation(classic, { z_h1: "0.3750", z_h2: "0.3900", z_o1: "1.1042" });
    expect(r.warning).toBe(
      "these answers seem to belong to another network: none of the 3 forward values matches this spec (z_h1 should be 0.3775, not 0.3750); check the spec's inputs, weights and biases",
    );
    expect(checkReportMarkdown(r)).toContain("Note: these answers seem to belong to another network");
  });

  it("most keys unknown: one summary sentence", () => {
    const r = checkHandCalculation(classic, { z_h1: "0.3775", w9: "0.1", z_h3: "0.2" });
    expect(r.warning).toMatch(
      /^these answers seem to belong to another network: 2 of 3 keys name no quantity of this spec \(w9, z_h3\)/,
    );
    expect(checkHandCalculation(classic, { z_h1: "0.3775", a_h1: "0.5933" }).warning).toBeUndefined();
  });
});

describe("more spellings", () => {
  it("the best-known write-up's net/out names, E_o1, updated w5, inputs as given, layer marks in either order", () => {
    const spellings: [string, string, string][] = [
      ["net_h1", "0.3775", "forward.z.1.0"],
      ["out_h1", "0.5933", "forward.a.1.0"],
      ["net_o1", "1.1059", "forward.z.2.0"],
      ["out_o1", "0.7514", "forward.a.2.0"],
      ["dEtotal/dout_o1", "0.7414", "backward.dL/da.2.0"],
      ["dout_o1/dnet_o1", "0.1868", "backward.da/dz.2.0"],
      ["dnet_o1/dw5", "0.5933", "forward.a.1.0"],
      ["updated w5", "0.3589", "update.W.2.0.0"],
      ["a_i1", "0.05", "given.input.0"],
      ["i2", "0.10", "given.input.1"],
    ];
    for (const [key, value, id] of spellings) {
      const r = checkHandCalculation(classic, { [key]: value });
      expect(r.unknownKeys, key).toEqual([]);
      expect(r.rows[0], key).toMatchObject({ stepId: id, verdict: "correct" });
    }
    const { names: _names, ...plain } = classic;
    for (const [a, b] of [
      ["z^{(1)}_1", "z_1^{(1)}"],
      ["z_1^{[1]}", "z^{[1]}_1"],
      ["W_{12}^{(2)}+", "W^{(2)}_{12}+"],
    ]) {
      expect(normaliseKey(a)).toBe(normaliseKey(b));
      expect(checkHandCalculation(plain, { [a]: "0.5" }).rows[0].stepId, a).toBe(
        checkHandCalculation(plain, { [b]: "0.5" }).rows[0].stepId,
      );
    }
    expect(checkHandCalculation(plain, { "z_1^{(1)}": "0.3775" }).rows[0]).toMatchObject({
      stepId: "forward.z.1.0",
      verdict: "correct",
    });
  });

  it("E_o1 and E_o2 are the parts of E_total = ½(t − a)² summed over the outputs", () => {
    // ½(0.01 − 0.75137)² = 0.27481…, ½(0.99 − 0.77293)² = 0.02356…
    expect(new Decimal("0.01").minus("0.75").pow(2).div(2).toFixed(4)).toBe("0.2738");
    const r = checkHandCalculation(classic, { a_o1: "0.7514", E_o1: "0.2748", E_o2: "0.0236", E_total: "0.2984" });
    expect(row(r, "E_o1")).toMatchObject({ role: "part", verdict: "correct" });
    expect(new Decimal(row(r, "E_o1").exact).toFixed(6)).toBe("0.274811");
    expect(row(r, "E_o2").verdict).toBe("correct");
    // from a_o1 written as 0.75, E_o1 = ½ × 0.74² = 0.2738 is rounding; 0.3000 is wrong
    expect(row(checkHandCalculation(classic, { a_o1: "0.75", E_o1: "0.2738" }), "E_o1").verdict).toBe("rounding");
    expect(row(checkHandCalculation(classic, { a_o1: "0.7514", E_o1: "0.3000" }), "E_o1").verdict).toBe("wrong");
    // mse averages over the outputs: no parts
    expect(checkHandCalculation({ ...classic, loss: "mse" }, { E_o1: "0.27", z_h1: "0.3775" }).unknownKeys[0].key).toBe(
      "E_o1",
    );
  });

  it("an updated bias of a spec that does not update biases says so", () => {
    const r = checkHandCalculation(classic, { "b1+": "0.35", z_h1: "0.3775" });
    expect(r.unknownKeys).toEqual([
      {
        key: "b1+",
        message:
          '"b1+": biases are not updated in this spec (updateBiases: false), so there is no updated bias to check',
        suggestions: [],
      },
    ]);
  });

  it("CSV: a trailing comma is accepted, a semicolon separator gets a hint", () => {
    expect(parseAnswersText("quantity,value,\nz_h1,0.3775,\n", "a.csv")).toEqual([
      { key: "z_h1", typed: "0.3775", where: "a.csv, line 2" },
    ]);
    expect(() => parseAnswersText("z_h1;0.3775\n", "a.csv")).toThrow(
      'a.csv, line 1: has one column ("z_h1;0.3775"): the values look separated by semicolons. Separate quantity and value with a comma',
    );
  });
});

describe("negated keys: Δ_i = −δ_i in the aima notation", () => {
  const { names: _names, ...plain } = classic;
  it("Delta_5 is minus the engine's δ of o1 (unit 5), judged in its own sign", () => {
    // δ_o1 = ∂E/∂z_o1 = 0.1385, so Δ_5 = −0.1385
    const r = checkHandCalculation(plain, { Delta_5: "-0.1385", "-Delta_6": "-0.0381" }, { notation: "aima" });
    expect(row(r, "Delta_5")).toMatchObject({
      stepId: "backward.delta.2.0",
      verdict: "correct",
      negated: true,
      canonicalKey: "Delta_5",
      roundedChain: "-0.1385",
    });
    expect(new Decimal(row(r, "Delta_5").exact).toFixed(4)).toBe("-0.1385");
    expect(row(r, "Delta_5").explanation).toBe(
      "Delta_5 = −dE/din_5 in the aima notation's sign convention; the exact value -0.13849856 rounds to -0.1385 at the 4 decimals written",
    );
    expect(row(r, "-Delta_6")).toMatchObject({ verdict: "correct" });
    expect(row(r, "-Delta_6").negated).toBeUndefined();
    // the engine's sign for Δ_5 is wrong
    expect(
      row(checkHandCalculation(plain, { Delta_5: "0.1385" }, { notation: "aima" }), "Delta_5").explanation,
    ).toMatch(/should be -0\.1385/);
  });

  it("follow-through in the negated sign: Δ_5 from the student's own a_5 and ∂E/∂a_5", () => {
    // written a_5 = 0.7514 and ∂E/∂a_5 = 0.7414, g' slipped to 0.2000: Δ_5 = −0.7414 × 0.2000 = −0.14828
    const r = checkHandCalculation(
      plain,
      { "dE/da_5": "0.7414", "da_5/din_5": "0.2000", Delta_5: "-0.1483" },
      { notation: "aima" },
    );
    expect(row(r, "da_5/din_5").verdict).toBe("wrong");
    expect(row(r, "Delta_5")).toMatchObject({ verdict: "follows", followsFrom: ["da_5/din_5"] });
    expect(new Decimal(row(r, "Delta_5").followThrough).toFixed(5)).toBe("-0.14828");
  });

  it("another notation's δ keys keep their own sign when the aima notation is not in use", () => {
    expect(checkHandCalculation(classic, { delta_o1: "0.1385" }).rows[0]).toMatchObject({ verdict: "correct" });
    expect(checkHandCalculation(classic, { delta_o1: "0.1385" }).rows[0].negated).toBeUndefined();
  });
});
