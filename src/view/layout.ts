// Where the drawing puts things: networks as columns of units (one per layer), graphs as columns
// by depth (inputs left, the output right). Coordinates in SVG user units; the DOM side draws them.
import { GRAPH_OPS, type GraphTrace } from "../engine/graph.js";
import { edgeKey, unitKey } from "./links.js";

export interface LaidNode {
  key: string;
  /** what the drawing writes: the name, cut to fit */
  label: string;
  /** the whole name (the drawing's tooltip) */
  name: string;
  /** a graph node's gate: +, ×, σ … */
  gate?: string;
  x: number;
  y: number;
}

export interface LaidEdge {
  key: string;
  from: LaidNode;
  to: LaidNode;
}

export interface Layout {
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
}

const COLUMN = 130,
  ROW = 70,
  MARGIN = 40;
/** Labels longer than this are cut with an ellipsis (the full name is in the tables). */
const LABEL = 9;
const short = (label: string): string => (label.length > LABEL ? `${label.slice(0, LABEL - 1)}…` : label);

function columns(
  cols: readonly { key: string; label: string; gate?: string }[][],
  edges: readonly [string, string][],
): Layout {
  const tallest = Math.max(...cols.map((c) => c.length));
  const height = MARGIN * 2 + (tallest - 1) * ROW;
  const nodes = cols.flatMap((col, c) =>
    col.map((n, r) => ({
      ...n,
      label: short(n.label),
      name: n.label,
      x: MARGIN + c * COLUMN,
      y: height / 2 + (r - (col.length - 1) / 2) * ROW,
    })),
  );
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  return {
    width: MARGIN * 2 + (cols.length - 1) * COLUMN,
    height,
    nodes,
    edges: edges
      .filter(([f, t]) => byKey.has(f) && byKey.has(t))
      .map(([f, t]) => ({ key: edgeKey(f, t), from: byKey.get(f)!, to: byKey.get(t)! })),
  };
}

/** `names[l][j]`: the label of unit j of layer l. */
export function networkLayout(layers: readonly number[], names: readonly (readonly string[])[]): Layout {
  const cols = layers.map((n, l) =>
    Array.from({ length: n }, (_, j) => ({ key: unitKey({ layer: l, unit: j }), label: names[l]?.[j] ?? `${l}.${j}` })),
  );
  const edges: [string, string][] = [];
  for (let l = 1; l < layers.length; l++) {
    for (let j = 0; j < layers[l]; j++) {
      for (let k = 0; k < layers[l - 1]; k++)
        edges.push([unitKey({ layer: l - 1, unit: k }), unitKey({ layer: l, unit: j })]);
    }
  }
  return columns(cols, edges);
}

/** A graph's nodes by depth: inputs and constants at 0, every other node one right of its deepest operand. */
export function graphLayout(trace: GraphTrace): Layout {
  const depth = new Map<string, number>();
  for (const n of trace.nodes)
    depth.set(n.id, n.inputs.length === 0 ? 0 : 1 + Math.max(...n.inputs.map((i) => depth.get(i) ?? 0)));
  const cols: { key: string; label: string; gate?: string }[][] = [];
  for (const n of trace.nodes)
    (cols[depth.get(n.id)!] ??= []).push({
      key: n.id,
      label: n.name ?? n.label,
      ...(n.op && n.name ? { gate: GRAPH_OPS[n.op].label } : {}),
    });
  return columns(
    cols.map((c) => c ?? []),
    trace.edges.map((e) => [e.from, e.to] as [string, string]),
  );
}
