// Gradient checking (seed 002, "Implementational Details"): every ∂J/∂θ that backpropagation
// gives is compared with a finite difference of the cost J itself, which needs nothing but
// forward passes, so a wrong backward pass (or the "already-updated w5..w8" mistake) shows up.
//
// The seed writes the one-sided difference J(θ + ε) − J(θ) (divided by ε, which the slide
// leaves out), with ε ≈ 1e-4. Its error is about ε/2 · J''(θ), first order in ε. The central
// difference (J(θ + ε) − J(θ − ε)) / 2ε cancels that term and errs by about ε²/6 · J'''(θ), so it
// is the one used for pass/fail; the one-sided value is reported next to it for comparison.
import type { Arith } from "./numeric.js";
import { arithFor, DEFAULT_PRECISION, toPrecision, type PrecisionInput } from "./numeric.js";
import {
  backwardPass,
  exampleLoss,
  forwardPass,
  instantiate,
  meanGradients,
  type BackwardOptions,
  type Gradients,
  type Net,
  type Params,
} from "./network.js";
import { parseSpec, type NetworkSpec } from "./spec.js";
import { TrainingError } from "./errors.js";

export interface GradCheckOptions {
  /** step ε, default 1e-4 (seed 002) */
  epsilon?: number;
  /** largest relative error that passes, default 1e-6 */
  threshold?: number;
  /** relative errors are |a − n| / max(|a|, |n|, floor): below the floor both are "zero". Default 1e-8. */
  floor?: number;
  /** "float" (DEFAULT_PRECISION) or "exact"; dp:N rounds J itself, which would swamp the differences */
  precision?: PrecisionInput;
}

export interface ParamCheck {
  /** "weights[1][0][0]", "biases[0]" (shared), "biases[1][2]" */
  param: string;
  /** its name from the spec's `names`, e.g. "w5" */
  name?: string;
  /** ∂J/∂θ by backpropagation */
  analytic: number;
  /** central difference (J(θ+ε) − J(θ−ε)) / 2ε */
  numeric: number;
  relativeError: number;
  /** one-sided difference (J(θ+ε) − J(θ)) / ε, as on the slide */
  numericForward: number;
  relativeErrorForward: number;
  /** relativeError ≤ threshold */
  pass: boolean;
}

export interface GradCheckResult {
  epsilon: number;
  threshold: number;
  pass: boolean;
  maxRelativeError: number;
  /** weights first (layer, receiving unit, sending unit), then biases */
  params: ParamCheck[];
}

/** Check backpropagation's gradient of the cost (mean loss over the spec's examples) for every weight and bias. */
export function gradCheck(spec: unknown, options: GradCheckOptions = {}): GradCheckResult {
  const parsed = parseSpec(spec);
  const precision = toPrecision(options.precision, DEFAULT_PRECISION.gradcheck);
  if (precision.kind === "dp")
    throw new TrainingError(
      "precision",
      "gradient checking in dp:N would compare rounded costs",
      'use "float" or "exact"',
    );
  return check(arithFor(precision) as Arith<unknown>, parsed, options);
}

interface ParamRef {
  param: string;
  name?: string;
  get<T>(p: Params<T>): T;
  /** a copy of p with this parameter set to v (every copy of a shared bias) */
  set<T>(p: Params<T>, v: T): Params<T>;
  grad<T>(g: Pick<Gradients<T>, "dW" | "db">): T;
}

function paramRefs(spec: NetworkSpec): ParamRef[] {
  const refs: ParamRef[] = [];
  spec.weights.forEach((M, l) =>
    M.forEach((row, j) =>
      row.forEach((_, k) =>
        refs.push({
          param: `weights[${l}][${j}][${k}]`,
          name: spec.names?.weights?.[l]?.[j]?.[k],
          get: (p) => p.W[l][j][k],
          set: (p, v) => ({
            W: p.W.map((N, li) =>
              li !== l ? N : N.map((r, ji) => (ji !== j ? r : r.map((w, ki) => (ki === k ? v : w)))),
            ),
            b: p.b,
          }),
          grad: (g) => g.dW[l][j][k],
        }),
      ),
    ),
  );
  spec.biases.forEach((b, l) => {
    const units = b.shared ? [-1] : spec.layers[l + 1] ? Array.from({ length: spec.layers[l + 1] }, (_, j) => j) : [];
    const names = spec.names?.biases?.[l];
    for (const j of units)
      refs.push({
        param: j < 0 ? `biases[${l}]` : `biases[${l}][${j}]`,
        name: typeof names === "string" ? names : j >= 0 ? names?.[j] : undefined,
        get: (p) => p.b[l][Math.max(j, 0)],
        // a shared bias is one parameter: nudging it moves every unit's copy
        set: (p, v) => ({
          W: p.W,
          b: p.b.map((r, li) => (li !== l ? r : r.map((x, ji) => (j < 0 || ji === j ? v : x)))),
        }),
        grad: (g) => g.db[l][Math.max(j, 0)],
      });
  });
  return refs;
}

function check<T>(A: Arith<T>, spec: NetworkSpec, options: GradCheckOptions): GradCheckResult {
  const eps = options.epsilon ?? 1e-4,
    threshold = options.threshold ?? 1e-6,
    floor = options.floor ?? 1e-8;
  const net = instantiate(A, spec);
  const xs = spec.examples.map((e) => e.input.map((v) => A.of(v)));
  const ts = spec.examples.map((e) => e.target.map((v) => A.of(v)));
  const cost = (params: Params<T>): T => {
    const at: Net<T> = { ...net, params };
    let s = A.of(0);
    xs.forEach((x, i) => {
      const fwd = forwardPass(at, x);
      s = A.add(s, exampleLoss(at, fwd.a[fwd.a.length - 1], ts[i]));
    });
    return A.div(s, A.of(xs.length));
  };
  // backpropagation exactly as training uses it, including the spec's hiddenDeltaWeights
  const backOpts: BackwardOptions<T> =
    spec.hiddenDeltaWeights === "updated" ? { updatedDeltaWeights: { learningRate: A.of(spec.learningRate) } } : {};
  const perExample = xs.map((x, i) => backwardPass(net, forwardPass(net, x), ts[i], undefined, backOpts));
  const grads = perExample.length === 1 ? perExample[0] : meanGradients(A, perExample);

  const e = A.of(eps),
    twoE = A.of(2 * eps);
  const j0 = cost(net.params);
  const rel = (a: number, n: number) => Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
  const params = paramRefs(spec).map((ref): ParamCheck => {
    const theta = ref.get(net.params);
    const plus = cost(ref.set(net.params, A.add(theta, e)));
    const minus = cost(ref.set(net.params, A.sub(theta, e)));
    const analytic = A.toNumber(ref.grad(grads));
    const numeric = A.toNumber(A.div(A.sub(plus, minus), twoE));
    const numericForward = A.toNumber(A.div(A.sub(plus, j0), e));
    const relativeError = rel(analytic, numeric);
    const out: ParamCheck = {
      param: ref.param,
      analytic,
      numeric,
      relativeError,
      numericForward,
      relativeErrorForward: rel(analytic, numericForward),
      pass: relativeError <= threshold,
    };
    if (ref.name) out.name = ref.name;
    return out;
  });
  return {
    epsilon: eps,
    threshold,
    pass: params.every((p) => p.pass),
    maxRelativeError: Math.max(0, ...params.map((p) => p.relativeError)),
    params,
  };
}
