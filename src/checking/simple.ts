// Checking numbers that are not a layered network's: a computation graph's node values and
// gradients (checkGraphCalculation), and any named numbers an exercise asks for (checkNumbers).
// The verdicts mean what they mean for networks (check.ts): correct at the decimals typed,
// rounding, follows from an earlier error, wrong.
import { D, type Dec } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { graphTrace, type GraphTrace } from "../engine/graph.js";
import { closest } from "../engine/suggest.js";
import { texEscape } from "../engine/notation.js";
import {
  answersFromInput,
  isEmptyAnswers as isEmpty,
  NOTHING_TYPED_YET as NOTHING_YET,
  parseAllNumbers,
  type AnswersInput,
  type TypedNumber,
} from "./answers.js";
import { summarise, type CheckReport, type CheckRow, type UnknownKey } from "./report.js";
import {
  fixed,
  halfUnit,
  judgeNumber,
  placesFor,
  round,
  roundingBound,
  shown,
  type Dependency,
  type PlacesAsked,
} from "./verdict.js";
import { stepId } from "../engine/step-id.js";

// ---------------------------------------------------------------------------------------------
// computation graphs

interface GraphKey {
  node: string;
  what: "value" | "grad";
}

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
      for (const k of [`d${name}`, `grad_${name}`, `grad${name}`, ...outNames.map((o) => `d${o}/d${name}`)])
        if (!keys.has(k)) keys.set(k, { node: n.id, what: "grad" });
    }
  }
  return keys;
}

const normaliseGraphKey = (k: string) =>
  k
    .replace(/\s+/g, "")
    .replace(/∂/g, "d")
    .replace(/^\\partial/g, "d");

/**
 * Check a student's values and gradients for a computation graph. Keys: a node's name for its
 * value (`q`, `f`), and `df/dq`, `dq`, `grad_q` or `∂f/∂q` for ∂output/∂q.
 */
export function checkGraphCalculation(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  answers: AnswersInput,
  options: { places?: PlacesAsked } = {},
): CheckReport {
  const exact = graphTrace(expression, values, "exact");
  if (isEmpty(answers)) return summarise([], [], "names", NOTHING_YET);
  const keys = graphKeys(exact);
  const typed = parseAllNumbers(answersFromInput(answers));
  const unknownKeys: UnknownKey[] = [];
  const pending: { key: string; where: string; target: GraphKey; num: TypedNumber; order: number }[] = [];
  const seen = new Map<string, string>();
  // the order of the calculation: forward values in evaluation order, then gradients backwards
  const order = new Map<string, number>();
  exact.steps.forEach((s, i) => order.set(`${s.phase === "forward" ? "value" : "grad"}:${s.node}`, i));
  for (const a of typed) {
    const target = keys.get(normaliseGraphKey(a.key));
    if (!target) {
      const suggestions = closest(normaliseGraphKey(a.key), [...keys.keys()]);
      unknownKeys.push({
        key: a.key,
        message: `"${a.key}" is not a node or gradient of this graph${suggestions.length ? `: did you mean ${suggestions.join(" or ")}?` : ""}`,
        suggestions,
      });
      continue;
    }
    const id = `${target.what}:${target.node}`,
      before = seen.get(id);
    if (before !== undefined)
      throw new AnswerError(
        a.where,
        `"${a.key}" and "${before}" are the same quantity (${quantityName(exact, target)})`,
        "keep one value per quantity",
      );
    seen.set(id, a.key);
    pending.push({
      key: a.key,
      where: a.where,
      target,
      num: a.num,
      order: order.get(id) ?? -1,
    });
  }
  pending.sort((x, y) => x.order - y.order);

  // records without a prototype: a node may be called constructor or __proto__
  const record = (from: Readonly<Record<string, string>> = {}): Record<string, string> =>
    Object.assign(Object.create(null), from);
  const all = { values: record(), grads: record() };
  for (const p of pending) (p.target.what === "value" ? all.values : all.grads)[p.target.node] = p.num.text;
  const chains = new Map<number, GraphTrace>();
  const chainFor = (d: number) => chains.get(d) ?? chains.set(d, graphTrace(expression, values, `dp:${d}`)).get(d)!;
  const exactOf = (t: GraphTrace, k: GraphKey) => {
    const n = t.nodes.find((x) => x.id === k.node)!;
    return new D(k.what === "value" ? n.value : n.grad);
  };

  const answeredIds = new Set(pending.map((p) => `${p.target.what}:${p.target.node}`));
  const typedDecimals = new Map(pending.map((p) => [`${p.target.what}:${p.target.node}`, p.num.decimals]));
  const bounds = graphBounds(exact, answeredIds, typedDecimals);
  const followFrom = (
    p: (typeof pending)[number],
    others: { values: Record<string, string>; grads: Record<string, string> },
  ) => {
    const own = graphTrace(expression, values, "exact", others);
    const id = stepId({ phase: p.target.what === "value" ? "forward" : "backward", node: p.target.node });
    const step = own.steps.find((s) => s.id === id);
    return { step, follow: step ? new D(step.value) : undefined };
  };
  const taintedSoFar: CheckRow[] = [];
  const rows: CheckRow[] = pending.map((p) => {
    // computed from every other number the student typed: the value this one should follow from
    const others = { values: record(all.values), grads: record(all.grads) };
    delete (p.target.what === "value" ? others.values : others.grads)[p.target.node];
    const { step, follow } = followFrom(p, others);
    // the earlier wrong answers it depends on: those (or those behind an earlier "follows") whose
    // exact value would change the follow-through
    const roots = follow
      ? [
          ...new Set(
            taintedSoFar
              .filter((w) => {
                const g = pending.find((x) => x.key === w.key)!.target;
                const fixedOthers = { values: record(others.values), grads: record(others.grads) };
                (g.what === "value" ? fixedOthers.values : fixedOthers.grads)[g.node] = w.exact;
                const f = followFrom(p, fixedOthers).follow;
                return f !== undefined && !f.eq(follow);
              })
              .flatMap((w) => w.followsFrom ?? [w.key]),
          ),
        ]
      : [];
    const E = exactOf(exact, p.target);
    const chain = exactOf(chainFor(p.num.decimals), p.target);
    const d = p.num.decimals,
      b = bounds(`${p.target.what}:${p.target.node}`, d);
    const j = judgeNumber(p.num, {
      exact: E,
      chain,
      follow,
      followTol: halfUnit(d) + b.slack,
      exactTol: halfUnit(d) + b.all,
      roots,
      placesAsked: placesFor(options.places, p.key, quantityName(exact, p.target)),
    });
    const n = exact.nodes.find((x) => x.id === p.target.node)!;
    const outTex = exact.nodes.find((x) => x.id === exact.output)!.tex;
    const row: CheckRow = {
      key: p.key,
      canonicalKey: quantityName(exact, p.target),
      stepId: step?.id ?? stepId({ phase: "given", node: n.id }),
      role: "step",
      symbol: p.target.what === "value" ? n.tex : `\\frac{\\partial ${outTex}}{\\partial ${n.tex}}`,
      typed: p.num.text,
      decimals: d,
      exact: E.toString(),
      roundedChain: fixed(chain, d),
      followThrough: follow?.toString() ?? E.toString(),
      verdict: j.verdict,
      explanation: j.explanation,
      isFirstWrong: false,
      ...(j.followsFrom ? { followsFrom: j.followsFrom } : {}),
      ...(j.tooFewDigits !== undefined ? { tooFewDigits: j.tooFewDigits } : {}),
    };
    if (j.verdict === "wrong" || j.verdict === "follows") taintedSoFar.push(row);
    return row;
  });
  return summarise(rows, unknownKeys, "names");
}

const quantityName = (t: GraphTrace, k: GraphKey): string => {
  const n = t.nodes.find((x) => x.id === k.node)!;
  return k.what === "value" ? n.label : `d${t.nodes.find((x) => x.id === t.output)!.label}/d${n.label}`;
};

/**
 * How far rounding can move each node value and gradient from a right computation, the graph's
 * version of check.ts's propagation: a value moves with its inputs (× the edge's local
 * derivative), a gradient with the upstream gradients it is summed from (× the local derivative).
 * Inputs and constants are given exactly; an answered quantity is off by half a unit of what was
 * written; an unanswered one by half a unit at d decimals plus what its own inputs carry.
 * `slack` counts only unanswered inputs (the follow-through is computed from the answered ones).
 */
function graphBounds(t: GraphTrace, answered: ReadonlySet<string>, decimals: ReadonlyMap<string, number>) {
  const kind = new Map(t.nodes.map((n) => [n.id, n.kind]));
  const inputsOf = (id: string): Dependency[] => {
    const [what, node] = id.split(":") as ["value" | "grad", string];
    if (what === "value")
      return t.edges
        .filter((e) => e.to === node && kind.get(e.from) !== "const" && kind.get(e.from) !== "input")
        .map((e) => ({ id: `value:${e.from}`, weight: Math.abs(Number(e.local)) }));
    return t.edges
      .filter((e) => e.from === node)
      .map((e) => ({ id: `grad:${e.to}`, weight: Math.abs(Number(e.local)) }));
  };
  const bound = roundingBound(
    inputsOf,
    (id) => (answered.has(id) ? decimals.get(id) : undefined),
    (id) => id === `grad:${t.output}`,
  );
  return (id: string, d: number) => {
    let all = 0,
      slack = 0;
    for (const x of inputsOf(id)) {
      const b = x.weight * bound(x.id, d);
      all += b;
      if (!answered.has(x.id)) slack += b;
    }
    return { all, slack };
  };
}

// ---------------------------------------------------------------------------------------------
// any named numbers

export interface CheckNumbersOptions {
  /** LaTeX for a key's symbol in the report (default: the key) */
  tex?: Readonly<Record<string, string>>;
  /** the decimal places asked for: fewer is "too few places" */
  places?: PlacesAsked;
}

/**
 * Check an exercise's answers against the values the engine computed. `correct` when the exact
 * value rounds to the number typed at its decimals; `rounding` when it is one unit off in the
 * last decimal (rounding earlier values moves answers that far); otherwise `wrong`.
 */
export function checkNumbers(
  expected: Readonly<Record<string, number | string>>,
  answers: AnswersInput,
  options: CheckNumbersOptions = {},
): CheckReport {
  if (isEmpty(answers)) return summarise([], [], "names", NOTHING_YET);
  const unknownKeys: UnknownKey[] = [];
  const rows: CheckRow[] = [];
  const known = Object.keys(expected);
  for (const a of parseAllNumbers(answersFromInput(answers))) {
    if (!(a.key in expected)) {
      const suggestions = closest(a.key, known);
      unknownKeys.push({
        key: a.key,
        message: `"${a.key}" is not one of the answers asked for (${known.join(", ")})${suggestions.length ? `: did you mean ${suggestions.join(" or ")}?` : ""}`,
        suggestions,
      });
      continue;
    }
    const num = a.num;
    const E = new D(expected[a.key]);
    let j = judgeNumber(num, {
      exact: E,
      followTol: 0,
      exactTol: halfUnit(num.decimals),
      roots: [],
      placesAsked: placesFor(options.places, a.key),
    });
    // an exercise's number comes from a calculation this checker cannot see, so one unit off is rounding
    if (
      j.verdict === "wrong" &&
      j.tooFewDigits === undefined &&
      num.value.minus(round(E, num.decimals)).abs().lte(new D(10).pow(-num.decimals))
    ) {
      j = {
        verdict: "rounding",
        explanation: `exact ${shown(E, num.decimals)} rounds to ${fixed(E, num.decimals)}; yours is one unit off in the last decimal, as rounding earlier numbers can make it`,
      };
    }
    rows.push({
      key: a.key,
      canonicalKey: a.key,
      stepId: a.key,
      role: "step",
      symbol: options.tex?.[a.key] ?? texKey(a.key),
      typed: num.text,
      decimals: num.decimals,
      exact: E.toString(),
      roundedChain: fixed(E, num.decimals),
      followThrough: E.toString(),
      verdict: j.verdict,
      explanation: j.explanation,
      isFirstWrong: false,
    });
  }
  return summarise(rows, unknownKeys, "names");
}

/** A key as LaTeX: `w1` → w_{1}, `x_2` → x_{2}, anything else as text. */
function texKey(key: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(key);
  if (m) return `${m[1].length > 1 ? `\\mathrm{${m[1]}}` : m[1]}_{${m[2]}}`;
  return /^[A-Za-z]$/.test(key) ? key : `\\text{${texEscape(key)}}`;
}
