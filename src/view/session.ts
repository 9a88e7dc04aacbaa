// The step-through view's state, apart from the DOM so that it can be tested: the steps in the
// order of a hand calculation, where the student is, what they typed and how the checker judged
// it, which values are revealed, the what-if edits and the values they changed, the notation.
// The view (labextension/) draws this state and calls its methods; nothing here touches a page.
import { traceNetwork } from "../engine/network.js";
import { graphTrace, type GraphTrace } from "../engine/graph.js";
import { parseSpec, type NetworkSpec } from "../engine/spec.js";
import { isTutorError, SpecError } from "../engine/errors.js";
import { notationFor, type NotationPreset } from "../engine/notation.js";
import type { NetworkTrace, Step } from "../engine/trace.js";
import { checkHandCalculation, type CheckReport, type Verdict } from "../checking/check.js";
import { checkGraphCalculation } from "../checking/simple.js";
import { parseTypedNumber } from "../checking/answers.js";
import { graphGivens, networkGivens, withGiven, type Given } from "./givens.js";
import { graphUses, networkUses, type Uses } from "./links.js";
import { graphLayout, networkLayout, type Layout } from "./layout.js";
import type { GraphPayload, StepThroughPayload } from "./payload.js";

/** A stretch of the calculation the student can jump to. */
export interface Phase {
  id: string;
  title: string;
  /** index of its first step */
  first: number;
}

export interface ViewStep {
  id: string;
  /** the phase it belongs to (Phase.id) */
  phase: string;
  /** the line's heading: "Forward pass, layer 1", "Output layer: gradients" */
  heading: string;
  /** LaTeX */
  symbol: string;
  formula: string;
  substituted: string;
  /** the value in the trace's precision, every digit */
  value: string;
  /** what the student would type it as (the checker's key) */
  key: string;
  uses: Uses;
}

export interface Attempt {
  typed: string;
  verdict: Verdict;
  /** the checker's one line, with the classic mistake when it names one */
  explanation: string;
}

interface StepState {
  attempts: Attempt[];
  revealed: boolean;
}

export type Outcome = { ok: true } | { ok: false; message: string };

export interface SummaryLine {
  index: number;
  symbol: string;
  key: string;
  /** the latest attempt's verdict, or "shown" when revealed without an answer */
  verdict: Verdict | "shown";
  typed?: string;
  explanation: string;
  /** wrong at first, right later */
  correctedAfter?: number;
}

export interface Summary {
  total: number;
  answered: number;
  counts: Record<Verdict | "shown" | "open", number>;
  /** the steps that went wrong (or were only shown), in calculation order */
  lines: SummaryLine[];
}

/** Long values (exact traces) as a hand calculation writes them: 8 decimals and an ellipsis. */
export function displayValue(value: string, decimals = 8): string {
  const m = /^(-?\d+)\.(\d+)$/.exec(value);
  return m && m[2].length > decimals ? `${m[1]}.${m[2].slice(0, decimals)}…` : value;
}

const message = (e: unknown): string => (isTutorError(e) ? e.message : `unexpected: ${String(e)}`);

/** One network or graph calculation being stepped through. */
export class StepThrough {
  readonly kind: StepThroughPayload["kind"];
  readonly precision: string;
  readonly title: string;
  notation: NotationPreset;
  steps: ViewStep[] = [];
  phases: Phase[] = [];
  givens: Given[] = [];
  index = 0;
  /** step ids whose value differs from the payload's own numbers because of an edit */
  changed = new Set<string>();
  /** given id → the edited text */
  readonly edits = new Map<string, string>();
  private readonly state = new Map<string, StepState>();
  /** an edit or a notation change has not been re-judged yet (see rejudge) */
  private stale = false;
  private readonly original: StepThroughPayload;
  private spec: Record<string, unknown> | undefined;
  private parsed: NetworkSpec | undefined;
  private values: Record<string, string> | undefined;
  private baseValues = new Map<string, string>();
  /** the last trace built: the network's or the graph's */
  trace: NetworkTrace | GraphTrace | undefined;

  /** Throws a TutorError naming the problem when the payload's spec or expression is not valid. */
  constructor(payload: StepThroughPayload) {
    this.original = payload;
    this.kind = payload.kind;
    this.precision = payload.precision;
    this.notation = payload.kind === "network" ? payload.notation : "names";
    if (payload.kind === "network") {
      this.spec = payload.spec;
      this.parsed = parseSpec(payload.spec);
      if (this.parsed.isBatch || this.parsed.examples.length > 1) {
        const problem = "is a batch (inputs/targets); the step-through view follows one example's hand calculation";
        throw new SpecError("spec", problem, "give one example as input/target");
      }
    } else {
      this.values = { ...payload.values };
    }
    this.title =
      payload.title ??
      (payload.kind === "network" ? "Step through the calculation" : `Step through the graph ${payload.expression}`);
    this.rebuild();
    this.baseValues = new Map(this.steps.map((s) => [s.id, s.value]));
    this.changed.clear();
  }

  // ---- the trace ------------------------------------------------------------------------------

  /** Trace the current numbers in the payload's precision and notation; mark what an edit changed. */
  private rebuild(): void {
    if (this.kind === "network") {
      const parsed = parseSpec(this.spec);
      const trace = traceNetwork(parsed, { precision: this.precision, notation: this.notation });
      this.parsed = parsed;
      this.trace = trace;
      this.givens = networkGivens(parsed, this.notation);
      this.steps = networkSteps(trace, parsed, networkUses(trace, parsed));
    } else {
      const g = this.original as GraphPayload;
      const trace = graphTrace(g.expression, this.values!, this.precision);
      this.trace = trace;
      this.givens = graphGivens(trace);
      this.steps = graphSteps(trace, graphUses(trace));
    }
    this.phases = [];
    this.steps.forEach((s, i) => {
      if (!this.phases.some((p) => p.id === s.phase))
        this.phases.push({ id: s.phase, title: PHASE_TITLES[s.phase] ?? s.phase, first: i });
    });
    this.changed = new Set(
      this.steps.filter((s) => this.baseValues.has(s.id) && this.baseValues.get(s.id) !== s.value).map((s) => s.id),
    );
  }

  get current(): ViewStep {
    return this.steps[this.index];
  }

  /** The value a given has now (edited or not). */
  givenValue(id: string): string | undefined {
    return this.givens.find((g) => g.id === id)?.value;
  }

  /**
   * Where the drawing puts the units or the graph's nodes. Units are labelled by name in every
   * notation (the spec's names, else i1, h1, o1): a plain-text drawing cannot write a^{[1]}_1.
   */
  layout(): Layout {
    if (this.kind === "graph") return graphLayout(this.trace as GraphTrace);
    const spec = this.parsed!,
      n = notationFor(spec, "names");
    return networkLayout(
      spec.layers,
      spec.layers.map((count, l) => Array.from({ length: count }, (_, j) => n.a(l, j).key.replace(/^a_/, ""))),
    );
  }

  // ---- moving ---------------------------------------------------------------------------------

  go(index: number): void {
    this.index = Math.max(0, Math.min(this.steps.length - 1, index));
  }

  next(): void {
    this.go(this.index + 1);
  }

  previous(): void {
    this.go(this.index - 1);
  }

  jump(phase: string): void {
    const p = this.phases.find((x) => x.id === phase);
    if (p) this.go(p.first);
  }

  /** The phase the current step is in. */
  get phase(): Phase {
    return this.phases.find((p) => p.id === this.current.phase)!;
  }

  // ---- predict, then reveal -------------------------------------------------------------------

  private stateOf(id: string): StepState {
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { attempts: [], revealed: false }));
    return s;
  }

  revealed(id: string): boolean {
    return this.state.get(id)?.revealed ?? false;
  }

  attempts(id: string): readonly Attempt[] {
    return this.state.get(id)?.attempts ?? [];
  }

  /**
   * Judge the student's value for the current step with the checker, together with every value
   * they typed before (for follow-through), then reveal the step's value. A value that is not a
   * number gets the checker's own message and changes nothing.
   */
  check(typed: string): Outcome {
    const step = this.current;
    try {
      parseTypedNumber(typed, step.key);
    } catch (e) {
      return { ok: false, message: message(e) };
    }
    const state = this.stateOf(step.id);
    state.attempts.push({ typed: typed.trim(), verdict: "wrong", explanation: "" });
    try {
      this.judgeAll();
      this.stale = false;
    } catch (e) {
      state.attempts.pop();
      return { ok: false, message: message(e) };
    }
    state.revealed = true;
    return { ok: true };
  }

  /** Reveal the current step's value without judging anything. */
  show(): void {
    this.stateOf(this.current.id).revealed = true;
  }

  /** Re-judge every step's latest attempt against the current numbers (after a typed value or an edit). */
  private judgeAll(): void {
    const answered = this.steps.filter((s) => this.attempts(s.id).length > 0);
    if (answered.length === 0) return;
    const latest = (s: ViewStep) => this.attempts(s.id).at(-1)!;
    const report = this.kind === "network" ? this.checkNetwork(answered, latest) : this.checkGraph(answered, latest);
    for (const s of answered) {
      const row = report.rows.find((r) => r.key === s.key);
      const attempt = latest(s);
      if (row) Object.assign(attempt, { verdict: row.verdict, explanation: row.explanation });
      else {
        const unknown = report.unknownKeys.find((u) => u.key === s.key)?.message;
        Object.assign(attempt, { verdict: "wrong", explanation: unknown ?? "the checker did not judge this step" });
      }
    }
  }

  private checkNetwork(answered: readonly ViewStep[], latest: (s: ViewStep) => Attempt): CheckReport {
    const answers = answered.map((s) => ({ key: s.key, typed: latest(s).typed, where: s.key }));
    return checkHandCalculation(this.parsed, answers, { notation: this.notation });
  }

  private checkGraph(answered: readonly ViewStep[], latest: (s: ViewStep) => Attempt): CheckReport {
    const g = this.original as GraphPayload;
    return checkGraphCalculation(
      g.expression,
      this.values!,
      answered.map((s) => ({ key: s.key, typed: latest(s).typed, where: s.key })),
    );
  }

  // ---- what if --------------------------------------------------------------------------------

  /**
   * Replace a given number and recompute every step from it in the trace's precision. The text is
   * read as a student's typed number (so `0,5` and `abc` get the checker's messages); a spec the
   * engine refuses (a negative learning rate) leaves everything as it was and says why.
   */
  edit(givenId: string, text: string): Outcome {
    const given = this.givens.find((g) => g.id === givenId);
    if (!given) return { ok: false, message: `${givenId}: there is no such number to edit` };
    let number: string;
    try {
      number = parseTypedNumber(text, given.what).text;
    } catch (e) {
      return { ok: false, message: message(e) };
    }
    const before = { spec: this.spec, values: this.values };
    if (this.kind === "network") this.spec = withGiven(this.spec!, this.parsed!, given, number);
    else this.values = { ...this.values, [given.path[0] as string]: number };
    try {
      this.rebuild();
    } catch (e) {
      this.spec = before.spec;
      this.values = before.values;
      this.rebuild();
      return { ok: false, message: message(e) };
    }
    this.edits.set(givenId, number);
    this.stale = true;
    return { ok: true };
  }

  /**
   * Judge the typed answers again after edits or a notation change. Kept apart from edit() so
   * that the view can show the recomputed values at once and the verdicts a moment later: the
   * checker's scan of a changed spec costs more than the trace itself.
   */
  rejudge(): void {
    if (!this.stale) return;
    this.stale = false;
    this.judgeAll();
  }

  /** Whether the verdicts shown are from before the last edit. */
  get verdictsStale(): boolean {
    return this.stale;
  }

  /** Back to the payload's own numbers. */
  resetEdits(): void {
    this.spec = this.original.kind === "network" ? this.original.spec : undefined;
    this.values = this.original.kind === "graph" ? { ...this.original.values } : undefined;
    this.edits.clear();
    this.rebuild();
    this.stale = true;
  }

  // ---- notation -------------------------------------------------------------------------------

  /** Write the calculation in another of the five presets; answers are kept (they belong to steps, not to keys). */
  setNotation(preset: NotationPreset): void {
    if (this.kind !== "network" || preset === this.notation) return;
    this.notation = preset;
    this.rebuild();
    this.stale = true;
  }

  // ---- the end --------------------------------------------------------------------------------

  summary(): Summary {
    const counts: Summary["counts"] = {
      correct: 0,
      rounding: 0,
      follows: 0,
      wrong: 0,
      "too few places": 0,
      shown: 0,
      open: 0,
    };
    const lines: SummaryLine[] = [];
    this.steps.forEach((s, index) => {
      const tries = this.attempts(s.id);
      const last = tries.at(-1);
      if (!last) {
        counts[this.revealed(s.id) ? "shown" : "open"] += 1;
        if (this.revealed(s.id))
          lines.push({ index, symbol: s.symbol, key: s.key, verdict: "shown", explanation: "shown without an answer" });
        return;
      }
      counts[last.verdict] += 1;
      const firstWrong = tries.findIndex((t) => t.verdict === "wrong");
      if (last.verdict === "wrong" || last.verdict === "follows") {
        lines.push({
          index,
          symbol: s.symbol,
          key: s.key,
          verdict: last.verdict,
          typed: last.typed,
          explanation: last.explanation,
        });
      } else if (firstWrong >= 0) {
        const first = tries[firstWrong];
        const correctedAfter = tries.length - 1;
        lines.push({
          index,
          symbol: s.symbol,
          key: s.key,
          verdict: "wrong",
          typed: first.typed,
          explanation: first.explanation,
          correctedAfter,
        });
      }
    });
    return { total: this.steps.length, answered: this.steps.length - counts.open - counts.shown, counts, lines };
  }
}

const PHASE_TITLES: Record<string, string> = {
  forward: "Forward pass",
  loss: "The error",
  output: "Output layer",
  hidden: "Hidden layers",
  update: "Updates",
  backward: "Backward pass",
};

/** The network's steps with the phase and heading a hand calculation gives them (as the static derivation groups them). */
function networkSteps(trace: NetworkTrace, spec: NetworkSpec, uses: Map<string, Uses>): ViewStep[] {
  const L = spec.layers.length - 1;
  const place = (s: Step): { phase: string; heading: string } => {
    if (s.phase === "forward")
      return { phase: "forward", heading: `Forward pass, layer ${s.layer}${s.layer === L ? " (output)" : ""}` };
    if (s.phase === "loss") return { phase: "loss", heading: "The error" };
    if (s.phase === "update") return { phase: "update", heading: "The updates" };
    if (s.layer === L) return { phase: "output", heading: "Output layer: gradients" };
    return { phase: "hidden", heading: `Hidden layer ${s.layer}: gradients, summed over every path to the outputs` };
  };
  return trace.steps.map((s) => ({
    id: s.id,
    ...place(s),
    symbol: s.symbol,
    formula: s.formula,
    substituted: s.substituted,
    value: s.value,
    key: s.key,
    uses: uses.get(s.id)!,
  }));
}

/** A graph's steps: each node's value forward, then each gradient backward; keys as the graph checker reads them. */
function graphSteps(trace: GraphTrace, uses: Map<string, Uses>): ViewStep[] {
  const nameOf = new Map(trace.nodes.map((n) => [n.id, n.name ?? n.id]));
  const out = nameOf.get(trace.output)!;
  return trace.steps.map((s) => ({
    id: s.id,
    phase: s.phase,
    heading:
      s.phase === "forward"
        ? "Forward: each node's value"
        : "Backward: upstream gradient × local gradient, summed over the node's uses",
    symbol: s.symbol,
    formula: s.formula,
    substituted: s.substituted,
    value: s.value,
    key: s.phase === "forward" ? nameOf.get(s.node)! : `d${out}/d${nameOf.get(s.node)!}`,
    uses: uses.get(s.id)!,
  }));
}
