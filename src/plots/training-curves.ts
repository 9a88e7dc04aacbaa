// Cost curves of training runs, and the plot of them, from one computation. A training loop's
// printed cost for epoch e is taken during that epoch, while the weights still change (after
// e − 1 full-batch updates, or averaged over the updates of a mini-batch or stochastic epoch), so
// it never equals the cost after training. Here every point is the cost over all examples at the
// weights reached after e whole epochs, e = 0 (untrained) to the last: the number a table of
// "cost after e epochs" shows, so a plot and a table built from one curve cannot disagree.
import { train, type TrainOptions } from "../engine/train.js";
import { display } from "../render/display.js";
import { linesSpec, type LineOptions } from "./plots.js";
import { plotBundle, type VegaLiteSpec } from "./vega.js";

export interface CostCurve {
  name: string;
  /** 0, 1, ..., epochs: epochs completed */
  epochs: number[];
  /** cost[e]: the mean cost over all examples after e epochs of training */
  cost: number[];
}

/** The cost after 0, 1, ..., `options.epochs` epochs (each a training run of that many epochs). */
export function costAfterEachEpoch(name: string, spec: unknown, options: TrainOptions & { epochs: number }): CostCurve {
  const { onEpoch: _ignored, ...rest } = options;
  // after 0 epochs: a full-batch epoch's cost is taken before its one update
  const untrained = train(spec, { ...rest, epochs: 1, batch: "full", keep: "first-last" }).history[0].lossNumber;
  const after = Array.from({ length: options.epochs }, (_, i) =>
    Number(train(spec, { ...rest, epochs: i + 1, keep: "first-last" }).final.loss),
  );
  return { name, epochs: Array.from({ length: options.epochs + 1 }, (_, e) => e), cost: [untrained, ...after] };
}

/** The cost after e epochs against e, one line per curve (distinct colours and dash patterns). */
export function costCurvesSpec(curves: readonly CostCurve[], opts: LineOptions = {}): VegaLiteSpec {
  return linesSpec(
    curves.map((c) => ({ name: c.name, x: c.epochs, y: c.cost })),
    { xTitle: "epochs completed (0 = untrained)", yTitle: "cost over all examples", points: false, ...opts },
  );
}

export async function plotCostCurves(curves: readonly CostCurve[], opts: LineOptions = {}): Promise<void> {
  display(await plotBundle(costCurvesSpec(curves, opts), opts.title ?? "cost after each epoch"));
}
