// Computation graphs from an expression: every node's forward value and gradient, and for every
// edge the upstream gradient, the local gradient and their product (backpropagation as gates
// passing gradients back). This module is the graph engine's front: graph-parse.ts reads the
// text, graph-ops.ts defines the gates, graph-trace.ts computes; the arithmetic is the shared
// numeric layer, so a graph runs in float, exact or dp:N like a network does.
import { arithFor, DEFAULT_PRECISION, toPrecision, type Arith, type PrecisionInput } from "./numeric.js";
import { parseGraph } from "./graph-parse.js";
import { traceGraph, type GraphNode, type GraphOverrides, type GraphTrace } from "./graph-trace.js";

export { GRAPH_OPS, type OpDef, type OpName } from "./graph-ops.js";
export { MAX_NESTING } from "./graph-parse.js";
export type { GraphEdge, GraphNode, GraphOverrides, GraphStep, GraphTrace } from "./graph-trace.js";

/**
 * Trace a computation graph: forward values, gradients of the output with respect to every node,
 * and every edge's upstream × local = product, as ordered steps in the chosen precision.
 */
export function graphTrace(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  precision?: PrecisionInput,
  overrides: GraphOverrides = {},
): GraphTrace {
  const A = arithFor(toPrecision(precision, DEFAULT_PRECISION.graphTrace)) as Arith<unknown>;
  return traceGraph(A, expression, parseGraph(expression), values, overrides);
}

/** Look a node up by name or id ("q", "x", "n3"). */
export function graphNode(trace: GraphTrace, name: string): GraphNode | undefined {
  return trace.nodes.find((n) => n.id === name || n.label === name);
}

/** The name an answer uses for a node: the name the expression gave it, else its id (n3). */
export function graphNodeName(trace: GraphTrace, id: string): string {
  const n = trace.nodes.find((x) => x.id === id);
  return n?.name ?? id;
}

/**
 * The key of a node's value (its name: `q`) or of the output's gradient with respect to it
 * (`df/dq`): the one place these keys are built, for the checker, the exercises, the view and
 * the derivation alike.
 */
export function graphAnswerKey(trace: GraphTrace, id: string, what: "value" | "grad"): string {
  const name = graphNodeName(trace, id);
  return what === "value" ? name : gradientKey(graphNodeName(trace, trace.output), name);
}

/** `d<out>/d<name>`: ∂out/∂name as a key. */
export function gradientKey(out: string, name: string): string {
  return `d${out}/d${name}`;
}

/**
 * The one normal form of a typed graph key, so that spellings a person treats as the same match:
 * spaces do not count, and ∂ or \partial is d (∂f/∂q, \partial f/\partial q and df/dq agree).
 */
export function normaliseGraphKey(key: string): string {
  return key
    .normalize("NFKC")
    .replace(/\\partial/g, "d")
    .replace(/∂/g, "d")
    .replace(/\s+/g, "");
}
