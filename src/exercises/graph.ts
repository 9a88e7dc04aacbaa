// The computation-graph question: a chain of assignments such as `q = x + y`, `f = q * z`,
// evaluated forwards and differentiated backwards (reverse mode) in exact decimal arithmetic.
//
// This is a stand-in: src/engine/graph.ts (graphTrace) is being written by another engineer;
// when it lands, checking.ts is the one place to switch over. Until then this module handles
// + - * /, unary minus, exp(...), numbers and names, which is what the exercise questions use.
import jsep from "jsep";
import { D, type Dec } from "../engine/numeric.js";
import { ExpressionError } from "../engine/errors.js";

export interface GraphQuestion {
  /** in order; the last one defines the output, e.g. ["q = x + y", "f = q * z"] */
  assignments: string[];
  /** the inputs' values */
  values: Record<string, number>;
}

export interface GraphNodeTrace {
  name: string;
  /** LaTeX of the defining expression (inputs: their value) */
  formula: string;
  value: Dec;
  /** ∂output/∂node */
  grad: Dec;
  /** LaTeX of how the gradient is obtained (chain rule over the uses of the node) */
  gradFormula: string;
}

export interface GraphTraceResult {
  output: string;
  /** inputs first, then the assignments in order */
  nodes: GraphNodeTrace[];
}

type Node = jsep.Expression;

function parseAssignment(text: string): { name: string; expr: Node } {
  const m = /^\s*([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(text);
  if (!m) throw new ExpressionError(text, "is not an assignment", 'write it as "name = expression"');
  return { name: m[1], expr: jsep(m[2]) };
}

function tex(n: Node): string {
  switch (n.type) {
    case "Literal": return String(n.value);
    case "Identifier": return String(n.name);
    case "UnaryExpression": return `-\\left(${tex(n.argument as Node)}\\right)`;
    case "BinaryExpression": {
      const l = tex(n.left as Node), r = tex(n.right as Node);
      const op = String(n.operator);
      return op === "*" ? `\\left(${l}\\right) \\cdot \\left(${r}\\right)` : op === "/" ? `\\frac{${l}}{${r}}` : `${l} ${op} ${r}`;
    }
    case "CallExpression": return `e^{${tex((n.arguments as Node[])[0])}}`;
    default: throw new ExpressionError(String(n.type), "is not supported in a graph question", "use + - * /, unary minus and exp()");
  }
}

function evaluate(n: Node, env: ReadonlyMap<string, Dec>): Dec {
  switch (n.type) {
    case "Literal": return new D(String(n.value));
    case "Identifier": {
      const v = env.get(String(n.name));
      if (!v) throw new ExpressionError(String(n.name), "has no value", "define it before it is used");
      return v;
    }
    case "UnaryExpression": return evaluate(n.argument as Node, env).neg();
    case "BinaryExpression": {
      const l = evaluate(n.left as Node, env), r = evaluate(n.right as Node, env);
      switch (n.operator) {
        case "+": return l.add(r);
        case "-": return l.sub(r);
        case "*": return l.mul(r);
        case "/": return l.div(r);
      }
      break;
    }
    case "CallExpression":
      if ((n.callee as Node).name === "exp") return D.exp(evaluate((n.arguments as Node[])[0], env));
  }
  throw new ExpressionError(tex(n), "is not supported in a graph question", "use + - * /, unary minus and exp()");
}

/** Adds ∂output/∂name contributions of one use of the expression `n` with upstream gradient `up`. */
function backward(n: Node, up: Dec, env: ReadonlyMap<string, Dec>, acc: Map<string, Dec>): void {
  switch (n.type) {
    case "Literal": return;
    case "Identifier": {
      const name = String(n.name);
      acc.set(name, (acc.get(name) ?? new D(0)).add(up));
      return;
    }
    case "UnaryExpression": return backward(n.argument as Node, up.neg(), env, acc);
    case "BinaryExpression": {
      const L = n.left as Node, R = n.right as Node;
      const l = evaluate(L, env), r = evaluate(R, env);
      switch (n.operator) {
        case "+": backward(L, up, env, acc); backward(R, up, env, acc); return;
        case "-": backward(L, up, env, acc); backward(R, up.neg(), env, acc); return;
        case "*": backward(L, up.mul(r), env, acc); backward(R, up.mul(l), env, acc); return;
        case "/": backward(L, up.div(r), env, acc); backward(R, up.mul(l).neg().div(r.mul(r)), env, acc); return;
      }
      return;
    }
    case "CallExpression": {
      const arg = (n.arguments as Node[])[0];
      return backward(arg, up.mul(D.exp(evaluate(arg, env))), env, acc);
    }
  }
}

/** Forward values and gradients of every input and assigned name. */
export function traceGraph(q: GraphQuestion): GraphTraceResult {
  const defs = q.assignments.map(parseAssignment);
  if (defs.length === 0) throw new ExpressionError("assignments", "is empty", "give at least one assignment");
  const env = new Map<string, Dec>(Object.entries(q.values).map(([k, v]) => [k, new D(String(v))]));
  for (const d of defs) env.set(d.name, evaluate(d.expr, env));
  const output = defs[defs.length - 1].name;
  const grads = new Map<string, Dec>([[output, new D(1)]]);
  const via = new Map<string, string[]>();
  for (let i = defs.length - 1; i >= 0; i--) {
    const d = defs[i];
    const up = grads.get(d.name) ?? new D(0);
    const local = new Map<string, Dec>();
    backward(d.expr, up, env, local);
    for (const [name, g] of local) {
      grads.set(name, (grads.get(name) ?? new D(0)).add(g));
      via.set(name, [...(via.get(name) ?? []), d.name]);
    }
  }
  const gradFormula = (name: string) =>
    name === output ? "1" : (via.get(name) ?? []).map((u) => `\\frac{\\partial ${output}}{\\partial ${u}} \\frac{\\partial ${u}}{\\partial ${name}}`).join(" + ") || "0";
  const nodes: GraphNodeTrace[] = [
    ...Object.keys(q.values).map((name) => ({ name, formula: String(q.values[name]), value: env.get(name)!, grad: grads.get(name) ?? new D(0), gradFormula: gradFormula(name) })),
    ...defs.map((d) => ({ name: d.name, formula: tex(d.expr), value: env.get(d.name)!, grad: grads.get(d.name) ?? new D(0), gradFormula: gradFormula(d.name) })),
  ];
  return { output, nodes };
}

/** The quantities a student can be asked for: each node's value (its name) and d<out>/d<name>. */
export function graphKeyValues(q: GraphQuestion): Map<string, { value: Dec; tex: string }> {
  const t = traceGraph(q);
  const out = new Map<string, { value: Dec; tex: string }>();
  for (const n of t.nodes) {
    out.set(n.name, { value: n.value, tex: n.name });
    if (n.name !== t.output) out.set(`d${t.output}/d${n.name}`, { value: n.grad, tex: `\\frac{\\partial ${t.output}}{\\partial ${n.name}}` });
  }
  return out;
}
