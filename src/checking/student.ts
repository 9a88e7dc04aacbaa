// The student's own calculation: their numbers where they wrote them, and every other step done
// right from them (one exact engine run with their numbers as overrides). `followThrough(id)` is
// then "their step, done right from what they had before it", the value follow-through judges by.
//
// One refinement an examiner makes: a step the student did not write is computed the way they
// would have computed it. ∂E/∂w is written δ · a as often as ∂E/∂a · ∂a/∂z · a; when they wrote
// their δ, an unwritten ∂E/∂w is taken as (their δ) × (their a), so an update computed from it is
// judged against it (one slip in δ costs one mark, not one per weight and update).
import { D, type Dec } from "../engine/numeric.js";
import { traceWithReplaced } from "../engine/network.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { NotationPreset } from "../engine/notation.js";
import type { Step } from "../engine/trace.js";
import { parseStepId, stepId } from "../engine/step-id.js";

/**
 * Other ways a hand calculation writes a step, each a product of earlier quantities (ids): a
 * weight's gradient as δ · a when the trace writes it as ∂E/∂a · ∂a/∂z · a.
 */
export function productWays(step: Step): string[][] {
  if (step.quantity !== "dW" || step.layer === null || step.unit === null) return [];
  const delta = stepId({ phase: "backward", quantity: "delta", layer: step.layer, unit: step.unit });
  const reads = step.reads ?? [];
  if (reads.length === 0 || reads.includes(delta)) return [];
  return [[delta, reads[reads.length - 1]]];
}

/** The value of a given number of the spec, by its id (`given.input.0`, `given.weight.2.0.1`, ...). */
export function givenValue(spec: NetworkSpec, id: string): Dec | undefined {
  const r = parseStepId(id);
  if (!r || r.phase !== "given" || "node" in r) return undefined;
  const ex = spec.examples[0];
  switch (r.quantity) {
    case "input":
      return new D(ex.input[r.unit]);
    case "target":
      return new D(ex.target[r.unit]);
    case "weight":
      return new D(spec.weights[r.layer - 1][r.unit][r.other]);
    case "bias": {
      const b = spec.biases[r.layer - 1];
      return new D(b.shared ? b.values[0] : b.values[r.unit ?? 0]);
    }
    case "learningRate":
      return new D(spec.learningRate);
  }
}

export class StudentCalculation {
  /** every step's value as the student has it: their number, or the step done right from theirs */
  readonly pinned: Readonly<Record<string, string>>;
  private readonly replaced: Readonly<Record<string, string>>;
  /** unwritten steps taken from the student's own δ (see above): id → the ids of the factors used */
  readonly implied: ReadonlyMap<string, readonly string[]>;

  constructor(
    readonly spec: NetworkSpec,
    readonly steps: ReadonlyMap<string, Step>,
    /** the student's numbers by step id, in each step's own sign */
    readonly answered: Readonly<Record<string, string>>,
    preset: NotationPreset,
  ) {
    const run = (overrides: Record<string, string>) => {
      const r = traceWithReplaced(spec, { precision: "exact", notation: preset, overrides });
      return { values: new Map(r.trace.steps.map((s) => [s.id, s.value])), replaced: r.replaced };
    };
    let overrides: Record<string, string> = { ...answered };
    let now = run(overrides);
    // an unwritten ∂E/∂w, from their own δ and a where they wrote δ (see above)
    const { values: implied, ways } = this.impliedProducts(overrides, now.values);
    this.implied = ways;
    if (Object.keys(implied).length) {
      overrides = { ...overrides, ...implied };
      now = run(overrides);
      for (const id of Object.keys(implied)) {
        delete now.replaced[id];
        now.values.set(id, implied[id]);
      }
    }
    this.replaced = now.replaced;
    const pinned: Record<string, string> = {};
    for (const id of steps.keys()) pinned[id] = answered[id] ?? now.values.get(id) ?? "";
    this.pinned = pinned;
  }

  /** Unwritten steps that have a product way whose first factor (δ) the student wrote. */
  private impliedProducts(
    overrides: Record<string, string>,
    values: ReadonlyMap<string, string>,
  ): { values: Record<string, string>; ways: Map<string, readonly string[]> } {
    const valueNow = (id: string) => overrides[id] ?? values.get(id) ?? givenValue(this.spec, id)?.toString();
    const implied: Record<string, string> = {};
    const ways = new Map<string, readonly string[]>();
    for (const step of this.steps.values()) {
      if (step.id in this.answered) continue;
      for (const way of productWays(step)) {
        if (!(way[0] in this.answered)) continue;
        const factors = way.map(valueNow);
        if (factors.every((f) => f !== undefined)) {
          implied[step.id] = factors.reduce((p, f) => p.times(f!), new D(1)).toString();
          ways.set(step.id, way);
        }
      }
    }
    return { values: implied, ways };
  }

  /** A step's or a given number's value in the student's calculation. */
  value(id: string): Dec {
    const v = this.pinned[id];
    return v !== undefined && v !== "" ? new D(v) : (givenValue(this.spec, id) ?? new D(NaN));
  }

  /** The step done right from the student's own values before it (the engine's way of writing it). */
  followThrough(id: string): Dec {
    return new D(this.replaced[id] ?? this.pinned[id]);
  }
}
