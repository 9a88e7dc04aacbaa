// The computation-graph question of an exercise: a chain of assignments such as `q = x + y`,
// `f = q * z`, traced by the engine (src/engine/graph.ts) in exact arithmetic. This module only
// turns the engine's trace into what the grader and the feedback page use.
import { D, type Dec } from "../engine/numeric.js";
import { ExpressionError } from "../engine/errors.js";
import { graphTrace, gradientKey } from "../engine/graph.js";
import type { Precision } from "../engine/numeric.js";

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

/** Forward values and gradients of every input and assigned name. */
export function traceGraph(q: GraphQuestion, precision: Precision | string = "exact"): GraphTraceResult {
  if (q.assignments.length === 0) throw new ExpressionError("assignments", "is empty", "give at least one assignment");
  const t = graphTrace(q.assignments.join("; "), q.values, precision);
  const out = t.nodes.find((n) => n.id === t.output)!;
  const gradStep = new Map(t.steps.filter((s) => s.phase === "backward").map((s) => [s.node, s.formula]));
  // the inputs, in the order the values were given, then the named nodes in evaluation order
  const byName = (name: string) => t.nodes.find((n) => n.name === name)!;
  const named = [...Object.keys(q.values).map(byName), ...t.nodes.filter((n) => n.name && n.kind !== "input")];
  const nodes = named.map((n) => ({
    name: n.name!,
    formula: n.kind === "input" ? String(q.values[n.id]) : n.formula,
    value: new D(n.value),
    grad: new D(n.grad),
    gradFormula: n.id === t.output ? "1" : (gradStep.get(n.id) ?? "0"),
  }));
  return { output: out.name ?? out.label, nodes };
}
/** The names of the graph's inputs, in the order the expression meets them. */
export function graphInputs(q: GraphQuestion): string[] {
  const t = graphTrace(q.assignments.join("; "), q.values, "exact");
  return t.nodes.filter((n) => n.kind === "input").map((n) => n.name ?? n.id);
}

/** The quantities a student can be asked for: each node's value (its name) and d<out>/d<name>. */
export function graphKeyValues(
  q: GraphQuestion,
  precision: Precision | string = "exact",
): Map<string, { value: Dec; tex: string }> {
  const t = traceGraph(q, precision);
  const out = new Map<string, { value: Dec; tex: string }>();
  for (const n of t.nodes) {
    out.set(n.name, { value: n.value, tex: n.name });
    if (n.name !== t.output)
      out.set(gradientKey(t.output, n.name), {
        value: n.grad,
        tex: `\\frac{\\partial ${t.output}}{\\partial ${n.name}}`,
      });
  }
  return out;
}
