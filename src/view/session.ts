// The step-through view's state, apart from the DOM so that it can be tested: the steps in the
// order of a hand calculation, where the student is, what they typed and how the checker judged
// it (two tries: a nudge after the first wrong answer, the value after the second), which values
// are revealed or were skipped, the what-if edits and the values they changed, the notation.
// Verdicts are earned once, against the problem's own numbers: a what-if edit never re-judges.
// The view (labextension/) draws this state and calls its methods; nothing here touches a page.
import { traceNetwork } from "../engine/network.js";
import { graphAnswerKey, graphTrace, type GraphTrace } from "../engine/graph.js";
import { parseSpec, type NetworkSpec } from "../engine/spec.js";
import { isTutorError, SpecError } from "../engine/errors.js";
import { notationFor, type NotationPreset } from "../engine/notation.js";
import type { NetworkTrace, Step } from "../engine/trace.js";
import { checkHandCalculation, type CheckReport, type CheckRow, type Verdict } from "../checking/check.js";
import { checkGraphCalculation } from "../checking/simple.js";
import { parseTypedNumber, type TypedNumber } from "../checking/answers.js";
import { tooFewPlaces } from "../checking/verdict.js";
import { D } from "../engine/numeric.js";
import { nudgeFor } from "./nudge.js";
import { lossCurve, type LossCurve } from "./whatif.js";
import { PROGRESS_VERSION, readProgress, type Attempt, type Progress, type StepProgress } from "./progress.js";
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
  /** where the drawing writes the value once it is revealed: a unit's (or node's) value or gradient, an edge's gradient */
  mark?: { on: "unit" | "edge"; key: string; kind: "value" | "gradient" };
}

export type { Attempt } from "./progress.js";

export type Outcome = { ok: true } | { ok: false; message: string };

/** How a step ended up: right at the first or second try, following from an earlier slip, shown, skipped or still open. */
export type StepResult = "first-try" | "second-try" | "follows" | "shown" | "skipped" | "open";

export interface SummaryLine {
  index: number;
  symbol: string;
  key: string;
  result: StepResult;
  /** the wrong tries, then the last one */
  attempts: readonly Attempt[];
}

export interface Summary {
  total: number;
  answered: number;
  counts: Record<StepResult, number>;
  /** the steps that did not go right at the first try (wrong once, follows, shown, skipped), in calculation order */
  lines: SummaryLine[];
}

const message = (e: unknown): string => (isTutorError(e) ? e.message : `unexpected: ${String(e)}`);
const RIGHT: readonly Verdict[] = ["correct", "rounding"];
const placesText = (d: number) => `${d} decimal place${d === 1 ? "" : "s"}`;

/** One network or graph calculation being stepped through. */
export class StepThrough {
  readonly kind: StepThroughPayload["kind"];
  readonly precision: string;
  /** the decimals every answer must have (dp:N); undefined for float and exact */
  readonly decimals: number | undefined;
  readonly title: string;
  notation: NotationPreset;
  steps: ViewStep[] = [];
  phases: Phase[] = [];
  givens: Given[] = [];
  index = 0;
  /** step ids whose value differs from the problem's own because of a what-if edit */
  changed = new Set<string>();
  /** given id → the edited text */
  readonly edits = new Map<string, string>();
  private state = new Map<string, StepProgress>();
  private readonly original: StepThroughPayload;
  private spec: Record<string, unknown> | undefined;
  private parsed: NetworkSpec | undefined;
  private values: Record<string, string> | undefined;
  /** the problem's own values (by step id) and givens, before any edit */
  readonly baseValues: Map<string, string>;
  private baseGivens = new Map<string, string>();
  /** the problem's own spec, parsed: what answers are judged against */
  private readonly baseParsed: NetworkSpec | undefined;
  /** the last trace built: the network's or the graph's */
  trace: NetworkTrace | GraphTrace | undefined;

  /** Throws a TutorError naming the problem when the payload's spec or expression is not valid. */
  constructor(payload: StepThroughPayload) {
    this.original = payload;
    this.kind = payload.kind;
    this.precision = payload.precision;
    const dp = /^dp:(\d+)$/.exec(payload.precision);
    this.decimals = dp ? Number(dp[1]) : undefined;
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
    this.baseParsed = this.parsed;
    this.title =
      payload.title ??
      (payload.kind === "network" ? "Step through the calculation" : `Step through the graph ${payload.expression}`);
    this.baseValues = new Map();
    this.rebuild();
    for (const s of this.steps) this.baseValues.set(s.id, s.value);
    this.baseGivens = new Map(this.givens.map((g) => [g.id, g.value]));
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

  /** The value a given has in the problem itself. */
  baseGiven(id: string): string | undefined {
    return this.baseGivens.get(id);
  }

  /** Where the drawing puts the units or the graph's nodes; units are labelled as the chosen notation writes their activation. */
  layout(): Layout {
    if (this.kind === "graph") return graphLayout(this.trace as GraphTrace);
    const spec = this.parsed!,
      n = notationFor(spec, this.notation);
    return networkLayout(
      spec.layers,
      spec.layers.map((count, l) => Array.from({ length: count }, (_, j) => n.a(l, j).key.replace(/^a_/, ""))),
    );
  }

  // ---- moving ---------------------------------------------------------------------------------

  /** Go to a step; leaving a step forward before it was answered or shown records it as skipped. */
  go(index: number): void {
    const to = Math.max(0, Math.min(this.steps.length - 1, index));
    const here = this.stateOf(this.current.id);
    if (to > this.index && !here.revealed && !here.attempts.some((a) => RIGHT.includes(a.verdict))) here.skipped = true;
    this.index = to;
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

  private stateOf(id: string): StepProgress {
    let s = this.state.get(id);
    if (!s) this.state.set(id, (s = { attempts: [], revealed: false, skipped: false }));
    return s;
  }

  revealed(id: string): boolean {
    return this.state.get(id)?.revealed ?? false;
  }

  attempts(id: string): readonly Attempt[] {
    return this.state.get(id)?.attempts ?? [];
  }

  /** Whether a step's inputs are all on the student's page (givens always are; steps once revealed). */
  inputsSeen(step: ViewStep): boolean {
    return step.uses.reads.every((id) => !this.baseValues.has(id) || this.revealed(id));
  }

  /**
   * Judge the student's value for the current step with the checker, together with every value
   * they typed before (for follow-through). Right (or following from their own earlier slip): the
   * value is revealed. Wrong: the first time a nudge without the value, the second time the value.
   * Nothing is judged (and nothing changes) for an empty box, what is not a number, fewer decimals
   * than the view asks for, a step already revealed, or while what-if edits are on.
   */
  check(typed: string): Outcome {
    const step = this.current;
    const refused = this.refusal(step, typed);
    if (refused) return { ok: false, message: refused };
    const num = parseTypedNumber(typed, step.key);
    let row: CheckRow | undefined;
    let unknown: string | undefined;
    try {
      const report = this.judge(step, num.text);
      row = report.rows.find((r) => r.key === step.key);
      unknown = report.unknownKeys.find((u) => u.key === step.key)?.message;
    } catch (e) {
      return { ok: false, message: message(e) };
    }
    const state = this.stateOf(step.id);
    const attempt: Attempt = {
      typed: num.text,
      verdict: row?.verdict ?? "wrong",
      explanation: row?.explanation ?? unknown ?? "the checker did not judge this step",
    };
    state.attempts.push(attempt);
    state.skipped = false;
    const wrongs = state.attempts.filter((a) => a.verdict === "wrong").length;
    if (attempt.verdict !== "wrong" || wrongs >= 2) state.revealed = true;
    else attempt.nudge = nudgeFor(row, num, this.readNames(step));
    return { ok: true };
  }

  /** Why a typed value is not judged, or undefined when it is. */
  private refusal(step: ViewStep, typed: string): string | undefined {
    if (this.edits.size) return "what-if numbers are on: go back to the problem's own numbers to answer";
    if (this.revealed(step.id)) return `${step.key} is shown already: Next goes on`;
    const places = this.decimals === undefined ? "" : ` (${placesText(this.decimals)})`;
    if (typed.trim() === "") return `type your value for ${step.key} first${places}`;
    let num: TypedNumber;
    try {
      num = parseTypedNumber(typed, step.key);
    } catch (e) {
      return message(e);
    }
    return this.precisionRefusal(num, step);
  }

  /** A view at N places wants N places (the checker's rule; the value itself, 1 or 0.5, needs no padding): fewer gets a request, not a verdict. */
  private precisionRefusal(num: TypedNumber, step: ViewStep): string | undefined {
    return tooFewPlaces(num, this.decimals, new D(this.baseValues.get(step.id) ?? step.value))?.explanation;
  }

  /** The names of what a step reads, as a student writes them. */
  private readNames(step: ViewStep): string[] {
    return step.uses.reads.map(
      (id) => this.steps.find((x) => x.id === id)?.key ?? this.givens.find((g) => g.id === id)?.what ?? id,
    );
  }

  /** The checker's report on the current step's value with every other latest typed value (for follow-through). */
  private judge(step: ViewStep, typed: string): CheckReport {
    const answers = this.steps
      .filter((s) => s.id !== step.id && this.attempts(s.id).length > 0)
      .map((s) => ({ key: s.key, typed: this.attempts(s.id).at(-1)!.typed, where: s.key }));
    answers.push({ key: step.key, typed, where: step.key });
    const places = this.decimals;
    if (this.kind === "network")
      return checkHandCalculation(this.baseParsed, answers, { notation: this.notation, places });
    const g = this.original as GraphPayload;
    return checkGraphCalculation(g.expression, g.values, answers, { places });
  }

  /** Reveal the current step's value without judging anything. */
  show(): void {
    const state = this.stateOf(this.current.id);
    state.revealed = true;
    state.skipped = false;
  }

  // ---- what if --------------------------------------------------------------------------------

  /**
   * Replace a given number and recompute every step from it in the trace's precision: a separate
   * mode, which changes no verdict (answers are judged against the problem's own numbers). The
   * text is read as a typed number (so `0,5` and `abc` get the checker's messages); a spec the
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
    if (number === this.baseGivens.get(givenId)) this.edits.delete(givenId);
    else this.edits.set(givenId, number);
    return { ok: true };
  }

  /** For an edited weight: the loss against it, with the gradient as the tangent at the edited value. */
  lossCurve(givenId: string): LossCurve | undefined {
    const given = this.givens.find((g) => g.id === givenId);
    if (this.kind !== "network" || !given) return undefined;
    return lossCurve(this.spec!, this.parsed!, given, this.trace as NetworkTrace);
  }

  /** Back to the problem's own numbers. */
  resetEdits(): void {
    this.spec = this.original.kind === "network" ? this.original.spec : undefined;
    this.values = this.original.kind === "graph" ? { ...this.original.values } : undefined;
    this.edits.clear();
    this.rebuild();
  }

  // ---- notation -------------------------------------------------------------------------------

  /** Write the calculation in another of the five presets; answers are kept (they belong to steps, not to keys). */
  setNotation(preset: NotationPreset): void {
    if (this.kind !== "network" || preset === this.notation) return;
    this.notation = preset;
    this.rebuild();
  }

  // ---- saved with the notebook ----------------------------------------------------------------

  /** Everything to save: attempts and verdicts, shown and skipped steps, the step, notation and edits. */
  progress(): Progress {
    const steps: Record<string, StepProgress> = {};
    for (const [id, s] of this.state) if (s.attempts.length || s.revealed || s.skipped) steps[id] = structuredClone(s);
    return {
      version: PROGRESS_VERSION,
      index: this.index,
      notation: this.notation,
      steps,
      edits: Object.fromEntries(this.edits),
    };
  }

  /** Take up saved progress (checked field by field; what does not fit this view is dropped). */
  restore(data: unknown): void {
    const p = readProgress(data, new Set(this.baseValues.keys()), new Set(this.baseGivens.keys()));
    if (!p) return;
    this.state = new Map(Object.entries(p.steps));
    this.setNotation(p.notation);
    for (const [id, value] of Object.entries(p.edits)) this.edit(id, value);
    this.index = Math.min(p.index, this.steps.length - 1);
  }

  /** Start again: no answers, nothing shown, the first step, the problem's own numbers and notation. */
  startAgain(): void {
    this.state.clear();
    this.index = 0;
    if (this.original.kind === "network") this.notation = this.original.notation;
    this.resetEdits();
  }

  // ---- the end --------------------------------------------------------------------------------

  /** How a step stands now. */
  result(id: string): StepResult {
    const s = this.state.get(id);
    if (!s) return "open";
    const last = s.attempts.at(-1);
    if (last && RIGHT.includes(last.verdict)) return s.attempts.length === 1 ? "first-try" : "second-try";
    if (last?.verdict === "follows") return "follows";
    if (s.revealed) return "shown";
    return s.skipped ? "skipped" : "open";
  }

  summary(): Summary {
    const counts: Summary["counts"] = { "first-try": 0, "second-try": 0, follows: 0, shown: 0, skipped: 0, open: 0 };
    const lines: SummaryLine[] = [];
    this.steps.forEach((s, index) => {
      const result = this.result(s.id);
      counts[result] += 1;
      if (result !== "first-try" && result !== "open")
        lines.push({ index, symbol: s.symbol, key: s.key, result, attempts: this.attempts(s.id) });
    });
    const answered = counts["first-try"] + counts["second-try"] + counts.follows;
    return { total: this.steps.length, answered, counts, lines };
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
  const markOf = (s: Step, u: Uses): ViewStep["mark"] => {
    if (s.quantity === "a") return { on: "unit", key: u.units[0], kind: "value" };
    if (s.quantity === "delta") return { on: "unit", key: u.units[0], kind: "gradient" };
    if (s.quantity === "dW") return { on: "edge", key: u.edges[0], kind: "gradient" };
    return undefined;
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
    mark: markOf(s, uses.get(s.id)!),
  }));
}

/** A graph's steps: each node's value forward, then each gradient backward; keys as the graph checker reads them. */
function graphSteps(trace: GraphTrace, uses: Map<string, Uses>): ViewStep[] {
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
    key: graphAnswerKey(trace, s.node, s.phase === "forward" ? "value" : "grad"),
    uses: uses.get(s.id)!,
    mark: { on: "unit", key: s.node, kind: s.phase === "forward" ? "value" : "gradient" },
  }));
}
