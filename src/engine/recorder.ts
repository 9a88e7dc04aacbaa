// What the network's math does with each quantity it writes down: hand it to a Recorder, by its
// step id. Training's recorder does nothing; the checker's puts a student's own numbers in place
// of the computed ones (follow-through); a trace's also narrates each step (narration.ts).
import type { Arith } from "./numeric.js";
import { stepId, type NetworkStepIdRecord } from "./step-id.js";

export interface Recorder<T> {
  /**
   * Note that the step `id` computed `value`, and get back the value to carry on with. `operands`
   * are numbers the step used that are not earlier steps (the weight of a path term, the
   * per-example values of a batch mean, the old parameter and gradient of an update).
   */
  step(id: NetworkStepIdRecord, value: T, operands?: readonly T[]): T;
  /**
   * The steps and given numbers the step `id` is computed from, in the order its formula writes
   * them (z: a_1, w_1, a_2, w_2, b). Optional: a recorder without it (training's) costs nothing,
   * since an optional call does not evaluate its arguments.
   */
  depends?(id: NetworkStepIdRecord, reads: readonly NetworkStepIdRecord[]): void;
}

/** The recorder of training and of plain computations: nothing is kept, every value carries on. */
export const SILENT: Recorder<never> = { step: (_id, value) => value };

/** The silent recorder in any arithmetic. */
export function silent<T>(): Recorder<T> {
  return SILENT as Recorder<T>;
}

/**
 * Carries on with given values instead of the computed ones, by step id (the checker re-runs a
 * calculation on a student's numbers this way), and keeps what each overridden step computed.
 */
export class OverrideRecorder<T> implements Recorder<T> {
  /** what each overridden step gives from the values before it, by id */
  readonly replaced = new Map<string, T>();
  /** the ids each step is computed from (see Recorder.depends), by id */
  readonly reads = new Map<string, string[]>();

  constructor(
    readonly A: Arith<T>,
    /** the index of the example within a batch: its steps' ids carry it */
    readonly example?: number,
    readonly overrides?: ReadonlyMap<string, T>,
  ) {}

  /** The id of a step of this recorder: per-example steps of a batch carry the example's index. */
  id(r: NetworkStepIdRecord): string {
    const perExample = this.example !== undefined && r.phase !== "update" && r.phase !== "given" && !("mean" in r);
    return stepId(perExample ? ({ ...r, example: this.example } as NetworkStepIdRecord) : r);
  }

  depends(r: NetworkStepIdRecord, reads: readonly NetworkStepIdRecord[]): void {
    this.reads.set(
      this.id(r),
      reads.map((x) => this.id(x)),
    );
  }

  step(r: NetworkStepIdRecord, computed: T, _operands?: readonly T[]): T {
    if (!this.overrides) return computed;
    const id = this.id(r);
    const o = this.overrides.get(id);
    if (o === undefined) return computed;
    this.replaced.set(id, computed);
    return o;
  }
}
