// Gradient-descent optimizers (the Peeters notes on the multi-layer perceptron, "Alternatives to
// gradient descent"), each defined once: its LaTeX and its update of one parameter θ given its
// gradient dθ and its own state. They run over Arith<T>, so a few Adam steps can be shown in
// exact decimals or rounded to 4 places, and every new value is `written` (rounded in dp:N)
// exactly as a hand calculation would write it.
import type { Arith } from "./numeric.js";
import type { Gradients, Params } from "./model.js";
import { TrainingError, quoted } from "./errors.js";

export const OPTIMIZER_NAMES = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerConfig {
  name: OptimizerName;
  /** momentum/Nesterov β (0.9), and RMSprop's and AdaDelta's γ (0.9) */
  beta: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Adam only: Kingma & Ba's bias correction (true) or the Peeters notes' formula exactly (false) */
  biasCorrection: boolean;
}

/** Hyperparameters converted once into the run's arithmetic. */
export interface Hyper<T> {
  lr: T;
  beta: T;
  beta1: T;
  beta2: T;
  epsilon: T;
  biasCorrection: boolean;
}

export interface OptimizerDef {
  readonly name: OptimizerName;
  readonly title: string;
  /** LaTeX of the update, in the Peeters notes' notation (α learning rate, dθ the gradient). */
  readonly formula: string;
  /** The per-parameter state it keeps (V velocity, G or S squared-gradient sums, D squared updates), all starting at 0. */
  readonly slots: readonly string[];
  /** Nesterov only: where the gradient is taken, θ − αβV, instead of θ. */
  lookahead?<T>(A: Arith<T>, theta: T, state: readonly T[], h: Hyper<T>): T;
  /** θ's new value; `state` is updated in place; `t` counts updates from 1 (Adam's bias correction). */
  update<T>(A: Arith<T>, theta: T, g: T, state: T[], h: Hyper<T>, t: number): T;
}

const one = <T>(A: Arith<T>) => A.of(1);

/** βV + (1 − β)dθ: the exponentially weighted average that momentum, Nesterov and Adam share. */
const ewa = <T>(A: Arith<T>, beta: T, old: T, x: T): T =>
  A.written(A.add(A.mul(beta, old), A.mul(A.sub(one(A), beta), x)));

/** V = βV + (1 − β)dθ, θ −= αV: momentum's step, which Nesterov shares (with its look-ahead gradient). */
function momentumStep<T>(A: Arith<T>, theta: T, g: T, s: T[], h: Hyper<T>): T {
  s[0] = ewa(A, h.beta, s[0], g);
  return A.written(A.sub(theta, A.mul(h.lr, s[0])));
}

export const OPTIMIZERS: Record<OptimizerName, OptimizerDef> = {
  sgd: {
    name: "sgd",
    title: "gradient descent",
    slots: [],
    formula: "\\theta^{[t]} = \\theta^{[t-1]} - \\alpha \\, d\\theta",
    update: (A, theta, g, _s, h) => A.written(A.sub(theta, A.mul(h.lr, g))),
  },
  momentum: {
    name: "momentum",
    title: "momentum",
    slots: ["V"],
    formula:
      "V_{d\\theta}^{[t]} = \\beta V_{d\\theta}^{[t-1]} + (1 - \\beta)\\, d\\theta, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\alpha V_{d\\theta}^{[t]}",
    update: momentumStep,
  },
  nesterov: {
    name: "nesterov",
    title: "Nesterov accelerated gradient",
    slots: ["V"],
    formula:
      "V_{d\\theta}^{[t]} = \\beta V_{d\\theta}^{[t-1]} + (1 - \\beta)\\, \\frac{\\partial \\mathcal{L}(\\theta^{[t-1]} - \\alpha\\beta V_{d\\theta}^{[t-1]})}{\\partial \\theta}, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\alpha V_{d\\theta}^{[t]}",
    lookahead: (A, theta, s, h) => A.written(A.sub(theta, A.mul(A.mul(h.lr, h.beta), s[0]))),
    // g is already the look-ahead gradient; the step itself is momentum's
    update: momentumStep,
  },
  adagrad: {
    name: "adagrad",
    title: "AdaGrad",
    slots: ["G"],
    // ε inside the root as on the slide (PyTorch puts it outside; the difference is ~ε/√G)
    formula:
      "G^{[t]} = G^{[t-1]} + d\\theta^2, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\frac{\\alpha}{\\sqrt{G^{[t]} + \\epsilon}}\\, d\\theta",
    update: (A, theta, g, s, h) => {
      s[0] = A.written(A.add(s[0], A.mul(g, g)));
      return A.written(A.sub(theta, A.div(A.mul(h.lr, g), A.sqrt(A.add(s[0], h.epsilon)))));
    },
  },
  rmsprop: {
    name: "rmsprop",
    title: "RMSprop",
    slots: ["S"],
    // the slide writes (1 − γ) dθ; the running mean is of dθ² (hence "root mean square"), as in
    // its own AdaDelta line E[dθ²] and in Adam's S
    formula:
      "S_{d\\theta}^{[t]} = \\gamma S_{d\\theta}^{[t-1]} + (1 - \\gamma)\\, d\\theta^2, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\frac{\\alpha}{\\sqrt{S_{d\\theta}^{[t]} + \\epsilon}}\\, d\\theta",
    update: (A, theta, g, s, h) => {
      s[0] = ewa(A, h.beta, s[0], A.mul(g, g));
      return A.written(A.sub(theta, A.div(A.mul(h.lr, g), A.sqrt(A.add(s[0], h.epsilon)))));
    },
  },
  adam: {
    name: "adam",
    title: "Adam",
    slots: ["V", "S"],
    // Seed 003 writes θ −= α V/√(S + ε) with no bias correction: V and S start at 0, so early
    // steps are too small by the factors (1 − β1^t) and √(1 − β2^t). Kingma & Ba divide them out,
    // V̂ = V/(1 − β1^t), Ŝ = S/(1 − β2^t), and add ε outside the root: θ −= α V̂/(√Ŝ + ε). That is
    // the default; biasCorrection: false is the slide's formula exactly (ε inside the root too).
    formula:
      "V^{[t]} = \\beta_1 V^{[t-1]} + (1 - \\beta_1)\\, d\\theta, \\quad S^{[t]} = \\beta_2 S^{[t-1]} + (1 - \\beta_2)\\, d\\theta^2, \\quad \\hat V = \\frac{V^{[t]}}{1 - \\beta_1^t}, \\quad \\hat S = \\frac{S^{[t]}}{1 - \\beta_2^t}, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\alpha \\frac{\\hat V}{\\sqrt{\\hat S} + \\epsilon}",
    update: (A, theta, g, s, h, t) => {
      s[0] = ewa(A, h.beta1, s[0], g);
      s[1] = ewa(A, h.beta2, s[1], A.mul(g, g));
      if (!h.biasCorrection) return A.written(A.sub(theta, A.div(A.mul(h.lr, s[0]), A.sqrt(A.add(s[1], h.epsilon)))));
      const T = A.of(t);
      const vHat = A.written(A.div(s[0], A.sub(one(A), A.pow(h.beta1, T))));
      const sHat = A.written(A.div(s[1], A.sub(one(A), A.pow(h.beta2, T))));
      return A.written(A.sub(theta, A.div(A.mul(h.lr, vHat), A.add(A.sqrt(sHat), h.epsilon))));
    },
  },
  adadelta: {
    name: "adadelta",
    title: "AdaDelta",
    slots: ["S", "D"],
    // The notes' AdaDelta line keeps only the running mean of dθ² and still divides α by its root:
    // that is their RMSprop line again. Zeiler (2012) also keeps a running mean D of the squared
    // updates and uses √(D + ε) in place of α, so the step has the units of θ and needs no
    // learning rate; here α multiplies that step (α = 1 is Zeiler's rule, as in PyTorch).
    formula:
      "S^{[t]} = \\gamma S^{[t-1]} + (1 - \\gamma)\\, d\\theta^2, \\quad \\Delta\\theta^{[t]} = \\frac{\\sqrt{D^{[t-1]} + \\epsilon}}{\\sqrt{S^{[t]} + \\epsilon}}\\, d\\theta, \\quad D^{[t]} = \\gamma D^{[t-1]} + (1 - \\gamma) (\\Delta\\theta^{[t]})^2, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\alpha\\, \\Delta\\theta^{[t]}",
    update: (A, theta, g, s, h) => {
      s[0] = ewa(A, h.beta, s[0], A.mul(g, g));
      const delta = A.written(A.div(A.mul(A.sqrt(A.add(s[1], h.epsilon)), g), A.sqrt(A.add(s[0], h.epsilon))));
      s[1] = ewa(A, h.beta, s[1], A.mul(delta, delta));
      return A.written(A.sub(theta, A.mul(h.lr, delta)));
    },
  },
};

/** Seed 003's formula for Adam without bias correction, for rendering `biasCorrection: false`. */
export const ADAM_SLIDE_FORMULA =
  "V^{[t]} = \\beta_1 V^{[t-1]} + (1 - \\beta_1)\\, d\\theta, \\quad S^{[t]} = \\beta_2 S^{[t-1]} + (1 - \\beta_2)\\, d\\theta \\cdot d\\theta, \\quad \\theta^{[t]} = \\theta^{[t-1]} - \\alpha \\frac{V^{[t]}}{\\sqrt{S^{[t]} + \\epsilon}}";

export type OptimizerOption =
  string | { name: string; beta?: number; beta1?: number; beta2?: number; epsilon?: number; biasCorrection?: boolean };

/**
 * An optimizer option ("adam" or {name: "adam", beta1: 0.8}) with the usual defaults filled in.
 * It may come from JSON (a spec's "optimizer"), so every field is checked; `where` names it.
 */
export function readOptimizer(v: unknown, where = "optimizer"): OptimizerConfig {
  const o: Record<string, unknown> =
    typeof v === "string"
      ? { name: v }
      : v === undefined
        ? { name: "sgd" }
        : typeof v === "object" && v !== null && !Array.isArray(v)
          ? (v as Record<string, unknown>)
          : { name: v };
  if (typeof o.name !== "string" || !(OPTIMIZER_NAMES as readonly string[]).includes(o.name)) {
    throw new TrainingError(
      where,
      `unknown optimizer ${quoted(o.name)}`,
      `use one of ${OPTIMIZER_NAMES.join(", ")}, or {"name": "adam", "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "biasCorrection": false}`,
    );
  }
  const num = (key: string, fallback: number): number => {
    const x = o[key];
    if (x === undefined) return fallback;
    if (typeof x !== "number" || !Number.isFinite(x))
      throw new TrainingError(`${where}.${key}`, `expected a number, got ${quoted(x)}`, `e.g. ${fallback}`);
    return x;
  };
  const bc = o.biasCorrection;
  if (bc !== undefined && typeof bc !== "boolean")
    throw new TrainingError(
      `${where}.biasCorrection`,
      `expected true or false, got ${quoted(bc)}`,
      "write false for Adam as the lecture notes on optimizers write it, without bias correction",
    );
  const config: OptimizerConfig = {
    name: o.name as OptimizerName,
    beta: num("beta", 0.9),
    beta1: num("beta1", 0.9),
    beta2: num("beta2", 0.999),
    // AdaDelta's ε also sets its first steps (√ε·dθ/√(S + ε)): Zeiler's and PyTorch's 1e-6
    epsilon: num("epsilon", o.name === "adadelta" ? 1e-6 : 1e-8),
    biasCorrection: bc ?? true,
  };
  for (const key of ["beta", "beta1", "beta2"] as const) {
    if (!(config[key] >= 0 && config[key] < 1))
      throw new TrainingError(
        `${where}.${key}`,
        `${config[key]} is outside [0, 1)`,
        `use e.g. ${key === "beta2" ? 0.999 : 0.9}`,
      );
  }
  if (!(config.epsilon >= 0))
    throw new TrainingError(`${where}.epsilon`, `${config.epsilon} is negative`, "use e.g. 1e-8");
  return config;
}

/** The LaTeX to render for a configured optimizer. */
export function optimizerFormula(c: OptimizerConfig): string {
  return c.name === "adam" && !c.biasCorrection ? ADAM_SLIDE_FORMULA : OPTIMIZERS[c.name].formula;
}

/**
 * One optimizer with its per-parameter state, over a network's parameters. Parameters are
 * visited in a fixed order (weights[l][j][k], then biases[l][j]), and state[slot][i] belongs to
 * the i-th. A shared bias is stored once per unit but each copy gets the same (summed)
 * gradient and the same state, so the copies stay equal.
 */
export class Optimizer<T> {
  readonly def: OptimizerDef;
  private readonly h: Hyper<T>;
  private state: T[][] = [];
  /** updates made so far */
  t = 0;

  constructor(
    readonly A: Arith<T>,
    readonly config: OptimizerConfig,
    learningRate: T,
    /** L2 weight decay λ: dθ + λθ for weights (the Peeters notes' d'W = ∂L/∂W + (λ/m)W, with λ/m given); biases are not decayed */
    readonly weightDecay: T,
    readonly updateBiases: boolean,
  ) {
    this.def = OPTIMIZERS[config.name];
    this.h = {
      lr: learningRate,
      beta: A.of(config.beta),
      beta1: A.of(config.beta1),
      beta2: A.of(config.beta2),
      epsilon: A.of(config.epsilon),
      biasCorrection: config.biasCorrection,
    };
  }

  private slots(i: number): T[] {
    let s = this.state[i];
    if (!s) this.state[i] = s = this.def.slots.map(() => this.A.of(0));
    return s;
  }

  /** The parameters at which to take the gradient: θ itself, or Nesterov's look-ahead θ − αβV. */
  evaluationPoint(p: Params<T>): Params<T> {
    const look = this.def.lookahead;
    if (!look) return p;
    return this.map(p, (theta, i, isBias) =>
      isBias && !this.updateBiases ? theta : look(this.A, theta, this.slots(i), this.h),
    );
  }

  /** One update of every parameter from the gradients (already averaged over the batch). */
  step(p: Params<T>, g: Pick<Gradients<T>, "dW" | "db">): Params<T> {
    const { A } = this;
    this.t++;
    const decay = A.gt(A.abs(this.weightDecay), A.of(0));
    return this.map(p, (theta, i, isBias, l, j, k) => {
      if (isBias)
        return this.updateBiases ? this.def.update(A, theta, g.db[l][j], this.slots(i), this.h, this.t) : theta;
      const d = decay ? A.add(g.dW[l][j][k], A.mul(this.weightDecay, theta)) : g.dW[l][j][k];
      return this.def.update(A, theta, d, this.slots(i), this.h, this.t);
    });
  }

  private map(
    p: Params<T>,
    f: (theta: T, i: number, isBias: boolean, l: number, j: number, k: number) => T,
  ): Params<T> {
    let i = 0;
    const W = p.W.map((M, l) => M.map((row, j) => row.map((w, k) => f(w, i++, false, l, j, k))));
    const b = p.b.map((row, l) => row.map((v, j) => f(v, i++, true, l, j, -1)));
    return { W, b };
  }
}
