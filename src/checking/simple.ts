// Checking numbers that are not a layered network's: a computation graph's node values and
// gradients (checkGraphCalculation), and any named numbers an exercise asks for (checkNumbers).
// The verdicts mean what they mean for networks (check.ts): correct at the decimals typed,
// rounding, follows from an earlier error, wrong.
import { D, type Dec } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { graphAnswerKey, graphTrace, gradientKey, normaliseGraphKey, type GraphTrace } from "../engine/graph.js";
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
  needsRoundingAt,
  roundingBound,
  shown,
  writtenRounding,
  type Dependency,
  type PlacesAsked,
  type RoundingSources,
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
      for (const k of [`d${name}`, `grad_${name}`, `grad${name}`, ...outNames.map((o) => gradientKey(o, name))])
        if (!keys.has(k)) keys.set(k, { node: n.id, what: "grad" });
    }
  }
  return keys;
}

/** One answer to a graph question, matched to the value or gradient it names. */
interface GraphAnswer {
  key: string;
  where: string;
  target: GraphKey;
  num: TypedNumber;
  /** `value:q` or `grad:q` */
  qid: string;
  order: number;
}

/** Records without a prototype: a node may be called constructor or __proto__. */
const record = (from: Readonly<Record<string, string>> = {}): Record<string, string> =>
  Object.assign(Object.create(null), from);

/** The answers matched to nodes, in the order of the calculation (forward values, then gradients backwards). */
function resolveGraphAnswers(
  exact: GraphTrace,
  answers: AnswersInput,
): { pending: GraphAnswer[]; unknownKeys: UnknownKey[] } {
  const keys = graphKeys(exact);
  const unknownKeys: UnknownKey[] = [];
  const pending: GraphAnswer[] = [];
  const seen = new Map<string, string>();
  const order = new Map<string, number>();
  exact.steps.forEach((s, i) => order.set(`${s.phase === "forward" ? "value" : "grad"}:${s.node}`, i));
  for (const a of parseAllNumbers(answersFromInput(answers))) {
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
    const qid = `${target.what}:${target.node}`,
      before = seen.get(qid);
    if (before !== undefined)
      throw new AnswerError(
        a.where,
        `"${a.key}" and "${before}" are the same quantity (${quantityName(exact, target)})`,
        "keep one value per quantity",
      );
    seen.set(qid, a.key);
    pending.push({ key: a.key, where: a.where, target, num: a.num, qid, order: order.get(qid) ?? -1 });
  }
  return { pending: pending.sort((x, y) => x.order - y.order), unknownKeys };
}

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
  const { pending, unknownKeys } = resolveGraphAnswers(exact, answers);
  const check = new GraphCheck(expression, values, exact, pending);
  const rows = pending.map((p) => check.judge(p, placesFor(options.places, p.key, quantityName(exact, p.target))));
  return summarise(rows, unknownKeys, "names");
}

/** A graph's answers judged one by one, in the order of the calculation (see check.ts for the verdicts). */
class GraphCheck {
  private readonly all = { values: record(), grads: record() };
  private readonly chains = new Map<number, GraphTrace>();
  /** each answer's value from the student's other numbers (their own inputs to it) */
  private readonly follows = new Map<string, { stepId?: string; follow?: Dec }>();
  private readonly bounds: (qid: string, d: number) => { all: number; slack: number };
  private readonly tainted: CheckRow[] = [];

  constructor(
    private readonly expression: string,
    private readonly values: Readonly<Record<string, number | string>>,
    private readonly exact: GraphTrace,
    private readonly pending: readonly GraphAnswer[],
  ) {
    for (const p of pending) (p.target.what === "value" ? this.all.values : this.all.grads)[p.target.node] = p.num.text;
    for (const p of pending) this.follows.set(p.qid, this.followFrom(p, this.others(p)));
    const byQid = new Map(pending.map((p) => [p.qid, p]));
    this.bounds = graphBounds(exact, {
      written: (qid) => {
        const p = byQid.get(qid);
        return p && writtenRounding(p.num.value, p.num.decimals, this.follows.get(qid)?.follow);
      },
      needsRounding: (qid, d) => needsRoundingAt(exactOf(exact, qidTarget(qid)), d),
    });
  }

  /** Every other number the student typed. */
  private others(p: GraphAnswer) {
    const others = { values: record(this.all.values), grads: record(this.all.grads) };
    delete (p.target.what === "value" ? others.values : others.grads)[p.target.node];
    return others;
  }

  private followFrom(p: GraphAnswer, others: { values: Record<string, string>; grads: Record<string, string> }) {
    const own = graphTrace(this.expression, this.values, "exact", others);
    const id = stepId({ phase: p.target.what === "value" ? "forward" : "backward", node: p.target.node });
    const step = own.steps.find((s) => s.id === id);
    return { stepId: step?.id, follow: step ? new D(step.value) : undefined };
  }

  private chain(d: number): GraphTrace {
    let c = this.chains.get(d);
    if (!c) this.chains.set(d, (c = graphTrace(this.expression, this.values, `dp:${d}`)));
    return c;
  }

  /** The earlier wrong answers a value depends on: those (or those behind an earlier "follows") whose exact value would change it. */
  private roots(p: GraphAnswer, follow: Dec | undefined): string[] {
    if (!follow) return [];
    const others = this.others(p);
    const depends = (w: CheckRow) => {
      const g = this.pending.find((x) => x.key === w.key)!.target;
      const fixedOthers = { values: record(others.values), grads: record(others.grads) };
      (g.what === "value" ? fixedOthers.values : fixedOthers.grads)[g.node] = w.exact;
      const f = this.followFrom(p, fixedOthers).follow;
      return f !== undefined && !f.eq(follow);
    };
    return [...new Set(this.tainted.filter(depends).flatMap((w) => w.followsFrom ?? [w.key]))];
  }

  judge(p: GraphAnswer, placesAsked: number | undefined): CheckRow {
    const { stepId: sid, follow } = this.follows.get(p.qid)!;
    const E = exactOf(this.exact, p.target);
    const d = p.num.decimals;
    const chain = exactOf(this.chain(d), p.target);
    const b = this.bounds(p.qid, d);
    const j = judgeNumber(p.num, {
      exact: E,
      chain,
      follow,
      followTol: halfUnit(d) + b.slack,
      exactTol: halfUnit(d) + b.all,
      roots: this.roots(p, follow),
      placesAsked,
    });
    const n = this.exact.nodes.find((x) => x.id === p.target.node)!;
    const outTex = this.exact.nodes.find((x) => x.id === this.exact.output)!.tex;
    const row: CheckRow = {
      key: p.key,
      canonicalKey: quantityName(this.exact, p.target),
      stepId: sid ?? stepId({ phase: "given", node: n.id }),
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
    if (j.verdict === "wrong" || j.verdict === "follows") this.tainted.push(row);
    return row;
  }
}

const qidTarget = (qid: string): GraphKey => {
  const [what, node] = qid.split(":") as ["value" | "grad", string];
  return { what, node };
};

const exactOf = (t: GraphTrace, k: GraphKey): Dec => {
  const n = t.nodes.find((x) => x.id === k.node)!;
  return new D(k.what === "value" ? n.value : n.grad);
};

const quantityName = (t: GraphTrace, k: GraphKey): string => graphAnswerKey(t, k.node, k.what);

/**
 * How far rounding can move each node value and gradient from a right computation, the graph's
 * version of the network's propagation: a value moves with its inputs (× the edge's local
 * derivative), a gradient with the upstream gradients it is summed from (× the local derivative).
 * Inputs and constants are given exactly; a written quantity holds the rounding the student did
 * in it (RoundingSources.written); an unwritten one half a unit at d decimals where its value has
 * more decimals than that, plus what its own inputs carry. `slack` counts only unwritten inputs
 * (the follow-through is computed from the written ones).
 */
function graphBounds(t: GraphTrace, src: Pick<RoundingSources, "written" | "needsRounding">) {
  const kind = new Map(t.nodes.map((n) => [n.id, n.kind]));
  const inputsOf = (id: string): Dependency[] => {
    const { what, node } = qidTarget(id);
    if (what === "value")
      return t.edges
        .filter((e) => e.to === node && kind.get(e.from) !== "const" && kind.get(e.from) !== "input")
        .map((e) => ({ id: `value:${e.from}`, weight: Math.abs(Number(e.local)) }));
    return t.edges
      .filter((e) => e.from === node)
      .map((e) => ({ id: `grad:${e.to}`, weight: Math.abs(Number(e.local)) }));
  };
  const bound = roundingBound({ inputsOf, ...src });
  return (id: string, d: number) => {
    let all = 0,
      slack = 0;
    for (const x of inputsOf(id)) {
      const b = x.weight * bound(x.id, d);
      all += b;
      if (src.written(x.id) === undefined) slack += b;
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
 * Check an exercise's answers against the values the engine computed (exact decimals: pass a
 * decimal string for a value a double cannot hold, "0.75" rather than 0.6 / 0.8). `correct` when
 * the exact value rounds to the number typed at its decimals; `rounding` when it is one unit off
 * in the last decimal and the exact value has more decimals than were typed (rounding earlier
 * values moves answers that far); otherwise `wrong`.
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
      exactTol: needsRoundingAt(E, num.decimals) ? halfUnit(num.decimals) : 0,
      roots: [],
      placesAsked: placesFor(options.places, a.key),
    });
    // an exercise's number comes from a calculation this checker cannot see, so one unit off is
    // rounding; but not where the exact value has no more decimals than were written (x = 1.029,
    // 21): nothing can have been rounded there
    if (
      j.verdict === "wrong" &&
      needsRoundingAt(E, num.decimals) &&
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
