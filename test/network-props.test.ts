// Properties of the network engine on random networks: backpropagation's dW and db equal
// central finite differences of the loss (which need only forward passes), float and exact
// traces agree, and a shared bias's gradient is the sum of its units' deltas.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { floatArith } from "../src/engine/numeric.js";
import { parseSpec } from "../src/engine/spec.js";
import { backwardPass, exampleLoss, forwardPass, instantiate, traceNetwork, type Net } from "../src/engine/network.js";

// step and sign have zero derivative everywhere it exists; softmax is for the output layer only
const SMOOTH = ["identity", "sigmoid", "tanh", "softplus", "arctan"] as const;
const KINKED = ["relu", "leaky_relu", "prelu", "elu"] as const;
const HIDDEN = [...SMOOTH, ...KINKED];

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
      loss === "cross_entropy" ? fc.integer({ min: 0, max: nOut - 1 }).map((c) => Array.from({ length: nOut }, (_, k) => (k === c ? 1 : 0)))
        : loss === "bce" ? fc.array(fc.integer({ min: 0, max: 10 }).map((i) => i / 10), { minLength: nOut, maxLength: nOut })
          : fc.array(unitValue, { minLength: nOut, maxLength: nOut });
    return fc.record({
      layers: fc.constant(layers),
      activations: fc.constant(activations),
      loss: fc.constant(loss),
      weights: fc.tuple(...layers.slice(1).map((n, l) => fc.array(fc.array(unitValue, { minLength: layers[l], maxLength: layers[l] }), { minLength: n, maxLength: n }))),
      biases: fc.tuple(...layers.slice(1).map((n, l) => (shared[l] ? unitValue : fc.array(unitValue, { minLength: n, maxLength: n })))) as fc.Arbitrary<(number | number[])[]>,
      input: fc.array(unitValue, { minLength: layers[0], maxLength: layers[0] }),
      target,
    });
  });

function netOf(spec: RandomSpec): Net<number> {
  return instantiate(floatArith, parseSpec(spec));
}

/** Kinked units must sit away from their kink, or a finite difference straddles it. */
function awayFromKinks(spec: RandomSpec): boolean {
  const net = netOf(spec);
  const { z } = forwardPass(net, spec.input);
  return spec.activations.every((a, i) => !(KINKED as readonly string[]).includes(a) || z[i + 1].every((v) => Math.abs(v) > 1e-3));
}

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
    fc.assert(fc.property(randomSpec.filter(awayFromKinks), (spec) => {
      const net = netOf(spec);
      const fwd = forwardPass(net, spec.input);
      const g = backwardPass(net, fwd, spec.target);
      const h = 1e-6;
      const numeric = (nudge: (d: number) => void) => {
        nudge(h); const up = lossAt(net, spec);
        nudge(-2 * h); const down = lossAt(net, spec);
        nudge(h);
        return (up - down) / (2 * h);
      };
      const P = net.params;
      P.W.forEach((M, l) => M.forEach((row, j) => row.forEach((_, k) => {
        const n = numeric((d) => { P.W[l][j][k] += d; });
        expect(close(g.dW[l][j][k], n, 1e-5, 1e-7), `dW[${l}][${j}][${k}] ${g.dW[l][j][k]} vs ${n} in ${JSON.stringify(spec)}`).toBe(true);
      })));
      P.b.forEach((row, l) => {
        // a shared bias is one parameter: nudge every unit's copy together
        const units = net.sharedBias[l] ? [row.map((_, j) => j)] : row.map((_, j) => [j]);
        for (const us of units) {
          const n = numeric((d) => { for (const j of us) P.b[l][j] += d; });
          expect(close(g.db[l][us[0]], n, 1e-5, 1e-7), `db[${l}][${us[0]}] ${g.db[l][us[0]]} vs ${n} in ${JSON.stringify(spec)}`).toBe(true);
        }
      });
    }), { numRuns: 100 });
  });

  it("float and exact traces agree to 1e-12 (relative, with a 1e-13 absolute floor near zero)", () => {
    fc.assert(fc.property(randomSpec, (spec) => {
      const f = traceNetwork(spec, { precision: "float" });
      const e = traceNetwork(spec, { precision: "exact" });
      const compare = (x: unknown, y: unknown, path: string): void => {
        if (Array.isArray(x) && Array.isArray(y)) { x.forEach((v, i) => compare(v, y[i], `${path}[${i}]`)); return; }
        if (x === null || y === null) { expect(x, path).toBe(y); return; }
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
    }), { numRuns: 60 });
  });

  it("a shared bias's gradient is the sum of the deltas of the units that share it", () => {
    fc.assert(fc.property(randomSpec, (spec) => {
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
    }), { numRuns: 50 });
  });
});
