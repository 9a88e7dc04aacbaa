// The layered network: forward pass, loss, backward pass and one update, written once over an
// Arith<T> so it runs in float, exact and hand-rounded decimals. When a StepLog is passed, each
// quantity is also recorded as a step (symbol, formula, numbers substituted, value, chain-rule
// factors) in the order a person computes it by hand; without one nothing but numbers is made.
import type { Arith } from "./numeric.js";
import { arithFor, parsePrecision, precisionName, type Precision } from "./numeric.js";
import { wrapNegative, type ResolvedActivation } from "./activations.js";
import type { Loss } from "./losses.js";
import { parseSpec, type NetworkSpec, type Raw } from "./spec.js";
import { derivative, notationFor, updated, type Notation, type NotationPreset, type Sym } from "./notation.js";
import type { ExampleTrace, NetworkTrace, Quantity, Step } from "./trace.js";
import { TrainingError } from "./errors.js";
import { requireStepId, stepId, type NetworkStepIdRecord } from "./step-id.js";

/** The parameters of a network in one arithmetic. Biases are per unit; a shared bias repeats. */
export interface Params<T> {
  W: T[][][];
  b: T[][];
}

export interface Net<T> {
  A: Arith<T>;
  layers: number[];
  activations: ResolvedActivation[];
  loss: Loss;
  sharedBias: boolean[];
  params: Params<T>;
}

export interface ForwardResult<T> {
  /** z[0] is empty (the input layer computes nothing) */
  z: T[][];
  a: T[][];
}

export interface Gradients<T> {
  /** δ = ∂L/∂z per layer and unit; delta[0] is empty */
  delta: T[][];
  dW: T[][][];
  /** per unit; for a shared bias every unit holds the layer's summed gradient */
  db: T[][];
}

const TIMES = " \\times ";

/** Records steps while the network computes. */
export class StepLog<T> {
  readonly steps: Step[] = [];
  constructor(
    readonly A: Arith<T>,
    readonly notation: Notation,
    /** how a parameter from the spec is displayed: as the spec wrote it while it is unchanged */
    readonly given: (x: T) => string,
    readonly example?: number,
    /**
     * Values to use instead of the computed ones, by step id: the checker re-runs a calculation
     * on a student's own numbers this way, to give follow-through credit.
     */
    readonly overrides?: ReadonlyMap<string, T>,
    /**
     * Whether steps are written down at all. The checker's scans re-run a calculation dozens of
     * times for its values alone (`pick` and `replaced` work either way); formatting every step's
     * TeX would be most of their cost.
     */
    readonly records: boolean = true,
  ) {}

  /** The id of a step of this log: per-example steps of a batch carry the example's index. */
  id(r: NetworkStepIdRecord): string {
    return stepId(this.example === undefined || r.phase === "update" || "mean" in r ? r : { ...r, example: this.example } as NetworkStepIdRecord);
  }

  /** Values computed where an override took their place: what the step gives from the values before it. */
  readonly replaced = new Map<string, T>();

  /** The value to carry on with: an override for this step if one is given, else the computed one. */
  pick(r: NetworkStepIdRecord, computed: T): T {
    if (!this.overrides) return computed;
    const id = this.id(r);
    const o = this.overrides.get(id);
    if (o === undefined) return computed;
    this.replaced.set(id, computed);
    return o;
  }

  show(x: T): string {
    return this.A.show(x);
  }

  push(s: Omit<Step, "id" | "key" | "symbol" | "value" | "example"> & { sym: Sym; value: T; id: NetworkStepIdRecord }): void {
    const { sym, value, id, ...rest } = s;
    const step: Step = { id: this.id(id), ...rest, symbol: sym.tex, key: sym.key, value: this.A.toString(value) };
    if (this.example !== undefined) step.example = this.example;
    this.steps.push(step);
  }
}

export function instantiate<T>(A: Arith<T>, spec: NetworkSpec): Net<T> {
  return {
    A,
    layers: spec.layers,
    activations: spec.activations,
    loss: spec.loss,
    sharedBias: spec.biases.map((b) => b.shared),
    params: {
      W: spec.weights.map((M) => M.map((row) => row.map((w) => A.of(w)))),
      b: spec.biases.map((b, l) => Array.from({ length: spec.layers[l + 1] }, (_, j) => A.of(b.shared ? b.values[0] : b.values[j]))),
    },
  };
}

/** z = W a + b and a = g(z), layer by layer. */
export function forwardPass<T>(net: Net<T>, input: readonly T[], log?: StepLog<T>): ForwardResult<T> {
  const { A, params } = net;
  const z: T[][] = [[]];
  const a: T[][] = [input.slice()];
  for (let l = 1; l < net.layers.length; l++) {
    const W = params.W[l - 1], b = params.b[l - 1], prev = a[l - 1];
    const zl: T[] = new Array(W.length);
    for (let j = 0; j < W.length; j++) {
      const row = W[j];
      let s = A.mul(row[0], prev[0]);
      for (let k = 1; k < row.length; k++) s = A.add(s, A.mul(row[k], prev[k]));
      zl[j] = A.written(A.add(s, b[j]));
      if (log) zl[j] = log.pick({ phase: "forward", quantity: "z", layer: l, unit: j }, zl[j]);
    }
    z.push(zl);
    const act = net.activations[l - 1];
    let al: T[];
    if (act.def.kind === "vector") al = act.def.values(A, zl).map((v) => A.written(v));
    else {
      const def = act.def;
      al = zl.map((zj) => A.written(def.value(A, zj, act.params)));
    }
    if (log) al = al.map((v, j) => log.pick({ phase: "forward", quantity: "a", layer: l, unit: j }, v));
    a.push(al);
    if (log?.records) logForwardLayer(net, log, l, z, a);
  }
  return { z, a };
}

function logForwardLayer<T>(net: Net<T>, log: StepLog<T>, l: number, z: T[][], a: T[][]): void {
  const N = log.notation, W = net.params.W[l - 1], b = net.params.b[l - 1];
  const shownInput = (k: number) => (l === 1 ? log.given(a[0][k]) : log.show(a[l - 1][k]));
  for (let j = 0; j < net.layers[l]; j++) {
    const terms = W[j].map((_, k) => `${N.weight(l, j, k).tex} ${N.a(l - 1, k).tex}`);
    const nums = W[j].map((w, k) => `${wrapNegative(log.given(w))}${TIMES}${wrapNegative(shownInput(k))}`);
    log.push({
      id: { phase: "forward", quantity: "z", layer: l, unit: j }, phase: "forward", layer: l, unit: j, quantity: "z", sym: N.z(l, j),
      formula: [...terms, N.bias(l, j).tex].join(" + "),
      substituted: [...nums, `${wrapNegative(log.given(b[j]))}${TIMES}1`].join(" + "),
      value: z[l][j],
    });
    const act = net.activations[l - 1];
    const zs = z[l].map((v) => wrapNegative(log.show(v)));
    log.push({
      id: { phase: "forward", quantity: "a", layer: l, unit: j }, phase: "forward", layer: l, unit: j, quantity: "a", sym: N.a(l, j),
      formula: act.def.kind === "vector"
        ? act.def.formula(N.z(l, j).tex, z[l].map((_, i) => N.z(l, i).tex))
        : `${act.def.symbol}(${N.z(l, j).tex}) = ${act.def.formula(N.z(l, j).tex, act.params)}`,
      substituted: act.def.kind === "vector" ? act.def.formula(zs[j], zs) : act.def.formula(log.show(z[l][j]), act.params),
      value: a[l][j],
    });
  }
}

/** The loss of one example. */
export function exampleLoss<T>(net: Net<T>, output: readonly T[], target: readonly T[], log?: StepLog<T>): T {
  const { A } = net;
  let value = A.written(net.loss.value(A, output, target));
  if (log) value = log.pick({ phase: "loss" }, value);
  if (log?.records) {
    const N = log.notation, L = net.layers.length - 1;
    log.push({
      id: { phase: "loss" }, phase: "loss", layer: null, unit: null, quantity: "loss", sym: N.loss,
      formula: net.loss.formula(output.map((_, k) => N.a(L, k).tex), target.map((_, k) => N.target(k).tex)),
      substituted: net.loss.formula(output.map((v) => log.show(v)), target.map((v) => log.given(v))),
      value,
    });
  }
  return value;
}

export interface BackwardOptions<T> {
  /**
   * Back-propagate into layer l through layer l+1's weights already updated with this learning
   * rate (the widely printed mistake of using w5+..w8+); standard backpropagation leaves it out.
   */
  updatedDeltaWeights?: { learningRate: T };
}

/** δ, ∂L/∂W and ∂L/∂b of one example, from the output layer back to layer 1. */
export function backwardPass<T>(net: Net<T>, fwd: ForwardResult<T>, target: readonly T[], log?: StepLog<T>, opts: BackwardOptions<T> = {}): Gradients<T> {
  const { A, params } = net;
  const L = net.layers.length - 1;
  const { z, a } = fwd;
  const delta: T[][] = Array.from({ length: L + 1 }, () => []);
  const dW: T[][][] = params.W.map((M) => M.map((row) => new Array<T>(row.length)));
  const db: T[][] = params.b.map((row) => new Array<T>(row.length));
  const N = log?.records ? log.notation : undefined;
  const updatedW: T[][][] = [];

  for (let l = L; l >= 1; l--) {
    const act = net.activations[l - 1];
    const n = net.layers[l];
    // ∂L/∂a of each unit: from the loss at the output, a sum over downstream paths below it
    const dA: T[] = new Array(n);
    if (l === L) {
      if (!(act.def.kind === "vector" && net.loss.name === "cross_entropy")) {
        for (let j = 0; j < n; j++) {
          dA[j] = A.written(net.loss.gradient(A, a[L][j], target[j], n));
          if (log) dA[j] = log.pick({ phase: "backward", quantity: "dL/da", layer: l, unit: j }, dA[j]);
          if (log && N) {
            log.push({
              id: { phase: "backward", quantity: "dL/da", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "dL/da",
              sym: derivative(N.lossD, N.a(l, j)),
              formula: net.loss.gradientFormula(N.a(l, j).tex, N.target(j).tex, n),
              substituted: net.loss.gradientFormula(log.show(a[L][j]), log.given(target[j]), n),
              value: dA[j],
            });
          }
        }
      }
    } else {
      const Wnext = opts.updatedDeltaWeights ? updatedW[l] : params.W[l];
      for (let j = 0; j < n; j++) {
        const paths: T[] = [];
        for (let k = 0; k < net.layers[l + 1]; k++) {
          let p = A.written(A.mul(delta[l + 1][k], Wnext[k][j]));
          if (log) p = log.pick({ phase: "backward", quantity: "path", layer: l, unit: j, other: k }, p);
          paths.push(p);
          if (log && N) {
            const pathSym: Sym = l + 1 === L && net.activations[L - 1].def.kind === "scalar"
              ? derivative(N.lossPart(k), N.a(l, j))
              : { tex: `${N.delta(l + 1, k).tex} ${N.weight(l + 1, k, j).tex}`, key: `${N.delta(l + 1, k).key}*${N.weight(l + 1, k, j).key}` };
            const wShown = opts.updatedDeltaWeights ? log.show(Wnext[k][j]) : log.given(Wnext[k][j]);
            log.push({
              id: { phase: "backward", quantity: "path", layer: l, unit: j, other: k }, phase: "backward", layer: l, unit: j, other: k, quantity: "path", sym: pathSym,
              formula: `${N.delta(l + 1, k).tex} \\, ${N.weight(l + 1, k, j).tex}`,
              substituted: `${wrapNegative(log.show(delta[l + 1][k]))}${TIMES}${wrapNegative(wShown)}`,
              value: p,
              factors: [
                { symbol: N.delta(l + 1, k).tex, value: A.toString(delta[l + 1][k]) },
                { symbol: derivative(N.z(l + 1, k), N.a(l, j)).tex, value: A.toString(Wnext[k][j]) },
              ],
            });
          }
        }
        let s = paths[0];
        for (let k = 1; k < paths.length; k++) s = A.add(s, paths[k]);
        dA[j] = A.written(s);
        if (log) dA[j] = log.pick({ phase: "backward", quantity: "dL/da", layer: l, unit: j }, dA[j]);
        if (log && N) {
          log.push({
            id: { phase: "backward", quantity: "dL/da", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "dL/da",
            sym: derivative(N.lossD, N.a(l, j)),
            formula: Array.from({ length: net.layers[l + 1] }, (_, k) => `${N.delta(l + 1, k).tex} ${N.weight(l + 1, k, j).tex}`).join(" + "),
            substituted: paths.map((p) => wrapNegative(log.show(p))).join(" + "),
            value: dA[j],
          });
        }
      }
    }

    // δ = ∂L/∂a · ∂a/∂z (softmax: its Jacobian, or a − t with cross-entropy)
    const dAdZ: T[] = new Array(n);
    for (let j = 0; j < n; j++) {
      if (act.def.kind === "vector") {
        if (net.loss.name === "cross_entropy") {
          delta[l][j] = A.written(A.sub(a[l][j], target[j]));
          if (log) delta[l][j] = log.pick({ phase: "backward", quantity: "delta", layer: l, unit: j }, delta[l][j]);
          if (log && N) log.push({
            id: { phase: "backward", quantity: "delta", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "delta", sym: N.delta(l, j),
            formula: `${N.a(l, j).tex} - ${N.target(j).tex}`,
            substituted: `${log.show(a[l][j])} - ${wrapNegative(log.given(target[j]))}`,
            value: delta[l][j],
          });
        } else {
          const def = act.def;
          let s = A.of(0);
          for (let i = 0; i < n; i++) s = A.add(s, A.mul(dA[i], A.written(def.jacobian(A, a[l], i, j))));
          delta[l][j] = A.written(s);
          if (log) delta[l][j] = log.pick({ phase: "backward", quantity: "delta", layer: l, unit: j }, delta[l][j]);
          if (log && N) log.push({
            id: { phase: "backward", quantity: "delta", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "delta", sym: N.delta(l, j),
            formula: Array.from({ length: n }, (_, i) => `${derivative(N.lossD, N.a(l, i)).tex} ${derivative(N.a(l, i), N.z(l, j)).tex}`).join(" + "),
            substituted: Array.from({ length: n }, (_, i) => `${wrapNegative(log.show(dA[i]))}${TIMES}${wrapNegative(log.show(A.written(def.jacobian(A, a[l], i, j))))}`).join(" + "),
            value: delta[l][j],
          });
        }
        continue;
      }
      const def = act.def;
      dAdZ[j] = A.written(def.derivative(A, z[l][j], a[l][j], act.params));
      if (log) dAdZ[j] = log.pick({ phase: "backward", quantity: "da/dz", layer: l, unit: j }, dAdZ[j]);
      delta[l][j] = A.written(A.mul(dA[j], dAdZ[j]));
      if (log) delta[l][j] = log.pick({ phase: "backward", quantity: "delta", layer: l, unit: j }, delta[l][j]);
      if (log && N) {
        log.push({
          id: { phase: "backward", quantity: "da/dz", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "da/dz",
          sym: derivative(N.a(l, j), N.z(l, j)),
          formula: def.derivativeFormula(N.z(l, j).tex, N.a(l, j).tex, act.params),
          substituted: def.derivativeFormula(log.show(z[l][j]), log.show(a[l][j]), act.params),
          value: dAdZ[j],
        });
        log.push({
          id: { phase: "backward", quantity: "delta", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "delta", sym: N.delta(l, j),
          formula: `${derivative(N.lossD, N.a(l, j)).tex} ${derivative(N.a(l, j), N.z(l, j)).tex}`,
          substituted: `${wrapNegative(log.show(dA[j]))}${TIMES}${wrapNegative(log.show(dAdZ[j]))}`,
          value: delta[l][j],
          factors: [
            { symbol: derivative(N.lossD, N.a(l, j)).tex, value: A.toString(dA[j]) },
            { symbol: derivative(N.a(l, j), N.z(l, j)).tex, value: A.toString(dAdZ[j]) },
          ],
        });
      }
    }

    // ∂L/∂w_jk = ∂L/∂a_j · ∂a_j/∂z_j · a_k, written as the three factors a hand calculation multiplies
    const prev = a[l - 1];
    const shownPrev = (k: number) => (l === 1 ? log!.given(prev[k]) : log!.show(prev[k]));
    for (let j = 0; j < n; j++) {
      const chain: T[] = act.def.kind === "vector" ? [delta[l][j]] : [dA[j], dAdZ[j]];
      for (let k = 0; k < prev.length; k++) {
        let g = prev[k];
        for (const f of chain) g = A.mul(f, g);
        dW[l - 1][j][k] = A.written(g);
        if (log) dW[l - 1][j][k] = log.pick({ phase: "backward", quantity: "dW", layer: l, unit: j, other: k }, dW[l - 1][j][k]);
        if (log && N) {
          const symbols = chainFactorSymbols(N, l, j, k, act.def.kind === "vector");
          const values = [...chain, prev[k]];
          log.push({
            id: { phase: "backward", quantity: "dW", layer: l, unit: j, other: k }, phase: "backward", layer: l, unit: j, other: k, quantity: "dW",
            sym: derivative(N.lossD, N.weight(l, j, k)),
            formula: symbols.join(" "),
            substituted: [...chain.map((f) => wrapNegative(log.show(f))), wrapNegative(shownPrev(k))].join(TIMES),
            value: dW[l - 1][j][k],
            factors: symbols.map((symbol, i) => ({ symbol, value: A.toString(values[i]) })),
          });
        }
      }
      if (!net.sharedBias[l - 1]) {
        db[l - 1][j] = log ? log.pick({ phase: "backward", quantity: "db", layer: l, unit: j }, delta[l][j]) : delta[l][j];
        if (log && N) log.push({
          id: { phase: "backward", quantity: "db", layer: l, unit: j }, phase: "backward", layer: l, unit: j, quantity: "db",
          sym: derivative(N.lossD, N.bias(l, j)),
          formula: `${N.delta(l, j).tex} \\cdot 1`,
          substituted: `${wrapNegative(log.show(delta[l][j]))}${TIMES}1`,
          value: db[l - 1][j],
          factors: [{ symbol: N.delta(l, j).tex, value: A.toString(delta[l][j]) }, { symbol: derivative(N.z(l, j), N.bias(l, j)).tex, value: "1" }],
        });
      }
    }
    if (opts.updatedDeltaWeights) {
      const lr = opts.updatedDeltaWeights.learningRate;
      updatedW[l - 1] = params.W[l - 1].map((row, j) => row.map((w, k) => A.written(A.sub(w, A.mul(lr, dW[l - 1][j][k])))));
    }
    if (net.sharedBias[l - 1]) {
      // one bias feeds every unit of the layer, so its gradient is the sum of their deltas
      let s = delta[l][0];
      for (let j = 1; j < n; j++) s = A.add(s, delta[l][j]);
      const g = log ? log.pick({ phase: "backward", quantity: "db", layer: l, unit: null }, A.written(s)) : A.written(s);
      for (let j = 0; j < n; j++) db[l - 1][j] = g;
      if (log && N) log.push({
        id: { phase: "backward", quantity: "db", layer: l, unit: null }, phase: "backward", layer: l, unit: null, quantity: "db",
        sym: derivative(N.lossD, N.bias(l, 0)),
        formula: delta[l].map((_, j) => N.delta(l, j).tex).join(" + "),
        substituted: delta[l].map((d) => wrapNegative(log.show(d))).join(" + "),
        value: g,
      });
    }
  }
  return { delta, dW, db };
}

export interface UpdateOptions<T> {
  learningRate: T;
  updateBiases: boolean;
  /** L2 weight decay λ: w ← w − η(∂L/∂w + λw); biases are not decayed */
  weightDecay?: T;
}

/** One plain gradient-descent step: w+ = w − η ∂L/∂w (each new value written down). */
export function applyUpdate<T>(net: Net<T>, grads: Pick<Gradients<T>, "dW" | "db">, opts: UpdateOptions<T>, log?: StepLog<T>): Params<T> {
  const { A, params } = net;
  const eta = opts.learningRate, lambda = opts.weightDecay;
  const decay = lambda !== undefined && A.gt(A.abs(lambda), A.of(0)) ? lambda : undefined;
  const W = params.W.map((M, li) => M.map((row, j) => row.map((w, k) => {
    const g = decay ? A.add(grads.dW[li][j][k], A.mul(decay, w)) : grads.dW[li][j][k];
    const v = A.written(A.sub(w, A.mul(eta, g)));
    return log ? log.pick({ phase: "update", quantity: "W", layer: li + 1, unit: j, other: k }, v) : v;
  })));
  const b = params.b.map((row, li) => {
    if (!opts.updateBiases) return row.slice();
    const shared = net.sharedBias[li];
    return row.map((v, j) => {
      const nv = A.written(A.sub(v, A.mul(eta, grads.db[li][j])));
      return log ? log.pick(shared ? { phase: "update", quantity: "b", layer: li + 1, unit: null } : { phase: "update", quantity: "b", layer: li + 1, unit: j }, nv) : nv;
    });
  });
  if (log?.records) {
    const N = log.notation, L = net.layers.length - 1;
    const etaShown = log.given(eta);
    for (let l = L; l >= 1; l--) {
      for (let j = 0; j < net.layers[l]; j++) for (let k = 0; k < net.layers[l - 1]; k++) {
        const w = params.W[l - 1][j][k], g = grads.dW[l - 1][j][k];
        const wSym = N.weight(l, j, k), gSym = derivative(N.lossD, wSym).tex;
        log.push({
          id: { phase: "update", quantity: "W", layer: l, unit: j, other: k }, phase: "update", layer: l, unit: j, other: k, quantity: "W+", sym: updated(wSym),
          formula: decay ? `${wSym.tex} - \\eta\\left(${gSym} + \\lambda ${wSym.tex}\\right)` : `${wSym.tex} - \\eta ${gSym}`,
          substituted: decay
            ? `${log.given(w)} - ${etaShown}${TIMES}(${log.show(g)} + ${log.given(decay)}${TIMES}${wrapNegative(log.given(w))})`
            : `${log.given(w)} - ${etaShown}${TIMES}${wrapNegative(log.show(g))}`,
          value: W[l - 1][j][k],
        });
      }
      if (!opts.updateBiases) continue;
      const units = net.sharedBias[l - 1] ? [0] : Array.from({ length: net.layers[l] }, (_, j) => j);
      for (const j of units) {
        const bSym = N.bias(l, j);
        log.push({
          id: net.sharedBias[l - 1] ? { phase: "update", quantity: "b", layer: l, unit: null } : { phase: "update", quantity: "b", layer: l, unit: j }, phase: "update", layer: l, unit: net.sharedBias[l - 1] ? null : j,
          quantity: "b+", sym: updated(bSym),
          formula: `${bSym.tex} - \\eta ${derivative(N.lossD, bSym).tex}`,
          substituted: `${log.given(params.b[l - 1][j])} - ${etaShown}${TIMES}${wrapNegative(log.show(grads.db[l - 1][j]))}`,
          value: b[l - 1][j],
        });
      }
    }
  }
  return { W, b };
}

/** The symbols of ∂L/∂w's chain-rule factors: ∂L/∂a · ∂a/∂z · ∂z/∂w, or δ · ∂z/∂w for softmax. */
function chainFactorSymbols(N: Notation, l: number, j: number, k: number, softmax: boolean): string[] {
  const dzdw = derivative(N.z(l, j), N.weight(l, j, k)).tex;
  return softmax ? [N.delta(l, j).tex, dzdw] : [derivative(N.lossD, N.a(l, j)).tex, derivative(N.a(l, j), N.z(l, j)).tex, dzdw];
}

/** The mean of per-example gradients (a batch's gradient), each entry written down. */
export function meanGradients<T>(A: Arith<T>, all: readonly Gradients<T>[]): Pick<Gradients<T>, "dW" | "db"> {
  const m = A.of(all.length);
  const first = all[0];
  return {
    dW: first.dW.map((M, l) => M.map((row, j) => row.map((_, k) => {
      let s = first.dW[l][j][k];
      for (let i = 1; i < all.length; i++) s = A.add(s, all[i].dW[l][j][k]);
      return A.written(A.div(s, m));
    }))),
    db: first.db.map((row, l) => row.map((_, j) => {
      let s = first.db[l][j];
      for (let i = 1; i < all.length; i++) s = A.add(s, all[i].db[l][j]);
      return A.written(A.div(s, m));
    })),
  };
}

/** Spec values display as written ("0.15", not "0.1500"); long computed ones as `show` gives them. */
function givenDisplay<T>(A: Arith<T>): (x: T) => string {
  return (x) => {
    const full = A.toString(x);
    if (!/^-?\d*\.?\d{0,6}$/.test(full)) return A.show(x);
    // dp:N pads to N places; a given 0.15 should still read 0.15
    return full.includes(".") ? full.replace(/0+$/, "").replace(/\.$/, "") : full;
  };
}

export interface TraceOptions {
  precision?: Precision | string;
  notation?: NotationPreset;
  /** step id → value to carry on with instead of the computed one (see StepLog.pick) */
  overrides?: Readonly<Record<string, Raw>>;
  /** compute the values (and `replaced`) only, with no steps: for the checker's repeated scans */
  valuesOnly?: boolean;
}

/** The full trace of one forward pass, backward pass and update, as the spec's "Trace" defines it. */
export function traceNetwork(spec: unknown, options: TraceOptions = {}): NetworkTrace {
  return traceWithReplaced(spec, options).trace;
}

/**
 * The trace, and for every overridden step the value it computes from the (possibly overridden)
 * values before it: with a student's numbers as overrides, that is "their next step, done right".
 */
export function traceWithReplaced(spec: unknown, options: TraceOptions = {}): { trace: NetworkTrace; replaced: Record<string, string> } {
  const parsed = isParsed(spec) ? spec : parseSpec(spec);
  const precision = typeof options.precision === "string" ? parsePrecision(options.precision) : (options.precision ?? { kind: "exact" });
  // arithFor returns one of two concrete arithmetics; traceWith is generic over both
  return traceWith(arithFor(precision) as Arith<unknown>, parsed, notationFor(parsed, options.notation), { overrides: options.overrides, records: !options.valuesOnly });
}

/**
 * The trace of one step from the given parameters instead of the spec's: what traceNetwork gives
 * for the spec with these weights and biases written in (training records its kept epochs so).
 */
export function traceAt<T>(A: Arith<T>, spec: NetworkSpec, params: Params<T>): NetworkTrace {
  return traceWith(A, spec, notationFor(spec, undefined), { params }).trace;
}

function isParsed(x: unknown): x is NetworkSpec {
  return typeof x === "object" && x !== null && "examples" in x && "raw" in x && Array.isArray((x as NetworkSpec).activations) && typeof (x as NetworkSpec).activations[0] === "object" && "def" in ((x as NetworkSpec).activations[0] as object);
}

interface TraceWithOptions<T> {
  overrides?: Readonly<Record<string, Raw>>;
  /** the parameters to start from instead of the spec's */
  params?: Params<T>;
  /** false: values only, no steps (StepLog.records) */
  records?: boolean;
}

function traceWith<T>(A: Arith<T>, spec: NetworkSpec, notation: Notation, { overrides: rawOverrides, params, records = true }: TraceWithOptions<T> = {}): { trace: NetworkTrace; replaced: Record<string, string> } {
  const replaced: Record<string, string> = {};
  const keepReplaced = (log: StepLog<T>) => log.replaced.forEach((v, id) => { replaced[id] = A.toString(v); });
  const net = instantiate(A, spec);
  if (params) net.params = params;
  // an id that names no step would be silently ignored: refuse it instead
  if (rawOverrides) for (const id of Object.keys(rawOverrides)) requireStepId(id, "overrides");
  const overrides = rawOverrides ? new Map(Object.entries(rawOverrides).map(([id, v]) => [id, A.of(v)] as const)) : undefined;
  const given = givenDisplay(A);
  const lr = A.of(spec.learningRate);
  const str = (x: T) => A.toString(x);
  const steps: Step[] = [];
  const examples: ExampleTrace[] = [];
  const perExample: Gradients<T>[] = [];
  const losses: T[] = [];
  const batch = spec.examples.length > 1 || spec.isBatch;
  const backOpts: BackwardOptions<T> = spec.hiddenDeltaWeights === "updated" ? { updatedDeltaWeights: { learningRate: lr } } : {};
  spec.examples.forEach((ex, i) => {
    const log = new StepLog(A, notation, given, batch ? i : undefined, overrides, records);
    const x = ex.input.map((v) => A.of(v)), t = ex.target.map((v) => A.of(v));
    const fwd = forwardPass(net, x, log);
    losses.push(exampleLoss(net, fwd.a[fwd.a.length - 1], t, log));
    const g = backwardPass(net, fwd, t, log, backOpts);
    perExample.push(g);
    steps.push(...log.steps);
    keepReplaced(log);
    examples.push({
      forward: { z: fwd.z.map((row, l) => (l === 0 ? null : row.map(str))), a: fwd.a.map((row) => row.map(str)) },
      loss: str(losses[i]),
      delta: g.delta.map((row, l) => (l === 0 ? null : row.map(str))),
    });
  });
  const meanLog = new StepLog(A, notation, given, undefined, overrides, records);
  let grads: Pick<Gradients<T>, "dW" | "db"> = perExample[0];
  let loss = losses[0];
  if (batch) {
    grads = meanGradients(A, perExample);
    let s = losses[0];
    for (let i = 1; i < losses.length; i++) s = A.add(s, losses[i]);
    loss = A.written(A.div(s, A.of(losses.length)));
    if (meanLog.records) logBatchMeans(net, meanLog, losses, loss, grads, perExample);
  }
  const next = applyUpdate(net, grads, { learningRate: lr, updateBiases: spec.updateBiases, weightDecay: A.of(spec.weightDecay) }, meanLog);
  steps.push(...meanLog.steps);
  keepReplaced(meanLog);
  // the checker carries a student's own numbers forward, where a wild value is to be judged, not refused
  if (!overrides) rejectNonFinite(A, steps);
  const perLayerBias = (rows: T[][]) => rows.map((row, l) => (spec.biases[l].shared ? str(row[0]) : row.map(str)));
  const trace: NetworkTrace = {
    precision: precisionName(A.precision),
    notation: notation.preset,
    forward: examples[0].forward,
    loss: str(loss),
    backward: { delta: examples[0].delta, dW: grads.dW.map((M) => M.map((row) => row.map(str))), db: perLayerBias(grads.db) },
    update: { weights: next.W.map((M) => M.map((row) => row.map(str))), biases: perLayerBias(next.b) },
    steps,
  };
  if (batch) trace.examples = examples;
  return { trace, replaced };
}

/**
 * A NaN or ±Infinity anywhere in a trace (a float overflow: an input of 1e300 squared in the
 * loss) is an error naming the first step it reaches, rather than "Infinity" printed as a value.
 */
function rejectNonFinite<T>(A: Arith<T>, steps: readonly Step[]): void {
  // every precision writes a non-finite value as "NaN", "Infinity" or "-Infinity"
  const bad = steps.find((s) => /^(-?Infinity|NaN)$/.test(s.value));
  if (!bad) return;
  const place = [bad.quantity, bad.example !== undefined ? `example ${bad.example}` : "", bad.layer !== null ? `layer ${bad.layer}` : "", bad.unit !== null ? `unit ${bad.unit}` : "", bad.other !== undefined ? `${bad.quantity === "path" ? "downstream unit" : "from unit"} ${bad.other}` : ""].filter(Boolean).join(", ");
  const why = bad.value === "NaN"
    ? "it is not a number (an earlier value overflowed, or a log of 0 under a log loss)"
    : `it overflowed${A.precision.kind === "float" ? " the double range (±1.8e308)" : ""}`;
  const hint = A.precision.kind === "float"
    ? "use smaller inputs or weights, or exact precision, whose decimals do not overflow"
    : "use smaller inputs or weights";
  throw new TrainingError(`step ${bad.key} (${place})`, `is ${bad.value}: ${why}`, hint);
}

function logBatchMeans<T>(net: Net<T>, log: StepLog<T>, losses: T[], cost: T, grads: Pick<Gradients<T>, "dW" | "db">, perExample: Gradients<T>[]): void {
  const N = log.notation, m = perExample.length;
  const avg = (parts: string[]) => `\\frac{1}{${m}}\\left(${parts.join(" + ")}\\right)`;
  log.push({
    id: { phase: "loss", mean: true }, phase: "loss", layer: null, unit: null, quantity: "loss", sym: { tex: "J", key: "J" },
    formula: `\\frac{1}{m}\\sum_{i=1}^{m} ${N.loss.tex}^{(i)}`, substituted: avg(losses.map((v) => log.show(v))), value: cost,
  });
  for (let l = net.layers.length - 1; l >= 1; l--) {
    for (let j = 0; j < net.layers[l]; j++) for (let k = 0; k < net.layers[l - 1]; k++) {
      const sym = derivative({ tex: "J", key: "J" }, N.weight(l, j, k));
      log.push({
        id: { phase: "backward", quantity: "dW", layer: l, unit: j, other: k, mean: true }, phase: "backward", layer: l, unit: j, other: k, quantity: "dW", sym,
        formula: `\\frac{1}{m}\\sum_{i=1}^{m} ${derivative(N.lossD, N.weight(l, j, k)).tex}^{(i)}`,
        substituted: avg(perExample.map((g) => wrapNegative(log.show(g.dW[l - 1][j][k])))), value: grads.dW[l - 1][j][k],
      });
    }
    const units = net.sharedBias[l - 1] ? [0] : Array.from({ length: net.layers[l] }, (_, j) => j);
    for (const j of units) {
      log.push({
        id: net.sharedBias[l - 1] ? { phase: "backward", quantity: "db", layer: l, unit: null, mean: true } : { phase: "backward", quantity: "db", layer: l, unit: j, mean: true }, phase: "backward", layer: l,
        unit: net.sharedBias[l - 1] ? null : j, quantity: "db", sym: derivative({ tex: "J", key: "J" }, N.bias(l, j)),
        formula: `\\frac{1}{m}\\sum_{i=1}^{m} ${derivative(N.lossD, N.bias(l, j)).tex}^{(i)}`,
        substituted: avg(perExample.map((g) => wrapNegative(log.show(g.db[l - 1][j])))), value: grads.db[l - 1][j],
      });
    }
  }
}

export type { Precision };
export { parseSpec, arithFor, parsePrecision, precisionName };
export type { Raw, NetworkSpec, NotationPreset };
