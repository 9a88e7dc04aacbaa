import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { batchNormBackward, batchNormForward, dropout, fitStandardiser } from "../src/index.js";

describe("input standardisation", () => {
  it("gives each training column mean 0 and standard deviation 1, and reuses μ, σ on other rows", () => {
    const s = fitStandardiser([
      [1, 10],
      [3, 30],
      [5, 20],
    ]);
    expect(s.mean).toEqual([3, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 14);
    expect(s.apply([[3, 20]])).toEqual([[0, 0]]);
    expect(s.apply([[1, 10]])[0][0]).toBeCloseTo(-2 / Math.sqrt(8 / 3), 14);
  });
});

describe("inverted dropout", () => {
  it("zeroes dropped units and scales kept ones by 1/keep; the mask is 0/1 (notebook 13 showed 2s)", () => {
    const seq = [0.1, 0.9, 0.4, 0.6];
    let i = 0;
    const { out, mask } = dropout(
      [
        [1, 2],
        [3, 4],
      ],
      0.5,
      () => seq[i++],
    );
    expect(mask).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(out).toEqual([
      [2, 0],
      [6, 0],
    ]);
  });
});

describe("batch normalisation", () => {
  it("normalises each unit over the batch, then scales by γ and shifts by β", () => {
    const { out } = batchNormForward([[1], [3]], [2], [0.5], 0);
    expect(out.map((r) => r[0])).toEqual([-1.5, 2.5]); // (1−2)/1·2+0.5, (3−2)/1·2+0.5
  });

  it("back-propagates the three paths through μ and σ²: matches central finite differences", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }), {
          minLength: 3,
          maxLength: 5,
        }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (z, w) => {
          // spread the batch so the variance is not ~0
          const zs = z.map((r, i) => r.map((v, j) => v + i * (j + 1)));
          const gamma = [1.3, -0.7],
            beta = [0.2, 0.1];
          // L = Σ w_j z̃_ij, so ∂L/∂z̃ = w
          const loss = (zz: number[][]) =>
            batchNormForward(zz, gamma, beta).out.reduce((s, r) => s + r[0] * w[0] + r[1] * w[1], 0);
          const { cache } = batchNormForward(zs, gamma, beta);
          const { dz } = batchNormBackward(
            zs.map(() => w.slice()),
            cache,
          );
          const h = 1e-6;
          for (let i = 0; i < zs.length; i++)
            for (let j = 0; j < 2; j++) {
              const up = zs.map((r) => r.slice()),
                down = zs.map((r) => r.slice());
              up[i][j] += h;
              down[i][j] -= h;
              const numeric = (loss(up) - loss(down)) / (2 * h);
              expect(Math.abs(numeric - dz[i][j])).toBeLessThan(1e-5 * (1 + Math.abs(numeric)));
            }
        },
      ),
      { numRuns: 60 },
    );
  });
});
