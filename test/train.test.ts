// The training loop against independently known values: the classic 2-2-2 example (figures
// from an independent Python script, and the widely printed ones), hand-worked batch vs
// incremental updates, the NaN/Infinity guard, seeded initialisation and shuffling.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { train, type EpochRecord } from "../src/engine/train.js";
import { initWeights, readInit } from "../src/engine/init.js";
import { lcg, normals, shuffled } from "../src/engine/random.js";
import { TrainingError, SpecError } from "../src/engine/errors.js";
import { traceNetwork } from "../src/engine/network.js";

// a fixed seed, so that a property failure reproduces
fc.configureGlobal({ seed: 20240607 });

const classic = JSON.parse(readFileSync(new URL("../examples/classic.json", import.meta.url), "utf8"));

/** |x − expected| ≤ tol · |expected| */
function near(x: string | number, expected: number, tol = 1e-9): void {
  const v = Number(x);
  expect(Math.abs(v - expected), `${v} vs ${expected}`).toBeLessThanOrEqual(tol * Math.abs(expected));
}
const at = (h: EpochRecord[], epoch: number) => {
  const r = h.find((x) => x.epoch === epoch);
  if (!r) throw new Error(`epoch ${epoch} not kept`);
  return r;
};

describe("classic example (2-2-2 sigmoid, half_sse, lr 0.5), float", () => {
  const run = train(classic, { epochs: 10000, every: 1000 });

  it("loss after 1 update: 0.29102777369", () => {
    near(train(classic, { epochs: 1 }).final.loss, 0.29102777369, 1e-10);
  });

  it("history[e].loss is the loss in epoch e's forward pass, before its update", () => {
    near(at(run.history, 1).loss, 0.298371109, 1e-9); // the published E_total before training
    // the widely printed "after 10,000 rounds" figure is this one: after 9,999 updates
    near(at(run.history, 10000).loss, 3.510854812e-5, 1e-9);
    expect(at(run.history, 10000).lossNumber).toBeCloseTo(0.0000351085, 10);
  });

  it("after 10,000 updates: loss 3.510187783e-05, outputs 0.01591362044, 0.98406427351", () => {
    near(run.final.loss, 3.510187783e-5, 1e-9);
    expect(Number(run.final.outputs[0][0]).toFixed(11)).toBe("0.01591362044");
    expect(Number(run.final.outputs[0][1]).toFixed(11)).toBe("0.98406427351");
    // the shared biases are not updated
    expect(run.final.biases).toEqual(["0.35", "0.6"]);
  });

  it('the printed 0.291027924 and 0.015912196 / 0.984065734 come from hiddenDeltaWeights "updated"', () => {
    near(train(classic, { epochs: 1, hiddenDeltaWeights: "updated" }).final.loss, 0.29102792391, 1e-10);
    const u = train(classic, { epochs: 10000, hiddenDeltaWeights: "updated", keep: "first-last" });
    expect(Number(u.final.outputs[0][0]).toFixed(11)).toBe("0.01591219633");
    expect(Number(u.final.outputs[0][1]).toFixed(11)).toBe("0.98406573449");
    near(u.final.loss, 3.50847863e-5, 1e-9);
    // and to the digits the write-up prints
    expect(Number(u.final.outputs[0][0]).toFixed(9)).toBe("0.015912196");
    expect(Number(u.final.outputs[0][1]).toFixed(9)).toBe("0.984065734");
  });

  it("keeps only the first, the last and every k-th epoch", () => {
    expect(run.history.map((r) => r.epoch)).toEqual([1, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
    expect(train(classic, { epochs: 50, keep: "first-last" }).history.map((r) => r.epoch)).toEqual([1, 50]);
    expect(train(classic, { epochs: 5, keep: "all" }).history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    // by default a long run keeps at most ~1000 records
    expect(train(classic, { epochs: 5000 }).history.length).toBeLessThanOrEqual(1001);
  });

  it("onEpoch sees every epoch", () => {
    const seen: number[] = [];
    train(classic, { epochs: 7, keep: "first-last", onEpoch: (r) => seen.push(r.epoch) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe("classic example in exact and dp:4", () => {
  it("exact: after 1 update 0.29102777369 (to 11 digits), with 40 significant digits", () => {
    const r = train(classic, { epochs: 1, precision: "exact" });
    expect(r.precision).toBe("exact");
    expect(Number(r.final.loss).toFixed(11)).toBe("0.29102777369");
    expect(r.final.loss.replace(/^0\.0*/, "").length).toBeGreaterThanOrEqual(35);
  });

  it("dp:4: the first epoch's loss is the published E_total to 4 places, 0.2984", () => {
    const r = train(classic, { epochs: 2, precision: "dp:4" });
    expect(r.history[0].loss).toBe("0.2984");
    expect(r.final.weights[1][0][0]).toMatch(/^0\.\d{4}$/);
  });
});

describe("batch, mini-batch and incremental (seed 002) updates", () => {
  // w x with x = 1 and x = 2, targets 0, half_sse: ∂L/∂w = w x² per example
  const line = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "half_sse",
    weights: [[[1]]],
    biases: [[0]],
    updateBiases: false,
    learningRate: 0.1,
    inputs: [[1], [2]],
    targets: [[0], [0]],
  };

  it("full batch: mean gradient (1 + 4)/2 = 2.5, w = 1 − 0.25 = 0.75; J = (0.5 + 2)/2 = 1.25", () => {
    const r = train(line, { epochs: 1, precision: "exact" });
    expect(r.final.weights[0][0][0]).toBe("0.75");
    expect(r.history[0].loss).toBe("1.25");
  });

  it("incremental: w = 1 − 0.1 = 0.9, then 0.9 − 0.1·3.6 = 0.54; epoch loss mean(0.5, 1.62) = 1.06", () => {
    const r = train(line, { epochs: 1, batch: "stochastic", precision: "exact" });
    expect(r.final.weights[0][0][0]).toBe("0.54");
    expect(r.history[0].loss).toBe("1.06");
    // mini:1 is the same thing, mini:2 is the full batch here
    expect(train(line, { epochs: 1, batch: "mini:1", precision: "exact" }).final.weights[0][0][0]).toBe("0.54");
    expect(train(line, { epochs: 1, batch: "mini:2", precision: "exact" }).final.weights[0][0][0]).toBe("0.75");
  });

  it("the spec's own batch field is used when the options leave it out", () => {
    expect(train({ ...line, batch: "stochastic" }, { epochs: 1, precision: "exact" }).final.weights[0][0][0]).toBe(
      "0.54",
    );
    expect(() => train(line, { epochs: 1, batch: "mini:0" as "mini:1" })).toThrow(SpecError);
  });
});

describe("NaN / Infinity guard", () => {
  it("a diverging linear fit names the epoch, the parameter and a smaller learning rate", () => {
    const spec = {
      layers: [1, 1],
      activations: ["identity"],
      loss: "mse",
      weights: [[[1]]],
      biases: [[0]],
      input: [1],
      target: [3],
      names: { weights: [[["w1"]]] },
    };
    let err: unknown;
    try {
      train(spec, { epochs: 10000, learningRate: 50 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingError);
    const msg = (err as TrainingError).message;
    // the error e = w + b − 3 is multiplied by 1 − 50·2·(1 + 1) = −199 each epoch, so e² overflows
    // (at ~1e154) before w or b does, and the loss is reported
    // with the parameter that has run away
    expect(msg).toMatch(/^epoch \d+: the loss is Infinity; the largest parameter is weights\[0\]\[0\]\[0\] \(w1\) = /);
    expect(msg).toContain("learning rate 50 is too large: try 0.5");
  });

  it("a saturated sigmoid under bce is reported as log of 0", () => {
    // w = 0 → a = 0.5, w += 1000·0.5 = 500 → a = 1 exactly in doubles → (1 − t)/(1 − a) = 0/0
    const spec = {
      layers: [1, 1],
      activations: ["sigmoid"],
      loss: "bce",
      weights: [[[0]]],
      biases: [[0]],
      updateBiases: false,
      input: [1],
      target: [1],
    };
    expect(() => train(spec, { epochs: 5, learningRate: 1000 })).toThrow(
      /^epoch 2, weights\[0\]\[0\]\[0\]: became NaN.*log of 0 in bce: outputs saturated/,
    );
  });

  it("exact and dp:4 report the same divergence at the same epoch: decimals beyond the double range have diverged", () => {
    // before: exact ran all 10,000 epochs and ended with w ≈ -3.39e+22988 and lossNumber null
    const spec = {
      layers: [1, 1],
      activations: ["identity"],
      loss: "mse",
      weights: [[[1]]],
      biases: [[0]],
      input: [1],
      target: [3],
      names: { weights: [[["w1"]]] },
    };
    for (const precision of ["exact", "dp:4"]) {
      expect(() => train(spec, { epochs: 10000, learningRate: 50, precision })).toThrow(
        "epoch 68: the loss is 4.450125206e+308 (beyond the double range, ±1.8e308); the largest parameter is weights[0][0][0] (w1) = -2.098984328e+156. learning rate 50 is too large: try 0.5 (the updates overshoot and grow without bound; scaling the inputs also helps).",
      );
    }
  });

  it("rejects a bad epoch count", () => {
    expect(() => train(classic, { epochs: 0 })).toThrow(TrainingError);
  });
});

describe("seeded randomness and initialisation", () => {
  it("lcg is common.mjs's recurrence s ← 1664525 s + 1013904223 mod 2³² (checked with BigInt)", () => {
    const r = lcg(42);
    let s = 42n;
    for (let i = 0; i < 1000; i++) {
      s = (1664525n * s + 1013904223n) % 4294967296n;
      expect(r()).toBe(Number(s) / 4294967296);
    }
  });

  it('"bench" init is initMLP: 2·rand() − 1 in layer, neuron, input order, times √(1/n_in) with fanInScale', () => {
    const u = lcg(3);
    const expected = [[0, 1, 2].map(() => [0, 1].map(() => u() * 2 - 1))];
    // first draw by hand: (1664525·3 + 1013904223) / 2³² = 1018897798 / 4294967296
    expect(initWeights([2, 3], { method: "bench", seed: 3 })[0][0][0]).toBe(2 * (1018897798 / 4294967296) - 1);
    expect(initWeights([2, 3], { method: "bench", seed: 3 })).toEqual(expected);
    expect(initWeights([4, 1], { method: "bench", seed: 3, fanInScale: true })[0][0][0]).toBe(
      (2 * (1018897798 / 4294967296) - 1) * Math.sqrt(1 / 4),
    );
  });

  it("xavier has Var ≈ 1/n_in, he ≈ 2/n_in, glorot_uniform stays within √(6/(n_in+n_out)), zeros are 0", () => {
    const variance = (W: number[][][]) => {
      const xs = W.flat(2);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    };
    const v1 = variance(initWeights([200, 100], { method: "xavier", seed: 7 }));
    expect(Math.abs(v1 * 200 - 1)).toBeLessThan(0.05);
    const v2 = variance(initWeights([200, 100], { method: "he", seed: 7 }));
    expect(Math.abs(v2 * 100 - 1)).toBeLessThan(0.05);
    const r = Math.sqrt(6 / 300);
    expect(
      initWeights([200, 100], { method: "glorot_uniform", seed: 7 })
        .flat(2)
        .every((w) => Math.abs(w) <= r),
    ).toBe(true);
    expect(initWeights([3, 2], { method: "zeros", seed: 1 }).flat(2)).toEqual([0, 0, 0, 0, 0, 0]);
    const n = normals(lcg(1));
    const zs = Array.from({ length: 20000 }, n);
    expect(Math.abs(zs.reduce((a, b) => a + b, 0) / zs.length)).toBeLessThan(0.03);
  });

  it('a spec without weights trains from "init": {"method": "xavier", "seed": 7}', () => {
    const { weights: _w, ...noWeights } = classic;
    const a = train({ ...noWeights, init: { method: "xavier", seed: 7 } }, { epochs: 3 });
    const b = train(noWeights, { epochs: 3, init: { method: "xavier", seed: 7 } });
    expect(a).toEqual(b);
    expect(a.history[0].loss).not.toBe(train(classic, { epochs: 1 }).history[0].loss);
    expect(() => train(noWeights, { epochs: 1 })).toThrow(/weights: is missing/);
    expect(() => readInit({ method: "glorious" })).toThrow(TrainingError);
  });

  it("same seed → identical training, whatever the data, optimizer and batch mode", () => {
    const xor = {
      layers: [2, 3, 1],
      activations: ["tanh", "sigmoid"],
      loss: "bce",
      inputs: [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      targets: [[0], [1], [1], [0]],
      learningRate: 0.3,
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta"),
        fc.constantFrom("full", "stochastic", "mini:3") as fc.Arbitrary<"full" | "stochastic" | "mini:3">,
        (seed, optimizer, batch) => {
          const opts = {
            epochs: 20,
            init: { method: "he" as const, seed },
            optimizer,
            batch,
            shuffle: true,
            keep: "all" as const,
          };
          expect(train(xor, opts)).toEqual(train(xor, opts));
        },
      ),
      { numRuns: 30 },
    );
  });

  it("shuffling is a seeded permutation", () => {
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const a = shuffled(xs, lcg(5)),
      b = shuffled(xs, lcg(5));
    expect(a).toEqual(b);
    expect([...a].sort((p, q) => p - q)).toEqual(xs);
    expect(a).not.toEqual(xs);
  });
});

describe("the spec's own optimizer, seed and epochs are train()'s defaults", () => {
  // w = b = 1, x = 1, t = 3, mse: ∂L/∂w = ∂L/∂b = −2(3 − 2) = −2; lr 0.1
  const line = {
    layers: [1, 1],
    activations: ["identity"],
    loss: "mse",
    weights: [[[1]]],
    biases: [[1]],
    input: [1],
    target: [3],
    learningRate: 0.1,
  };

  it('"optimizer": "adam" trains with Adam (one bias-corrected step moves w by α: 1.1), not sgd (1.2)', () => {
    const adam = train({ ...line, optimizer: "adam" }, { epochs: 1 });
    expect(adam.optimizer).toBe("adam");
    near(adam.final.weights[0][0][0], 1 + (0.1 * 2) / (2 + 1e-8), 1e-15);
    near(train(line, { epochs: 1 }).final.weights[0][0][0], 1.2, 1e-15);
  });

  it('"optimizer": {"name": "adam", "biasCorrection": false} is seed 003\'s formula: w = 1 + 0.1·0.2/√(0.004 + 1e-8)', () => {
    const r = train({ ...line, optimizer: { name: "adam", biasCorrection: false } }, { epochs: 1 });
    expect(r.optimizerConfig.biasCorrection).toBe(false);
    near(r.final.weights[0][0][0], 1 + (0.1 * 0.2) / Math.sqrt(0.004 + 1e-8), 1e-15);
  });

  it("options override the spec: optimizer, epochs", () => {
    const r = train({ ...line, optimizer: "adam", epochs: 7 }, { optimizer: "sgd", epochs: 1 });
    expect([r.optimizer, r.epochs]).toEqual(["sgd", 1]);
    near(r.final.weights[0][0][0], 1.2, 1e-15);
  });

  it('"epochs" in the spec is used when the options leave it out; without either it is an error', () => {
    expect(train({ ...line, epochs: 3 }, {}).history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(() => train(line, {})).toThrow(
      'epochs: is given neither in the options nor in the spec. pass epochs (--epochs N on the command line) or add "epochs": N to the spec.',
    );
  });

  it('"seed" in the spec seeds the shuffle (the same as the option)', () => {
    const data = {
      ...line,
      input: undefined,
      target: undefined,
      inputs: [[1], [2], [3], [4]],
      targets: [[1], [2], [3], [4]],
      batch: "stochastic",
    };
    const fromSpec = train({ ...data, seed: 9 }, { epochs: 3, shuffle: true });
    const fromOption = train(data, { epochs: 3, shuffle: true, seed: 9 });
    const other = train(data, { epochs: 3, shuffle: true, seed: 10 });
    expect(fromSpec.final.weights).toEqual(fromOption.final.weights);
    expect(fromSpec.final.weights).not.toEqual(other.final.weights);
  });
});

describe("keepSteps: every step of the kept epochs only", () => {
  it("10,000 epochs keeping every 1000th: exactly those epochs have traces, each traceNetwork at that epoch's parameters", () => {
    const run = train(classic, { epochs: 10000, every: 1000, keepSteps: true });
    const kept = [1, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000];
    expect(run.history.map((r) => r.epoch)).toEqual(kept);
    expect(run.history.every((r) => r.traces?.length === 1)).toBe(true);
    // the parameters at the start of epoch 2000 are those after 1999 updates
    const before = train(classic, { epochs: 1999, keep: "first-last" }).final;
    const expected = traceNetwork(
      { ...classic, weights: before.weights, biases: before.biases },
      { precision: "float" },
    );
    const got = at(run.history, 2000).traces![0];
    expect(got).toEqual(expected);
    // and its loss step is the epoch's loss
    expect(got.loss).toBe(at(run.history, 2000).loss);
    expect(at(run.history, 1).traces![0]).toEqual(traceNetwork(classic, { precision: "float" }));
  });

  it("without keepSteps no traces are kept; stochastic epochs have one trace per update", () => {
    expect(train(classic, { epochs: 3 }).history.some((r) => r.traces)).toBe(false);
    const batch = {
      ...classic,
      input: undefined,
      target: undefined,
      inputs: [
        [0.05, 0.1],
        [0.1, 0.05],
      ],
      targets: [
        [0.01, 0.99],
        [0.99, 0.01],
      ],
    };
    const r = train(batch, { epochs: 3, keep: "first-last", keepSteps: true, batch: "stochastic" });
    expect(r.history.map((h) => h.traces?.length)).toEqual([2, 2]);
    const [first, second] = r.history[0].traces!;
    const one = (i: number, weights: unknown) => ({
      ...batch,
      weights,
      inputs: [batch.inputs[i]],
      targets: [batch.targets[i]],
    });
    expect(first).toEqual(traceNetwork(one(0, classic.weights), { precision: "float" }));
    // the second update starts from the first's updated weights
    expect(second).toEqual(traceNetwork(one(1, first.update.weights), { precision: "float" }));
  });

  it("is for sgd only", () => {
    expect(() => train(classic, { epochs: 2, keepSteps: true, optimizer: "adam" })).toThrow(
      "keepSteps: records steps for sgd only, not adam. a trace's update phase is plain gradient descent; train with sgd (--optimizer sgd), or keep the losses only (no --steps).",
    );
  });
});
