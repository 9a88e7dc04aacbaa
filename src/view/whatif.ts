// The question behind a what-if edit of a weight: how does the loss change with this weight? The
// loss against the weight around its edited value (float traces of the edited spec, values
// only, one per point), and the gradient at that value, whose line is the curve's tangent.
import { traceNetwork } from "../engine/network.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { NetworkTrace, Step } from "../engine/trace.js";
import { withGiven, type Given } from "./givens.js";

export interface LossCurve {
  /** the weight's name as a student writes it (w5) and the loss's (E_total) */
  weightKey: string;
  lossKey: string;
  /** the gradient's step (its id and key: dE/dw5) */
  gradientId: string;
  gradientKey: string;
  points: { x: number; loss: number }[];
  /** the edited value, the loss there and the gradient (the tangent's slope) */
  at: { x: number; loss: number; slope: number };
}

const POINTS = 25;

/** The total loss: the last loss step of a one-example trace. */
const lossStep = (t: NetworkTrace): Step | undefined => t.steps.filter((s) => s.quantity === "loss").at(-1);

/** The loss against a weight around its current value, with the gradient there; undefined for a given that is not a weight. */
export function lossCurve(
  raw: Readonly<Record<string, unknown>>,
  parsed: NetworkSpec,
  given: Given,
  trace: NetworkTrace,
): LossCurve | undefined {
  const edge = given.edge;
  const loss = lossStep(trace);
  const gradient = edge
    ? trace.steps.find(
        (s) =>
          s.quantity === "dW" && s.layer === edge.to.layer && s.unit === edge.to.unit && s.other === edge.from.unit,
      )
    : undefined;
  if (!gradient || !loss) return undefined;
  const x0 = Number(given.value);
  const span = Math.max(1, Math.abs(x0));
  const points = Array.from({ length: POINTS }, (_, i) => {
    const x = x0 - span + (2 * span * i) / (POINTS - 1);
    // values only (no steps, no TeX): the loss is all the curve needs
    const t = traceNetwork(withGiven(raw, parsed, given, String(x)), { precision: "float", valuesOnly: true });
    return { x, loss: Number(t.loss) };
  });
  return {
    weightKey: given.what.replace(/^weight /, ""),
    lossKey: loss.key,
    gradientId: gradient.id,
    gradientKey: gradient.key,
    points,
    at: { x: x0, loss: Number(loss.value), slope: Number(gradient.value) },
  };
}
