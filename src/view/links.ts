// What each step uses, for the linked views: the units and edges of the drawing it concerns and
// the values it reads (earlier steps and given numbers). A network step's reads are the
// dependencies the engine recorded in the trace (Step.reads); its units and edges follow from
// them: the unit of each quantity read, a weight's edge, a path term's edge, and the edge from a
// unit of the layer before through which its activation is read.
import type { NetworkTrace, Step } from "../engine/trace.js";
import type { GraphTrace, GraphStep } from "../engine/graph.js";
import type { NetworkSpec } from "../engine/spec.js";
import { parseStepId, stepId } from "../engine/step-id.js";

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

/** For every step of a network trace (by id), what it uses. */
export function networkUses(trace: NetworkTrace, _spec?: NetworkSpec): Map<string, Uses> {
  return new Map(trace.steps.map((s) => [s.id, stepUses(s)]));
}

/** A step's uses, from its recorded reads. */
function stepUses(s: Step): Uses {
  const units = new Set<string>(),
    edges = new Set<string>();
  const own = s.layer !== null && s.unit !== null ? { layer: s.layer, unit: s.unit } : undefined;
  if (own) units.add(unitKey(own));
  const reads = s.reads ?? [];
  for (const id of reads) {
    const r = parseStepId(id);
    if (!r || "node" in r || r.phase === "edge") continue;
    const link = (from: UnitRef, to: UnitRef) => {
      units.add(unitKey(from)).add(unitKey(to));
      edges.add(edgeKey(unitKey(from), unitKey(to)));
    };
    if (r.phase === "given") {
      if (r.quantity === "weight") link({ layer: r.layer - 1, unit: r.other }, { layer: r.layer, unit: r.unit });
      else if (r.quantity === "input") readUnit({ layer: 0, unit: r.unit });
      else if (r.quantity === "bias" && r.unit !== null) units.add(unitKey({ layer: r.layer, unit: r.unit }));
      continue;
    }
    if (r.phase === "loss" || r.phase === "update") continue;
    if (r.quantity === "path") link({ layer: r.layer, unit: r.unit }, { layer: r.layer + 1, unit: r.other });
    else if (r.unit !== null) readUnit({ layer: r.layer, unit: r.unit }, r.quantity === "a");
  }
  return { units: [...units], edges: [...edges], reads };

  /** a unit read; an activation (or input) of the layer before is read through its edge */
  function readUnit(u: UnitRef, activation = true): void {
    units.add(unitKey(u));
    if (activation && own && u.layer === own.layer - 1) edges.add(edgeKey(unitKey(u), unitKey(own)));
  }
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
