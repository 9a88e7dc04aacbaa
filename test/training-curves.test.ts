// Notebook 10's plot of the three training loops and its table come from one computation: the
// data behind the plot at each epoch is the cost the table reports, which is the cost a training
// run of that many epochs ends with. (The plot used to show each epoch's running cost, taken while
// the weights still moved, and the untrained cost as "epoch 1": 0.512 against the table's 0.5097.)
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { train } from "../src/engine/train.js";
import { initWeights } from "../src/engine/init.js";
import { costAfterEachEpoch, costCurvesSpec } from "../src/plots/training-curves.js";

const rows = readFileSync(new URL("../assets/logistic-50.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((l) => l.split(",").map(Number));
// notebook 10's network and data, as its first cell builds them
const spec = {
  layers: [2, 4, 1],
  activations: ["tanh", "sigmoid"],
  loss: "bce",
  learningRate: 0.1,
  weights: initWeights([2, 4, 1], { method: "xavier", seed: 11 }),
  inputs: rows.map((r) => [r[0], r[1]]),
  targets: rows.map((r) => [r[2]]),
};
const modes = ["full", "mini:10", "stochastic"] as const;
const EPOCHS = 12;
const curves = modes.map((batch) => costAfterEachEpoch(batch, spec, { epochs: EPOCHS, batch }));

describe("cost curves: the plot's data is the table's cost after e epochs", () => {
  it("every point is the final cost of a run of that many epochs, epochs numbered 0 (untrained) to the last", () => {
    for (const [i, batch] of modes.entries()) {
      expect(curves[i].epochs).toEqual(Array.from({ length: EPOCHS + 1 }, (_, e) => e));
      for (const e of [1, 5, EPOCHS])
        expect(curves[i].cost[e]).toBe(Number(train(spec, { epochs: e, batch }).final.loss));
    }
  });

  it("epoch 0 is the untrained cost, the same for every loop; a full batch's curve is its history shifted by one", () => {
    const full = train(spec, { epochs: EPOCHS, batch: "full", keep: "all" });
    expect(curves.map((c) => c.cost[0])).toEqual([0, 1, 2].map(() => full.history[0].lossNumber));
    // a full-batch epoch's printed cost is taken before its single update: epoch e + 1 prints the cost after e
    for (let e = 0; e < EPOCHS; e++) expect(curves[0].cost[e]).toBeCloseTo(full.history[e].lossNumber, 12);
    // the mini-batch and stochastic loops' printed cost is a running mean while the weights move: not the curve
    const sto = train(spec, { epochs: EPOCHS, batch: "stochastic", keep: "all" });
    expect(Math.abs(sto.history[EPOCHS - 1].lossNumber - curves[2].cost[EPOCHS])).toBeGreaterThan(1e-4);
  });

  it("the plotted values at the last epoch are the curves' (what the table prints), one line per loop", () => {
    const spec2 = costCurvesSpec(curves);
    const values = (spec2.data as { values: { series: string; x: number; y: number }[] }).values;
    for (const c of curves) {
      const line = values.filter((v) => v.series === c.name);
      expect(line.map((v) => v.x)).toEqual(c.epochs);
      expect(line.map((v) => v.y)).toEqual(c.cost);
      expect(line.at(-1)!.y).toBe(
        Number(train(spec, { epochs: EPOCHS, batch: c.name as (typeof modes)[number] }).final.loss),
      );
    }
    // distinct colours and dash patterns, so that lines on top of one another still show
    const enc = spec2.encoding as Record<string, { scale: { range: unknown[] } }>;
    expect(new Set(enc.color.scale.range.map(String)).size).toBe(3);
    expect(new Set(enc.strokeDash.scale.range.map(String)).size).toBe(3);
  });
});
