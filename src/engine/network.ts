// The layered network: forward pass, loss, backward pass and one update, each written once over
// an Arith<T> so it runs in float, exact and hand-rounded decimals. Every quantity a hand
// calculation writes down goes through `rec.step(id, value)`: training's recorder does nothing,
// the checker's carries a student's numbers forward, and a trace's narrates it (narration.ts,
// where all the TeX is). Nothing here formats anything.
import type { Arith } from "./numeric.js";
import {
  arithFor,
  DEFAULT_PRECISION,
  parsePrecision,
  precisionName,
  sum,
  toPrecision,
  type Precision,
  type PrecisionInput,
} from "./numeric.js";
import { parseSpec, type NetworkSpec, type Raw } from "./spec.js";
import { notationFor, type Notation, type NotationPreset } from "./notation.js";
import type { ExampleTrace, NetworkTrace, Step } from "./trace.js";
import { TrainingError } from "./errors.js";
import { aRef, requireStepId, targetRef, unitRef, weightRef, zRef } from "./step-id.js";
import { derivativeReads } from "./activations.js";
import { OverrideRecorder, silent, type Recorder } from "./recorder.js";
import { givenDisplay, Narrator, type NarrationContext } from "./narration.js";
import type { ForwardResult, Gradients, Net, Params } from "./model.js";

export type { ForwardResult, Gradients, Net, Params } from "./model.js";

export function instantiate<T>(A: Arith<T>, spec: NetworkSpec): Net<T> {
  return {
    A,
    layers: spec.layers,
    activations: spec.activations,
    loss: spec.loss,
    sharedBias: spec.biases.map((b) => b.shared),
    params: {
      W: spec.weights.map((M) => M.map((row) => row.map((w) => A.of(w)))),
      b: spec.biases.map((b, l) =>
        Array.from({ length: spec.layers[l + 1] }, (_, j) => A.of(b.shared ? b.values[0] : b.values[j])),
      ),
    },
  };
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * A sum whose terms may cancel (a shared bias's Σδ under softmax with cross-entropy is exactly
 * Σa − Σt = 0). In exact arithmetic a result below what the terms' 50 computed digits can resolve
 * is that computation's noise, so it is 0 (else an exactly zero gradient prints as 2e-50); float
 * and dp:N keep what they compute, as a hand calculation would.
 */
function cancellingSum<T>(A: Arith<T>, terms: readonly T[]): T {
  const s = sum(A, terms);
  if (A.precision.kind !== "exact" || terms.length === 0) return s;
  const largest = terms.reduce((m, t) => (A.gt(A.abs(t), m) ? A.abs(t) : m), A.abs(terms[0]));
  return A.gt(A.mul(largest, A.of(RESOLUTION)), A.abs(s)) ? A.of(0) : s;
}
/** 10⁵ terms' rounding at the exact arithmetic's 50 digits stays below this relative size. */
const RESOLUTION = "1e-44";

/** w · a, summed in order (so every precision adds the same terms the same way). */
function dot<T>(A: Arith<T>, w: readonly T[], a: readonly T[]): T {
  let s = A.mul(w[0], a[0]);
  for (let k = 1; k < w.length; k++) s = A.add(s, A.mul(w[k], a[k]));
  return s;
}

/** z = W a + b and a = g(z), layer by layer (each unit's z, then its a; softmax needs all z first). */
export function forwardPass<T>(net: Net<T>, input: readonly T[], rec: Recorder<T> = silent()): ForwardResult<T> {
  const { A, params } = net;
  const z: T[][] = [[]];
  const a: T[][] = [input.slice()];
  for (let l = 1; l < net.layers.length; l++) {
    const W = params.W[l - 1],
      b = params.b[l - 1],
      act = net.activations[l - 1],
      def = act.def;
    const zl: T[] = new Array(W.length),
      al: T[] = new Array(W.length);
    for (let j = 0; j < W.length; j++) {
      rec.depends?.({ phase: "forward", quantity: "z", layer: l, unit: j }, [
        ...W[j].flatMap((_, k) => [aRef(l - 1, k), weightRef(l, j, k)]),
        { phase: "given", quantity: "bias", layer: l, unit: net.sharedBias[l - 1] ? null : j },
      ]);
      zl[j] = rec.step(
        { phase: "forward", quantity: "z", layer: l, unit: j },
        A.written(A.add(dot(A, W[j], a[l - 1]), b[j])),
      );
      if (def.kind === "scalar") rec.depends?.({ phase: "forward", quantity: "a", layer: l, unit: j }, [zRef(l, j)]);
      if (def.kind === "scalar")
        al[j] = rec.step(
          { phase: "forward", quantity: "a", layer: l, unit: j },
          A.written(def.value(A, zl[j], act.params)),
        );
    }
    if (def.kind === "vector")
      def.values(A, zl).forEach((v, j) => {
        rec.depends?.(
          { phase: "forward", quantity: "a", layer: l, unit: j },
          zl.map((_, i) => zRef(l, i)),
        );
        al[j] = rec.step({ phase: "forward", quantity: "a", layer: l, unit: j }, A.written(v));
      });
    z.push(zl);
    a.push(al);
  }
  return { z, a };
}

/** The loss of one example. */
export function exampleLoss<T>(
  net: Net<T>,
  output: readonly T[],
  target: readonly T[],
  rec: Recorder<T> = silent(),
): T {
  const L = net.layers.length - 1;
  rec.depends?.(
    { phase: "loss" },
    output.flatMap((_, i) => [aRef(L, i), targetRef(i)]),
  );
  return rec.step({ phase: "loss" }, net.A.written(net.loss.value(net.A, output, target)));
}

export interface BackwardOptions<T> {
  /**
   * Back-propagate into layer l through layer l+1's weights already updated with this learning
   * rate (the widely printed mistake of using w5+..w8+); standard backpropagation leaves it out.
   */
  updatedDeltaWeights?: { learningRate: T };
}

/**
 * δ, ∂L/∂W and ∂L/∂b of one example, from the output layer back to layer 1:
 * ∂L/∂a from the loss (output) or the sum of the paths δ_k w_kj (hidden), δ = ∂L/∂a · g'(z),
 * ∂L/∂w_jk = ∂L/∂a_j · g'(z_j) · a_k, ∂L/∂b_j = δ_j.
 */
export function backwardPass<T>(
  net: Net<T>,
  fwd: ForwardResult<T>,
  target: readonly T[],
  rec: Recorder<T> = silent(),
  opts: BackwardOptions<T> = {},
): Gradients<T> {
  const { A, params } = net;
  const L = net.layers.length - 1;
  const delta: T[][] = Array.from({ length: L + 1 }, () => []);
  const dW: T[][][] = params.W.map((M) => M.map((row) => new Array<T>(row.length)));
  const db: T[][] = params.b.map((row) => new Array<T>(row.length));
  let Wnext = params.W[L - 1]; // the weights layer l + 1 passes δ back through
  for (let l = L; l >= 1; l--) {
    const dA = l === L ? lossGradient(net, fwd.a[L], target, rec) : pathSums(net, l, delta[l + 1], Wnext, rec);
    const { delta: d, dAdZ } = deltas(net, l, fwd, dA, target, rec);
    delta[l] = d;
    // ∂L/∂w = ∂L/∂a · ∂a/∂z · a_k, the three factors a hand calculation multiplies (softmax: δ · a_k)
    for (let j = 0; j < d.length; j++) {
      const chain = dAdZ ? [dA[j], dAdZ[j]] : [d[j]];
      const chainRefs = dAdZ ? [unitRef("dL/da", l, j), unitRef("da/dz", l, j)] : [unitRef("delta", l, j)];
      fwd.a[l - 1].forEach((ak, k) => {
        rec.depends?.({ phase: "backward", quantity: "dW", layer: l, unit: j, other: k }, [
          ...chainRefs,
          aRef(l - 1, k),
        ]);
        dW[l - 1][j][k] = rec.step(
          { phase: "backward", quantity: "dW", layer: l, unit: j, other: k },
          A.written(chain.reduce((g, f) => A.mul(f, g), ak)),
        );
      });
      if (!net.sharedBias[l - 1])
        rec.depends?.({ phase: "backward", quantity: "db", layer: l, unit: j }, [unitRef("delta", l, j)]);
      if (!net.sharedBias[l - 1])
        db[l - 1][j] = rec.step({ phase: "backward", quantity: "db", layer: l, unit: j }, d[j]);
    }
    // one shared bias feeds every unit of the layer, so its gradient is the sum of their deltas
    if (net.sharedBias[l - 1])
      rec.depends?.(
        { phase: "backward", quantity: "db", layer: l, unit: null },
        d.map((_, j) => unitRef("delta", l, j)),
      );
    if (net.sharedBias[l - 1])
      db[l - 1].fill(
        rec.step({ phase: "backward", quantity: "db", layer: l, unit: null }, A.written(cancellingSum(A, d))),
      );
    const eta = opts.updatedDeltaWeights?.learningRate;
    Wnext =
      eta === undefined
        ? params.W[l - 1]
        : params.W[l - 1].map((row, j) => row.map((w, k) => A.written(A.sub(w, A.mul(eta, dW[l - 1][j][k])))));
  }
  return { delta, dW, db };
}

/** ∂L/∂a of each output unit, from the loss (none for softmax with cross-entropy: δ = a − t directly). */
function lossGradient<T>(net: Net<T>, out: readonly T[], target: readonly T[], rec: Recorder<T>): T[] {
  const { A } = net,
    L = net.layers.length - 1;
  if (net.activations[L - 1].def.kind === "vector" && net.loss.name === "cross_entropy") return [];
  return out.map((a, j) => {
    rec.depends?.(unitRef("dL/da", L, j), [aRef(L, j), targetRef(j)]);
    return rec.step(
      { phase: "backward", quantity: "dL/da", layer: L, unit: j },
      A.written(net.loss.gradient(A, a, target[j], out.length)),
    );
  });
}

/** ∂L/∂a_j of a hidden unit: the sum over the units k it feeds of the paths δ_k w_kj. */
function pathSums<T>(
  net: Net<T>,
  l: number,
  deltaNext: readonly T[],
  Wnext: readonly (readonly T[])[],
  rec: Recorder<T>,
): T[] {
  const { A } = net;
  return Array.from({ length: net.layers[l] }, (_, j) => {
    const paths = deltaNext.map((dk, k) => {
      rec.depends?.({ phase: "backward", quantity: "path", layer: l, unit: j, other: k }, [
        unitRef("delta", l + 1, k),
        weightRef(l + 1, k, j),
      ]);
      return rec.step(
        { phase: "backward", quantity: "path", layer: l, unit: j, other: k },
        A.written(A.mul(dk, Wnext[k][j])),
        [Wnext[k][j]],
      );
    });
    rec.depends?.(
      unitRef("dL/da", l, j),
      paths.map((_, k) => ({ phase: "backward", quantity: "path", layer: l, unit: j, other: k }) as const),
    );
    return rec.step(
      { phase: "backward", quantity: "dL/da", layer: l, unit: j },
      A.written(sum(A, paths)),
      Wnext.map((row) => row[j]),
    );
  });
}

/** δ = ∂L/∂a · ∂a/∂z of each unit of layer l (softmax: through its Jacobian, or a − t under cross-entropy). */
function deltas<T>(
  net: Net<T>,
  l: number,
  fwd: ForwardResult<T>,
  dA: readonly T[],
  target: readonly T[],
  rec: Recorder<T>,
): { delta: T[]; dAdZ?: T[] } {
  const { A } = net,
    act = net.activations[l - 1],
    def = act.def,
    a = fwd.a[l];
  const id = (unit: number) => ({ phase: "backward", quantity: "delta", layer: l, unit }) as const;
  if (def.kind === "vector") {
    if (net.loss.name === "cross_entropy")
      return {
        delta: a.map((aj, j) => {
          rec.depends?.(id(j), [aRef(l, j), targetRef(j)]);
          return rec.step(id(j), A.written(A.sub(aj, target[j])));
        }),
      };
    return {
      delta: a.map((_, j) => {
        rec.depends?.(
          id(j),
          a.flatMap((_, i) => [unitRef("dL/da", l, i), aRef(l, i)]),
        );
        const jacobian = a.map((_, i) => A.written(def.jacobian(A, a, i, j)));
        let s = A.of(0);
        for (let i = 0; i < a.length; i++) s = A.add(s, A.mul(dA[i], jacobian[i]));
        return rec.step(id(j), A.written(s), jacobian);
      }),
    };
  }
  const dAdZ: T[] = new Array(a.length),
    delta: T[] = new Array(a.length);
  const reads = derivativeReads(def, act.params);
  for (let j = 0; j < a.length; j++) {
    rec.depends?.(
      unitRef("da/dz", l, j),
      reads.map((x) => (x === "z" ? zRef(l, j) : aRef(l, j))),
    );
    rec.depends?.(id(j), [unitRef("dL/da", l, j), unitRef("da/dz", l, j)]);
    dAdZ[j] = rec.step(
      { phase: "backward", quantity: "da/dz", layer: l, unit: j },
      A.written(def.derivative(A, fwd.z[l][j], a[j], act.params)),
    );
    delta[j] = rec.step(id(j), A.written(A.mul(dA[j], dAdZ[j])));
  }
  return { delta, dAdZ };
}

export interface UpdateOptions<T> {
  learningRate: T;
  updateBiases: boolean;
  /** L2 weight decay λ: w ← w − η(∂L/∂w + λw); biases are not decayed */
  weightDecay?: T;
  /** the gradients are a batch's means (their steps are backward.mean.…) */
  meanGradients?: boolean;
}

/** One plain gradient-descent step, w+ = w − η ∂L/∂w (and b), from the output layer back. */
export function applyUpdate<T>(
  net: Net<T>,
  grads: Pick<Gradients<T>, "dW" | "db">,
  opts: UpdateOptions<T>,
  rec: Recorder<T> = silent(),
): Params<T> {
  const { A, params } = net;
  const eta = opts.learningRate,
    lambda = opts.weightDecay;
  const decay = lambda !== undefined && A.gt(A.abs(lambda), A.of(0)) ? lambda : undefined;
  const W: T[][][] = [],
    b: T[][] = [];
  for (let l = net.layers.length - 1; l >= 1; l--) {
    W[l - 1] = params.W[l - 1].map((row, j) =>
      row.map((w, k) => {
        const g = grads.dW[l - 1][j][k];
        const mean = opts.meanGradients === true;
        rec.depends?.({ phase: "update", quantity: "W", layer: l, unit: j, other: k }, [
          weightRef(l, j, k),
          { phase: "backward", quantity: "dW", layer: l, unit: j, other: k, mean },
          { phase: "given", quantity: "learningRate" },
        ]);
        const step = A.written(A.sub(w, A.mul(eta, decay ? A.add(g, A.mul(decay, w)) : g)));
        return rec.step({ phase: "update", quantity: "W", layer: l, unit: j, other: k }, step, [w, g]);
      }),
    );
    const old = params.b[l - 1],
      g = grads.db[l - 1];
    const newBias = (unit: number | null, j: number) => {
      rec.depends?.({ phase: "update", quantity: "b", layer: l, unit }, [
        { phase: "given", quantity: "bias", layer: l, unit },
        { phase: "backward", quantity: "db", layer: l, unit, mean: opts.meanGradients === true },
        { phase: "given", quantity: "learningRate" },
      ]);
      return rec.step({ phase: "update", quantity: "b", layer: l, unit }, A.written(A.sub(old[j], A.mul(eta, g[j]))), [
        old[j],
        g[j],
      ]);
    };
    if (!opts.updateBiases) b[l - 1] = old.slice();
    else if (net.sharedBias[l - 1]) b[l - 1] = new Array<T>(old.length).fill(newBias(null, 0));
    else b[l - 1] = old.map((_, j) => newBias(j, j));
  }
  return { W, b };
}

/** The mean of per-example gradients (a batch's gradient), each entry written down. */
export function meanGradients<T>(
  A: Arith<T>,
  all: readonly Gradients<T>[],
  rec: Recorder<T> = silent(),
  sharedBias?: readonly boolean[],
): Pick<Gradients<T>, "dW" | "db"> {
  const m = A.of(all.length),
    first = all[0];
  const mean = (pick: (g: Gradients<T>) => T) => A.written(A.div(sum(A, all.map(pick)), m));
  const dW: T[][][] = [],
    db: T[][] = [];
  for (let l = first.dW.length; l >= 1; l--) {
    dW[l - 1] = first.dW[l - 1].map((row, j) =>
      row.map((_, k) => {
        const id = { phase: "backward", quantity: "dW", layer: l, unit: j, other: k, mean: true } as const;
        rec.depends?.(
          id,
          range(all.length).map((example) => ({ ...id, mean: false, example })),
        );
        return rec.step(
          id,
          mean((g) => g.dW[l - 1][j][k]),
          all.map((g) => g.dW[l - 1][j][k]),
        );
      }),
    );
    if (sharedBias?.[l - 1]) {
      const id = { phase: "backward", quantity: "db", layer: l, unit: null, mean: true } as const;
      rec.depends?.(
        id,
        range(all.length).map((example) => ({ ...id, mean: false, example })),
      );
      const g = rec.step(
        id,
        mean((x) => x.db[l - 1][0]),
        all.map((x) => x.db[l - 1][0]),
      );
      db[l - 1] = first.db[l - 1].map(() => g);
    } else {
      db[l - 1] = first.db[l - 1].map((_, j) => {
        const id = { phase: "backward", quantity: "db", layer: l, unit: j, mean: true } as const;
        rec.depends?.(
          id,
          range(all.length).map((example) => ({ ...id, mean: false, example })),
        );
        return rec.step(
          id,
          mean((g) => g.db[l - 1][j]),
          all.map((g) => g.db[l - 1][j]),
        );
      });
    }
  }
  return { dW, db };
}

export interface TraceOptions {
  precision?: PrecisionInput;
  notation?: NotationPreset;
  /** step id → value to carry on with instead of the computed one (see OverrideRecorder) */
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
export function traceWithReplaced(
  spec: unknown,
  options: TraceOptions = {},
): { trace: NetworkTrace; replaced: Record<string, string> } {
  const parsed = isParsed(spec) ? spec : parseSpec(spec);
  const precision = toPrecision(options.precision, DEFAULT_PRECISION.traceNetwork);
  // arithFor returns one of two concrete arithmetics; traceWith is generic over both
  return traceWith(arithFor(precision) as Arith<unknown>, parsed, notationFor(parsed, options.notation), {
    overrides: options.overrides,
    records: !options.valuesOnly,
  });
}

/**
 * The trace of one step from the given parameters instead of the spec's: what traceNetwork gives
 * for the spec with these weights and biases written in (training records its kept epochs so).
 */
export function traceAt<T>(A: Arith<T>, spec: NetworkSpec, params: Params<T>): NetworkTrace {
  return traceWith(A, spec, notationFor(spec, undefined), { params }).trace;
}

function isParsed(x: unknown): x is NetworkSpec {
  return (
    typeof x === "object" &&
    x !== null &&
    "examples" in x &&
    "raw" in x &&
    Array.isArray((x as NetworkSpec).activations) &&
    typeof (x as NetworkSpec).activations[0] === "object" &&
    "def" in ((x as NetworkSpec).activations[0] as object)
  );
}

interface TraceWithOptions<T> {
  overrides?: Readonly<Record<string, Raw>>;
  /** the parameters to start from instead of the spec's */
  params?: Params<T>;
  /** false: values only, no steps (no Narrator) */
  records?: boolean;
}

function traceWith<T>(
  A: Arith<T>,
  spec: NetworkSpec,
  notation: Notation,
  { overrides: rawOverrides, params, records = true }: TraceWithOptions<T> = {},
): { trace: NetworkTrace; replaced: Record<string, string> } {
  const net = instantiate(A, spec);
  if (params) net.params = params;
  // an id that names no step would be silently ignored: refuse it instead
  if (rawOverrides) for (const id of Object.keys(rawOverrides)) requireStepId(id, "overrides");
  const overrides = rawOverrides
    ? new Map(Object.entries(rawOverrides).map(([id, v]) => [id, A.of(v)] as const))
    : undefined;
  const lr = A.of(spec.learningRate),
    decay = A.of(spec.weightDecay);
  const ctx: NarrationContext<T> = {
    net,
    notation,
    given: givenDisplay(A),
    learningRate: lr,
    updatedDeltaWeights: spec.hiddenDeltaWeights === "updated",
    ...(A.gt(A.abs(decay), A.of(0)) ? { weightDecay: decay } : {}),
  };
  const recorder = (x: readonly T[], t: readonly T[], example?: number) =>
    records ? new Narrator(ctx, x, t, example, overrides) : new OverrideRecorder(A, example, overrides);
  const str = (x: T) => A.toString(x);
  const recorders: OverrideRecorder<T>[] = [];
  const examples: ExampleTrace[] = [];
  const perExample: Gradients<T>[] = [];
  const losses: T[] = [];
  const batch = spec.examples.length > 1 || spec.isBatch;
  const backOpts: BackwardOptions<T> = ctx.updatedDeltaWeights ? { updatedDeltaWeights: { learningRate: lr } } : {};
  spec.examples.forEach((ex, i) => {
    const x = ex.input.map((v) => A.of(v)),
      t = ex.target.map((v) => A.of(v));
    const rec = recorder(x, t, batch ? i : undefined);
    const fwd = forwardPass(net, x, rec);
    losses.push(exampleLoss(net, fwd.a[fwd.a.length - 1], t, rec));
    const g = backwardPass(net, fwd, t, rec, backOpts);
    perExample.push(g);
    recorders.push(rec);
    examples.push({
      forward: { z: fwd.z.map((row, l) => (l === 0 ? null : row.map(str))), a: fwd.a.map((row) => row.map(str)) },
      loss: str(losses[i]),
      delta: g.delta.map((row, l) => (l === 0 ? null : row.map(str))),
    });
  });
  // the batch's means and the update are no one example's
  const rec = recorder([], []);
  recorders.push(rec);
  let grads: Pick<Gradients<T>, "dW" | "db"> = perExample[0];
  let loss = losses[0];
  if (batch) {
    rec.depends?.(
      { phase: "loss", mean: true },
      losses.map((_, example) => ({ phase: "loss", example }) as const),
    );
    loss = rec.step({ phase: "loss", mean: true }, A.written(A.div(sum(A, losses), A.of(losses.length))), losses);
    grads = meanGradients(A, perExample, rec, net.sharedBias);
  }
  const next = applyUpdate(
    net,
    grads,
    { learningRate: lr, updateBiases: spec.updateBiases, weightDecay: decay, meanGradients: batch },
    rec,
  );
  const steps: Step[] = recorders.flatMap((r) => (r instanceof Narrator ? r.steps : []));
  const replaced: Record<string, string> = {};
  for (const r of recorders)
    r.replaced.forEach((v, id) => {
      replaced[id] = A.toString(v);
    });
  const reads = new Map(recorders.flatMap((r) => [...r.reads]));
  for (const s of steps) s.reads = reads.get(s.id) ?? [];
  // the checker carries a student's own numbers forward, where a wild value is to be judged, not refused
  if (!overrides) rejectNonFinite(A, steps);
  const perLayerBias = (rows: T[][]) => rows.map((row, l) => (spec.biases[l].shared ? str(row[0]) : row.map(str)));
  const trace: NetworkTrace = {
    precision: precisionName(A.precision),
    notation: notation.preset,
    forward: examples[0].forward,
    loss: str(loss),
    backward: {
      delta: examples[0].delta,
      dW: grads.dW.map((M) => M.map((row) => row.map(str))),
      db: perLayerBias(grads.db),
    },
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
  const place = [
    bad.quantity,
    bad.example !== undefined ? `example ${bad.example}` : "",
    bad.layer !== null ? `layer ${bad.layer}` : "",
    bad.unit !== null ? `unit ${bad.unit}` : "",
    bad.other !== undefined ? `${bad.quantity === "path" ? "downstream unit" : "from unit"} ${bad.other}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const why =
    bad.value === "NaN"
      ? "it is not a number (an earlier value overflowed, or a log of 0 under a log loss)"
      : `it overflowed${A.precision.kind === "float" ? " the double range (±1.8e308)" : ""}`;
  const hint =
    A.precision.kind === "float"
      ? "use smaller inputs or weights, or exact precision, whose decimals do not overflow"
      : "use smaller inputs or weights";
  throw new TrainingError(`step ${bad.key} (${place})`, `is ${bad.value}: ${why}`, hint);
}

export type { Precision };
export { parseSpec, arithFor, parsePrecision, precisionName };
export type { Raw, NetworkSpec, NotationPreset };
