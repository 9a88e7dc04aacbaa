// The one place where a network's steps are written out: from a step's id, its value and the
// values of the steps before it, the Narrator makes the trace's Step (symbol, formula, the
// formula with its numbers, chain-rule factors) in the chosen notation. The math in network.ts
// only says which quantity it computed; everything a reader sees is made here.
import type { Arith } from "./numeric.js";
import { wrapNegative } from "./activations.js";
import { derivative, updated, type Notation, type Sym } from "./notation.js";
import type { Net } from "./model.js";
import type { ChainFactor, Quantity, Step } from "./trace.js";
import { stepId, type NetworkStepIdRecord } from "./step-id.js";
import { OverrideRecorder } from "./recorder.js";

const TIMES = " \\times ";

/** What a narrator needs besides the steps themselves. */
export interface NarrationContext<T> {
  net: Net<T>;
  notation: Notation;
  /** how a number of the spec is displayed (as the spec wrote it, while unchanged) */
  given: (x: T) => string;
  learningRate: T;
  /** L2 decay, when it is on */
  weightDecay?: T;
  /** whether hidden deltas go back through already-updated weights (then those weights are computed, not given) */
  updatedDeltaWeights: boolean;
}

/** Spec values display as written ("0.15", not "0.1500"); long computed ones as `show` gives them. */
export function givenDisplay<T>(A: Arith<T>): (x: T) => string {
  return (x) => {
    const full = A.toString(x);
    if (!/^-?\d*\.?\d{0,6}$/.test(full)) return A.show(x);
    // dp:N pads to N places; a given 0.15 should still read 0.15
    return full.includes(".") ? full.replace(/0+$/, "").replace(/\.$/, "") : full;
  };
}

/** One step written out: what Step needs beyond its id and place. */
interface Line {
  sym: Sym;
  formula: string;
  substituted: string;
  factors?: ChainFactor[];
}

/** The trace's name for what a step id's record computes. */
function quantityOf(r: NetworkStepIdRecord): Quantity {
  if (r.phase === "loss") return "loss";
  if (r.phase === "update") return r.quantity === "W" ? "W+" : "b+";
  if (r.phase === "given") throw new Error("given numbers are not steps");
  return r.quantity;
}

type BackwardRecord = Extract<NetworkStepIdRecord, { phase: "backward" }>;

/** Records every step of one example (or of a batch's means and update) as the trace's Steps. */
export class Narrator<T> extends OverrideRecorder<T> {
  readonly steps: Step[] = [];
  /** the values carried on with, by id without the example prefix */
  private readonly seen = new Map<string, T>();

  constructor(
    private readonly ctx: NarrationContext<T>,
    /** the example's input and target (empty for the batch's means and update) */
    private readonly input: readonly T[],
    private readonly target: readonly T[],
    example?: number,
    overrides?: ReadonlyMap<string, T>,
  ) {
    super(ctx.net.A, example, overrides);
  }

  override step(r: NetworkStepIdRecord, computed: T, operands: readonly T[] = []): T {
    const value = super.step(r, computed);
    this.seen.set(stepId(r), value);
    const { sym, formula, substituted, factors } = this.line(r, operands);
    const where = "layer" in r ? r.layer : null,
      unit = "unit" in r ? r.unit : null;
    const step: Step = {
      id: this.id(r),
      phase: r.phase as Step["phase"],
      layer: where,
      unit,
      ...("other" in r ? { other: r.other } : {}),
      quantity: quantityOf(r),
      formula,
      substituted,
      ...(factors ? { factors } : {}),
      symbol: sym.tex,
      key: sym.key,
      value: this.A.toString(value),
    };
    if (this.id(r) !== stepId(r)) step.example = this.example;
    this.steps.push(step);
    return value;
  }

  private show = (x: T): string => this.A.show(x);
  private value(r: NetworkStepIdRecord): T {
    return this.seen.get(stepId(r))!;
  }
  private a(l: number, k: number): T {
    return l === 0 ? this.input[k] : this.value({ phase: "forward", quantity: "a", layer: l, unit: k });
  }
  /** a unit's activation as a line shows it: an input as the spec gave it */
  private aShown(l: number, k: number): string {
    return l === 0 ? this.ctx.given(this.input[k]) : this.show(this.a(l, k));
  }
  private z(l: number, j: number): T {
    return this.value({ phase: "forward", quantity: "z", layer: l, unit: j });
  }
  private dA(l: number, j: number): T {
    return this.value({ phase: "backward", quantity: "dL/da", layer: l, unit: j });
  }
  private delta(l: number, j: number): T {
    return this.value({ phase: "backward", quantity: "delta", layer: l, unit: j });
  }
  private units(l: number): number[] {
    return Array.from({ length: this.ctx.net.layers[l] }, (_, j) => j);
  }

  private line(r: NetworkStepIdRecord, operands: readonly T[]): Line {
    const { net, notation: N, given } = this.ctx;
    const show = this.show,
      w = wrapNegative;
    const L = net.layers.length - 1;
    switch (r.phase) {
      case "forward": {
        const { layer: l, unit: j } = r,
          act = net.activations[l - 1];
        if (r.quantity === "z") {
          const W = net.params.W[l - 1][j],
            b = net.params.b[l - 1][j];
          return {
            sym: N.z(l, j),
            formula: [...W.map((_, k) => `${N.weight(l, j, k).tex} ${N.a(l - 1, k).tex}`), N.bias(l, j).tex].join(
              " + ",
            ),
            substituted: [
              ...W.map((wk, k) => `${w(given(wk))}${TIMES}${w(this.aShown(l - 1, k))}`),
              `${w(given(b))}${TIMES}1`,
            ].join(" + "),
          };
        }
        if (act.def.kind === "vector") {
          const zs = this.units(l).map((i) => w(show(this.z(l, i))));
          return {
            sym: N.a(l, j),
            formula: act.def.formula(
              N.z(l, j).tex,
              this.units(l).map((i) => N.z(l, i).tex),
            ),
            substituted: act.def.formula(zs[j], zs),
          };
        }
        // "\\sigma(z) = \\frac{1}{1 + e^{-z}}", but tanh's definition is its own symbol: once, not "\\tanh(z) = \\tanh(z)"
        const named = `${act.def.symbol}(${N.z(l, j).tex})`,
          defined = act.def.formula(N.z(l, j).tex, act.params);
        return {
          sym: N.a(l, j),
          formula: named === defined ? defined : `${named} = ${defined}`,
          substituted: act.def.formula(show(this.z(l, j)), act.params),
        };
      }
      case "loss": {
        if ("mean" in r) {
          const m = operands.length;
          return {
            sym: { tex: "J", key: "J" },
            formula: `\\frac{1}{m}\\sum_{i=1}^{m} ${N.loss.tex}^{(i)}`,
            substituted: `\\frac{1}{${m}}\\left(${operands.map(show).join(" + ")}\\right)`,
          };
        }
        const outs = this.units(L);
        return {
          sym: N.loss,
          formula: net.loss.formula(
            outs.map((k) => N.a(L, k).tex),
            outs.map((k) => N.target(k).tex),
          ),
          substituted: net.loss.formula(
            outs.map((k) => show(this.a(L, k))),
            outs.map((k) => given(this.target[k])),
          ),
        };
      }
      case "backward":
        return this.backwardLine(r, operands);
      case "update": {
        const [old, g] = operands;
        const etaShown = given(this.ctx.learningRate);
        if (r.quantity === "b") {
          const bSym = N.bias(r.layer, r.unit ?? 0);
          return {
            sym: updated(bSym),
            formula: `${bSym.tex} - \\eta ${derivative(N.lossD, bSym).tex}`,
            substituted: `${given(old)} - ${etaShown}${TIMES}${w(show(g))}`,
          };
        }
        const wSym = N.weight(r.layer, r.unit, r.other),
          gSym = derivative(N.lossD, wSym).tex,
          decay = this.ctx.weightDecay;
        return decay === undefined
          ? {
              sym: updated(wSym),
              formula: `${wSym.tex} - \\eta ${gSym}`,
              substituted: `${given(old)} - ${etaShown}${TIMES}${w(show(g))}`,
            }
          : {
              sym: updated(wSym),
              formula: `${wSym.tex} - \\eta\\left(${gSym} + \\lambda ${wSym.tex}\\right)`,
              substituted: `${given(old)} - ${etaShown}${TIMES}(${show(g)} + ${given(decay)}${TIMES}${w(given(old))})`,
            };
      }
      case "given":
        throw new Error("given numbers are not steps");
    }
  }

  private backwardLine(r: BackwardRecord, operands: readonly T[]): Line {
    if ((r.quantity === "dW" || r.quantity === "db") && r.mean) return this.meanGradientLine(r, operands);
    switch (r.quantity) {
      case "dL/da":
        return this.lossGradientLine(r.layer, r.unit, operands);
      case "path":
        return this.pathLine(r.layer, r.unit, r.other, operands);
      case "da/dz":
        return this.activationDerivativeLine(r.layer, r.unit);
      case "delta":
        return this.deltaLine(r.layer, r.unit, operands);
      case "dW":
        return this.weightGradientLine(r.layer, r.unit, r.other);
      case "db":
        return this.biasGradientLine(r.layer, r.unit);
    }
  }

  /** ∂L/∂a of unit i of layer l */
  private dLda(l: number, i: number): Sym {
    return derivative(this.ctx.notation.lossD, this.ctx.notation.a(l, i));
  }
  private dadz(l: number, i: number): Sym {
    const N = this.ctx.notation;
    return derivative(N.a(l, i), N.z(l, i));
  }
  private factor(symbol: string, x: T | string): ChainFactor {
    return { symbol, value: typeof x === "string" ? x : this.A.toString(x) };
  }

  /** A batch's mean gradient: ∂J/∂θ = (1/m) Σ ∂L/∂θ⁽ⁱ⁾. */
  private meanGradientLine(r: Extract<BackwardRecord, { quantity: "dW" | "db" }>, operands: readonly T[]): Line {
    const N = this.ctx.notation;
    const J: Sym = { tex: "J", key: "J" };
    const of = r.quantity === "dW" ? N.weight(r.layer, r.unit, r.other) : N.bias(r.layer, r.unit ?? 0);
    return {
      sym: derivative(J, of),
      formula: `\\frac{1}{m}\\sum_{i=1}^{m} ${derivative(N.lossD, of).tex}^{(i)}`,
      substituted: `\\frac{1}{${operands.length}}\\left(${operands.map((x) => wrapNegative(this.show(x))).join(" + ")}\\right)`,
    };
  }

  /** ∂L/∂a: at the output, the loss's derivative; below, the sum over the paths δ_k w_kj. */
  private lossGradientLine(l: number, j: number, operands: readonly T[]): Line {
    const { net, notation: N, given } = this.ctx;
    const L = net.layers.length - 1;
    if (l === L) {
      return {
        sym: this.dLda(l, j),
        formula: net.loss.gradientFormula(N.a(l, j).tex, N.target(j).tex, net.layers[L]),
        substituted: net.loss.gradientFormula(this.show(this.a(L, j)), given(this.target[j]), net.layers[L]),
      };
    }
    // the sum over the paths δ_k w_kj; with one path, the product itself (δ × w), not a lone number
    const next = this.units(l + 1);
    const paths = next.map((k) => this.value({ phase: "backward", quantity: "path", layer: l, unit: j, other: k }));
    return {
      sym: this.dLda(l, j),
      formula: next.map((k) => `${N.delta(l + 1, k).tex} ${N.weight(l + 1, k, j).tex}`).join(" + "),
      substituted:
        next.length === 1
          ? this.pathProduct(l, j, 0, operands[0])
          : paths.map((p) => wrapNegative(this.show(p))).join(" + "),
    };
  }

  /** One path back from unit k of the next layer: δ_k w_kj (operands[0] is the weight used). */
  private pathLine(l: number, j: number, k: number, operands: readonly T[]): Line {
    const { net, notation: N } = this.ctx;
    const L = net.layers.length - 1;
    const sym: Sym =
      l + 1 === L && net.activations[L - 1].def.kind === "scalar"
        ? derivative(N.lossPart(k), N.a(l, j))
        : {
            tex: `${N.delta(l + 1, k).tex} ${N.weight(l + 1, k, j).tex}`,
            key: `${N.delta(l + 1, k).key}*${N.weight(l + 1, k, j).key}`,
          };
    return {
      sym,
      formula: `${N.delta(l + 1, k).tex} \\, ${N.weight(l + 1, k, j).tex}`,
      substituted: this.pathProduct(l, j, k, operands[0]),
      factors: [
        this.factor(N.delta(l + 1, k).tex, this.delta(l + 1, k)),
        this.factor(derivative(N.z(l + 1, k), N.a(l, j)).tex, operands[0]),
      ],
    };
  }

  /** ∂a/∂z of a scalar activation. */
  private activationDerivativeLine(l: number, j: number): Line {
    const { net, notation: N } = this.ctx;
    const act = net.activations[l - 1];
    if (act.def.kind !== "scalar") throw new Error("a vector activation has no per-unit derivative step");
    return {
      sym: this.dadz(l, j),
      formula: act.def.derivativeFormula(N.z(l, j).tex, N.a(l, j).tex, act.params),
      substituted: act.def.derivativeFormula(this.show(this.z(l, j)), this.show(this.a(l, j)), act.params),
    };
  }

  /** δ = ∂L/∂z: a − t for softmax with cross-entropy, Σ over softmax's Jacobian, else ∂L/∂a · ∂a/∂z. */
  private deltaLine(l: number, j: number, operands: readonly T[]): Line {
    const { net, notation: N, given } = this.ctx;
    const act = net.activations[l - 1],
      show = this.show,
      w = wrapNegative;
    if (act.def.kind === "vector" && net.loss.name === "cross_entropy") {
      return {
        sym: N.delta(l, j),
        formula: `${N.a(l, j).tex} - ${N.target(j).tex}`,
        substituted: `${show(this.a(l, j))} - ${w(given(this.target[j]))}`,
      };
    }
    if (act.def.kind === "vector") {
      const all = this.units(l);
      return {
        sym: N.delta(l, j),
        formula: all.map((i) => `${this.dLda(l, i).tex} ${derivative(N.a(l, i), N.z(l, j)).tex}`).join(" + "),
        substituted: all.map((i) => `${w(show(this.dA(l, i)))}${TIMES}${w(show(operands[i]))}`).join(" + "),
      };
    }
    const dAdZ = this.value({ phase: "backward", quantity: "da/dz", layer: l, unit: j });
    return {
      sym: N.delta(l, j),
      formula: `${this.dLda(l, j).tex} ${this.dadz(l, j).tex}`,
      substituted: `${w(show(this.dA(l, j)))}${TIMES}${w(show(dAdZ))}`,
      factors: [this.factor(this.dLda(l, j).tex, this.dA(l, j)), this.factor(this.dadz(l, j).tex, dAdZ)],
    };
  }

  /** ∂L/∂w_jk = ∂L/∂a · ∂a/∂z · ∂z/∂w, or δ · ∂z/∂w for softmax. */
  private weightGradientLine(l: number, j: number, k: number): Line {
    const { net, notation: N } = this.ctx;
    const act = net.activations[l - 1];
    const dzdw = derivative(N.z(l, j), N.weight(l, j, k)).tex;
    const chain: [string, T][] =
      act.def.kind === "vector"
        ? [[N.delta(l, j).tex, this.delta(l, j)]]
        : [
            [this.dLda(l, j).tex, this.dA(l, j)],
            [this.dadz(l, j).tex, this.value({ phase: "backward", quantity: "da/dz", layer: l, unit: j })],
          ];
    return {
      sym: derivative(N.lossD, N.weight(l, j, k)),
      formula: [...chain.map(([s]) => s), dzdw].join(" "),
      substituted: [...chain.map(([, x]) => wrapNegative(this.show(x))), wrapNegative(this.aShown(l - 1, k))].join(
        TIMES,
      ),
      factors: [...chain.map(([s, x]) => this.factor(s, x)), this.factor(dzdw, this.a(l - 1, k))],
    };
  }

  /** ∂L/∂b: δ · 1 for a unit's own bias; the sum of the layer's δ for a shared one (unit null). */
  private biasGradientLine(l: number, unit: number | null): Line {
    const N = this.ctx.notation;
    const w = wrapNegative;
    if (unit === null) {
      const all = this.units(l);
      return {
        sym: derivative(N.lossD, N.bias(l, 0)),
        formula: all.map((j) => N.delta(l, j).tex).join(" + "),
        substituted: all.map((j) => w(this.show(this.delta(l, j)))).join(" + "),
      };
    }
    const j = unit;
    return {
      sym: derivative(N.lossD, N.bias(l, j)),
      formula: `${N.delta(l, j).tex} \\cdot 1`,
      substituted: `${w(this.show(this.delta(l, j)))}${TIMES}1`,
      factors: [
        this.factor(N.delta(l, j).tex, this.delta(l, j)),
        this.factor(derivative(N.z(l, j), N.bias(l, j)).tex, "1"),
      ],
    };
  }

  /** δ_k × w_kj with their numbers: a given weight as the spec wrote it, an already-updated one as computed */
  private pathProduct(l: number, j: number, k: number, weight: T): string {
    const wShown = this.ctx.updatedDeltaWeights ? this.show(weight) : this.ctx.given(weight);
    return `${wrapNegative(this.show(this.delta(l + 1, k)))}${TIMES}${wrapNegative(wShown)}`;
  }
}
