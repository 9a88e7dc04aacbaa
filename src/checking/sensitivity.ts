// Which steps each step is computed from, and how strongly: ∂(step)/∂(input) for its immediate
// inputs. Found with the engine itself rather than re-derived per architecture: with every step
// pinned by an override, a step's `replaced` value depends only on its immediate inputs, so
// nudging one pinned step and watching which `replaced` values move gives one column of the
// (sparse) Jacobian. Runs in float (≈0.2 ms a trace); the result depends only on the spec and is
// cached.
import { traceWithReplaced } from "../engine/network.js";
import type { NetworkSpec } from "../engine/spec.js";

export interface Sensitivity {
  /** step id → its immediate inputs (step ids) with |∂step/∂input| at the exact values */
  inputs: ReadonlyMap<string, ReadonlyArray<{ id: string; weight: number }>>;
}

const cache = new Map<string, Sensitivity>();
const CACHE_SIZE = 16;

/** `exactValues`: every step's exact value (the point the derivatives are taken at). */
export function sensitivity(spec: NetworkSpec, exactValues: ReadonlyMap<string, string>): Sensitivity {
  const cacheKey = JSON.stringify(spec.raw) + spec.hiddenDeltaWeights;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const ids = [...exactValues.keys()];
  const pins: Record<string, string | number> = Object.fromEntries(exactValues);
  const base = traceWithReplaced(spec, { precision: "float", overrides: pins, valuesOnly: true }).replaced;
  const inputs = new Map<string, { id: string; weight: number }[]>(ids.map((id) => [id, []]));
  for (const s of ids) {
    const v = Number(exactValues.get(s));
    // a small nudge for the derivative, a large one to find inputs whose local derivative is 0 (ReLU, step)
    const h = 1e-7 * Math.max(1, Math.abs(v));
    const small = traceWithReplaced(spec, {
      precision: "float",
      overrides: { ...pins, [s]: v + h },
      valuesOnly: true,
    }).replaced;
    const large = traceWithReplaced(spec, {
      precision: "float",
      overrides: { ...pins, [s]: v + 0.37 * Math.max(1, Math.abs(v)) + 0.11 },
      valuesOnly: true,
    }).replaced;
    for (const t of ids) {
      if (t === s) continue;
      const moved = small[t] !== base[t] || large[t] !== base[t];
      if (moved) inputs.get(t)!.push({ id: s, weight: Math.abs((Number(small[t]) - Number(base[t])) / h) });
    }
  }
  const result: Sensitivity = { inputs };
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, result);
  return result;
}
