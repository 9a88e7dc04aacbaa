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
  "forgot-activation-derivative": "left out the activation's derivative (δ written as ∂L/∂a)",
  "wrong-layer-activation": "used the wrong unit's activation in a weight's gradient",
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

/** What a candidate generator sees: the site, its input steps, and how to find a unit's z or a. */
interface Site {
  step: Step;
  inputs: Step[];
  ctx: DiagnosisContext;
  L: number;
}

/** The id of the z or a step of the unit a step belongs to. */
const unitStep = (quantity: "z" | "a", s: Step) =>
  stepId({ phase: "forward", quantity, layer: s.layer!, unit: s.unit! });

/** σ(z) written for its derivative: at ∂a/∂z itself, or inside a product that uses it. */
function activationForDerivative({ step, inputs, ctx }: Site): Candidate[] {
  const { spec, pinned } = ctx;
  const out: Candidate[] = [];
  const valueAt = (s: Step) => {
    const act = spec.activations[s.layer! - 1];
    return act.def.kind === "scalar"
      ? { act: act.def, v: act.def.value(exactArith, new D(pinned[unitStep("z", s)]), act.params) }
      : undefined;
  };
  if (step.quantity === "da/dz" && step.layer !== null && step.unit !== null) {
    const x = valueAt(step);
    if (x)
      out.push({
        mistake: "sigma-instead-of-derivative",
        site: step.id,
        value: x.v,
        description: `${step.key} was taken as ${x.act.name}(z) itself, ${x.v.toSignificantDigits(6).toString()}; the derivative is ${x.act.name === "sigmoid" ? "a(1 − a)" : "g'(z)"}`,
      });
  }
  for (const s of inputs.filter((x) => x.quantity === "da/dz" && x.layer !== null)) {
    const x = valueAt(s);
    if (x)
      out.push({
        mistake: "sigma-instead-of-derivative",
        site: step.id,
        swaps: { [s.id]: x.v.toString() },
        description: `in ${step.key}, ${s.key} was taken as ${x.act.name}(z) = a instead of its derivative`,
      });
  }
  return out;
}

/** δ written as ∂L/∂a: the activation's derivative ∂a/∂z left out (at δ, or in a weight's gradient). */
function forgottenDerivative({ step, inputs, ctx }: Site): Candidate[] {
  const dadz = inputs.find((x) => x.quantity === "da/dz");
  const dLda = inputs.find((x) => x.quantity === "dL/da");
  if (!dadz || !dLda) return [];
  if (step.quantity === "delta")
    return [
      {
        mistake: "forgot-activation-derivative",
        site: step.id,
        value: new D(ctx.pinned[dLda.id]),
        description: `${step.key} was written as ${dLda.key}: the activation's derivative ${dadz.key} was left out of δ = ∂L/∂a · ∂a/∂z`,
      },
    ];
  return [
    {
      mistake: "forgot-activation-derivative",
      site: step.id,
      swaps: { [dadz.id]: "1" },
      description: `in ${step.key}, the activation's derivative ${dadz.key} was left out`,
    },
  ];
}

/** A sign lost at the output (−(t − a), or δ = t − a), in one path term δ_k w_kj, or in the sum over paths. */
function lostSign({ step, inputs, ctx, L }: Site): Candidate[] {
  const out: Candidate[] = [];
  const outputDelta = step.quantity === "delta" && step.layer === L && !inputs.some((x) => x.quantity === "dL/da");
  if (step.quantity === "dL/da" || step.quantity === "path" || outputDelta) {
    const what =
      step.quantity === "path"
        ? "the path term"
        : outputDelta
          ? "a − t written as t − a"
          : step.layer === L
            ? "−(t − a)"
            : "the sum over paths";
    out.push({
      mistake: "lost-minus-sign",
      site: step.id,
      swaps: {},
      negate: true,
      description: `${step.key} (${what}) lost its minus sign`,
    });
  }
  for (const s of inputs.filter((x) => x.quantity === "dL/da" || x.quantity === "path"))
    out.push({
      mistake: "lost-minus-sign",
      site: step.id,
      swaps: { [s.id]: new D(ctx.pinned[s.id]).neg().toString() },
      description: `in ${step.key}, ${s.key} was used without its minus sign`,
    });
  return out;
}

/** z put where a belongs (the activation not applied), or a where z belongs. */
function zAndASwapped({ step, inputs, ctx }: Site): Candidate[] {
  const { pinned } = ctx;
  const out: Candidate[] = [];
  const aInputs = inputs.filter((x) => x.quantity === "a");
  for (const s of aInputs)
    out.push({
      mistake: "z-for-a",
      site: step.id,
      swaps: { [s.id]: pinned[unitStep("z", s)] },
      description: `in ${step.key}, z was used where ${s.key} was needed`,
    });
  if (aInputs.length > 1)
    out.push({
      mistake: "z-for-a",
      site: step.id,
      swaps: Object.fromEntries(aInputs.map((s) => [s.id, pinned[unitStep("z", s)]])),
      description: `in ${step.key}, the z values were used where ${aInputs.map((s) => s.key).join(", ")} were needed`,
    });
  if (step.quantity === "a")
    out.push({
      mistake: "z-for-a",
      site: step.id,
      value: new D(pinned[unitStep("z", step)]),
      description: `${step.key} was written as z; the activation was not applied`,
    });
  for (const s of inputs.filter((x) => x.quantity === "z"))
    out.push({
      mistake: "a-for-z",
      site: step.id,
      swaps: { [s.id]: pinned[unitStep("a", s)] },
      description: `in ${step.key}, a was used where ${s.key} was needed`,
    });
  return out;
}

/** ∂E/∂w with the wrong activation: the receiving unit's own a instead of the sending unit's. */
function wrongActivationInGradient({ step, inputs, ctx }: Site): Candidate[] {
  if (step.quantity !== "dW" || step.layer === null || step.unit === null || step.layer < 2) return [];
  const sending = inputs.find((x) => x.quantity === "a" && x.layer === step.layer! - 1);
  if (!sending) return [];
  const own = unitStep("a", step);
  return [
    {
      mistake: "wrong-layer-activation",
      site: step.id,
      swaps: { [sending.id]: ctx.pinned[own] },
      description: `in ${step.key}, the activation of the unit the weight feeds (${ctx.steps.get(own)?.key ?? own}) was used instead of the sending unit's ${sending.key}`,
    },
  ];
}

/** A hidden unit's ∂L/∂a summed over too few paths. */
function missedPath({ step, inputs, L }: Site): Candidate[] {
  if (step.quantity !== "dL/da" || step.layer === null || step.layer >= L) return [];
  const paths = inputs.filter((x) => x.quantity === "path");
  if (paths.length < 2) return [];
  return paths.map((p) => ({
    mistake: "missed-second-path" as const,
    site: step.id,
    swaps: { [p.id]: "0" },
    description: `${step.key} left out the path ${p.key}; a hidden unit sums the paths through every unit it feeds`,
  }));
}

/** An update that adds the gradient, or leaves out the learning rate. */
function updateSlips({ step, inputs, ctx }: Site): Candidate[] {
  if (step.quantity !== "W+" && step.quantity !== "b+") return [];
  const { spec, pinned } = ctx;
  const eta = new D(spec.learningRate);
  return inputs
    .filter((x) => x.quantity === "dW" || x.quantity === "db")
    .flatMap((g) => [
      {
        mistake: "added-gradient" as const,
        site: step.id,
        swaps: { [g.id]: new D(pinned[g.id]).neg().toString() },
        description: `${step.key} added η·${g.key} instead of subtracting it (a step against the gradient, w⁺ = w − η ∂E/∂w, lowers the loss)`,
      },
      ...(eta.eq(1)
        ? []
        : [
            {
              mistake: "forgot-learning-rate" as const,
              site: step.id,
              swaps: { [g.id]: new D(pinned[g.id]).div(eta).toString() },
              description: `${step.key} subtracted ${g.key} without the learning rate η = ${spec.learningRate}`,
            },
          ]),
    ]);
}

/** The target put where the output belongs. */
function targetForOutput({ step, inputs, ctx, L }: Site): Candidate[] {
  const targets = ctx.spec.examples[0].target;
  const out: Candidate[] = inputs
    .filter((x) => x.quantity === "a" && x.layer === L)
    .map((s) => ({
      mistake: "target-for-output" as const,
      site: step.id,
      swaps: { [s.id]: String(targets[s.unit!]) },
      description: `in ${step.key}, the target ${targets[s.unit!]} was used where ${s.key} belongs`,
    }));
  if (step.quantity === "a" && step.layer === L)
    out.push({
      mistake: "target-for-output",
      site: step.id,
      value: new D(targets[step.unit!]),
      description: `${step.key} was written as the target ${targets[step.unit!]}`,
    });
  return out;
}

const GENERATORS = [
  activationForDerivative,
  forgottenDerivative,
  lostSign,
  zAndASwapped,
  wrongActivationInGradient,
  missedPath,
  updateSlips,
  targetForOutput,
];

function candidatesAt(step: Step, ctx: DiagnosisContext): Candidate[] {
  const inputs = ctx
    .inputsOf(step.id)
    .map((id) => ctx.steps.get(id)!)
    .filter(Boolean);
  const site: Site = { step, inputs, ctx, L: ctx.spec.layers.length - 1 };
  return GENERATORS.flatMap((g) => g(site));
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
