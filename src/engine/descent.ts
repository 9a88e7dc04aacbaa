// Gradient descent on a function of a few variables (x², x₁² + x₂², an elongated bowl), with any
// optimizer of optimizers.ts: the paths the gradient-descent and optimizer notebooks draw.
import { floatArith } from "./numeric.js";
import { OPTIMIZERS, readOptimizer, type OptimizerOption } from "./optimizers.js";
import { TrainingError } from "./errors.js";

export interface DescentOptions {
  /** ∇f at a point */
  gradient: (x: readonly number[]) => number[];
  start: readonly number[];
  learningRate: number;
  steps: number;
  optimizer?: OptimizerOption;
  /** f itself, to record f along the path */
  f?: (x: readonly number[]) => number;
}

export interface DescentPath {
  /** the start, then the point after each step */
  points: number[][];
  /** f at each point, when f was given */
  values: number[];
  /** true when the values grew beyond 1e12 or stopped being finite */
  diverged: boolean;
}

export function descend(o: DescentOptions): DescentPath {
  const config = readOptimizer(o.optimizer ?? "sgd");
  const def = OPTIMIZERS[config.name];
  const A = floatArith;
  const h = {
    lr: o.learningRate,
    beta: config.beta,
    beta1: config.beta1,
    beta2: config.beta2,
    epsilon: config.epsilon,
    biasCorrection: config.biasCorrection,
  };
  if (!(o.learningRate > 0))
    throw new TrainingError("learningRate", `is ${o.learningRate}`, "give a positive step size such as 0.1");
  const state = o.start.map(() => def.slots.map(() => 0));
  let x = [...o.start];
  const points = [x];
  const values = o.f ? [o.f(x)] : [];
  let diverged = false;
  for (let t = 1; t <= o.steps; t++) {
    const at = def.lookahead ? x.map((xi, i) => def.lookahead!(A, xi, state[i], h)) : x;
    const g = o.gradient(at);
    x = x.map((xi, i) => def.update(A, xi, g[i], state[i], h, t));
    points.push(x);
    if (o.f) values.push(o.f(x));
    if (!x.every((v) => Number.isFinite(v) && Math.abs(v) < 1e12)) {
      diverged = true;
      break;
    }
  }
  return { points, values, diverged };
}
