// Checking a hand calculation quantity by quantity, as an examiner marks it:
//
//   correct   the exact value, rounded to the decimals the student wrote, is their number;
//   rounding  it is not, but rounding explains it: it is the dp:N chain's value, or their own
//             (rounded) earlier numbers give it, or it lies within the tolerance that rounding
//             the step's inputs to N decimals propagates;
//   follows   wrong against the exact value, but right from their own earlier numbers, one of
//             which was wrong (follow-through credit);
//   wrong     none of these. The first one is where the calculation went off, and a classic
//             mistake that reproduces the number is named (see mistakes.ts).
//
// "Their own earlier numbers" come from one exact engine run with all of the student's numbers
// as overrides: `replaced[id]` is then each step done right from what the student had before it.
import { D, type Dec } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { parseSpec, type NetworkSpec } from "../engine/spec.js";
import { traceNetwork, traceWithReplaced } from "../engine/network.js";
import type { NotationPreset } from "../engine/notation.js";
import type { Step } from "../engine/trace.js";
import {
  answersFromInput,
  isEmptyAnswers,
  NOTHING_TYPED_YET,
  parseAllNumbers,
  type AnswersInput,
  type TypedNumber,
} from "./answers.js";
import { keyResolver, lossPart, type KeyTarget } from "./keys.js";
import { sensitivity } from "./sensitivity.js";
import { diagnose, type Diagnosis, type DiagnosisContext } from "./mistakes.js";
import {
  fixed,
  halfUnit,
  judgeNumber,
  placesFor,
  round,
  roundingBound,
  shown,
  tooFewPlaces,
  type Judged,
  type PlacesAsked,
  type Verdict,
} from "./verdict.js";
import { stepId } from "../engine/step-id.js";

export type { PlacesAsked, Verdict } from "./verdict.js";

export interface CheckRow {
  /** the key as the student typed it */
  key: string;
  /** the quantity's key in the notation in use */
  canonicalKey: string;
  /** the step checked against (`given.input.0` / `given.weight.2.0.0` for numbers of the spec) */
  stepId: string;
  /** "factor": a chain-rule factor equal to a step (∂z_o1/∂w5 = a_h1); "given": a number of the spec; "part": one output's part of the loss (E_o1) */
  role: "step" | "factor" | "given" | "part";
  /** LaTeX */
  symbol: string;
  typed: string;
  decimals: number;
  /** the exact value (40 significant digits) */
  exact: string;
  /** the value when every written quantity is rounded to the student's decimals (dp:N) */
  roundedChain: string;
  /** the value computed exactly from the student's own earlier numbers */
  followThrough: string;
  verdict: Verdict;
  /** one line, plain text */
  explanation: string;
  diagnosis?: Diagnosis;
  /** for "follows": the keys (as typed) of the wrong answers it follows from */
  followsFrom?: string[];
  /** "wrong" because too few digits were written to judge: the decimals needed */
  tooFewDigits?: number;
  /** the key is minus the step (Δ_i = −∂E/∂in_i); exact, roundedChain and followThrough are then in the key's sign */
  negated?: true;
  isFirstWrong: boolean;
}

export interface UnknownKey {
  key: string;
  message: string;
  suggestions: string[];
}

export interface CheckReport {
  notation: NotationPreset;
  rows: CheckRow[];
  /** the key (as typed) of the first wrong quantity, in the order of the calculation */
  firstWrong?: string;
  /** keys that name no quantity of this calculation; the others are checked */
  unknownKeys: UnknownKey[];
  summary: {
    correct: number;
    rounding: number;
    followThrough: number;
    wrong: number;
    /** answers written with fewer decimal places than asked (not judged) */
    tooFewPlaces: number;
    total: number;
  };
  /** a sentence for the student when there is nothing to check yet */
  note?: string;
  /** one sentence when the answers as a whole look like another network's (most keys unknown, or every forward value wrong) */
  warning?: string;
}

export interface CheckOptions {
  /** the notation the keys are written in (default: the spec's names, else bracket); other notations' keys are accepted where unambiguous */
  notation?: NotationPreset;
  /** the decimal places asked for (all answers, or per key as typed or canonical): fewer is "too few places" */
  places?: PlacesAsked;
}

interface Pending {
  key: string;
  where: string;
  num: TypedNumber;
  /** the number in the step's own sign (−num for a negated key) */
  stepNum: TypedNumber;
  target: KeyTarget;
  canonical: string;
  symbol: string;
  /** position in the calculation, for ordering */
  order: number;
  /** written with fewer decimal places than asked: not judged, and not carried into later steps */
  short?: Judged;
}

function isParsedSpec(x: unknown): x is NetworkSpec {
  return (
    typeof x === "object" &&
    x !== null &&
    "raw" in x &&
    "loss" in x &&
    typeof (x as { loss: unknown }).loss === "object"
  );
}

const negatedNumber = (n: TypedNumber): TypedNumber => ({
  value: n.value.neg(),
  decimals: n.decimals,
  text: n.text.startsWith("-") ? n.text.slice(1) : `-${n.text}`,
});

export function checkHandCalculation(spec: unknown, answers: AnswersInput, options: CheckOptions = {}): CheckReport {
  const parsed = isParsedSpec(spec) ? spec : parseSpec(spec);
  if (isEmptyAnswers(answers)) {
    return {
      notation: options.notation ?? (parsed.names ? "names" : "bracket"),
      rows: [],
      unknownKeys: [],
      summary: { correct: 0, rounding: 0, followThrough: 0, wrong: 0, tooFewPlaces: 0, total: 0 },
      note: NOTHING_TYPED_YET,
    };
  }
  if (parsed.isBatch || parsed.examples.length > 1) {
    throw new AnswerError(
      "spec",
      "is a batch (inputs/targets); the checker follows one example's hand calculation",
      "give the example as input/target",
    );
  }
  const preset: NotationPreset = options.notation ?? (parsed.names ? "names" : "bracket");
  const exact = traceNetwork(parsed, { precision: "exact", notation: preset });
  const steps = new Map<string, Step>(exact.steps.map((s) => [s.id, s]));
  const position = new Map<string, number>(exact.steps.map((s, i) => [s.id, i]));
  const exactValues = new Map<string, string>(exact.steps.map((s) => [s.id, s.value]));
  const resolver = keyResolver(parsed, exact.steps, preset);

  // the exact value a key names, in the step's own sign
  const exactOfTarget = (t: KeyTarget): Dec =>
    t.kind === "given"
      ? new D(t.value)
      : t.kind === "part"
        ? lossPart(
            parsed,
            t.unit,
            exactValues.get(
              stepId({ phase: "forward", quantity: "a", layer: parsed.layers.length - 1, unit: t.unit }),
            )!,
          )
        : new D(exactValues.get(t.stepId)!);

  // Read every answer: numbers first (a non-number is an error), then keys (unknown ones are listed)
  const typed = parseAllNumbers(answersFromInput(answers));
  const unknownKeys: UnknownKey[] = [];
  const pending: Pending[] = [];
  const seen = new Map<string, string>();
  for (const a of typed) {
    const r = resolver.resolve(a.key);
    if (!r.ok) {
      unknownKeys.push({ key: a.key, message: r.message, suggestions: r.suggestions });
      continue;
    }
    const id =
      r.target.kind === "given"
        ? r.target.id
        : r.target.kind === "part"
          ? `part:${r.target.unit}`
          : `${r.target.kind}:${r.target.stepId}`;
    const before = seen.get(id);
    if (before !== undefined)
      throw new AnswerError(
        a.where,
        `"${a.key}" and "${before}" are the same quantity (${r.canonical})`,
        "keep one value per quantity",
      );
    seen.set(id, a.key);
    const anchor = r.target.kind === "step" ? r.target.stepId : r.target.near;
    const stepNum = r.target.kind === "step" && r.target.negatedAs ? negatedNumber(a.num) : a.num;
    pending.push({
      key: a.key,
      where: a.where,
      num: a.num,
      stepNum,
      target: r.target,
      canonical: r.canonical,
      symbol: r.symbol,
      order: (position.get(anchor) ?? 0) - (r.target.kind === "step" ? 0 : 0.5),
    });
    const short = tooFewPlaces(stepNum, placesFor(options.places, a.key, r.canonical), exactOfTarget(r.target));
    if (short) pending[pending.length - 1].short = short;
  }
  if (pending.length === 0) {
    throw new AnswerError(
      "answers",
      `no key names a quantity of this calculation (${unknownKeys.map((u) => u.message).join("; ")})`,
      `write keys in the ${preset} notation, e.g. ${exact.steps
        .slice(0, 2)
        .map((s) => s.key)
        .join(", ")}, ${exact.steps.find((s) => s.quantity === "dW")?.key ?? ""}`,
    );
  }
  pending.sort((x, y) => x.order - y.order);

  // The student's numbers as overrides: a factor row (∂z_o1/∂w5) stands in for its step only when the step itself is not answered
  const answered: Record<string, string> = {};
  const overridingRow = new Map<string, Pending>();
  for (const p of pending)
    if (p.target.kind === "step" && !p.short) {
      answered[p.target.stepId] = p.stepNum.text;
      overridingRow.set(p.target.stepId, p);
    }
  for (const p of pending)
    if (p.target.kind === "factor" && !p.short && !(p.target.stepId in answered)) {
      answered[p.target.stepId] = p.stepNum.text;
      overridingRow.set(p.target.stepId, p);
    }

  const ft = traceWithReplaced(parsed, { precision: "exact", notation: preset, overrides: answered });
  const pinned: Record<string, string> = {};
  for (const s of ft.trace.steps) pinned[s.id] = answered[s.id] ?? s.value;
  const followThrough = (id: string): Dec => new D(ft.replaced[id] ?? pinned[id]);

  const chains = new Map<number, Map<string, string>>();
  const chain = (d: number): Map<string, string> => {
    let c = chains.get(d);
    if (!c)
      chains.set(
        d,
        (c = new Map(
          traceNetwork(parsed, { precision: `dp:${Math.min(d, 99)}`, notation: preset }).steps.map((s) => [
            s.id,
            s.value,
          ]),
        )),
      );
    return c;
  };

  const sens = sensitivity(parsed, exactValues);
  const inputsOf = (id: string) => sens.inputs.get(id) ?? [];

  // how far rounding can move each step (the student's written ones by half their last unit)
  const inputBound = roundingBound(inputsOf, (id) => overridingRow.get(id)?.num.decimals);

  // Whether a step carries a wrong number: its own (when answered) or one it was computed from
  interface Status {
    tainted: boolean;
    roots: string[];
  }
  const statusMemo = new Map<string, Status>();
  const verdictMemo = new Map<Pending, CheckRow>();
  const inputsStatus = (id: string): Status => {
    const roots = new Set<string>();
    for (const x of inputsOf(id)) for (const r of status(x.id).roots) roots.add(r);
    return { tainted: roots.size > 0, roots: [...roots] };
  };
  const status = (id: string): Status => {
    let s = statusMemo.get(id);
    if (!s) {
      const p = overridingRow.get(id);
      if (!p) s = inputsStatus(id);
      else {
        const row = judge(p);
        s =
          row.verdict === "wrong"
            ? { tainted: true, roots: [p.key] }
            : row.verdict === "follows"
              ? inputsStatus(id)
              : { tainted: false, roots: [] };
      }
      statusMemo.set(id, s);
    }
    return s;
  };

  const judge = (p: Pending): CheckRow => {
    const memo = verdictMemo.get(p);
    if (memo) return memo;
    const t = p.target;
    const row = p.short
      ? shortRow(p)
      : t.kind === "given"
        ? judgeGiven(p, t.value, t.what)
        : t.kind === "part"
          ? judgePart(p, t.unit)
          : judgeStep(p, t.stepId, t.kind === "step" ? t.negatedAs : undefined);
    verdictMemo.set(p, row);
    return row;
  };

  const rowOf = (
    p: Pending,
    stepId: string,
    role: CheckRow["role"],
    j: Judged,
    values: { exact: string; chain: string; follow: string },
  ): CheckRow => ({
    key: p.key,
    canonicalKey: p.canonical,
    stepId,
    role,
    symbol: p.symbol,
    typed: p.num.text,
    decimals: p.num.decimals,
    exact: values.exact,
    roundedChain: values.chain,
    followThrough: values.follow,
    verdict: j.verdict,
    explanation: j.explanation,
    ...(j.followsFrom ? { followsFrom: j.followsFrom } : {}),
    ...(j.tooFewDigits !== undefined ? { tooFewDigits: j.tooFewDigits } : {}),
    isFirstWrong: false,
  });

  const shortRow = (p: Pending): CheckRow => {
    const E = exactOfTarget(p.target).times(p.stepNum === p.num ? 1 : -1);
    const id =
      p.target.kind === "given" ? p.target.id : p.target.kind === "part" ? stepId({ phase: "loss" }) : p.target.stepId;
    const role = p.target.kind === "step" ? "step" : p.target.kind;
    return rowOf(p, id, role, p.short!, { exact: E.toString(), chain: E.toString(), follow: E.toString() });
  };

  const judgeGiven = (p: Pending, value: string, what: string): CheckRow => {
    const E = new D(value),
      d = p.num.decimals;
    const j = judgeNumber(p.num, { exact: E, followTol: 0, exactTol: 0, roots: [] });
    const explanation =
      j.verdict === "correct"
        ? `${what}, ${value}`
        : j.tooFewDigits !== undefined
          ? j.explanation
          : `this factor is ${what}, ${value}`;
    return rowOf(
      p,
      p.target.kind === "given" ? p.target.id : "",
      "given",
      { ...j, explanation },
      { exact: E.toString(), chain: fixed(E, d), follow: E.toString() },
    );
  };

  // E_o1: the loss part of one output, from that output's activation (the student's, for follow-through)
  const judgePart = (p: Pending, unit: number): CheckRow => {
    const L = parsed.layers.length - 1,
      aId = stepId({ phase: "forward", quantity: "a", layer: L, unit }),
      d = p.num.decimals;
    const part = (a: string) => lossPart(parsed, unit, a);
    const E = part(exactValues.get(aId)!),
      F = part(pinned[aId]),
      C = round(part(chain(d).get(aId)!), d);
    const slope = Math.abs(
      Number(exactValues.get(stepId({ phase: "backward", quantity: "dL/da", layer: L, unit })) ?? 0),
    );
    const bound = slope * inputBound(aId, d);
    const j = judgeNumber(p.num, {
      exact: E,
      chain: C,
      follow: F,
      followTol: halfUnit(d) + (overridingRow.has(aId) ? 0 : bound),
      exactTol: halfUnit(d) + bound,
      roots: status(aId).roots,
    });
    return rowOf(p, stepId({ phase: "loss" }), "part", j, {
      exact: E.toString(),
      chain: C.toFixed(d),
      follow: F.toString(),
    });
  };

  const followTolerance = new Map<string, number>();
  const judgeStep = (p: Pending, id: string, negatedAs?: string): CheckRow => {
    const d = p.num.decimals,
      sign = negatedAs ? -1 : 1;
    const E = new D(exactValues.get(id)!).times(sign);
    const C = new D(chain(d).get(id)!).times(sign);
    // a factor row beside its own answered step is judged as a copy of the student's number for that step
    const copy = p.target.kind === "factor" && overridingRow.get(id) !== p;
    const F = (copy ? new D(pinned[id]) : followThrough(id)).times(sign);
    const st = copy ? status(id) : inputsStatus(id);
    let slack = 0,
      tol = halfUnit(d);
    for (const x of copy ? [] : inputsOf(id)) {
      const b = inputBound(x.id, d);
      tol += x.weight * b;
      if (!overridingRow.has(x.id)) slack += x.weight * b;
    }
    const j = judgeNumber(p.num, {
      exact: E,
      chain: C,
      follow: F,
      followTol: halfUnit(d) + slack,
      exactTol: tol,
      roots: st.roots,
    });
    followTolerance.set(p.key, halfUnit(d) + slack);
    const row = rowOf(
      p,
      id,
      p.target.kind === "factor" ? "factor" : "step",
      negatedAs ? { ...j, explanation: `${negatedAs}; ${j.explanation}` } : j,
      { exact: E.toString(), chain: C.toFixed(d), follow: F.toString() },
    );
    return negatedAs ? { ...row, negated: true } : row;
  };

  const rows = pending.map(judge);
  const ctx: DiagnosisContext = {
    spec: parsed,
    steps,
    pinned,
    answers: answered,
    inputsOf: (id) => inputsOf(id).map((x) => x.id),
  };
  const named = new Map<string, string>();
  for (const row of rows) {
    if (row.verdict !== "wrong" || row.role !== "step" || row.tooFewDigits !== undefined) continue;
    const sign = row.negated ? -1 : 1;
    const diagnosis = diagnose(
      {
        stepId: row.stepId,
        typed: new D(row.typed).times(sign),
        followThrough: new D(row.followThrough).times(sign),
        tolerance: followTolerance.get(row.key) ?? halfUnit(row.decimals),
      },
      ctx,
    );
    if (!diagnosis) continue;
    const earlier = named.get(diagnosis.mistake);
    row.diagnosis = earlier
      ? { ...diagnosis, description: `${diagnosis.description} (the same mistake as at ${earlier})` }
      : diagnosis;
    row.explanation += `; probably: ${row.diagnosis.description}`;
    if (!earlier) named.set(diagnosis.mistake, row.key);
  }
  const report = summarise(rows, unknownKeys, preset);
  const warning = anotherNetwork(rows, unknownKeys);
  if (warning) report.warning = warning;
  return report;
}

/** The report of judged rows: the counts per verdict and the first wrong row marked (networks and graphs alike). */
export function summarise(
  rows: CheckRow[],
  unknownKeys: UnknownKey[],
  notation: CheckReport["notation"],
  note?: string,
): CheckReport {
  const first = rows.find((r) => r.verdict === "wrong");
  if (first) first.isFirstWrong = true;
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const report: CheckReport = {
    notation,
    rows,
    unknownKeys,
    summary: {
      correct: count("correct"),
      rounding: count("rounding"),
      followThrough: count("follows"),
      wrong: count("wrong"),
      tooFewPlaces: count("too few places"),
      total: rows.length,
    },
  };
  if (first) report.firstWrong = first.key;
  if (note) report.note = note;
  return report;
}

const FORWARD = /^forward\.|^loss$/;

/** One sentence when the answers as a whole fit another network better than this one. */
function anotherNetwork(rows: readonly CheckRow[], unknown: readonly UnknownKey[]): string | undefined {
  const lead = "these answers seem to belong to another network";
  if (unknown.length >= 2 && unknown.length > rows.length) {
    return `${lead}: ${unknown.length} of ${unknown.length + rows.length} keys name no quantity of this spec (${unknown
      .slice(0, 3)
      .map((u) => u.key)
      .join(", ")}${unknown.length > 3 ? ", …" : ""}); check that the spec is the one the calculation was done for`;
  }
  const forward = rows.filter((r) => r.role === "step" && FORWARD.test(r.stepId));
  if (
    forward.length >= 2 &&
    forward.every((r) => r.verdict === "wrong" || r.verdict === "follows") &&
    forward.some((r) => r.verdict === "wrong" && r.tooFewDigits === undefined)
  ) {
    const f = forward[0];
    return `${lead}: none of the ${forward.length} forward values matches this spec (${f.key} should be ${fixed(new D(f.exact), f.decimals)}, not ${f.typed}); check the spec's inputs, weights and biases`;
  }
  return undefined;
}
