// Per-student variants: each student's numbers are drawn from the assignment's declaration
// (src/exercises/declaration.ts) by a stream seeded with HMAC(secret, assignment, student id), so
// the same roster and secret always give the same numbers and nobody without the secret can
// predict them. A draw is kept only if a student's mistakes stay visible in it (see `networkProblem`
// and `graphProblem`); otherwise the next draw of the same stream is taken.
import { createHash, createHmac } from "node:crypto";
import { traceNetwork } from "../engine/network.js";
import { D, type Dec } from "../engine/numeric.js";
import { TutorError } from "../engine/errors.js";
import type { NetworkTrace } from "../engine/trace.js";
import { graphTrace } from "../engine/graph.js";
import { graphKeyValues, graphInputs, type GraphQuestion } from "./graph.js";
import {
  CLASSIC,
  type Draw,
  type DrawTree,
  type GraphDeclaration,
  type NetworkDeclaration,
  type Problem,
  type Range,
} from "./declaration.js";

/** A network spec as the params cell holds it: the declaration's fixed fields and the drawn numbers. */
export interface NetworkParams {
  layers: number[];
  activations: unknown[];
  loss: string;
  weights: number[][][];
  biases: (number | number[])[];
  learningRate: number;
  input: number[];
  target: number[];
  names?: { units: string[][]; weights: string[][][]; biases: (string | string[])[] };
  [field: string]: unknown;
}

/** What the params cell holds for one student: the parts the assignment declares. */
export interface VariantParams {
  network?: NetworkParams;
  graph?: GraphQuestion;
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

/** Sigmoid and tanh units are kept off their flat tails: σ'(3) = 0.045, tanh'(2) = 0.071. */
export const Z_MAX = 3;
const Z_LIMIT: Readonly<Record<string, number>> = { sigmoid: Z_MAX, tanh: 2 };
/** A softmax output this close to 0 or 1 leaves almost nothing of its gradient. */
const SOFTMAX_MARGIN = 0.02;
/** Every gradient is at least 5 units of the last place asked (0.0005 at 4 dp), so a slip in it shows. */
export const MIN_GRADIENT = 0.0005;
const minGradient = (decimals: number) => new D(5).times(new D(10).pow(-decimals));
/** An answer whose exact value lies within this fraction of a unit of a rounding tie is avoided. */
const TIE_MARGIN = 0.01;
const MAX_ATTEMPTS = 2000;

const isRange = (d: unknown): d is Range => typeof d === "object" && d !== null && !Array.isArray(d) && "step" in d;
/** A list of numbers is a list of choices; any other list gives one draw per element. */
const isChoices = (d: DrawTree): d is number[] => Array.isArray(d) && d.every((x) => typeof x === "number");

function drawOne(r: SeededRandom, d: Draw): number {
  if (typeof d === "number") return d;
  if (isChoices(d)) return r.pick(d);
  return r.grid(d.from, d.to, d.step);
}

/** The draw for the element at `path`: per-element lists are followed as far as they go. */
function drawAt(tree: DrawTree, path: readonly number[], where: string): Draw {
  let node = tree;
  for (const i of path) {
    if (!Array.isArray(node) || isChoices(node)) break;
    if (node[i] === undefined)
      throw new TutorError(
        where,
        `has no draw for element ${path.join(".")}`,
        "give one draw per element, or one draw for all",
        "exercise",
      );
    node = node[i];
  }
  if (Array.isArray(node) && !isChoices(node))
    throw new TutorError(
      where,
      `nests deeper than the field at ${path.join(".")}`,
      "match the field's shape",
      "exercise",
    );
  return node as Draw;
}

/** The names notation the questions' keys are written in: i1.., h1.., o1..; w1, w2 … in order; b1, b2 … */
export function defaultNames(
  layers: readonly number[],
  sharedBias: readonly boolean[],
): NonNullable<NetworkParams["names"]> {
  const last = layers.length - 1;
  const prefix = (l: number) => (l === 0 ? "i" : l === last ? "o" : last === 2 ? "h" : `h${l}_`);
  const units = layers.map((n, l) => Array.from({ length: n }, (_, j) => `${prefix(l)}${j + 1}`));
  let w = 0,
    b = 0;
  const weights = layers
    .slice(1)
    .map((n, l) => Array.from({ length: n }, () => Array.from({ length: layers[l] }, () => `w${++w}`)));
  const biases = layers
    .slice(1)
    .map((n, l) => (sharedBias[l] ? `b${++b}` : Array.from({ length: n }, () => `b${++b}`)));
  return { units, weights, biases };
}

/**
 * A number not drawn before and not 0, tried a few times: the given numbers (weights, biases,
 * inputs) must all differ, and for twenty of them from a range of forty, drawing each afresh
 * would almost never succeed (the birthday problem).
 */
function drawFresh(r: SeededRandom, d: Draw, used: Set<number>): number {
  let v = drawOne(r, d);
  for (let i = 0; i < 20 && (used.has(v) || v === 0); i++) v = drawOne(r, d);
  used.add(v);
  return v;
}

function drawNetwork(r: SeededRandom, decl: NetworkDeclaration): NetworkParams {
  const spec = decl.spec as Partial<NetworkParams>;
  const layers = spec.layers as number[];
  const d = decl.draw;
  const used = new Set<number>();
  const weights = d.weights
    ? layers
        .slice(1)
        .map((n, l) =>
          Array.from({ length: n }, (_, j) =>
            Array.from({ length: layers[l] }, (_, k) =>
              drawFresh(r, drawAt(d.weights!, [l, j, k], "network.draw.weights"), used),
            ),
          ),
        )
    : (spec.weights as number[][][]);
  const biases = d.biases
    ? layers.slice(1).map((n, l) => {
        const layerDraw = drawAt(d.biases!, [l], "network.draw.biases");
        if (isRange(layerDraw) && layerDraw.shared) return drawFresh(r, layerDraw, used);
        return Array.from({ length: n }, (_, j) =>
          drawFresh(r, drawAt(d.biases!, [l, j], "network.draw.biases"), used),
        );
      })
    : (spec.biases as (number | number[])[]);
  const input = d.input
    ? Array.from({ length: layers[0] }, (_, i) => drawFresh(r, drawAt(d.input!, [i], "network.draw.input"), used))
    : (spec.input as number[]);
  const outputs = layers[layers.length - 1];
  let target = spec.target as number[];
  if (d.target === "one-hot") {
    const hot = Math.floor(r.next() * outputs);
    target = Array.from({ length: outputs }, (_, k) => (k === hot ? 1 : 0));
  } else if (d.target)
    target = Array.from({ length: outputs }, (_, k) =>
      drawOne(r, drawAt(d.target as DrawTree, [k], "network.draw.target")),
    );
  const learningRate = d.learningRate !== undefined ? drawOne(r, d.learningRate) : (spec.learningRate as number);
  const names =
    spec.names ??
    defaultNames(
      layers,
      biases.map((b) => !Array.isArray(b)),
    );
  return { ...spec, layers, weights, biases, learningRate, input, target, names } as NetworkParams;
}

/** The first value that two of the named numbers share, e.g. "w2 and w7 are both 0.35", or null. */
export function repeatedValue(named: ReadonlyArray<readonly [string, number | string]>): string | null {
  const seen = new Map<string, string>();
  for (const [name, v] of named) {
    const first = seen.get(String(v));
    if (first !== undefined) return `${first} and ${name} are both ${v}`;
    seen.set(String(v), name);
  }
  return null;
}

/** Whether `v` rounded to `decimals` places sits on (or within TIE_MARGIN of a unit of) a tie. */
export function nearTie(v: Dec, decimals: number): boolean {
  const scaled = v.abs().times(new D(10).pow(decimals));
  const frac = scaled.minus(scaled.floor());
  return !frac.isZero() && frac.minus(0.5).abs().lt(TIE_MARGIN);
}

/** Asked quantities → decimal places, per part. */
export type Asked = ReadonlyMap<string, number>;

export function askedOf(problem: Problem, part: "network" | "graph"): Map<string, number> {
  const partDecimals = problem[part]?.decimals ?? 4;
  return new Map(
    problem.questions
      .filter((q) => q.part === part)
      .flatMap((q) => q.quantities.map((k) => [k, q.decimals ?? partDecimals] as const)),
  );
}

function givenNumbers(net: NetworkParams): [string, number][] {
  const names = net.names!;
  return [
    ...net.weights.flatMap((M, l) =>
      M.flatMap((row, j) => row.map((w, k): [string, number] => [names.weights[l][j][k], w])),
    ),
    ...net.biases.flatMap((b, l): [string, number][] =>
      Array.isArray(b)
        ? b.map((v, j) => [String((names.biases[l] as string[])[j]), v])
        : [[String(names.biases[l]), b]],
    ),
    ...net.input.map((x, i): [string, number] => [names.units[0][i], x]),
  ];
}

function saturation(net: NetworkParams, t: NetworkTrace): string | null {
  for (let l = 1; l < net.layers.length; l++) {
    const act = net.activations[l - 1];
    const name = typeof act === "string" ? act : ((act as { name?: string }).name ?? "");
    const limit = Z_LIMIT[name];
    for (const z of t.forward.z[l] ?? [])
      if (limit !== undefined && Math.abs(Number(z)) > limit) return `saturated ${name} (z = ${Number(z).toFixed(3)})`;
    if (name === "softmax")
      for (const a of t.forward.a[l])
        if (Number(a) < SOFTMAX_MARGIN || Number(a) > 1 - SOFTMAX_MARGIN)
          return `saturated softmax (a = ${Number(a).toFixed(4)})`;
  }
  return null;
}

/** Two units (or weights) of one layer with the same value at the precision asked: mixing them up would go unseen. */
function equalUnits(t: NetworkTrace): string | null {
  const groups = new Map<string, [string, string][]>();
  for (const s of t.steps) {
    const parts = s.id.split(".");
    if (parts[1] === "path" || parts.length < 4) continue;
    const group = parts.slice(0, 3).join(".");
    groups.set(group, [...(groups.get(group) ?? []), [s.key, s.value]]);
  }
  for (const members of groups.values()) {
    const repeated = repeatedValue(members);
    if (repeated) return repeated;
  }
  return null;
}

/**
 * Why a network makes a poor exercise, or null when it is fine: two given numbers or two units'
 * values equal (at `decimals`), a saturated unit, a gradient too small to show a slip or rounding
 * to 0 on the chain, or an asked answer on a rounding tie.
 */
export function networkProblem(net: NetworkParams, asked: Asked = new Map(), decimals = 4): string | null {
  const given = givenNumbers(net);
  const repeated = repeatedValue(given);
  if (repeated) return repeated;
  // a weight, bias or input of 0 hides a slip: w·x = 0 whatever was used for x, and a forgotten bias of 0 costs nothing
  const zero = given.find(([, v]) => v === 0);
  if (zero) return `${zero[0]} is 0`;
  const exact = traceNetwork(net, { precision: "exact" });
  const saturated = saturation(net, exact);
  if (saturated) return saturated;
  for (const M of exact.backward.dW)
    for (const row of M)
      for (const g of row)
        if (new D(g).abs().lt(minGradient(decimals)))
          return `gradient ${Number(g).toExponential(2)} vanishes at ${decimals} dp`;
  // the rounded chain too: a gradient that is fine exactly can still round to 0 on the way
  const chains = new Map<number, NetworkTrace>();
  const chain = (d: number) => chains.get(d) ?? chains.set(d, traceNetwork(net, { precision: `dp:${d}` })).get(d)!;
  for (const s of chain(decimals).steps)
    if (s.quantity === "dW" && new D(s.value).isZero()) return `${s.key} rounds to 0 at ${decimals} dp`;
  const equal = equalUnits(chain(decimals));
  if (equal) return equal;
  const exactByKey = new Map(exact.steps.map((s) => [s.key, s.value]));
  for (const [key, d] of asked) {
    const v = exactByKey.get(key);
    if (v !== undefined && nearTie(new D(v), d))
      return `${key} = ${new D(v).toSignificantDigits(d + 4).toString()} lies on a rounding tie at ${d} dp`;
    if (d !== decimals) {
      const other = equalUnits(chain(d));
      if (other) return other;
    }
  }
  return null;
}

/** Operands of sigmoid and tanh nodes beyond these limits are on the flat tails. */
function graphSaturation(g: GraphQuestion): string | null {
  const t = graphTrace(g.assignments.join("; "), g.values, "exact");
  for (const n of t.nodes) {
    const limit = n.op ? Z_LIMIT[n.op] : undefined;
    const operand = t.nodes.find((m) => m.id === n.inputs[0]);
    if (limit !== undefined && operand && Math.abs(Number(operand.value)) > limit)
      return `saturated ${n.op} (${operand.name ?? "its input"} = ${operand.value})`;
  }
  return null;
}

/** Gradient keys that are equal in every draw of `graph` (df/dx = df/dy = z for q = x + y): not a flaw of one draw. */
export function alwaysEqualGradients(graph: GraphDeclaration): Set<string> {
  const known = structuralCache.get(graph);
  if (known) return known;
  const r = new SeededRandom(variantSeed("structure", "", ""));
  let common: Set<string> | undefined;
  for (let i = 0; i < 4; i++) {
    const grads = [...graphKeyValues(drawGraph(r, graph))].filter(([k]) => k.includes("/"));
    const equal = new Set<string>();
    for (const [a, va] of grads)
      for (const [b, vb] of grads)
        if (a < b && va.value.toDecimalPlaces(graph.decimals).eq(vb.value.toDecimalPlaces(graph.decimals)))
          equal.add(`${a}|${b}`);
    common = common ? new Set([...common].filter((p) => equal.has(p))) : equal;
  }
  structuralCache.set(graph, common ?? new Set());
  return common ?? new Set();
}
const structuralCache = new WeakMap<GraphDeclaration, Set<string>>();

/**
 * Why a graph makes a poor exercise, or null: two of its values (inputs or named nodes) equal at
 * the precision asked (with q = z, ∂f/∂q and ∂f/∂z are equal and swapping them goes unseen), two
 * gradients equal that need not be (`structural` lists those that always are), a named value or
 * any gradient 0 or too small to show a slip, a saturated sigmoid or tanh, an answer on a tie.
 */
export function graphProblem(
  g: GraphQuestion,
  asked: Asked = new Map(),
  decimals = 4,
  structural: ReadonlySet<string> = new Set(),
): string | null {
  const values = graphKeyValues(g);
  const inputs = new Set(graphInputs(g));
  const nodeValues: [string, string][] = [];
  const grads: [string, string][] = [];
  for (const [k, v] of values) {
    const isGrad = k.includes("/");
    const rounded = v.value.toDecimalPlaces(decimals);
    if (!isGrad && !inputs.has(k) && rounded.isZero()) return `${k} is 0`;
    if (isGrad && v.value.abs().lt(minGradient(decimals)))
      return v.value.isZero()
        ? `${k} is 0`
        : `${k} = ${v.value.toSignificantDigits(3)} is too small to show a slip at ${decimals} dp`;
    (isGrad ? grads : nodeValues).push([k, rounded.toString()]);
  }
  const repeated = repeatedValue(nodeValues);
  if (repeated) return repeated;
  for (const [a, va] of grads)
    for (const [b, vb] of grads)
      if (a < b && va === vb && !structural.has(`${a}|${b}`)) return `${a} and ${b} are both ${va}`;
  const saturated = graphSaturation(g);
  if (saturated) return saturated;
  for (const [key, d] of asked) {
    const v = values.get(key)?.value;
    if (v !== undefined && nearTie(v, d))
      return `${key} = ${v.toSignificantDigits(d + 4).toString()} lies on a rounding tie at ${d} dp`;
  }
  return null;
}

function drawGraph(r: SeededRandom, decl: GraphDeclaration): GraphQuestion {
  return {
    assignments: [...decl.assignments],
    values: Object.fromEntries(Object.entries(decl.draw).map(([k, d]) => [k, drawOne(r, d)])),
  };
}

/** Draws until `usable` says nothing is wrong; the last reason if no draw in MAX_ATTEMPTS is. */
function drawUsable<T>(r: SeededRandom, draw: () => T, problem: (x: T) => string | null, where: string): T {
  let last = "";
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const candidate = draw();
    const why = problem(candidate);
    if (why === null) return candidate;
    last = why;
  }
  throw new TutorError(
    where,
    `no usable variant in ${MAX_ATTEMPTS} draws (the last: ${last})`,
    "widen the ranges in the declaration's draw, or ask for fewer quantities that are always equal",
    "exercise",
  );
}

/** The classic problem with the example assignment's questions, for a source notebook that declares none. */
export const CLASSIC_PROBLEM: Problem = {
  ...CLASSIC,
  questions: [
    {
      id: "forward",
      part: "network",
      points: 3,
      quantities: ["z_h1", "a_h1", "a_h2", "z_o1", "a_o1", "a_o2", "E_total"],
    },
    { id: "output", part: "network", points: 4, quantities: ["dE/dw5", "w5+", "dE/dw8", "w8+"] },
    { id: "hidden", part: "network", points: 3, quantities: ["dE/da_h1", "dE/dw1", "w1+"], hidden: true },
    { id: "graph", part: "graph", points: 2, quantities: ["q", "f", "df/dx", "df/dy", "df/dz"] },
  ],
};

/** The student's variant: the same inputs always give the same numbers. */
export function drawVariant(
  secret: string,
  assignment: string,
  studentId: string,
  problem: Problem = CLASSIC_PROBLEM,
): VariantParams {
  const r = new SeededRandom(variantSeed(secret, assignment, studentId));
  const where = `student ${studentId}`;
  const out: VariantParams = {};
  const { network, graph } = problem;
  if (network) {
    const asked = askedOf(problem, "network");
    out.network = drawUsable(
      r,
      () => drawNetwork(r, network),
      (n) => networkProblem(n, asked, network.decimals),
      `${where}: network`,
    );
  }
  if (graph) {
    const asked = askedOf(problem, "graph");
    const structural = alwaysEqualGradients(graph);
    out.graph = drawUsable(
      r,
      () => drawGraph(r, graph),
      (g) => graphProblem(g, asked, graph.decimals, structural),
      `${where}: graph`,
    );
  }
  return out;
}
