// The gates of a computation graph, each defined once: its value, its local gradient and their
// LaTeX, as micrograd's Value keeps each operation's forward and backward together. The graph
// tracer (graph-trace.ts) and the autograd engine (autograd.ts) both run these.
import { ACTIVATIONS, type ScalarActivation } from "./activations.js";
import type { Arith } from "./numeric.js";

export type OpName =
  "add" | "sub" | "mul" | "div" | "neg" | "pow" | "exp" | "log" | "sigmoid" | "tanh" | "relu" | "max";

export interface OpDef {
  arity: number;
  /** what a drawing shows in the node */
  label: string;
  tex(args: readonly string[]): string;
  value<T>(A: Arith<T>, x: readonly T[]): T;
  /** ∂out/∂x[i] */
  local<T>(A: Arith<T>, x: readonly T[], out: T, i: number): T;
  /** LaTeX of ∂out/∂x[i] in terms of the operands' names and the output's name */
  localTex(args: readonly string[], out: string, i: number): string;
}

/** An operand in brackets unless it is a name, a number or already bracketed. */
export const paren = (s: string) => (/^[\w{}\\^.]+$/.test(s) || /^\([^()]*\)$/.test(s) ? s : `\\left(${s}\\right)`);
const act = (name: "sigmoid" | "tanh" | "relu") => ACTIVATIONS[name] as ScalarActivation;
const NO_PARAMS = { alpha: 0 };

/** The gates, each defined once: value, local gradient and their LaTeX (autograd.ts uses them too). */
export const GRAPH_OPS: Readonly<Record<OpName, OpDef>> = {
  add: {
    arity: 2,
    label: "+",
    tex: ([a, b]) => `${a} + ${b}`,
    value: (A, [a, b]) => A.add(a, b),
    local: (A) => A.of(1),
    localTex: () => "1",
  },
  sub: {
    arity: 2,
    label: "−",
    tex: ([a, b]) => `${a} - ${paren(b)}`,
    value: (A, [a, b]) => A.sub(a, b),
    local: (A, _x, _o, i) => A.of(i === 0 ? 1 : -1),
    localTex: (_a, _o, i) => (i === 0 ? "1" : "-1"),
  },
  mul: {
    arity: 2,
    label: "×",
    tex: ([a, b]) => `${paren(a)} \\cdot ${paren(b)}`,
    value: (A, [a, b]) => A.mul(a, b),
    // the multiply gate swaps: ∂(ab)/∂a = b
    local: (_A, x, _o, i) => x[1 - i],
    localTex: (args, _o, i) => args[1 - i],
  },
  div: {
    arity: 2,
    label: "÷",
    tex: ([a, b]) => `\\frac{${a}}{${b}}`,
    value: (A, [a, b]) => A.div(a, b),
    local: (A, [a, b], _o, i) => (i === 0 ? A.div(A.of(1), b) : A.neg(A.div(a, A.mul(b, b)))),
    localTex: ([a, b], _o, i) => (i === 0 ? `\\frac{1}{${b}}` : `-\\frac{${a}}{${paren(b)}^2}`),
  },
  neg: {
    arity: 1,
    label: "−x",
    tex: ([a]) => `-${paren(a)}`,
    value: (A, [a]) => A.neg(a),
    local: (A) => A.of(-1),
    localTex: () => "-1",
  },
  pow: {
    arity: 2,
    label: "^",
    tex: ([a, b]) => `${paren(a)}^{${b}}`,
    value: (A, [a, b]) => A.pow(a, b),
    local: (A, [a, b], out, i) => (i === 0 ? A.mul(b, A.pow(a, A.sub(b, A.of(1)))) : A.mul(out, A.log(a))),
    localTex: ([a, b], out, i) => (i === 0 ? `${paren(b)}\\,${paren(a)}^{${b} - 1}` : `${out} \\ln ${paren(a)}`),
  },
  exp: {
    arity: 1,
    label: "exp",
    tex: ([a]) => `e^{${a}}`,
    value: (A, [a]) => A.exp(a),
    local: (_A, _x, out) => out,
    localTex: (_a, out) => out,
  },
  log: {
    arity: 1,
    label: "log",
    tex: ([a]) => `\\ln ${paren(a)}`,
    value: (A, [a]) => A.log(a),
    local: (A, [a]) => A.div(A.of(1), a),
    localTex: ([a]) => `\\frac{1}{${a}}`,
  },
  sigmoid: scalarActivationOp("sigmoid", "σ"),
  tanh: scalarActivationOp("tanh", "tanh"),
  relu: scalarActivationOp("relu", "ReLU"),
  max: {
    arity: 2,
    label: "max",
    tex: ([a, b]) => `\\max(${a}, ${b})`,
    value: (A, [a, b]) => (A.lt(a, b) ? b : a),
    // the max gate routes: the gradient goes to the larger operand (the first on a tie)
    local: (A, [a, b], _o, i) => A.of((i === 0) === !A.lt(a, b) ? 1 : 0),
    localTex: ([a, b], _o, i) => (i === 0 ? `[${a} \\ge ${b}]` : `[${b} > ${a}]`),
  },
};

/** sigmoid, tanh and relu as gates, from the one definition in activations.ts. */
function scalarActivationOp(name: "sigmoid" | "tanh" | "relu", label: string): OpDef {
  const g = act(name);
  return {
    arity: 1,
    label,
    tex: ([a]) => g.formula(a, NO_PARAMS),
    value: (A, [a]) => g.value(A, a, NO_PARAMS),
    local: (A, [a], out) => g.derivative(A, a, out, NO_PARAMS),
    localTex: ([a], out) => g.derivativeFormula(a, out, NO_PARAMS),
  };
}

/** A record's own entry (never Object.prototype's: a function called toString or constructor is unknown, not a crash). */
export const ownEntry = <V>(r: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(r, key) ? r[key] : undefined;
