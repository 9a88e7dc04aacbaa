// The question behind a what-if edit of a weight: how does the loss change with this weight? The
// loss against the weight around its edited value (in float: it is a plot; one forward pass of the
// edited network per point, the engine's own forward pass and loss), and the gradient at that
// value, whose line is the curve's tangent. The values the view writes stay in the trace's precision.
import { exampleLoss, forwardPass, instantiate } from "../engine/network.js";
import { floatArith } from "../engine/numeric.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { NetworkTrace, Step } from "../engine/trace.js";
import type { Given } from "./givens.js";

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

/** The loss of the spec's one example with the weight into `to` from `from` set to each of `xs`, in float. */
function lossAgainstWeight(
  spec: NetworkSpec,
  to: { layer: number; unit: number },
  from: number,
  xs: number[],
): number[] {
  const net = instantiate(floatArith, spec);
  const { input, target } = spec.examples[0];
  const x = input.map((v) => floatArith.of(v)),
    t = target.map((v) => floatArith.of(v));
  const row = net.params.W[to.layer - 1][to.unit];
  return xs.map((w) => {
    row[from] = w;
    const a = forwardPass(net, x).a;
    return exampleLoss(net, a[a.length - 1], t);
  });
}

/** The loss against a weight around its current value, with the gradient there; undefined for a given that is not a weight. */
export function lossCurve(parsed: NetworkSpec, given: Given, trace: NetworkTrace): LossCurve | undefined {
  const edge = given.edge;
  const loss = lossStep(trace);
  const gradient = edge
    ? trace.steps.find(
        (s) =>
          s.quantity === "dW" && s.layer === edge.to.layer && s.unit === edge.to.unit && s.other === edge.from.unit,
      )
    : undefined;
  if (!edge || !gradient || !loss) return undefined;
  const x0 = Number(given.value);
  const span = Math.max(1, Math.abs(x0));
  const xs = Array.from({ length: POINTS }, (_, i) => x0 - span + (2 * span * i) / (POINTS - 1));
  const losses = lossAgainstWeight(parsed, edge.to, edge.from.unit, xs);
  const points = xs.map((x, i) => ({ x, loss: losses[i] }));
  return {
    weightKey: given.what.replace(/^weight /, ""),
    lossKey: loss.key,
    gradientId: gradient.id,
    gradientKey: gradient.key,
    points,
    at: { x: x0, loss: Number(loss.value), slope: Number(gradient.value) },
  };
}
