// Seeded randomness that gives the same numbers on every machine and in every language: the
// 32-bit LCG of bench/common.mjs (Numerical Recipes constants, also in the micrograd-style
// baselines the bench compares against), so a network initialised here can be rebuilt bit for
// bit by the benchmark and vice versa.
// Only integer arithmetic (Math.imul, >>> 0) and one exact division are involved, so there is
// nothing platform-dependent; Box–Muller adds Math.log/sqrt/cos, which are correctly rounded
// enough in V8 that the same seed gives the same normals on every Node we run on.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** s ← 1664525 s + 1013904223 (mod 2³²), returned as s / 2³²: the exact recurrence of common.mjs `lcg`. */
export function lcg(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Standard normals N(0, 1) by Box–Muller; each pair of uniforms gives two normals, used in turn. */
export function normals(rand: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    // 1 − u lies in (0, 1], so the log is finite even when the LCG returns exactly 0
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const theta = 2 * Math.PI * rand();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** A shuffled copy (Fisher–Yates): every order equally likely, the same order for the same rng state. */
export function shuffled<T>(xs: readonly T[], rand: Rng): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
