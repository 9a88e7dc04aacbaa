// Checking numbers that are not a layered network's: a computation graph's node values and
// gradients (checkGraphCalculation), and any named numbers an exercise asks for (checkNumbers).
// The verdicts mean what they mean for networks (check.ts): correct at the decimals typed,
// rounding, follows from an earlier error, wrong.
import { D, type Dec } from "../engine/numeric.js";
import { graphTrace, type GraphTrace } from "../engine/graph.js";
import { closest } from "../engine/suggest.js";
import { texEscape } from "../engine/notation.js";
import { answersFromInput, isEmptyAnswers as isEmpty, NOTHING_TYPED_YET as NOTHING_YET, parseTypedNumber, type AnswersInput, type TypedNumber } from "./answers.js";
import type { CheckReport, CheckRow, UnknownKey, Verdict } from "./check.js";

const round = (x: Dec, d: number): Dec => x.toDecimalPlaces(d, D.ROUND_HALF_CEIL);
const fixed = (x: Dec, d: number): string => x.toFixed(d, D.ROUND_HALF_CEIL);
const shown = (x: Dec, d: number): string => x.toDecimalPlaces(d + 4, D.ROUND_HALF_CEIL).toString();

function summarise(rows: CheckRow[], unknownKeys: UnknownKey[], note?: string): CheckReport {
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const first = rows.find((r) => r.verdict === "wrong");
  if (first) first.isFirstWrong = true;
  const report: CheckReport = {
    notation: "names", rows, unknownKeys,
    summary: { correct: count("correct"), rounding: count("rounding"), followThrough: count("follows"), wrong: count("wrong"), total: rows.length },
  };
  if (first) report.firstWrong = first.key;
  if (note) report.note = note;
  return report;
}

interface Judged { verdict: Verdict; explanation: string }

/** One number against its exact value, the rounded chain and the value from the student's own earlier numbers. */
function judge(num: TypedNumber, exact: Dec, chain: Dec | undefined, follow: Dec | undefined, earlierWrong: string[]): Judged {
  const d = num.decimals, v = num.value;
  const places = `${d} decimal${d === 1 ? "" : "s"}`;
  const rE = fixed(exact, d);
  if (v.eq(round(exact, d))) return { verdict: "correct", explanation: `the exact value ${shown(exact, d)} is ${rE} to the ${places} written` };
  if (chain && v.eq(round(chain, d))) return { verdict: "rounding", explanation: `exact ${shown(exact, d)} rounds to ${rE}; rounding every earlier value to ${places} gives ${fixed(chain, d)}` };
  if (follow && round(follow, d).minus(v).abs().lte(new D(10).pow(-d))) {
    if (earlierWrong.length) return { verdict: "follows", explanation: `should be ${rE}, but from your earlier values it is ${fixed(follow, d)}: follows from your value of ${earlierWrong.join(" and ")}` };
    return { verdict: "rounding", explanation: `exact ${shown(exact, d)} rounds to ${rE}; your own rounded earlier values give ${shown(follow, d)}, so the difference is rounding` };
  }
  return { verdict: "wrong", explanation: `should be ${rE} (exact ${shown(exact, d)})${follow && fixed(follow, d) !== rE ? `; from your own earlier values it is ${fixed(follow, d)}` : ""}` };
}

// ---------------------------------------------------------------------------------------------
// computation graphs

interface GraphKey { node: string; what: "value" | "grad" }

/** The spellings a student may use: q, n3, df/dq, dq, grad_q, ∂f/∂q, dL/dq. */
function graphKeys(t: GraphTrace): Map<string, GraphKey> {
  const keys = new Map<string, GraphKey>();
  const out = t.nodes.find((n) => n.id === t.output)!;
  const outNames = [...new Set([out.label, out.id, "f", "L", "J", "E", "out"])];
  for (const n of t.nodes) {
    if (n.kind === "const") continue;
    const names = [...new Set([n.id, ...(/^[A-Za-z_]\w*$/.test(n.label) ? [n.label] : [])])];
    for (const name of names) {
      keys.set(name, { node: n.id, what: "value" });
      for (const k of [`d${name}`, `grad_${name}`, `grad${name}`, ...outNames.map((o) => `d${o}/d${name}`)]) if (!keys.has(k)) keys.set(k, { node: n.id, what: "grad" });
    }
  }
  return keys;
}

const normaliseGraphKey = (k: string) => k.replace(/\s+/g, "").replace(/∂/g, "d").replace(/^\\partial/g, "d");

/**
 * Check a student's values and gradients for a computation graph. Keys: a node's name for its
 * value (`q`, `f`), and `df/dq`, `dq`, `grad_q` or `∂f/∂q` for ∂output/∂q.
 */
export function checkGraphCalculation(expression: string, values: Readonly<Record<string, number | string>>, answers: AnswersInput): CheckReport {
  const exact = graphTrace(expression, values, "exact");
  if (isEmpty(answers)) return summarise([], [], NOTHING_YET);
  const keys = graphKeys(exact);
  const typed = answersFromInput(answers);
  const unknownKeys: UnknownKey[] = [];
  const pending: { key: string; target: GraphKey; num: TypedNumber; order: number }[] = [];
  // the order of the calculation: forward values in evaluation order, then gradients backwards
  const order = new Map<string, number>();
  exact.steps.forEach((s, i) => order.set(`${s.phase === "forward" ? "value" : "grad"}:${s.node}`, i));
  for (const a of typed) {
    const target = keys.get(normaliseGraphKey(a.key));
    if (!target) {
      const suggestions = closest(normaliseGraphKey(a.key), [...keys.keys()]);
      unknownKeys.push({ key: a.key, message: `"${a.key}" is not a node or gradient of this graph${suggestions.length ? `: did you mean ${suggestions.join(" or ")}?` : ""}`, suggestions });
      continue;
    }
    pending.push({ key: a.key, target, num: parseTypedNumber(a.typed, a.where), order: order.get(`${target.what}:${target.node}`) ?? -1 });
  }
  pending.sort((x, y) => x.order - y.order);

  const all = { values: {} as Record<string, string>, grads: {} as Record<string, string> };
  for (const p of pending) (p.target.what === "value" ? all.values : all.grads)[p.target.node] = p.num.text;
  const chains = new Map<number, GraphTrace>();
  const chainFor = (d: number) => chains.get(d) ?? chains.set(d, graphTrace(expression, values, `dp:${d}`)).get(d)!;
  const exactOf = (t: GraphTrace, k: GraphKey) => {
    const n = t.nodes.find((x) => x.id === k.node)!;
    return new D(k.what === "value" ? n.value : n.grad);
  };

  const wrongSoFar: string[] = [];
  const rows: CheckRow[] = pending.map((p) => {
    // computed from every other number the student typed: the value this one should follow from
    const others = { values: { ...all.values }, grads: { ...all.grads } };
    delete (p.target.what === "value" ? others.values : others.grads)[p.target.node];
    const own = graphTrace(expression, values, "exact", others);
    const step = own.steps.find((s) => s.id === `${p.target.what === "value" ? "forward" : "backward"}.${p.target.node}`);
    const follow = step ? new D(step.value) : undefined;
    const E = exactOf(exact, p.target);
    const chain = exactOf(chainFor(p.num.decimals), p.target);
    const j = judge(p.num, E, chain, follow, [...wrongSoFar]);
    if (j.verdict === "wrong") wrongSoFar.push(p.key);
    const n = exact.nodes.find((x) => x.id === p.target.node)!;
    const outTex = exact.nodes.find((x) => x.id === exact.output)!.tex;
    return {
      key: p.key, canonicalKey: p.target.what === "value" ? n.label : `d${exact.nodes.find((x) => x.id === exact.output)!.label}/d${n.label}`,
      stepId: step?.id ?? `given.${n.id}`, role: "step", symbol: p.target.what === "value" ? n.tex : `\\frac{\\partial ${outTex}}{\\partial ${n.tex}}`,
      typed: p.num.text, decimals: p.num.decimals, exact: E.toString(), roundedChain: fixed(chain, p.num.decimals), followThrough: follow?.toString() ?? E.toString(),
      verdict: j.verdict, explanation: j.explanation, isFirstWrong: false,
      ...(j.verdict === "follows" ? { followsFrom: [...wrongSoFar] } : {}),
    };
  });
  return summarise(rows, unknownKeys);
}

// ---------------------------------------------------------------------------------------------
// any named numbers

export interface CheckNumbersOptions {
  /** LaTeX for a key's symbol in the report (default: the key) */
  tex?: Readonly<Record<string, string>>;
}

/**
 * Check an exercise's answers against the values the engine computed. `correct` when the exact
 * value rounds to the number typed at its decimals; `rounding` when it is one unit off in the
 * last decimal (rounding earlier values moves answers that far); otherwise `wrong`.
 */
export function checkNumbers(expected: Readonly<Record<string, number | string>>, answers: AnswersInput, options: CheckNumbersOptions = {}): CheckReport {
  if (isEmpty(answers)) return summarise([], [], NOTHING_YET);
  const unknownKeys: UnknownKey[] = [];
  const rows: CheckRow[] = [];
  const known = Object.keys(expected);
  for (const a of answersFromInput(answers)) {
    if (!(a.key in expected)) {
      const suggestions = closest(a.key, known);
      unknownKeys.push({ key: a.key, message: `"${a.key}" is not one of the answers asked for (${known.join(", ")})${suggestions.length ? `: did you mean ${suggestions.join(" or ")}?` : ""}`, suggestions });
      continue;
    }
    const num = parseTypedNumber(a.typed, a.where);
    const E = new D(expected[a.key]);
    let j = judge(num, E, undefined, undefined, []);
    if (j.verdict === "wrong" && num.value.minus(round(E, num.decimals)).abs().lte(new D(10).pow(-num.decimals))) {
      j = { verdict: "rounding", explanation: `exact ${shown(E, num.decimals)} rounds to ${fixed(E, num.decimals)}; yours is one unit off in the last decimal, as rounding earlier numbers can make it` };
    }
    rows.push({
      key: a.key, canonicalKey: a.key, stepId: a.key, role: "step", symbol: options.tex?.[a.key] ?? texKey(a.key),
      typed: num.text, decimals: num.decimals, exact: E.toString(), roundedChain: fixed(E, num.decimals), followThrough: E.toString(),
      verdict: j.verdict, explanation: j.explanation, isFirstWrong: false,
    });
  }
  return summarise(rows, unknownKeys);
}

/** A key as LaTeX: `w1` → w_{1}, `x_2` → x_{2}, anything else as text. */
function texKey(key: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(key);
  if (m) return `${m[1].length > 1 ? `\\mathrm{${m[1]}}` : m[1]}_{${m[2]}}`;
  return /^[A-Za-z]$/.test(key) ? key : `\\text{${texEscape(key)}}`;
}
