// The autograd Value engine: every gate's gradient against central finite differences, the
// recorder's edges (upstream × local = product, summing to each node's gradient), and agreement
// with the expression engine on seed 002's sigmoid gate.
import { afterEach, describe, expect, it, vi } from "vitest";
import { GraphRecorder, Value, graphTrace, valueMLP } from "../src/index.js";
import { ACTIVATIONS, type ScalarActivation } from "../src/engine/activations.js";
import { GRAPH_OPS } from "../src/engine/graph.js";

const ops: Record<string, (a: Value, b: Value) => Value> = {
  add: (a, b) => a.add(b),
  mul: (a, b) => a.mul(b),
  sub: (a, b) => a.sub(b),
  div: (a, b) => a.div(b),
  pow3: (a) => a.pow(3),
  relu: (a) => a.relu(),
  tanh: (a) => a.tanh(),
  exp: (a) => a.exp(),
  sigmoid: (a) => a.sigmoid(),
  log: (a) => a.mul(a).add(1).log(),
  composite: (a, b) => a.mul(b).add(b.pow(2)).tanh().mul(a.exp()).sub(a.relu().div(b)).mul(a),
};

describe("Value gradients equal central finite differences", () => {
  for (const [name, f] of Object.entries(ops)) {
    it(name, () => {
      for (const [x, y] of [
        [0.7, -1.3],
        [-0.4, 2.1],
      ]) {
        const a = new Value(x),
          b = new Value(y);
        f(a, b).backward();
        const h = 1e-6;
        const fd = (dx: number, dy: number) =>
          (f(new Value(x + dx), new Value(y + dy)).data - f(new Value(x - dx), new Value(y - dy)).data) / (2 * h);
        expect(a.grad).toBeCloseTo(fd(h, 0), 6);
        expect(b.grad).toBeCloseTo(fd(0, h), 6);
      }
    });
  }
});

describe("the recorder", () => {
  it("records every node and edge; products sum to each node's gradient", () => {
    const rec = new GraphRecorder();
    const [w0, x0, w1, x1, w2] = [2, -1, -3, -2, -3].map((v) => rec.record(() => new Value(v)));
    const out = rec.record(() => {
      const L = w0.mul(x0).add(w1.mul(x1)).add(w2).sigmoid();
      L.backward();
      return L;
    });
    expect(out.data).toBeCloseTo(0.7310585786, 9);
    const t = rec.toTrace(
      out,
      new Map([
        [w0, "w0"],
        [x0, "x0"],
        [w1, "w1"],
        [x1, "x1"],
        [w2, "w2"],
        [out, "L"],
      ]),
    );
    expect(t.nodes).toHaveLength(rec.nodeCount);
    expect(t.edges).toHaveLength(9); // two multiplications (4), two additions (4), the sigmoid (1)
    for (const e of t.edges) expect(Number(e.product)).toBeCloseTo(Number(e.upstream) * Number(e.local), 14);
    const g = (name: string) => Number(t.nodes.find((n) => n.name === name)!.grad);
    // the same numbers as the expression engine
    const ref = graphTrace("L = sigmoid(w0*x0 + w1*x1 + w2)", { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 }, "float");
    for (const n of ["w0", "x0", "w1", "x1", "w2"]) {
      expect(g(n)).toBeCloseTo(Number(ref.nodes.find((m) => m.name === n)!.grad), 14);
      expect(g(n)).toBe([w0, x0, w1, x1, w2][["w0", "x0", "w1", "x1", "w2"].indexOf(n)].grad);
    }
  });
});

describe("valueMLP", () => {
  it("computes z = W a + b with ReLU hidden units and a linear output", () => {
    const m = valueMLP(
      [
        [
          [0.5, -1],
          [1, 1],
        ],
        [[2, -3]],
      ],
      [[0.1, 0], [0.5]],
    );
    const [y] = m.call([1, 2]);
    // hidden: relu(0.5 − 2 + 0.1) = 0, relu(1 + 2) = 3; output 2·0 − 3·3 + 0.5 = −8.5
    expect(y.data).toBe(-8.5);
    y.backward();
    expect(m.layers[1][0].w.map((w) => w.grad)).toEqual([0, 3]);
    expect(m.layers[0][0].w.map((w) => w.grad)).toEqual([0, 0]); // the dead ReLU passes nothing back
    expect(m.parameters()).toHaveLength(9);
  });
});

describe("one definition: Value's gates are activations.ts's functions and the graph engine's exp and log", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(["relu", "tanh", "sigmoid"] as const)("%s: value and derivative come from ACTIVATIONS", (name) => {
    const def = ACTIVATIONS[name] as ScalarActivation;
    const value = vi.spyOn(def, "value"),
      derivative = vi.spyOn(def, "derivative");
    const x = new Value(0.3);
    const y = x[name]();
    y.backward();
    expect(value).toHaveBeenCalledTimes(1);
    expect(derivative).toHaveBeenCalledTimes(1);
    expect(y.data).toBe(value.mock.results[0].value);
    expect(x.grad).toBe(derivative.mock.results[0].value);
  });

  it.each(["exp", "log"] as const)("%s: value and local gradient come from the graph engine's gate", (name) => {
    const op = GRAPH_OPS[name];
    const value = vi.spyOn(op, "value"),
      local = vi.spyOn(op, "local");
    const x = new Value(0.3);
    x[name]().backward();
    expect(value).toHaveBeenCalledTimes(1);
    expect(local).toHaveBeenCalledTimes(1);
    expect(x.grad).toBe(name === "exp" ? Math.exp(0.3) : 1 / 0.3);
  });
});
