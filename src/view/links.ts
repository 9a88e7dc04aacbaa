// What each step uses, for the linked views: the units and edges of the drawing it concerns and
// the values it reads (earlier steps and given numbers). Found from the steps' own fields
// (quantity, layer, unit, other) rather than from their id strings.
import type { NetworkTrace, Quantity, Step } from "../engine/trace.js";
import type { GraphTrace, GraphStep } from "../engine/graph.js";
import type { NetworkSpec } from "../engine/spec.js";
import { stepId } from "../engine/step-id.js";

export interface UnitRef {
  layer: number;
  unit: number;
}

export interface Uses {
  /** drawing keys of units (`1.0`) or graph nodes (`n1`) */
  units: string[];
  /** drawing keys of edges, `from>to` */
  edges: string[];
  /** ids of the steps and givens whose values this step reads */
  reads: string[];
}

export const unitKey = (u: UnitRef): string => `${u.layer}.${u.unit}`;
export const edgeKey = (from: string, to: string): string => `${from}>${to}`;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** For every step of a network trace (by id), what it uses. */
export function networkUses(trace: NetworkTrace, spec: NetworkSpec): Map<string, Uses> {
  const L = spec.layers.length - 1;
  const byFields = new Map<string, string>();
  const fieldKey = (q: Quantity, layer: number | null, unit: number | null, other?: number) =>
    `${q}|${layer}|${unit}|${other ?? ""}`;
  for (const s of trace.steps)
    if (s.example === undefined) byFields.set(fieldKey(s.quantity, s.layer, s.unit, s.other), s.id);
  const step = (q: Quantity, layer: number | null, unit: number | null, other?: number): string[] => {
    const id = byFields.get(fieldKey(q, layer, unit, other));
    return id ? [id] : [];
  };
  const activation = (l: number, k: number): string[] =>
    l === 0 ? [stepId({ phase: "given", quantity: "input", unit: k })] : step("a", l, k);
  const weight = (l: number, j: number, k: number): string =>
    stepId({ phase: "given", quantity: "weight", layer: l, unit: j, other: k });
  const bias = (l: number, j: number): string =>
    spec.biases[l - 1].shared ? `given.bias.${l}` : `given.bias.${l}.${j}`;
  const u = (layer: number, unit: number) => unitKey({ layer, unit });
  const into = (l: number, j: number) => range(spec.layers[l - 1]).map((k) => edgeKey(u(l - 1, k), u(l, j)));
  const outOf = (l: number, j: number) => range(spec.layers[l + 1]).map((k) => edgeKey(u(l, j), u(l + 1, k)));

  const usesOf = (s: Step): Uses => {
    const l = s.layer ?? L,
      j = s.unit ?? 0,
      k = s.other ?? 0;
    switch (s.quantity) {
      case "z":
        return {
          units: [u(l, j), ...range(spec.layers[l - 1]).map((i) => u(l - 1, i))],
          edges: into(l, j),
          reads: [...range(spec.layers[l - 1]).flatMap((i) => [...activation(l - 1, i), weight(l, j, i)]), bias(l, j)],
        };
      case "a":
        return { units: [u(l, j)], edges: [], reads: step("z", l, j) };
      case "loss":
        return {
          units: range(spec.layers[L]).map((i) => u(L, i)),
          edges: [],
          reads: range(spec.layers[L]).flatMap((i) => [...step("a", L, i), `given.target.${i}`]),
        };
      case "dL/da":
        return l === L
          ? { units: [u(l, j)], edges: [], reads: [...step("a", l, j), `given.target.${j}`] }
          : {
              units: [u(l, j), ...range(spec.layers[l + 1]).map((i) => u(l + 1, i))],
              edges: outOf(l, j),
              reads: range(spec.layers[l + 1]).flatMap((i) => step("path", l, j, i)),
            };
      case "path":
        return {
          units: [u(l, j), u(l + 1, k)],
          edges: [edgeKey(u(l, j), u(l + 1, k))],
          reads: [...step("delta", l + 1, k), weight(l + 1, k, j)],
        };
      case "da/dz":
        return { units: [u(l, j)], edges: [], reads: [...step("a", l, j), ...step("z", l, j)].slice(0, 1) }; // σ' is written from a, others from z
      case "delta":
        return { units: [u(l, j)], edges: [], reads: [...step("dL/da", l, j), ...step("da/dz", l, j)] };
      case "dW": {
        // the trace writes ∂E/∂w as the chain ∂E/∂a · ∂a/∂z · a where those steps exist (else δ · a): read what it writes
        const chain = [...step("dL/da", l, j), ...step("da/dz", l, j)];
        return {
          units: [u(l, j), u(l - 1, k)],
          edges: [edgeKey(u(l - 1, k), u(l, j))],
          reads: [...(chain.length === 2 ? chain : step("delta", l, j)), ...activation(l - 1, k)],
        };
      }
      case "db": {
        const units = s.unit === null ? range(spec.layers[l]) : [j];
        return { units: units.map((i) => u(l, i)), edges: [], reads: units.flatMap((i) => step("delta", l, i)) };
      }
      case "W+":
        return {
          units: [u(l, j), u(l - 1, k)],
          edges: [edgeKey(u(l - 1, k), u(l, j))],
          reads: [weight(l, j, k), ...step("dW", l, j, k), "given.learningRate"],
        };
      case "b+": {
        const units = s.unit === null ? range(spec.layers[l]) : [j];
        return {
          units: units.map((i) => u(l, i)),
          edges: [],
          reads: [bias(l, j), ...step("db", l, s.unit), "given.learningRate"],
        };
      }
    }
  };
  return new Map(trace.steps.map((s) => [s.id, usesOf(s)]));
}

/** For every step of a graph trace: forward, the node and its operands; backward, the node and the nodes that consume it. */
export function graphUses(trace: GraphTrace): Map<string, Uses> {
  const byId = new Map(trace.nodes.map((n) => [n.id, n]));
  const forwardId = new Map(trace.steps.filter((s) => s.phase === "forward").map((s) => [s.node, s.id]));
  const backwardId = new Map(trace.steps.filter((s) => s.phase === "backward").map((s) => [s.node, s.id]));
  const valueOf = (id: string): string[] => {
    const n = byId.get(id);
    if (!n || n.kind === "const") return [];
    return n.kind === "input" ? [stepId({ phase: "given", node: id })] : [forwardId.get(id)!];
  };
  const usesOf = (s: GraphStep): Uses => {
    const node = byId.get(s.node)!;
    if (s.phase === "forward") {
      return {
        units: [node.id, ...node.inputs],
        edges: node.inputs.map((i) => edgeKey(i, node.id)),
        reads: node.inputs.flatMap(valueOf),
      };
    }
    const consumers = trace.edges.filter((e) => e.from === node.id).map((e) => e.to);
    return {
      units: [node.id, ...consumers],
      edges: consumers.map((c) => edgeKey(node.id, c)),
      reads: consumers.flatMap((c) => backwardId.get(c) ?? []),
    };
  };
  return new Map(trace.steps.map((s) => [s.id, usesOf(s)]));
}
