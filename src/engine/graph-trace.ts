// Tracing a parsed computation graph: every node's forward value and gradient, and for every
// edge the upstream gradient, the local gradient and their product (backpropagation as gates
// passing gradients back), as ordered steps in one arithmetic (float, exact or dp:N).
import { wrapNegative } from "./activations.js";
import { ExpressionError, quoted } from "./errors.js";
import { isNumberText, precisionName, type Arith } from "./numeric.js";
import { stepId } from "./step-id.js";
import { didYouMean } from "./suggest.js";
import { GRAPH_OPS, ownEntry, paren, type OpName } from "./graph-ops.js";
import type { ParsedGraph, ParsedNode } from "./graph-parse.js";

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

/**
 * A student's own numbers to carry forward in place of the computed ones (node id → value or
 * gradient), so the checker can see what each later quantity is when computed from them.
 */
export interface GraphOverrides {
  values?: Readonly<Record<string, string>>;
  grads?: Readonly<Record<string, string>>;
}

/** An edge's numbers before they are written as text. */
interface EdgeNumbers<T> {
  upstream: T;
  local: T;
  product: T;
  operand: number;
}

const d = (num: string, den: string) => `\\frac{\\partial ${num}}{\\partial ${den}}`;

/** Trace `graph` with the input `values` in the arithmetic `A`. */
export function traceGraph<T>(
  A: Arith<T>,
  expression: string,
  graph: ParsedGraph,
  values: Readonly<Record<string, number | string>>,
  overrides: GraphOverrides,
): GraphTrace {
  checkInputs(graph, values);
  const tracer = new GraphTracer(A, graph, overrides);
  tracer.forward(values);
  tracer.backward();
  return tracer.result(expression);
}

/** Every input has a value, and every value an input. */
function checkInputs(graph: ParsedGraph, values: Readonly<Record<string, number | string>>): void {
  const inputs = graph.nodes.filter((n) => n.kind === "input").map((n) => n.id);
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
}

/** One trace of one graph: the values, gradients, edges and steps as they are computed. */
class GraphTracer<T> {
  private readonly byId: Map<string, ParsedNode>;
  private readonly val = new Map<string, T>();
  private readonly grad = new Map<string, T>();
  private readonly steps: GraphStep[] = [];
  private readonly edges: GraphEdge[] = [];
  /** the edges leaving each node (towards the nodes that use it), as the backward pass finds them */
  private readonly edgesFrom = new Map<string, GraphEdge[]>();
  private readonly numbers = new Map<GraphEdge, EdgeNumbers<T>>();

  constructor(
    private readonly A: Arith<T>,
    private readonly graph: ParsedGraph,
    private readonly overrides: GraphOverrides,
  ) {
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]));
  }

  // ---- naming, for formulas and messages

  private node(id: string): ParsedNode {
    return this.byId.get(id)!;
  }
  private texOf = (id: string): string => this.node(id).tex;
  /** values keep every digit (exact keeps 40); the LaTeX of a step shows them readably */
  private str = (x: T): string => this.A.toString(x);
  private show = (x: T): string => this.A.show(x);
  private where(id: string): string {
    const n = this.node(id);
    return n.name ?? `the ${GRAPH_OPS[n.op!].label} node (${n.id})`;
  }
  /** how an operand reads in a message: its name, its number, or its node */
  private short(id: string): string {
    const n = this.node(id);
    return n.name ?? n.literal ?? this.where(id);
  }
  /** ∂output/∂node as LaTeX (1 for the output itself) */
  private dOut(id: string): string {
    return id === this.graph.output ? "1" : d(this.texOf(this.graph.output), this.texOf(id));
  }

  // ---- forward

  /** Forward: operands come before the nodes that use them. */
  forward(values: Readonly<Record<string, number | string>>): void {
    for (const n of this.graph.nodes) {
      if (n.kind === "input" || n.kind === "const") this.val.set(n.id, this.leafValue(n, values));
      else this.forwardNode(n);
    }
  }

  /** An input's given value or a constant's number. */
  private leafValue(n: ParsedNode, values: Readonly<Record<string, number | string>>): T {
    const given = n.kind === "input" ? values[n.id] : n.literal!;
    const ok = typeof given === "number" ? Number.isFinite(given) : isNumberText(given);
    if (!ok)
      throw new ExpressionError(
        n.id,
        `expected a finite number, got ${quoted(given)}`,
        `write e.g. ${n.id}=-2 or ${n.id}=0.5`,
      );
    return this.A.of(typeof given === "string" ? given.trim() : given);
  }

  private forwardNode(n: ParsedNode): void {
    const A = this.A,
      def = GRAPH_OPS[n.op!];
    const xs = n.inputs.map((i) => this.val.get(i)!);
    this.checkDomain(n, xs);
    const out = A.written(def.value(A, xs));
    if (!A.isFinite(out))
      throw new ExpressionError(
        this.where(n.id),
        `is ${A.toString(out)}`,
        "the values make this node overflow; use smaller values",
      );
    const pinned = this.overrides.values ? ownEntry(this.overrides.values, n.id) : undefined;
    this.val.set(n.id, pinned === undefined ? out : A.of(pinned));
    this.steps.push({
      id: stepId({ phase: "forward", node: n.id }),
      phase: "forward",
      node: n.id,
      symbol: n.tex,
      formula: def.tex(n.inputs.map(this.texOf)),
      substituted: def.tex(xs.map((x) => wrapNegative(this.show(x)))),
      value: this.str(out),
    });
  }

  /** Operands outside an operation's domain, named before anything is computed with them. */
  private checkDomain(n: ParsedNode, xs: readonly T[]): void {
    const A = this.A;
    if (n.op === "div" && A.toNumber(xs[1]) === 0)
      throw new ExpressionError(
        this.where(n.id),
        `divides by zero (the denominator ${this.texOf(n.inputs[1])} is 0)`,
        "change the values so that the denominator is not 0",
      );
    if (n.op === "log" && !A.gt(xs[0], A.of(0)))
      throw new ExpressionError(
        this.where(n.id),
        `takes the log of ${this.show(xs[0])}, which is not positive`,
        "log needs a positive argument; change the values",
      );
    if (n.op === "pow" && A.lt(xs[0], A.of(0)) && !Number.isInteger(A.toNumber(xs[1])))
      throw new ExpressionError(
        this.where(n.id),
        `raises the negative number ${this.show(xs[0])} to the non-integer power ${this.show(xs[1])}`,
        "use a positive base or a whole-number exponent",
      );
  }

  // ---- backward

  /** Backward, in reverse order: each node's gradient is the sum over the edges leaving it. */
  backward(): void {
    this.grad.set(this.graph.output, this.A.of(1));
    for (const n of [...this.graph.nodes].reverse()) {
      if (n.id !== this.graph.output) this.gradientOf(n);
      if (n.kind === "op" || n.kind === "output") this.passBack(n);
    }
  }

  /** A node's gradient: the sum of what its uses pass back (or the student's own number), and its step. */
  private gradientOf(n: ParsedNode): void {
    const A = this.A;
    const uses = this.edgesFrom.get(n.id) ?? [];
    let total = A.of(0);
    for (const e of uses) total = A.add(total, this.numbers.get(e)!.product);
    total = A.written(total);
    if (!A.isFinite(total))
      throw new ExpressionError(
        this.short(n.id),
        `its gradient is ${this.str(total)}: the sum of the gradients reaching it overflows`,
        "use smaller values, or exact precision",
      );
    const pinned = this.overrides.grads ? ownEntry(this.overrides.grads, n.id) : undefined;
    this.grad.set(n.id, pinned === undefined ? total : A.of(pinned));
    if (n.kind === "const" || uses.length === 0) return;
    this.steps.push({
      id: stepId({ phase: "backward", node: n.id }),
      phase: "backward",
      node: n.id,
      symbol: this.dOut(n.id),
      formula: this.chainRule(n.id, uses),
      substituted: uses
        .map((e) => {
          const x = this.numbers.get(e)!;
          return `${wrapNegative(this.show(x.upstream))} \\times ${wrapNegative(this.show(x.local))}`;
        })
        .join(" + "),
      value: this.str(total),
    });
  }

  /** An operation passes its gradient back to each operand: upstream × local, one edge each. */
  private passBack(n: ParsedNode): void {
    const A = this.A,
      def = GRAPH_OPS[n.op!];
    const xs = n.inputs.map((i) => this.val.get(i)!);
    const up = this.grad.get(n.id)!;
    n.inputs.forEach((input, i) => {
      const local = A.written(def.local(A, xs, this.val.get(n.id)!, i));
      const product = A.written(A.mul(up, local));
      if (!A.isFinite(local) || !A.isFinite(product)) {
        // the gradient with respect to a number (the 2 of (-2)^2) is never needed, and need not exist
        if (this.node(input).kind === "const") return;
        throw this.undefinedGradient(n, input, i, xs, local);
      }
      const e: GraphEdge = {
        id: stepId({ phase: "edge", from: input, to: n.id, operand: i }),
        from: input,
        to: n.id,
        upstream: this.str(up),
        local: this.str(local),
        product: this.str(product),
      };
      this.numbers.set(e, { upstream: up, local, product, operand: i });
      this.edges.push(e);
      const list = this.edgesFrom.get(input) ?? [];
      list.push(e);
      this.edgesFrom.set(input, list);
    });
  }

  /**
   * A gradient as the chain rule writes it, upstream × local for each use, then with each local
   * derivative as its own expression: ∂f/∂x = ∂f/∂q · ∂q/∂x = ∂f/∂q · 1. Into the output, the
   * local derivative is of the output's expression (∂f/∂z = ∂f/∂f · ∂(q·z)/∂z = 1 · q), since
   * ∂f/∂f · ∂f/∂z would define ∂f/∂z by itself.
   */
  private chainRule(id: string, uses: readonly GraphEdge[]): string {
    const out = this.graph.output,
      outTex = this.texOf(out);
    const symbolic = uses.map((e) => {
      const to = this.node(e.to);
      const local =
        e.to === out
          ? d(`\\left(${GRAPH_OPS[to.op!].tex(to.inputs.map(this.texOf))}\\right)`, this.texOf(id))
          : d(this.texOf(e.to), this.texOf(id));
      return `${d(outTex, this.texOf(e.to))} \\cdot ${local}`;
    });
    const expressions = uses.map((e) => {
      const to = this.node(e.to);
      const localTex = GRAPH_OPS[to.op!].localTex(
        to.inputs.map(this.texOf),
        this.texOf(e.to),
        this.numbers.get(e)!.operand,
      );
      return `${this.dOut(e.to)} \\cdot ${paren(localTex)}`;
    });
    return `${symbolic.join(" + ")} = ${expressions.join(" + ")}`;
  }

  /** Why an edge's local gradient or product is NaN/Infinity, naming the node and the operand. */
  private undefinedGradient(n: ParsedNode, input: string, i: number, xs: readonly T[], local: T): ExpressionError {
    const A = this.A;
    const [a, b] = n.inputs.map((x) => this.short(x));
    if (n.op === "pow" && i === 1 && !A.gt(xs[0], A.of(0)))
      return new ExpressionError(
        this.where(n.id),
        `the gradient of ${a}^${b} with respect to ${b} needs log(${a}), which is undefined for ${a} = ${this.show(xs[0])}`,
        `use a positive base when the exponent is a variable, or a number as the exponent (${a}^2)`,
      );
    if (!A.isFinite(local)) {
      const at = n.inputs.flatMap((x, k) =>
        this.node(x).kind === "const" ? [] : [`${this.short(x)} = ${this.show(xs[k])}`],
      );
      return new ExpressionError(
        this.where(n.id),
        `its local gradient with respect to ${this.short(input)} is ${this.str(local)} at ${at.join(", ")}`,
        "the function has no finite derivative there; change the values",
      );
    }
    return new ExpressionError(
      this.where(n.id),
      `the gradient passed back to ${this.short(input)} overflows (${this.str(local)} times the upstream gradient)`,
      "use smaller values, or exact precision",
    );
  }

  // ---- the result

  result(expression: string): GraphTrace {
    const nodes: GraphNode[] = this.graph.nodes.map((n) => ({
      id: n.id,
      label: n.label,
      ...(n.name ? { name: n.name } : {}),
      kind: n.kind,
      ...(n.op ? { op: n.op } : {}),
      inputs: n.inputs,
      tex: n.tex,
      formula: n.op ? GRAPH_OPS[n.op].tex(n.inputs.map(this.texOf)) : "",
      value: this.str(this.val.get(n.id)!),
      grad: this.str(this.grad.get(n.id) ?? this.A.of(0)),
    }));
    return {
      expression,
      precision: precisionName(this.A.precision),
      output: this.graph.output,
      nodes,
      edges: sortForward(
        this.edges,
        this.graph.nodes.map((n) => n.id),
      ),
      steps: this.steps,
    };
  }
}

/** Edges in forward reading order: by the node they feed, then by operand position. */
function sortForward(edges: GraphEdge[], order: string[]): GraphEdge[] {
  const at = new Map(order.map((id, i) => [id, i]));
  return edges
    .map((e, i) => ({ e, i }))
    .sort((a, b) => at.get(a.e.to)! - at.get(b.e.to)! || a.i - b.i)
    .map((x) => x.e);
}
