// Which steps each step is computed from, and how strongly: |∂step/∂input| at the exact values,
// for the rounding allowance (verdict.ts's roundingBound). The edges are the trace's own: the
// engine records what every step reads (Step.reads), so nothing here re-derives them.
//
// The strengths are measured, not derived: one float run with every step pinned to its exact
// value, then one run per step that something reads, with that step nudged (N + 1 runs of
// ≈ 0.2 ms, cached per spec). Measuring goes through the engine's own arithmetic, so each
// operation's local derivative (an activation's curvature in ∂a/∂z, a loss's, softmax's Jacobian)
// keeps its one definition there; and since they only size a tolerance, float is ample.
import { traceWithReplaced } from "../engine/network.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { Step } from "../engine/trace.js";
import type { Dependency } from "./verdict.js";

/** step id → the steps it reads (given numbers are left out: they are exact), with |∂step/∂input| */
export type Dependencies = ReadonlyMap<string, readonly Dependency[]>;

const cache = new Map<string, Dependencies>();
const CACHE_SIZE = 16;

/** The dependencies of the steps of one exact trace of `spec`. */
export function dependencies(spec: NetworkSpec, steps: readonly Step[]): Dependencies {
  const cacheKey = JSON.stringify(spec.raw) + spec.hiddenDeltaWeights;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const ids = new Set(steps.map((s) => s.id));
  const pins: Record<string, string> = Object.fromEntries(steps.map((s) => [s.id, s.value]));
  const run = (overrides: Record<string, string | number>) =>
    traceWithReplaced(spec, { precision: "float", overrides, valuesOnly: true }).replaced;
  const base = run(pins);
  const strength = new Map<string, number>(); // `${reader}<${input}`
  const readersOf = new Map<string, string[]>();
  for (const s of steps)
    for (const r of s.reads ?? []) if (ids.has(r)) readersOf.set(r, [...(readersOf.get(r) ?? []), s.id]);
  for (const [input, readers] of readersOf) {
    const v = Number(pins[input]);
    const h = 1e-7 * Math.max(1, Math.abs(v));
    const nudged = run({ ...pins, [input]: v + h });
    for (const t of readers) strength.set(`${t}<${input}`, Math.abs((Number(nudged[t]) - Number(base[t])) / h));
  }
  const result: Dependencies = new Map(
    steps.map((s) => [
      s.id,
      (s.reads ?? []).filter((r) => ids.has(r)).map((r) => ({ id: r, weight: strength.get(`${s.id}<${r}`) ?? 0 })),
    ]),
  );
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, result);
  return result;
}
