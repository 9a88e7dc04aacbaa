// Judging each answer of a network's hand calculation (see check.ts for what the verdicts mean).
// A step is judged against the exact value, the dp:N chain, and what it is from the student's
// OWN inputs to it (their follow-through, student.ts), in every way a hand calculation writes it
// (∂E/∂w from ∂E/∂a · ∂a/∂z · a or from δ · a): the fairest of these is the verdict, so one slip
// costs one mark.
//
// Follow-through credit and gaming. Carried errors open a door: a trivially wrong early answer
// (δ = 0) makes every later product trivial (∂E/∂w = 0, w⁺ = w). So follow-through credit is given
// only for a value carried from answers the student actually wrote (an unanswered step is never a
// root), and not when what it carries is degenerate: a wrong answer of 0 (where the exact value is
// not 0), or a follow-through value of 0 where the exact value is not. Those are judged wrong, and
// the explanation says why. (docs/checking.md)
import { D, type Dec } from "../engine/numeric.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { NotationPreset } from "../engine/notation.js";
import type { Step } from "../engine/trace.js";
import { traceNetwork } from "../engine/network.js";
import { stepId } from "../engine/step-id.js";
import { lossPart } from "./keys.js";
import type { Dependencies } from "./dependencies.js";
import { exactOfTarget, type Pending } from "./network-answers.js";
import { productWays, type StudentCalculation } from "./student.js";
import {
  fixed,
  halfUnit,
  judgeNumber,
  needsRoundingAt,
  round,
  roundingBound,
  writtenRounding,
  type Judged,
  type Verdict,
} from "./verdict.js";
import type { CheckRow } from "./report.js";

/** One way of computing a step from the student's values: the value, the wrong answers it carries, its rounding slack. */
interface Way {
  follow: Dec;
  roots: string[];
  /** what rounding the unwritten inputs of this way can add */
  slack: number;
}

/** Judgements that refused follow-through credit (see creditCheck). */
const refused = new WeakSet<Judged>();

const RANK: Record<Verdict, number> = { correct: 0, rounding: 1, follows: 2, wrong: 3, "too few places": 4 };

/** The dp:N chains of a parsed spec, by N (see NetworkJudge.chain). */
const chains = new WeakMap<NetworkSpec, Map<number, ReadonlyMap<string, string>>>();

export interface JudgeContext {
  spec: NetworkSpec;
  preset: NotationPreset;
  steps: ReadonlyMap<string, Step>;
  exact: ReadonlyMap<string, string>;
  deps: Dependencies;
  student: StudentCalculation;
  /** the answer carried forward for each step id (see overridesOf) */
  overriding: ReadonlyMap<string, Pending>;
  /** the answers by key as typed */
  byKey: ReadonlyMap<string, Pending>;
}

export class NetworkJudge {
  /** how far a right computation from the student's numbers may be from each answer (for diagnosis) */
  readonly followTolerance = new Map<string, number>();
  private readonly rows = new Map<Pending, CheckRow>();
  private readonly rootMemo = new Map<string, string[]>();
  private readonly bound: (id: string, d: number) => number;

  constructor(private readonly ctx: JudgeContext) {
    this.bound = roundingBound({
      inputsOf: (id) => ctx.deps.get(id) ?? [],
      written: (id) => {
        const p = ctx.overriding.get(id);
        return p && writtenRounding(p.stepNum.value, p.num.decimals, ctx.student.followThrough(id));
      },
      needsRounding: (id, d) => needsRoundingAt(ctx.student.value(id), d),
    });
  }

  judge(p: Pending): CheckRow {
    let row = this.rows.get(p);
    if (!row) {
      const t = p.target;
      row = p.short
        ? this.shortRow(p)
        : t.kind === "given"
          ? this.judgeGiven(p, t.id, t.value, t.what)
          : t.kind === "part"
            ? this.judgePart(p, t.unit)
            : this.judgeStep(p, t.stepId, t.kind === "step" ? t.negatedAs : undefined);
      this.rows.set(p, row);
    }
    return row;
  }

  /**
   * The wrong answers (keys as typed) a step's value in the student's calculation carries: an
   * unwritten step carries what it was computed from (their δ for a ∂E/∂w taken as δ · a).
   */
  roots(id: string): string[] {
    let r = this.rootMemo.get(id);
    if (!r) {
      const p = this.ctx.overriding.get(id);
      if (!p) r = this.inputRoots(this.ctx.student.implied.get(id) ?? this.ctx.deps.get(id)?.map((x) => x.id) ?? []);
      else {
        const row = this.judge(p);
        r = row.verdict === "wrong" ? [p.key] : row.verdict === "follows" ? (row.followsFrom ?? []) : [];
      }
      this.rootMemo.set(id, r);
    }
    return r;
  }

  private inputRoots(ids: readonly string[]): string[] {
    return [...new Set(ids.flatMap((x) => (this.ctx.steps.has(x) ? this.roots(x) : [])))];
  }

  /** The dp:N chain: every written quantity rounded to d decimals (kept with the spec object: it depends on nothing else). */
  private chain(d: number): ReadonlyMap<string, string> {
    let bySpec = chains.get(this.ctx.spec);
    if (!bySpec) chains.set(this.ctx.spec, (bySpec = new Map()));
    let c = bySpec.get(d);
    if (!c) {
      const t = traceNetwork(this.ctx.spec, { precision: `dp:${Math.min(d, 99)}` });
      bySpec.set(d, (c = new Map(t.steps.map((s) => [s.id, s.value]))));
    }
    return c;
  }

  private row(
    p: Pending,
    id: string,
    role: CheckRow["role"],
    j: Judged,
    values: { exact: string; chain: string; follow: string },
  ): CheckRow {
    return {
      key: p.key,
      canonicalKey: p.canonical,
      stepId: id,
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
    };
  }

  private shortRow(p: Pending): CheckRow {
    const t = p.target;
    const E = exactOfTarget(this.ctx.spec, this.ctx.exact, t)
      .times(p.stepNum === p.num ? 1 : -1)
      .toString();
    const id = t.kind === "given" ? t.id : t.kind === "part" ? stepId({ phase: "loss" }) : t.stepId;
    return this.row(p, id, t.kind, p.short!, { exact: E, chain: E, follow: E });
  }

  private judgeGiven(p: Pending, id: string, value: string, what: string): CheckRow {
    const E = new D(value);
    const j = judgeNumber(p.num, { exact: E, followTol: 0, exactTol: 0, roots: [] });
    const explanation =
      j.verdict === "correct"
        ? `${what}, ${value}`
        : j.tooFewDigits !== undefined
          ? j.explanation
          : `this factor is ${what}, ${value}`;
    return this.row(
      p,
      id,
      "given",
      { ...j, explanation },
      {
        exact: E.toString(),
        chain: fixed(E, p.num.decimals),
        follow: E.toString(),
      },
    );
  }

  /** E_o1: the loss part of one output, from that output's activation (the student's, for follow-through). */
  private judgePart(p: Pending, unit: number): CheckRow {
    const { spec, exact, student } = this.ctx;
    const L = spec.layers.length - 1,
      d = p.num.decimals;
    const aId = stepId({ phase: "forward", quantity: "a", layer: L, unit });
    const part = (a: string) => lossPart(spec, unit, a);
    const E = part(exact.get(aId)!),
      F = part(student.pinned[aId]),
      C = round(part(this.chain(d).get(aId)!), d);
    const slopeId = stepId({ phase: "backward", quantity: "dL/da", layer: L, unit });
    const bound = Math.abs(Number(exact.get(slopeId) ?? 0)) * this.bound(aId, d);
    const j = this.creditCheck(
      judgeNumber(p.num, {
        exact: E,
        chain: C,
        follow: F,
        followTol: halfUnit(d) + (this.ctx.overriding.has(aId) ? 0 : bound),
        exactTol: halfUnit(d) + bound,
        roots: this.roots(aId),
      }),
      E,
      F,
      d,
    );
    return this.row(p, stepId({ phase: "loss" }), "part", j, {
      exact: E.toString(),
      chain: C.toFixed(d),
      follow: F.toString(),
    });
  }

  private judgeStep(p: Pending, id: string, negatedAs?: string): CheckRow {
    const d = p.num.decimals,
      sign = negatedAs ? -1 : 1;
    const E = new D(this.ctx.exact.get(id)!).times(sign);
    const C = new D(this.chain(d).get(id)!).times(sign);
    // a factor row beside its own answered step is judged as a copy of the student's number for that step
    const copy = p.target.kind === "factor" && this.ctx.overriding.get(id) !== p;
    const ways = copy ? [{ follow: this.ctx.student.value(id), roots: this.roots(id), slack: 0 }] : this.ways(id, d);
    let tol = halfUnit(d);
    if (!copy) for (const x of this.ctx.deps.get(id) ?? []) tol += x.weight * this.bound(x.id, d);
    let best: { j: Judged; way: Way } | undefined;
    for (const way of ways) {
      const F = way.follow.times(sign);
      const j = this.creditCheck(
        judgeNumber(p.num, {
          exact: E,
          chain: C,
          follow: F,
          followTol: halfUnit(d) + way.slack,
          exactTol: tol,
          roots: way.roots,
        }),
        E,
        F,
        d,
      );
      // a refused follow-through says more than a plain "wrong" from another way
      const better = !best || RANK[j.verdict] < RANK[best.j.verdict] || (refused.has(j) && !refused.has(best.j));
      if (better) best = { j, way };
    }
    const { j, way } = best!;
    this.followTolerance.set(p.key, halfUnit(d) + way.slack);
    const row = this.row(
      p,
      id,
      p.target.kind === "factor" ? "factor" : "step",
      negatedAs ? { ...j, explanation: `${negatedAs}; ${j.explanation}` } : j,
      { exact: E.toString(), chain: C.toFixed(d), follow: way.follow.times(sign).toString() },
    );
    return negatedAs ? { ...row, negated: true } : row;
  }

  /** The ways a step is computed from the student's values: as the engine writes it, then as products (δ · a). */
  private ways(id: string, d: number): Way[] {
    const { deps, student, steps, overriding } = this.ctx;
    const recorded = deps.get(id) ?? [];
    const unwritten = (x: string) => steps.has(x) && !overriding.has(x);
    const ways: Way[] = [
      {
        follow: student.followThrough(id),
        roots: this.inputRoots(recorded.map((x) => x.id)),
        slack: recorded.filter((x) => unwritten(x.id)).reduce((s, x) => s + x.weight * this.bound(x.id, d), 0),
      },
    ];
    const step = steps.get(id);
    for (const factors of step ? productWays(step) : []) {
      const exactOf = (x: string) => Math.abs(Number(this.ctx.exact.get(x) ?? student.value(x)));
      // |∂(f₁ f₂ …)/∂fᵢ| is the product of the other factors
      const slack = factors
        .filter(unwritten)
        .reduce((s, x) => s + factors.filter((y) => y !== x).reduce((q, y) => q * exactOf(y), 1) * this.bound(x, d), 0);
      ways.push({
        follow: factors.reduce((q, x) => q.times(student.value(x)), new D(1)),
        roots: this.inputRoots(factors),
        slack,
      });
    }
    return ways;
  }

  /** No follow-through credit for what a degenerate carried value makes trivial (see the header). */
  private creditCheck(j: Judged, E: Dec, F: Dec, d: number): Judged {
    if (j.verdict !== "follows") return j;
    const zeroRoots = (j.followsFrom ?? []).filter((k) => {
      const p = this.ctx.byKey.get(k);
      return (
        p !== undefined && p.stepNum.value.isZero() && !exactOfTarget(this.ctx.spec, this.ctx.exact, p.target).isZero()
      );
    });
    if (zeroRoots.length === 0 && !(F.isZero() && !E.isZero())) return j;
    const why = zeroRoots.length ? `an answer of 0 for ${zeroRoots.join(" and ")}` : "a value of 0";
    const judged: Judged = {
      verdict: "wrong",
      explanation: `should be ${fixed(E, d)}; from your earlier values it is ${fixed(F, d)}, but follow-through credit is not given for what ${why} makes trivial`,
    };
    refused.add(judged);
    return judged;
  }
}
