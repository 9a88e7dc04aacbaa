// The classic mistakes of a hand calculation, each detected the way an examiner would: redo the
// step with the mistake, from the student's own earlier numbers, and see whether it gives the
// number they wrote. A mistake is a change to one step's inputs (z put where a belongs, the
// gradient negated ...) or to its value (σ(z) for σ'(z), a lost minus sign); the engine computes
// the step from the changed inputs (an override run, so nothing here re-implements a formula),
// and the effect is carried through any steps the student did not write down.
import { traceWithReplaced } from "../engine/network.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { Step } from "../engine/trace.js";
import { D, exactArith, type Dec } from "../engine/numeric.js";
import { stepId } from "../engine/step-id.js";

export const MISTAKES = {
  "z-for-a": "used z where a was needed",
  "a-for-z": "used a where z was needed",
  "sigma-instead-of-derivative": "used σ(z) instead of its derivative σ(z)(1 − σ(z))",
  "lost-minus-sign": "lost a minus sign in ∂E/∂a or in a path term of it",
  "missed-second-path": "left out a path when summing into a hidden unit",
  "updated-weights-in-backprop": "back-propagated through the already-updated weights",
  "added-gradient": "added the gradient instead of subtracting it",
  "forgot-learning-rate": "left out the learning rate",
  "target-for-output": "used the target where the output belongs",
} as const;
export type MistakeId = keyof typeof MISTAKES;

export interface Diagnosis {
  mistake: MistakeId;
  /** one line: what was done, where */
  description: string;
  /** the key of the step where the mistake was made (it may be a step the student did not write) */
  at: string;
}

export interface DiagnosisContext {
  spec: NetworkSpec;
  steps: ReadonlyMap<string, Step>;
  /** every step's value as the student has it: their number, or the follow-through value */
  pinned: Readonly<Record<string, string>>;
  /** the student's numbers by step id */
  answers: Readonly<Record<string, string>>;
  inputsOf(id: string): readonly string[];
}

interface Candidate {
  mistake: MistakeId;
  site: string;
  description: string;
  /** the mistaken value of the site, or the inputs to replace to compute it */
  value?: Dec;
  swaps?: Record<string, string>;
  /** the site's value, computed from `swaps`, with its sign flipped */
  negate?: boolean;
}

/** One float run: what each overridden step computes (float is ample for matching to a few decimals). */
function replacedWith(spec: NetworkSpec, overrides: Record<string, string>): Record<string, string> {
  return traceWithReplaced(spec, { precision: "float", overrides, valuesOnly: true }).replaced;
}

function candidatesAt(site: Step, ctx: DiagnosisContext): Candidate[] {
  const { spec, pinned, steps } = ctx;
  const L = spec.layers.length - 1;
  const out: Candidate[] = [];
  const inputs = ctx
    .inputsOf(site.id)
    .map((id) => steps.get(id)!)
    .filter(Boolean);
  const key = site.key;
  /** the id of the z or a step of the unit a step belongs to */
  const unitStep = (quantity: "z" | "a", s: Step) =>
    stepId({ phase: "forward", quantity, layer: s.layer!, unit: s.unit! });

  if (site.quantity === "da/dz" && site.layer !== null && site.unit !== null) {
    const act = spec.activations[site.layer - 1];
    if (act.def.kind === "scalar") {
      const z = new D(pinned[unitStep("z", site)]);
      const value = act.def.value(exactArith, z, act.params);
      out.push({
        mistake: "sigma-instead-of-derivative",
        site: site.id,
        value,
        description: `${key} was taken as ${act.def.name}(z) itself, ${value.toSignificantDigits(6).toString()}; the derivative is ${act.def.name === "sigmoid" ? "a(1 − a)" : "g'(z)"}`,
      });
    }
  }
  // a derivative factor inside a product (δ = ∂E/∂a · ∂a/∂z, ∂E/∂w = ∂E/∂a · ∂a/∂z · a) replaced by σ(z)
  for (const s of inputs.filter((x) => x.quantity === "da/dz" && x.layer !== null)) {
    const act = spec.activations[s.layer! - 1];
    if (act.def.kind !== "scalar") continue;
    const value = act.def.value(exactArith, new D(pinned[unitStep("z", s)]), act.params);
    out.push({
      mistake: "sigma-instead-of-derivative",
      site: site.id,
      swaps: { [s.id]: value.toString() },
      description: `in ${key}, ${s.key} was taken as ${act.def.name}(z) = a instead of its derivative`,
    });
  }
  // a sign lost at the output (−(t − a)), in one path term δ_k w_kj, or in the sum over paths
  if (site.quantity === "dL/da" || site.quantity === "path") {
    const what = site.quantity === "path" ? "the path term" : site.layer === L ? "−(t − a)" : "the sum over paths";
    out.push({
      mistake: "lost-minus-sign",
      site: site.id,
      swaps: {},
      negate: true,
      description: `${key} (${what}) lost its minus sign`,
    });
  }
  for (const s of inputs.filter((x) => x.quantity === "dL/da" || x.quantity === "path")) {
    out.push({
      mistake: "lost-minus-sign",
      site: site.id,
      swaps: { [s.id]: new D(pinned[s.id]).neg().toString() },
      description: `in ${key}, ${s.key} was used without its minus sign`,
    });
  }
  const aInputs = inputs.filter((x) => x.quantity === "a");
  for (const s of aInputs) {
    out.push({
      mistake: "z-for-a",
      site: site.id,
      swaps: { [s.id]: pinned[unitStep("z", s)] },
      description: `in ${key}, z was used where ${s.key} was needed`,
    });
  }
  if (aInputs.length > 1) {
    out.push({
      mistake: "z-for-a",
      site: site.id,
      swaps: Object.fromEntries(aInputs.map((s) => [s.id, pinned[unitStep("z", s)]])),
      description: `in ${key}, the z values were used where ${aInputs.map((s) => s.key).join(", ")} were needed`,
    });
  }
  if (site.quantity === "a")
    out.push({
      mistake: "z-for-a",
      site: site.id,
      value: new D(pinned[unitStep("z", site)]),
      description: `${key} was written as z; the activation was not applied`,
    });
  for (const s of inputs.filter((x) => x.quantity === "z")) {
    out.push({
      mistake: "a-for-z",
      site: site.id,
      swaps: { [s.id]: pinned[unitStep("a", s)] },
      description: `in ${key}, a was used where ${s.key} was needed`,
    });
  }
  if (site.quantity === "dL/da" && site.layer !== null && site.layer < L) {
    const paths = inputs.filter((x) => x.quantity === "path");
    if (paths.length > 1)
      for (const p of paths) {
        out.push({
          mistake: "missed-second-path",
          site: site.id,
          swaps: { [p.id]: "0" },
          description: `${key} left out the path ${p.key}; a hidden unit sums the paths through every unit it feeds`,
        });
      }
  }
  if (site.quantity === "W+" || site.quantity === "b+") {
    const eta = new D(spec.learningRate);
    for (const g of inputs.filter((x) => x.quantity === "dW" || x.quantity === "db")) {
      out.push({
        mistake: "added-gradient",
        site: site.id,
        swaps: { [g.id]: new D(pinned[g.id]).neg().toString() },
        description: `${key} added η·${g.key} instead of subtracting it`,
      });
      if (!eta.eq(1))
        out.push({
          mistake: "forgot-learning-rate",
          site: site.id,
          swaps: { [g.id]: new D(pinned[g.id]).div(eta).toString() },
          description: `${key} subtracted ${g.key} without the learning rate η = ${spec.learningRate}`,
        });
    }
  }
  const targets = spec.examples[0].target;
  for (const s of inputs.filter((x) => x.quantity === "a" && x.layer === L)) {
    out.push({
      mistake: "target-for-output",
      site: site.id,
      swaps: { [s.id]: String(targets[s.unit!]) },
      description: `in ${key}, the target ${targets[s.unit!]} was used where ${s.key} belongs`,
    });
  }
  if (site.quantity === "a" && site.layer === L)
    out.push({
      mistake: "target-for-output",
      site: site.id,
      value: new D(targets[site.unit!]),
      description: `${key} was written as the target ${targets[site.unit!]}`,
    });
  return out;
}

export interface DiagnoseInput {
  stepId: string;
  typed: Dec;
  /** the correct value from the student's own earlier numbers */
  followThrough: Dec;
  /** how far a right computation from those numbers may be from the number written (half a unit, plus rounding of unwritten steps) */
  tolerance: number;
}

/** A mistake moves the value at least this many rounding tolerances; a smaller move is no better an explanation than rounding. */
const CLEARLY = 3;

/**
 * The classic mistake that explains a wrong number, if one does: tried at the step itself, then at
 * the steps before it that the student did not write down (nearest first), and as the
 * whole-calculation mistake of back-propagating through updated weights.
 */
export function diagnose(row: DiagnoseInput, ctx: DiagnosisContext): Diagnosis | undefined {
  const { spec, steps } = ctx;
  // the mistake reproduces the number as closely as a right computation would, and moves it clearly
  // beyond rounding (with dozens of candidates, a near miss or a small move is a coincidence)
  const tells = (x: Dec) =>
    x.isFinite() &&
    x.minus(row.typed).abs().lte(row.tolerance) &&
    x
      .minus(row.followThrough)
      .abs()
      .gt(CLEARLY * row.tolerance);
  const sites: string[] = [row.stepId];
  for (let i = 0; i < sites.length && sites.length < 24; i++) {
    for (const id of ctx.inputsOf(sites[i])) if (!(id in ctx.answers) && !sites.includes(id)) sites.push(id);
  }
  const tryCandidates = (site: string): Diagnosis | undefined => {
    const step = steps.get(site);
    if (!step) return undefined;
    for (const c of candidatesAt(step, ctx)) {
      let v = c.value;
      if (!v) {
        const r = replacedWith(spec, { ...ctx.pinned, ...c.swaps })[site];
        if (r === undefined) continue;
        v = c.negate ? new D(r).neg() : new D(r);
      }
      let atRow = v;
      if (site !== row.stepId) {
        const r = replacedWith(spec, { ...ctx.answers, [site]: v.toString() })[row.stepId];
        if (r === undefined) continue;
        atRow = new D(r);
      }
      if (tells(atRow)) return { mistake: c.mistake, description: c.description, at: step.key };
    }
    return undefined;
  };
  const first = tryCandidates(row.stepId);
  if (first) return first;
  const L = spec.layers.length - 1;
  const step = steps.get(row.stepId);
  if (
    spec.hiddenDeltaWeights === "original" &&
    L >= 2 &&
    step &&
    (step.phase === "backward" || step.phase === "update") &&
    (step.layer ?? L) < L
  ) {
    const r = replacedWith({ ...spec, hiddenDeltaWeights: "updated" }, ctx.answers)[row.stepId];
    if (r !== undefined && tells(new D(r))) {
      return {
        mistake: "updated-weights-in-backprop",
        at: step.key,
        description: `${step.key} was back-propagated through the already-updated weights of layer ${(step.layer ?? 0) + 1}; backpropagation uses the weights before the update`,
      };
    }
  }
  for (const site of sites.slice(1)) {
    const d = tryCandidates(site);
    if (d) return d;
  }
  return undefined;
}
