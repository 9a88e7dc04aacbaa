// Each student's numbers: drawn from a generator seeded by HMAC-SHA256(secret, assignment and
// student id), so the same roster and secret always give the same variants, students cannot
// work out each other's (or their own next year's) numbers without the secret, and no state has
// to be stored. Draws that make a poor hand calculation are rejected and redrawn,
// deterministically: saturated sigmoids (σ' ≈ 0, nothing to learn), gradients that vanish
// at the 4 decimals a hand calculation keeps, and repeated numbers (two equal weights, or x = y,
// hide a mix-up: w5 used for w6 gives the right number, so the grader cannot tell).
import { createHmac, createHash } from "node:crypto";
import { TutorError } from "../engine/errors.js";
import { traceNetwork } from "../engine/network.js";
import { D } from "../engine/numeric.js";
import { graphKeyValues, type GraphQuestion } from "./graph.js";

/** The network spec JSON of the 2-2-2 classic, in its names notation. */
export interface NetworkParams {
  layers: [2, 2, 2];
  activations: ["sigmoid", "sigmoid"];
  loss: "half_sse";
  weights: number[][][];
  biases: number[];
  updateBiases: false;
  learningRate: number;
  input: number[];
  target: number[];
  names: {
    units: string[][];
    weights: string[][][];
    biases: string[];
  };
}

/** What the params cell holds for one student. */
export interface VariantParams {
  network: NetworkParams;
  graph: GraphQuestion;
}

/** A deterministic stream of uniform numbers in [0, 1) from a 32-byte seed (SHA-256 in counter mode). */
export class SeededRandom {
  private counter = 0;
  private pool: number[] = [];
  constructor(private readonly seed: Buffer) {}

  next(): number {
    if (this.pool.length === 0) {
      const block = createHash("sha256").update(this.seed).update(String(this.counter++)).digest();
      // 4 draws of 53 bits would need 28 bytes; 6-byte chunks (48 bits) are uniform enough here
      for (let i = 0; i + 6 <= block.length; i += 6) this.pool.push(block.readUIntBE(i, 6) / 2 ** 48);
    }
    return this.pool.shift()!;
  }

  /** A number in [lo, hi] on a grid of `step` (values stay short, as on a worksheet). */
  grid(lo: number, hi: number, step: number): number {
    const n = Math.round((hi - lo) / step);
    return Number((lo + Math.floor(this.next() * (n + 1)) * step).toFixed(6));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export function variantSeed(secret: string, assignment: string, studentId: string): Buffer {
  return createHmac("sha256", secret).update(`${assignment}\u0000${studentId}`).digest();
}

export const CLASSIC_NAMES: NetworkParams["names"] = {
  units: [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]],
  weights: [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]],
  biases: ["b1", "b2"],
};

/** Ranges: every |z| ≤ Z_MAX keeps σ' ≥ 0.045; every gradient |dE/dw| ≥ MIN_GRADIENT shows at 4 dp. */
export const Z_MAX = 3;
export const MIN_GRADIENT = 0.0005;
// distinct numbers are the strictest condition (about 1 network draw in 20 passes); checked first, it is cheap
const MAX_ATTEMPTS = 5000;

/** The first value that two of the named numbers share, e.g. "w2 and w7 are both 0.35", or null. */
export function repeatedValue(named: ReadonlyArray<readonly [string, number]>): string | null {
  const seen = new Map<number, string>();
  for (const [name, v] of named) {
    const first = seen.get(v);
    if (first !== undefined) return `${first} and ${name} are both ${v}`;
    seen.set(v, name);
  }
  return null;
}

function drawNetwork(r: SeededRandom): NetworkParams {
  const w = () => r.grid(0.1, 0.9, 0.05);
  const low = r.grid(0.01, 0.2, 0.01), high = r.grid(0.8, 0.99, 0.01);
  return {
    layers: [2, 2, 2],
    activations: ["sigmoid", "sigmoid"],
    loss: "half_sse",
    weights: [[[w(), w()], [w(), w()]], [[w(), w()], [w(), w()]]],
    biases: [r.grid(0.2, 0.7, 0.05), r.grid(0.2, 0.7, 0.05)],
    updateBiases: false,
    learningRate: r.pick([0.25, 0.5, 0.75, 1]),
    input: [r.grid(0.05, 0.95, 0.05), r.grid(0.05, 0.95, 0.05)],
    target: r.next() < 0.5 ? [low, high] : [high, low],
    names: CLASSIC_NAMES,
  };
}

/** Why a network makes a poor exercise, or null when it is fine. */
export function networkProblem(net: NetworkParams): string | null {
  // every given number distinct (weights, biases, inputs), so that using one for another shows
  const given: [string, number][] = [
    ...net.weights.flatMap((M, l) => M.flatMap((row, j) => row.map((w, k): [string, number] => [net.names.weights[l][j][k], w]))),
    ...net.biases.map((b, l): [string, number] => [net.names.biases[l], b]),
    ...net.input.map((x, i): [string, number] => [net.names.units[0][i], x]),
  ];
  const repeated = repeatedValue(given);
  if (repeated) return repeated;
  const t = traceNetwork(net, { precision: "exact" });
  for (const layer of t.forward.z) for (const z of layer ?? []) if (Math.abs(Number(z)) > Z_MAX) return `saturated sigmoid (z = ${Number(z).toFixed(3)})`;
  for (const M of t.backward.dW) for (const row of M) for (const g of row) if (Math.abs(Number(g)) < MIN_GRADIENT) return `gradient ${Number(g).toExponential(2)} vanishes at 4 dp`;
  // the dp:4 chain too: a gradient that is fine exactly can still round to 0.0000 on the way
  const rounded = traceNetwork(net, { precision: "dp:4" });
  for (const s of rounded.steps) if (s.quantity === "dW" && new D(s.value).isZero()) return `${s.key} rounds to 0 at 4 dp`;
  return null;
}

function drawGraph(r: SeededRandom): GraphQuestion {
  const nonZero = () => {
    const v = r.grid(-6, 6, 1);
    return v === 0 ? 1 : v;
  };
  return { assignments: ["q = x + y", "f = q * z"], values: { x: nonZero(), y: nonZero(), z: nonZero() } };
}

export function graphProblem(g: GraphQuestion): string | null {
  const values = graphKeyValues(g);
  // q = 0 makes ∂f/∂z = 0 and f = 0: a question with no information in it
  for (const [k, v] of values) if (v.value.isZero()) return `${k} is 0`;
  // x, y, z and q distinct: with q = z, ∂f/∂q and ∂f/∂z are equal and swapping them goes unseen
  const q = values.get("q")?.value.toNumber();
  return repeatedValue([...Object.entries(g.values), ...(q !== undefined ? [["q", q] as const] : [])]);
}

/** The student's variant: the same inputs always give the same numbers. */
export function drawVariant(secret: string, assignment: string, studentId: string): VariantParams {
  const r = new SeededRandom(variantSeed(secret, assignment, studentId));
  let network: NetworkParams | undefined;
  for (let i = 0; i < MAX_ATTEMPTS && !network; i++) {
    const candidate = drawNetwork(r);
    if (networkProblem(candidate) === null) network = candidate;
  }
  let graph: GraphQuestion | undefined;
  for (let i = 0; i < MAX_ATTEMPTS && !graph; i++) {
    const candidate = drawGraph(r);
    if (graphProblem(candidate) === null) graph = candidate;
  }
  if (!network || !graph) throw new TutorError(`student ${studentId}`, "no usable variant was found", "widen the ranges in src/exercises/variant.ts", "exercise");
  return { network, graph };
}
