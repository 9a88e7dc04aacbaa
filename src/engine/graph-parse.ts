// Reading a computation graph from text: "(x + y) * z", or named steps "q = x + y; f = q * z".
// jsep parses each statement; this module turns its tree into graph nodes in evaluation order
// (operands before the nodes that use them) and refuses, naming the culprit, whatever a graph
// cannot hold.
import jsep from "jsep";
import { ExpressionError, quoted } from "./errors.js";
import { didYouMean } from "./suggest.js";
import { GRAPH_OPS, ownEntry, type OpName } from "./graph-ops.js";

/** A node as parsed: what it is and what it reads, before any number is computed. */
export interface ParsedNode {
  id: string;
  /** what the drawing shows: an input's or named node's name, else the operation ("+", "exp") */
  label: string;
  kind: "input" | "const" | "op" | "output";
  op?: OpName;
  /** ids of the operands, in order */
  inputs: string[];
  /** LaTeX name of the node's value (x, q, n_{3}) */
  tex: string;
  /** a constant's number as written */
  literal?: string;
  /** the name given in the expression (inputs, and nodes named by `q = …`) */
  name?: string;
}

/** A parsed graph: nodes in evaluation order, and the id of the last statement's node. */
export interface ParsedGraph {
  nodes: ParsedNode[];
  output: string;
}

/** How deep brackets (and calls) may nest: jsep parses them recursively. A sum of any length is fine. */
export const MAX_NESTING = 1000;

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
const SUPPORTED = "use numbers, names, + - * / ^ and the functions exp, log, sigmoid, tanh, relu, max, pow";

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

/** A name as LaTeX: x, w_{1} for w1 or w_1, \mathrm{loss} for longer names. */
export function texName(name: string): string {
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${m[1].length > 1 ? `\\mathrm{${m[1]}}` : m[1]}_{${m[2]}}`;
  return name.length > 1 ? `\\mathrm{${name.replace(/_/g, "\\_")}}` : name;
}

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

const tooDeep = (source: string) =>
  new ExpressionError(
    quoted(source),
    `nests brackets, calls or signs more than ${MAX_NESTING} levels deep`,
    "write it with less nesting (a long sum or product needs none: x + y + z)",
  );

/** jsep's tree of one statement's expression, or an error saying why it cannot be read. */
function parseExpression(source: string): jsep.Expression {
  if (nesting(source) > MAX_NESTING) throw tooDeep(source);
  try {
    return jsep(source);
  } catch (e) {
    // the parser recurses: a chain of thousands of signs (- - - x) can still be too deep for it
    if (e instanceof RangeError) throw tooDeep(source);
    throw new ExpressionError(
      quoted(source),
      `cannot be read: ${(e as Error).message}`,
      'check the brackets and operators, e.g. "(x + y) * z"',
    );
  }
}

/** The function a call names, or an error listing the ones the graph engine knows. */
function calledFunction(n: jsep.Expression): { name: string; op: OpName } {
  const callee = n.callee as jsep.Expression;
  const name = callee.type === "Identifier" ? String(callee.name) : "?";
  const op = ownEntry(FUNCTIONS, name);
  if (!op)
    throw new ExpressionError(
      `${name}(…)`,
      `is not a function the graph engine knows${didYouMean(name, Object.keys(FUNCTIONS))}`,
      `use ${Object.keys(FUNCTIONS).join(", ")}`,
    );
  return { name, op };
}

/** A parsed node's operands, checking first that it is something a graph can hold. */
function operandsOf(n: jsep.Expression, statement: string): jsep.Expression[] {
  switch (n.type) {
    case "Literal":
    case "Identifier":
      return [];
    case "UnaryExpression":
      if (n.operator !== "+" && n.operator !== "-")
        throw new ExpressionError(
          statement,
          `the operator ${String(n.operator)} is not supported`,
          "use + - * / ^ and the functions exp, log, sigmoid, tanh, relu, max, pow",
        );
      return [n.argument as jsep.Expression];
    case "BinaryExpression":
      if (!ownEntry(BINARY, String(n.operator)))
        throw new ExpressionError(
          statement,
          `the operator ${String(n.operator)} is not supported`,
          "use + - * / and ^ (or pow(a, b)) for powers",
        );
      return [n.left as jsep.Expression, n.right as jsep.Expression];
    case "CallExpression":
      calledFunction(n);
      return n.arguments as jsep.Expression[];
    default:
      throw new ExpressionError(statement, `${n.type} is not supported in a computation graph`, SUPPORTED);
  }
}

/** Builds the nodes of a whole text, statement by statement. */
class GraphBuilder {
  readonly nodes: ParsedNode[] = [];
  /** input and named nodes by name */
  private readonly byName = new Map<string, string>();
  private counter = 0;

  /** every name the text uses: generated ids (n3, c1) skip them, so an input called n1 keeps its own node */
  constructor(private readonly namesInText: ReadonlySet<string>) {}

  /** Add one statement's nodes and return the id of its value. */
  statement(statement: string): string {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.+)$/.exec(statement);
    const source = m ? m[2] : statement;
    const id = this.visit(parseExpression(source), statement);
    if (m) this.nameNode(m[1], id, source.trim());
    return id;
  }

  /**
   * Operands before the nodes that use them, left to right: a post-order walk with a stack of its
   * own, not recursion, so that a sum of thousands of terms (nested thousands deep) is no problem.
   */
  private visit(root: jsep.Expression, statement: string): string {
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
      done.push(this.nodeFor(top.n, done.splice(done.length - top.operands, top.operands), statement));
    }
    return done[0];
  }

  /** The node for a parsed node whose operands are already nodes (`args`, their ids). */
  private nodeFor(n: jsep.Expression, args: string[], statement: string): string {
    switch (n.type) {
      case "Literal":
        return this.constNode(n, statement);
      case "Identifier":
        return this.inputNode(String(n.name));
      case "UnaryExpression":
        return n.operator === "+" ? args[0] : this.opNode("neg", args);
      case "BinaryExpression":
        return this.opNode(ownEntry(BINARY, String(n.operator))!, args);
      default:
        return this.callNode(n, args);
    }
  }

  private constNode(n: jsep.Expression, statement: string): string {
    const v = n.value;
    if (typeof v !== "number")
      throw new ExpressionError(statement, `${quoted(v)} is not a number`, "use numbers and names only");
    const id = this.nextId("c"),
      text = String(n.raw ?? v);
    this.nodes.push({ id, label: text, kind: "const", inputs: [], tex: text, literal: text });
    return id;
  }

  /** A name: the node it names, or a new input. */
  private inputNode(name: string): string {
    const known = this.byName.get(name);
    if (known) return known;
    if (Object.hasOwn(FUNCTIONS, name))
      throw new ExpressionError(name, "is a function but is used as a value", `call it, e.g. ${name}(x)`);
    this.nodes.push({ id: name, label: name, kind: "input", inputs: [], tex: texName(name), name });
    this.byName.set(name, name);
    return name;
  }

  private callNode(n: jsep.Expression, args: string[]): string {
    const { name, op } = calledFunction(n);
    const arity = GRAPH_OPS[op].arity;
    if (args.length !== arity)
      throw new ExpressionError(
        `${name}(…)`,
        `takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}`,
        `write e.g. ${name}(${arity === 1 ? "x" : "a, b"})`,
      );
    return this.opNode(op, args);
  }

  private opNode(op: OpName, inputs: string[]): string {
    const id = this.nextId("n");
    this.nodes.push({ id, label: GRAPH_OPS[op].label, kind: "op", op, inputs, tex: `n_{${id.slice(1)}}` });
    return id;
  }

  /** `name = …`: the statement's operation takes the name (a bare rename is refused). */
  private nameNode(name: string, id: string, source: string): void {
    if (this.byName.has(name))
      throw new ExpressionError(name, "is defined twice", "give each named node one definition");
    const node = this.nodes.find((x) => x.id === id);
    if (!node || node.kind !== "op" || node.name)
      throw new ExpressionError(
        name,
        `only renames ${source}`,
        `name an operation instead, e.g. ${name} = ${source} * 1, or use ${source} directly`,
      );
    node.name = name;
    node.label = name;
    node.tex = texName(name);
    this.byName.set(name, id);
  }

  private nextId(prefix: "n" | "c"): string {
    let id: string;
    do id = `${prefix}${++this.counter}`;
    while (this.namesInText.has(id));
    return id;
  }
}

/** Parse "EXPR" or "q = x + y; f = q * z" (statements separated by ; or new lines). */
export function parseGraph(text: string): ParsedGraph {
  const statements = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (statements.length === 0)
    throw new ExpressionError("expression", "is empty", 'write an expression such as "(x + y) * z"');
  const builder = new GraphBuilder(new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? []));
  let last = "";
  for (const statement of statements) last = builder.statement(statement);
  const outNode = builder.nodes.find((x) => x.id === last);
  if (outNode && outNode.kind === "op") outNode.kind = "output";
  return { nodes: builder.nodes, output: last };
}
