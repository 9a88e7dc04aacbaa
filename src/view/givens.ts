// The numbers a problem gives (inputs, targets, weights, biases, the learning rate; a graph's
// input values): what the view lets a student edit for "what if". Each given knows where it sits
// in the payload's JSON, so an edit is a copy of the payload with one number replaced, traced
// afresh by the engine exactly as a notebook would trace the edited spec.
import { notationFor, type NotationPreset } from "../engine/notation.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { GraphTrace } from "../engine/graph.js";
import { stepId } from "../engine/step-id.js";
import type { UnitRef } from "./links.js";

export interface Given {
  /**
   * The trace format's id where it has one (`given.input.0`, `given.weight.2.0.0`, a graph input's
   * `given.x`); the view's own for the rest (`given.target.0`, `given.bias.1` or `given.bias.1.0`, `given.learningRate`)
   */
  id: string;
  /** where it sits in the spec JSON (network) or the values (graph) */
  path: readonly (string | number)[];
  /** LaTeX symbol in the view's notation */
  tex: string;
  /** what it is, in words: "input i1", "weight w5" */
  what: string;
  value: string;
  /** the units (and for a weight the edge) it belongs to, for the drawing */
  unit?: UnitRef;
  edge?: { from: UnitRef; to: UnitRef };
}

/** Every number the network spec gives, in reading order: inputs, targets, weights and biases by layer, the learning rate. */
export function networkGivens(spec: NetworkSpec, preset: NotationPreset): Given[] {
  const n = notationFor(spec, preset);
  const L = spec.layers.length - 1;
  const ex = spec.examples[0];
  const out: Given[] = [];
  ex.input.forEach((v, k) => out.push({ id: stepId({ phase: "given", quantity: "input", unit: k }), path: ["input", k], tex: n.a(0, k).tex, what: `input ${n.a(0, k).key}`, value: String(v), unit: { layer: 0, unit: k } }));
  ex.target.forEach((v, j) => out.push({ id: `given.target.${j}`, path: ["target", j], tex: n.target(j).tex, what: `target ${n.target(j).key}`, value: String(v), unit: { layer: L, unit: j } }));
  for (let l = 1; l <= L; l++) {
    spec.weights[l - 1].forEach((row, j) => row.forEach((v, k) => out.push({
      id: stepId({ phase: "given", quantity: "weight", layer: l, unit: j, other: k }), path: ["weights", l - 1, j, k], tex: n.weight(l, j, k).tex, what: `weight ${n.weight(l, j, k).key}`, value: String(v),
      edge: { from: { layer: l - 1, unit: k }, to: { layer: l, unit: j } },
    })));
    const b = spec.biases[l - 1];
    if (b.shared) out.push({ id: `given.bias.${l}`, path: ["biases", l - 1], tex: n.bias(l, 0).tex, what: `bias ${n.bias(l, 0).key} (shared by layer ${l})`, value: String(b.values[0]) });
    else b.values.forEach((v, j) => out.push({ id: `given.bias.${l}.${j}`, path: ["biases", l - 1, j], tex: n.bias(l, j).tex, what: `bias ${n.bias(l, j).key}`, value: String(v), unit: { layer: l, unit: j } }));
  }
  out.push({ id: "given.learningRate", path: ["learningRate"], tex: "\\eta", what: "learning rate η", value: String(spec.learningRate) });
  return out;
}

/** A graph's input values, in the order the expression uses them. */
export function graphGivens(trace: GraphTrace): Given[] {
  return trace.nodes.filter((x) => x.kind === "input").map((x) => ({ id: stepId({ phase: "given", node: x.id }), path: [x.id], tex: x.tex, what: `input ${x.name ?? x.id}`, value: x.value }));
}

/**
 * A copy of the spec JSON with one given replaced by `text` (kept as the string typed, so exact
 * and dp:N see every digit). Defaults the spec left out (biases, learning rate) are written in first.
 */
export function withGiven(raw: Readonly<Record<string, unknown>>, parsed: NetworkSpec, given: Given, text: string): Record<string, unknown> {
  const copy = structuredClone(raw) as Record<string, unknown>;
  if (copy.biases === undefined) copy.biases = parsed.biases.map((b) => (b.shared ? b.values[0] : [...b.values]));
  let at: unknown = copy;
  for (const key of given.path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key];
  (at as Record<string | number, unknown>)[given.path[given.path.length - 1]] = text;
  return copy;
}
