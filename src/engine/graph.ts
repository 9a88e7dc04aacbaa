// Computation graphs from an expression: every node's forward value and gradient, and for every
// edge the upstream gradient, the local gradient and their product (seed 002's picture of
// backpropagation as gates passing gradients back). Parsing is jsep's; the arithmetic is the
// shared numeric layer, so a graph runs in float, exact or dp:N like a network does.
import jsep from "jsep";
import { ACTIVATIONS, wrapNegative, type ScalarActivation } from "./activations.js";
import { ExpressionError, quoted } from "./errors.js";
import { arithFor, isNumberText, precisionName, type Arith, type Precision } from "./numeric.js";
import { didYouMean } from "./suggest.js";
import { stepId } from "./step-id.js";

export interface GraphNode {
  id: string;
  /** what the drawing shows: an input's or named node's name, else the operation ("+", "exp") */
  label: string;
  /** the name given in the expression (inputs, and nodes named by `q = …`) */
  name?: string;
  kind: "input" | "const" | "op" | "output";
  op?: OpName;
  /** ids of the operands, in order */
  inputs: string[];
  /** LaTeX name of the node's value (x, q, n_{3}) */
  tex: string;
  /** LaTeX of what the node computes from its operands' names (empty for inputs) */
  formula: string;
  value: string;
  /** ∂output/∂node */
  grad: string;
}

export interface GraphEdge {
  /** `edge.<from>.<to>.<operand>` (step-id.ts) */
  id: string;
  from: string;
  to: string;
  /** ∂output/∂to */
  upstream: string;
  /** ∂to/∂from */
  local: string;
  /** upstream × local: this edge's share of ∂output/∂from */
  product: string;
}

export interface GraphStep {
  id: string;
  phase: "forward" | "backward";
  node: string;
  symbol: string;
  formula: string;
  substituted: string;
  value: string;
}

export interface GraphTrace {
  expression: string;
  precision: string;
  output: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  steps: GraphStep[];
}

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

// operands that are a name, a number or already bracketed need no brackets
const paren = (s: string) => (/^[\w{}\\^.]+$/.test(s) || /^\([^()]*\)$/.test(s) ? s : `\\left(${s}\\right)`);
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
const ownEntry = <V>(r: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(r, key) ? r[key] : undefined;

const FUNCTIONS: Record<string, OpName> = {
  exp: "exp",
  log: "log",
  ln: "log",
  sigmoid: "sigmoid",
  sigma: "sigmoid",
  tanh: "tanh",
  relu: "relu",
  max: "max",
  pow: "pow",
};
const BINARY: Record<string, OpName> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow", "**": "pow" };

// `^` is power here (jsep's default reads it as bitwise xor, below + and −); ** too.
jsep.removeBinaryOp("^");
jsep.addBinaryOp("^", 11, true);
jsep.addBinaryOp("**", 11, true);

// jsep applies a unary minus to the token right after it, so -x^2 would be (-x)^2 = 9 at x = 3.
// In maths (and Python) the power binds first: -x^2 = -(x^2), 2^-x^2 = 2^(-(x^2)). This hook
// reads a sign's operand as a whole power chain; everything else stays jsep's.
const POWER_OPS = ["**", "^"] as const;
function powerChain(p: jsep.HookScope): jsep.Expression {
  const base = p.gobbleToken(); // a sign here comes back through the hook below
  if (!base) return p.throwError("missing operand after a sign");
  p.gobbleSpaces();
  const op = POWER_OPS.find((o) => p.expr.startsWith(o, p.index));
  if (!op) return base;
  p.index += op.length;
  p.gobbleSpaces();
  return { type: "BinaryExpression", operator: op, left: base, right: powerChain(p) };
}
jsep.hooks.add("gobble-token", function signedPower(this: jsep.HookScope, env: { node?: jsep.Expression }) {
  const ch = this.char;
  if (ch !== "-" && ch !== "+") return;
  this.index++;
  env.node = { type: "UnaryExpression", operator: ch, argument: powerChain(this), prefix: true };
});

/** A parsed graph: nodes in evaluation order (operands before the nodes that use them). */
interface Built {
  nodes: {
    id: string;
    label: string;
    kind: GraphNode["kind"];
    op?: OpName;
    inputs: string[];
    tex: string;
    literal?: string;
    name?: string;
  }[];
  output: string;
}

function texName(name: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${m[1].length > 1 ? `\\mathrm{${m[1]}}` : m[1]}_{${m[2]}}`;
  return name.length > 1 ? `\\mathrm{${name.replace(/_/g, "\\_")}}` : name;
}

/** How deep brackets (and calls) may nest: jsep parses them recursively. A sum of any length is fine. */
export const MAX_NESTING = 1000;

/** The deepest nesting of brackets in a text. */
function nesting(text: string): number {
  let depth = 0,
    deepest = 0;
  for (const c of text) {
    if (c === "(") deepest = Math.max(deepest, ++depth);
    else if (c === ")") depth--;
  }
  return deepest;
}

/** Parse "EXPR" or "q = x + y; f = q * z" (statements separated by ; or new lines). */
function build(text: string): Built {
  const statements = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (statements.length === 0)
    throw new ExpressionError("expression", "is empty", 'write an expression such as "(x + y) * z"');
  const nodes: Built["nodes"] = [];
  const byName = new Map<string, string>();
  const named = new Set<string>();
  let counter = 0;
  let last = "";
  // generated ids (n3, c1) skip any name the text itself uses, so an input called n1 keeps its own node
  const names = new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const nextId = (prefix: "n" | "c") => {
    let id: string;
    do id = `${prefix}${++counter}`;
    while (names.has(id));
    return id;
  };

  /** A parsed node's operands, checking first that it is something a graph can hold. */
  const operandsOf = (n: jsep.Expression, statement: string): jsep.Expression[] => {
    switch (n.type) {
      case "Literal":
      case "Identifier":
        return [];
      case "UnaryExpression":
        if (n.operator !== "+" && n.operator !== "-") {
          throw new ExpressionError(
            statement,
            `the operator ${String(n.operator)} is not supported`,
            "use + - * / ^ and the functions exp, log, sigmoid, tanh, relu, max, pow",
          );
        }
        return [n.argument as jsep.Expression];
      case "BinaryExpression":
        if (!ownEntry(BINARY, String(n.operator))) {
          throw new ExpressionError(
            statement,
            `the operator ${String(n.operator)} is not supported`,
            "use + - * / and ^ (or pow(a, b)) for powers",
          );
        }
        return [n.left as jsep.Expression, n.right as jsep.Expression];
      case "CallExpression": {
        const callee = n.callee as jsep.Expression;
        const fname = callee.type === "Identifier" ? String(callee.name) : "?";
        if (!ownEntry(FUNCTIONS, fname)) {
          throw new ExpressionError(
            `${fname}(…)`,
            `is not a function the graph engine knows${didYouMean(fname, Object.keys(FUNCTIONS))}`,
            `use ${Object.keys(FUNCTIONS).join(", ")}`,
          );
        }
        return n.arguments as jsep.Expression[];
      }
      default:
        throw new ExpressionError(
          statement,
          `${n.type} is not supported in a computation graph`,
          "use numbers, names, + - * / ^ and the functions exp, log, sigmoid, tanh, relu, max, pow",
        );
    }
  };
  /** The node for a parsed node whose operands are already nodes (`args`, their ids). */
  const nodeFor = (n: jsep.Expression, args: string[], statement: string): string => {
    switch (n.type) {
      case "Literal": {
        const v = n.value;
        if (typeof v !== "number")
          throw new ExpressionError(statement, `${quoted(v)} is not a number`, "use numbers and names only");
        const id = nextId("c");
        nodes.push({
          id,
          label: String(n.raw ?? v),
          kind: "const",
          inputs: [],
          tex: String(n.raw ?? v),
          literal: String(n.raw ?? v),
        });
        return id;
      }
      case "Identifier": {
        const name = String(n.name);
        const known = byName.get(name);
        if (known) return known;
        if (Object.hasOwn(FUNCTIONS, name))
          throw new ExpressionError(name, "is a function but is used as a value", `call it, e.g. ${name}(x)`);
        nodes.push({ id: name, label: name, kind: "input", inputs: [], tex: texName(name), name });
        byName.set(name, name);
        return name;
      }
      case "UnaryExpression":
        return n.operator === "+" ? args[0] : opNode("neg", args);
      case "BinaryExpression":
        return opNode(ownEntry(BINARY, String(n.operator))!, args);
      default: {
        const fname = String((n.callee as jsep.Expression).name);
        const op = ownEntry(FUNCTIONS, fname)!,
          arity = GRAPH_OPS[op].arity;
        if (args.length !== arity)
          throw new ExpressionError(
            `${fname}(…)`,
            `takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}`,
            `write e.g. ${fname}(${arity === 1 ? "x" : "a, b"})`,
          );
        return opNode(op, args);
      }
    }
  };
  /**
   * Operands before the nodes that use them, left to right: a post-order walk with a stack of its
   * own, not recursion, so that a sum of thousands of terms (nested thousands deep) is no problem.
   */
  const visit = (root: jsep.Expression, statement: string): string => {
    const done: string[] = [];
    const todo: { n: jsep.Expression; operands?: number }[] = [{ n: root }];
    while (todo.length > 0) {
      const top = todo.pop()!;
      if (top.operands === undefined) {
        const operands = operandsOf(top.n, statement);
        todo.push({ n: top.n, operands: operands.length });
        for (let i = operands.length - 1; i >= 0; i--) todo.push({ n: operands[i] });
        continue;
      }
      done.push(nodeFor(top.n, done.splice(done.length - top.operands, top.operands), statement));
    }
    return done[0];
  };
  const opNode = (op: OpName, inputs: string[]): string => {
    const id = nextId("n");
    nodes.push({ id, label: GRAPH_OPS[op].label, kind: "op", op, inputs, tex: `n_{${id.slice(1)}}` });
    return id;
  };

  for (const statement of statements) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.+)$/.exec(statement);
    const source = m ? m[2] : statement;
    let tree: jsep.Expression;
    const tooDeep = () =>
      new ExpressionError(
        quoted(source),
        `nests brackets, calls or signs more than ${MAX_NESTING} levels deep`,
        "write it with less nesting (a long sum or product needs none: x + y + z)",
      );
    if (nesting(source) > MAX_NESTING) throw tooDeep();
    try {
      tree = jsep(source);
    } catch (e) {
      // the parser recurses: a chain of thousands of signs (- - - x) can still be too deep for it
      if (e instanceof RangeError) throw tooDeep();
      throw new ExpressionError(
        quoted(source),
        `cannot be read: ${(e as Error).message}`,
        'check the brackets and operators, e.g. "(x + y) * z"',
      );
    }
    const id = visit(tree, statement);
    if (m) {
      const name = m[1];
      if (named.has(name) || byName.has(name))
        throw new ExpressionError(name, "is defined twice", "give each named node one definition");
      const node = nodes.find((x) => x.id === id);
      if (node && node.kind === "op" && !node.name) {
        node.name = name;
        node.label = name;
        node.tex = texName(name);
      } else {
        throw new ExpressionError(
          name,
          `only renames ${source.trim()}`,
          `name an operation instead, e.g. ${name} = ${source.trim()} * 1, or use ${source.trim()} directly`,
        );
      }
      named.add(name);
      byName.set(name, id);
    }
    last = id;
  }
  const outNode = nodes.find((x) => x.id === last);
  if (outNode && outNode.kind === "op") outNode.kind = "output";
  return { nodes, output: last };
}

/**
 * Trace a computation graph: forward values, gradients of the output with respect to every node,
 * and every edge's upstream × local = product, as ordered steps in the chosen precision.
 */
export function graphTrace(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  precision: Precision | string = "exact",
  overrides: GraphOverrides = {},
): GraphTrace {
  const A = arithFor(precision) as Arith<unknown>;
  return traceWith(A, expression, values, overrides);
}

/**
 * A student's own numbers to carry forward in place of the computed ones (node id → value or
 * gradient), so the checker can see what each later quantity is when computed from them.
 */
export interface GraphOverrides {
  values?: Readonly<Record<string, string>>;
  grads?: Readonly<Record<string, string>>;
}

function traceWith<T>(
  A: Arith<T>,
  expression: string,
  values: Readonly<Record<string, number | string>>,
  overrides: GraphOverrides,
): GraphTrace {
  const g = build(expression);
  const inputs = g.nodes.filter((n) => n.kind === "input").map((n) => n.id);
  for (const name of inputs) {
    if (!Object.hasOwn(values, name))
      throw new ExpressionError(
        name,
        "has no value",
        `give it one, e.g. ${name}=1 (the expression uses ${inputs.join(", ")})`,
      );
  }
  for (const name of Object.keys(values)) {
    if (!inputs.includes(name))
      throw new ExpressionError(
        name,
        `is given a value but the expression does not use it${didYouMean(name, inputs)}`,
        `the expression uses ${inputs.join(", ") || "no names"}`,
      );
  }

  const val = new Map<string, T>();
  const steps: GraphStep[] = [];
  // values keep every digit (exact keeps 40); the LaTeX of a step shows them readably
  const str = (x: T) => A.toString(x);
  const show = (x: T) => A.show(x);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const texOf = (id: string) => byId.get(id)!.tex;
  const where = (id: string) => {
    const n = byId.get(id)!;
    return n.name ?? `the ${GRAPH_OPS[n.op!].label} node (${n.id})`;
  };
  /** how an operand reads in a message: its name, its number, or its node */
  const short = (id: string) => {
    const n = byId.get(id)!;
    return n.name ?? n.literal ?? where(id);
  };
  /** Why an edge's local gradient or product is NaN/Infinity, naming the node and the operand. */
  const undefinedGradient = (id: string, input: string, i: number, xs: readonly T[], local: T): ExpressionError => {
    const n = byId.get(id)!;
    const [a, b] = n.inputs.map(short);
    if (n.op === "pow" && i === 1 && !A.gt(xs[0], A.of(0))) {
      return new ExpressionError(
        where(id),
        `the gradient of ${a}^${b} with respect to ${b} needs log(${a}), which is undefined for ${a} = ${show(xs[0])}`,
        `use a positive base when the exponent is a variable, or a number as the exponent (${a}^2)`,
      );
    }
    if (!A.isFinite(local)) {
      return new ExpressionError(
        where(id),
        `its local gradient with respect to ${short(input)} is ${str(local)} at ${n.inputs.flatMap((x, k) => (byId.get(x)!.kind === "const" ? [] : [`${short(x)} = ${show(xs[k])}`])).join(", ")}`,
        "the function has no finite derivative there; change the values",
      );
    }
    return new ExpressionError(
      where(id),
      `the gradient passed back to ${short(input)} overflows (${str(local)} times the upstream gradient)`,
      "use smaller values, or exact precision",
    );
  };

  // forward: operands come before the nodes that use them
  for (const n of g.nodes) {
    if (n.kind === "input" || n.kind === "const") {
      const given = n.kind === "input" ? values[n.id] : n.literal!;
      const ok = typeof given === "number" ? Number.isFinite(given) : isNumberText(given);
      if (!ok)
        throw new ExpressionError(
          n.id,
          `expected a finite number, got ${quoted(given)}`,
          `write e.g. ${n.id}=-2 or ${n.id}=0.5`,
        );
      val.set(n.id, A.of(typeof given === "string" ? given.trim() : given));
      continue;
    }
    const def = GRAPH_OPS[n.op!];
    const xs = n.inputs.map((i) => val.get(i)!);
    if (n.op === "div" && A.toNumber(xs[1]) === 0)
      throw new ExpressionError(
        where(n.id),
        `divides by zero (the denominator ${texOf(n.inputs[1])} is 0)`,
        "change the values so that the denominator is not 0",
      );
    if (n.op === "log" && !A.gt(xs[0], A.of(0)))
      throw new ExpressionError(
        where(n.id),
        `takes the log of ${show(xs[0])}, which is not positive`,
        "log needs a positive argument; change the values",
      );
    if (n.op === "pow" && A.lt(xs[0], A.of(0)) && !Number.isInteger(A.toNumber(xs[1])))
      throw new ExpressionError(
        where(n.id),
        `raises the negative number ${show(xs[0])} to the non-integer power ${show(xs[1])}`,
        "use a positive base or a whole-number exponent",
      );
    const out = A.written(def.value(A, xs));
    if (!A.isFinite(out))
      throw new ExpressionError(
        where(n.id),
        `is ${A.toString(out)}`,
        "the values make this node overflow; use smaller values",
      );
    const pinned = overrides.values ? ownEntry(overrides.values, n.id) : undefined;
    val.set(n.id, pinned === undefined ? out : A.of(pinned));
    steps.push({
      id: stepId({ phase: "forward", node: n.id }),
      phase: "forward",
      node: n.id,
      symbol: n.tex,
      formula: def.tex(n.inputs.map(texOf)),
      substituted: def.tex(xs.map((x) => wrapNegative(show(x)))),
      value: str(out),
    });
  }

  // backward: reverse order, each node's gradient is the sum over the edges leaving it
  const grad = new Map<string, T>();
  const edgesInto = new Map<string, GraphEdge[]>();
  const edges: GraphEdge[] = [];
  const raw = new Map<GraphEdge, { upstream: T; local: T; product: T; operand: number }>();
  const out = g.output;
  const outTex = texOf(out);
  const dOut = (id: string) => (id === out ? "1" : `\\frac{\\partial ${outTex}}{\\partial ${texOf(id)}}`);
  /**
   * A gradient as the chain rule writes it, upstream × local for each use, then with each local
   * derivative as its own expression: ∂f/∂x = ∂f/∂q · ∂q/∂x = ∂f/∂q · 1. Into the output, the
   * local derivative is of the output's expression (∂f/∂z = ∂f/∂f · ∂(q·z)/∂z = 1 · q), since
   * ∂f/∂f · ∂f/∂z would define ∂f/∂z by itself.
   */
  const chainRule = (id: string, uses: readonly GraphEdge[]): string => {
    const d = (num: string, den: string) => `\\frac{\\partial ${num}}{\\partial ${den}}`;
    const symbolic = uses.map((e) => {
      const to = byId.get(e.to)!;
      const local =
        e.to === out
          ? d(`\\left(${GRAPH_OPS[to.op!].tex(to.inputs.map(texOf))}\\right)`, texOf(id))
          : d(texOf(e.to), texOf(id));
      return `${d(outTex, texOf(e.to))} \\cdot ${local}`;
    });
    const expressions = uses.map((e) => {
      const to = byId.get(e.to)!;
      return `${dOut(e.to)} \\cdot ${paren(GRAPH_OPS[to.op!].localTex(to.inputs.map(texOf), texOf(e.to), raw.get(e)!.operand))}`;
    });
    return `${symbolic.join(" + ")} = ${expressions.join(" + ")}`;
  };
  grad.set(out, A.of(1));
  const order = [...g.nodes].reverse();
  for (const n of order) {
    if (n.id !== out) {
      const uses = edgesInto.get(n.id) ?? [];
      let total = A.of(0);
      for (const e of uses) total = A.add(total, raw.get(e)!.product);
      total = A.written(total);
      if (!A.isFinite(total))
        throw new ExpressionError(
          short(n.id),
          `its gradient is ${str(total)}: the sum of the gradients reaching it overflows`,
          "use smaller values, or exact precision",
        );
      const pinned = overrides.grads ? ownEntry(overrides.grads, n.id) : undefined;
      grad.set(n.id, pinned === undefined ? total : A.of(pinned));
      if (n.kind !== "const" && uses.length > 0) {
        steps.push({
          id: stepId({ phase: "backward", node: n.id }),
          phase: "backward",
          node: n.id,
          symbol: dOut(n.id),
          formula: chainRule(n.id, uses),
          substituted: uses
            .map((e) => `${wrapNegative(show(raw.get(e)!.upstream))} \\times ${wrapNegative(show(raw.get(e)!.local))}`)
            .join(" + "),
          value: str(total),
        });
      }
    }
    if (n.kind !== "op" && n.kind !== "output") continue;
    const def = GRAPH_OPS[n.op!];
    const xs = n.inputs.map((i) => val.get(i)!);
    const up = grad.get(n.id)!;
    n.inputs.forEach((input, i) => {
      const local = A.written(def.local(A, xs, val.get(n.id)!, i));
      const product = A.written(A.mul(up, local));
      if (!A.isFinite(local) || !A.isFinite(product)) {
        // the gradient with respect to a number (the 2 of (-2)^2) is never needed, and need not exist
        if (byId.get(input)!.kind === "const") return;
        throw undefinedGradient(n.id, input, i, xs, local);
      }
      const e: GraphEdge = {
        id: stepId({ phase: "edge", from: input, to: n.id, operand: i }),
        from: input,
        to: n.id,
        upstream: str(up),
        local: str(local),
        product: str(product),
      };
      raw.set(e, { upstream: up, local, product, operand: i });
      edges.push(e);
      const list = edgesInto.get(input) ?? [];
      list.push(e);
      edgesInto.set(input, list);
    });
  }

  const nodes: GraphNode[] = g.nodes.map((n) => ({
    id: n.id,
    label: n.label,
    ...(n.name ? { name: n.name } : {}),
    kind: n.kind,
    ...(n.op ? { op: n.op } : {}),
    inputs: n.inputs,
    tex: n.tex,
    formula: n.op ? GRAPH_OPS[n.op].tex(n.inputs.map(texOf)) : "",
    value: str(val.get(n.id)!),
    grad: str(grad.get(n.id) ?? A.of(0)),
  }));
  return {
    expression,
    precision: precisionName(A.precision),
    output: out,
    nodes,
    edges: sortForward(
      edges,
      g.nodes.map((n) => n.id),
    ),
    steps,
  };
}

/** Edges in forward reading order: by the node they feed, then by operand position. */
function sortForward(edges: GraphEdge[], order: string[]): GraphEdge[] {
  const at = new Map(order.map((id, i) => [id, i]));
  return edges
    .map((e, i) => ({ e, i }))
    .sort((a, b) => at.get(a.e.to)! - at.get(b.e.to)! || a.i - b.i)
    .map((x) => x.e);
}

/** Look a node up by name or id ("q", "x", "n3"). */
export function graphNode(trace: GraphTrace, name: string): GraphNode | undefined {
  return trace.nodes.find((n) => n.id === name || n.label === name);
}
