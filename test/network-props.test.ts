// Properties of the network engine on random networks: backpropagation's dW and db equal
// central finite differences of the loss (which need only forward passes), float and exact
// traces agree, and a shared bias's gradient is the sum of its units' deltas.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { floatArith } from "../src/engine/numeric.js";
import { parseSpec } from "../src/engine/spec.js";
import { backwardPass, exampleLoss, forwardPass, instantiate, traceNetwork, type Net } from "../src/engine/network.js";

// A fixed seed: every run checks the same cases, and a failure reproduces (fast-check prints
// the counterexample and its path); change the seed to explore other networks.
fc.configureGlobal({ seed: 20240607 });

// step and sign have derivative 0 wherever it exists (z ≠ 0), so away from z = 0 a finite
// difference through them is 0 too; softmax is for the output layer only
const SMOOTH = ["identity", "sigmoid", "tanh", "softplus", "arctan"] as const;
const KINKED = ["relu", "leaky_relu", "prelu", "elu"] as const;
const THRESHOLD = ["step", "sign"] as const;
const HIDDEN = [...SMOOTH, ...KINKED, ...THRESHOLD];

interface RandomSpec {
  layers: number[];
  activations: string[];
  loss: string;
  weights: number[][][];
  biases: (number | number[])[];
  input: number[];
  target: number[];
}

const unitValue = fc.integer({ min: -100, max: 100 }).map((i) => i / 100);

const randomSpec: fc.Arbitrary<RandomSpec> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
    loss: fc.constantFrom("half_sse", "mse", "bce", "cross_entropy"),
    hidden: fc.array(fc.constantFrom(...HIDDEN), { minLength: 4, maxLength: 4 }),
    outChoice: fc.constantFrom(...HIDDEN, "softmax"),
    shared: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  })
  .chain(({ sizes, loss, hidden, outChoice, shared }) => {
    const L = sizes.length - 1;
    const layers = sizes.slice();
    let out: string = outChoice;
    if (loss === "cross_entropy") out = "softmax";
    if (loss === "bce") out = "sigmoid";
    if (out === "softmax") layers[L] = Math.max(2, layers[L]);
    const activations = [...hidden.slice(0, L - 1), out];
    const nOut = layers[L];
    const target: fc.Arbitrary<number[]> =
      loss === "cross_entropy"
        ? fc.integer({ min: 0, max: nOut - 1 }).map((c) => Array.from({ length: nOut }, (_, k) => (k === c ? 1 : 0)))
        : loss === "bce"
          ? fc.array(
              fc.integer({ min: 0, max: 10 }).map((i) => i / 10),
              { minLength: nOut, maxLength: nOut },
            )
          : fc.array(unitValue, { minLength: nOut, maxLength: nOut });
    return fc.record({
      layers: fc.constant(layers),
      activations: fc.constant(activations),
      loss: fc.constant(loss),
      weights: fc.tuple(
        ...layers.slice(1).map((n, l) =>
          fc.array(fc.array(unitValue, { minLength: layers[l], maxLength: layers[l] }), {
            minLength: n,
            maxLength: n,
          }),
        ),
      ),
      biases: fc.tuple(
        ...layers.slice(1).map((n, l) => (shared[l] ? unitValue : fc.array(unitValue, { minLength: n, maxLength: n }))),
      ) as fc.Arbitrary<(number | number[])[]>,
      input: fc.array(unitValue, { minLength: layers[0], maxLength: layers[0] }),
      target,
    });
  });

function netOf(spec: RandomSpec): Net<number> {
  return instantiate(floatArith, parseSpec(spec));
}

/** Units with a kink or a jump at 0 must sit away from it, by more than `margin`. */
function awayFrom(names: readonly string[], margin: number): (spec: RandomSpec) => boolean {
  return (spec) => {
    const { z } = forwardPass(netOf(spec), spec.input);
    return spec.activations.every((a, i) => !names.includes(a) || z[i + 1].every((v) => Math.abs(v) > margin));
  };
}
/** a finite difference must not straddle a kink or a step */
const awayFromKinks = awayFrom([...KINKED, ...THRESHOLD], 1e-3);
/** float and exact must agree on which side of 0 a step or sign unit's z is */
const awayFromSteps = awayFrom(THRESHOLD, 1e-9);

function lossAt(net: Net<number>, spec: RandomSpec): number {
  const { a } = forwardPass(net, spec.input);
  return exampleLoss(net, a[a.length - 1], spec.target);
}

/** |x − y| ≤ rel · max(|x|, |y|) + abs */
function close(x: number, y: number, rel: number, abs: number): boolean {
  return Math.abs(x - y) <= rel * Math.max(Math.abs(x), Math.abs(y)) + abs;
}

describe("random networks (fast-check)", () => {
  it("backpropagation's dW and db equal central finite differences", () => {
    fc.assert(
      fc.property(randomSpec.filter(awayFromKinks), (spec) => {
        const net = netOf(spec);
        const fwd = forwardPass(net, spec.input);
        const g = backwardPass(net, fwd, spec.target);
        const h = 1e-6;
        const numeric = (nudge: (d: number) => void) => {
          nudge(h);
          const up = lossAt(net, spec);
          nudge(-2 * h);
          const down = lossAt(net, spec);
          nudge(h);
          return (up - down) / (2 * h);
        };
        const P = net.params;
        P.W.forEach((M, l) =>
          M.forEach((row, j) =>
            row.forEach((_, k) => {
              const n = numeric((d) => {
                P.W[l][j][k] += d;
              });
              expect(
                close(g.dW[l][j][k], n, 1e-5, 1e-7),
                `dW[${l}][${j}][${k}] ${g.dW[l][j][k]} vs ${n} in ${JSON.stringify(spec)}`,
              ).toBe(true);
            }),
          ),
        );
        P.b.forEach((row, l) => {
          // a shared bias is one parameter: nudge every unit's copy together
          const units = net.sharedBias[l] ? [row.map((_, j) => j)] : row.map((_, j) => [j]);
          for (const us of units) {
            const n = numeric((d) => {
              for (const j of us) P.b[l][j] += d;
            });
            expect(
              close(g.db[l][us[0]], n, 1e-5, 1e-7),
              `db[${l}][${us[0]}] ${g.db[l][us[0]]} vs ${n} in ${JSON.stringify(spec)}`,
            ).toBe(true);
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it("random specs include step and sign units and softmax with a loss other than cross-entropy", () => {
    const specs = fc.sample(randomSpec, 300);
    expect(specs.some((s) => s.activations.includes("step"))).toBe(true);
    expect(specs.some((s) => s.activations.includes("sign"))).toBe(true);
    expect(specs.some((s) => s.activations.at(-1) === "softmax" && s.loss !== "cross_entropy")).toBe(true);
  });

  it("float and exact traces agree to 1e-12 (relative, with a 1e-13 absolute floor near zero)", () => {
    fc.assert(
      fc.property(randomSpec.filter(awayFromSteps), (spec) => {
        const f = traceNetwork(spec, { precision: "float" });
        const e = traceNetwork(spec, { precision: "exact" });
        const compare = (x: unknown, y: unknown, path: string): void => {
          if (Array.isArray(x) && Array.isArray(y)) {
            x.forEach((v, i) => compare(v, y[i], `${path}[${i}]`));
            return;
          }
          if (x === null || y === null) {
            expect(x, path).toBe(y);
            return;
          }
          expect(close(Number(x), Number(y), 1e-12, 1e-13), `${path}: float ${x} vs exact ${y}`).toBe(true);
        };
        compare(f.forward.z, e.forward.z, "z");
        compare(f.forward.a, e.forward.a, "a");
        compare(f.loss, e.loss, "loss");
        compare(f.backward.delta, e.backward.delta, "delta");
        compare(f.backward.dW, e.backward.dW, "dW");
        compare(f.backward.db, e.backward.db, "db");
        compare(f.update.weights, e.update.weights, "weights+");
        compare(f.update.biases, e.update.biases, "biases+");
        // the steps are the same quantities in the same order
        expect(f.steps.map((s) => s.id)).toEqual(e.steps.map((s) => s.id));
      }),
      { numRuns: 60 },
    );
  });

  it("a shared bias's gradient is the sum of the deltas of the units that share it", () => {
    fc.assert(
      fc.property(randomSpec, (spec) => {
        const t = traceNetwork(spec, { precision: "exact" });
        spec.biases.forEach((b, l) => {
          const delta = t.backward.delta[l + 1]!;
          if (Array.isArray(b)) {
            expect(t.backward.db[l]).toEqual(delta);
          } else {
            const sum = delta.reduce((s, d) => s + Number(d), 0);
            expect(close(Number(t.backward.db[l]), sum, 1e-14, 1e-15)).toBe(true);
          }
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe("softmax with a loss other than cross-entropy (its Jacobian, not a − t)", () => {
  // layers 2-3, softmax + mse: δ_j = Σ_i ∂L/∂a_i · a_i(δ_ij − a_j); checked by central differences
  const spec: RandomSpec = {
    layers: [2, 3],
    activations: ["softmax"],
    loss: "mse",
    weights: [
      [
        [0.6, -0.4],
        [1.0, 0.3],
        [-0.8, 0.5],
      ],
    ],
    biases: [[0.2, -0.1, 0]],
    input: [1.5, 0.5],
    target: [0, 1, 0],
  };

  it("dW and db equal central finite differences (float, h = 1e-6)", () => {
    const net = netOf(spec);
    const g = backwardPass(net, forwardPass(net, spec.input), spec.target);
    const P = net.params,
      h = 1e-6;
    const fd = (nudge: (d: number) => void) => {
      nudge(h);
      const up = lossAt(net, spec);
      nudge(-2 * h);
      const down = lossAt(net, spec);
      nudge(h);
      return (up - down) / (2 * h);
    };
    P.W[0].forEach((row, j) =>
      row.forEach((_, k) => {
        expect(g.dW[0][j][k]).toBeCloseTo(
          fd((d) => {
            P.W[0][j][k] += d;
          }),
          9,
        );
      }),
    );
    P.b[0].forEach((_, j) =>
      expect(g.db[0][j]).toBeCloseTo(
        fd((d) => {
          P.b[0][j] += d;
        }),
        9,
      ),
    );
    // and the gradient is not the cross-entropy shortcut a − t
    const { a } = forwardPass(net, spec.input);
    expect(Math.abs(g.delta[1][0] - (a[1][0] - spec.target[0]))).toBeGreaterThan(0.01);
  });

  it("exact agrees with float to 1e-12", () => {
    const f = traceNetwork(spec, { precision: "float" }),
      e = traceNetwork(spec, { precision: "exact" });
    f.backward.dW[0]
      .flat()
      .forEach((x, i) => expect(close(Number(x), Number(e.backward.dW[0].flat()[i]), 1e-12, 1e-14)).toBe(true));
  });
});
