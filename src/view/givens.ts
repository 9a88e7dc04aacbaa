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
  const given = (
    id: string,
    path: Given["path"],
    sym: { tex: string; key: string },
    what: string,
    value: unknown,
    more: Partial<Given> = {},
  ) => out.push({ id, path, tex: sym.tex, what: `${what} ${sym.key}`, value: String(value), ...more });
  ex.input.forEach((v, k) => {
    given(stepId({ phase: "given", quantity: "input", unit: k }), ["input", k], n.a(0, k), "input", v, {
      unit: { layer: 0, unit: k },
    });
  });
  ex.target.forEach((v, j) =>
    given(`given.target.${j}`, ["target", j], n.target(j), "target", v, { unit: { layer: L, unit: j } }),
  );
  for (let l = 1; l <= L; l++) {
    spec.weights[l - 1].forEach((row, j) =>
      row.forEach((v, k) => {
        const id = stepId({ phase: "given", quantity: "weight", layer: l, unit: j, other: k });
        given(id, ["weights", l - 1, j, k], n.weight(l, j, k), "weight", v, {
          edge: { from: { layer: l - 1, unit: k }, to: { layer: l, unit: j } },
        });
      }),
    );
    const b = spec.biases[l - 1];
    if (b.shared)
      given(`given.bias.${l}`, ["biases", l - 1], n.bias(l, 0), "bias", b.values[0], {
        what: `bias ${n.bias(l, 0).key} (shared by layer ${l})`,
      });
    else
      b.values.forEach((v, j) =>
        given(`given.bias.${l}.${j}`, ["biases", l - 1, j], n.bias(l, j), "bias", v, { unit: { layer: l, unit: j } }),
      );
  }
  given("given.learningRate", ["learningRate"], { tex: "\\eta", key: "η" }, "learning rate", spec.learningRate);
  return out;
}

/** A graph's input values, in the order the expression uses them. */
export function graphGivens(trace: GraphTrace): Given[] {
  return trace.nodes
    .filter((x) => x.kind === "input")
    .map((x) => ({
      id: stepId({ phase: "given", node: x.id }),
      path: [x.id],
      tex: x.tex,
      what: `input ${x.name ?? x.id}`,
      value: x.value,
    }));
}

/**
 * A copy of the spec JSON with one given replaced by `text` (kept as the string typed, so exact
 * and dp:N see every digit). Defaults the spec left out (biases, learning rate) are written in first.
 */
export function withGiven(
  raw: Readonly<Record<string, unknown>>,
  parsed: NetworkSpec,
  given: Given,
  text: string,
): Record<string, unknown> {
  const copy = structuredClone(raw) as Record<string, unknown>;
  if (copy.biases === undefined) copy.biases = parsed.biases.map((b) => (b.shared ? b.values[0] : [...b.values]));
  let at: unknown = copy;
  for (const key of given.path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key];
  (at as Record<string | number, unknown>)[given.path[given.path.length - 1]] = text;
  return copy;
}
