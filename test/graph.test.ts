// Computation graphs (seed 002's (x + y) z and sigmoid gate, seed 000's J = 3(a + bc)), node by
// node and edge by edge; the add/mul/copy/max gradient patterns; gradients against central
// finite differences for random expressions; one clear error per kind of bad input.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { graphTrace, graphNode, type GraphTrace } from "../src/index.js";

// a fixed seed, so that a property failure reproduces
fc.configureGlobal({ seed: 20240607 });

const node = (t: GraphTrace, name: string) => {
  const n = graphNode(t, name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
};
const at = (s: string, dp: number) => new Decimal(s).toFixed(dp);

describe("(x + y) z at x = -2, y = 5, z = -4 (seed 002)", () => {
  const t = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: -4 });
  it("forward: q = 3, f = -12", () => {
    expect(node(t, "q").value).toBe("3");
    expect(node(t, "f").value).toBe("-12");
    expect(t.output).toBe(node(t, "f").id);
  });
  it("backward: ∂f/∂x = -4, ∂f/∂y = -4, ∂f/∂z = 3, ∂f/∂q = -4", () => {
    expect(["x", "y", "z", "q", "f"].map((n) => node(t, n).grad)).toEqual(["-4", "-4", "3", "-4", "1"]);
  });
  it("every edge is upstream × local = product", () => {
    expect(t.edges.map((e) => [e.from, e.to, e.upstream, e.local, e.product])).toEqual([
      ["x", node(t, "q").id, "-4", "1", "-4"],
      ["y", node(t, "q").id, "-4", "1", "-4"],
      [node(t, "q").id, node(t, "f").id, "1", "-4", "-4"],
      ["z", node(t, "f").id, "1", "3", "3"],
    ]);
  });
  it("the same graph without names gives the same numbers", () => {
    const u = graphTrace("(x + y) * z", { x: -2, y: 5, z: -4 });
    expect(u.nodes.map((n) => [n.value, n.grad])).toEqual(t.nodes.map((n) => [n.value, n.grad]));
  });
  it("logs forward steps then backward steps with formulas and numbers", () => {
    const q = t.steps.find((s) => s.id === `forward.${node(t, "q").id}`)!;
    expect(q).toMatchObject({ phase: "forward", symbol: "q", formula: "x + y", substituted: "(-2) + 5", value: "3" });
    const dx = t.steps.find((s) => s.id === "backward.x")!;
    expect(dx.symbol).toBe("\\frac{\\partial f}{\\partial x}");
    // upstream × local, then the local derivative as its own expression (issue 12 item 2)
    expect(dx.formula).toBe(
      "\\frac{\\partial f}{\\partial q} \\cdot \\frac{\\partial q}{\\partial x} = \\frac{\\partial f}{\\partial q} \\cdot 1",
    );
    expect(dx.substituted).toBe("(-4) \\times 1");
    expect(dx.value).toBe("-4");
  });
});

describe("the sigmoid gate of seed 002: 1 / (1 + exp(-(w0 x0 + w1 x1 + w2)))", () => {
  const values = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
  const expr = "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))";
  const exact = graphTrace(expr, values, "exact");
  it("outputs 0.73", () => {
    expect(at(node(exact, exact.output).value, 2)).toBe("0.73");
    expect(node(exact, exact.output).value.startsWith("0.731058578630004879")).toBe(true); // σ(1)
  });
  it("gradients w0 -0.20, x0 0.39, w1 -0.39, x1 -0.59, w2 0.20 (exact, rounded at the end)", () => {
    expect(["w0", "x0", "w1", "x1", "w2"].map((n) => at(node(exact, n).grad, 2))).toEqual([
      "-0.20",
      "0.39",
      "-0.39",
      "-0.59",
      "0.20",
    ]);
    // independent: σ(1)(1 − σ(1)) = 0.19661193324148…, times the other factor of each product
    const s = 1 / (1 + Math.exp(-1)),
      ds = s * (1 - s);
    expect(Number(node(exact, "x0").grad)).toBeCloseTo(ds * 2, 14);
    expect(Number(node(exact, "w1").grad)).toBeCloseTo(ds * -2, 14);
  });
  it("the intermediate values of the picture: -2, 6, 4, 1, -1, 0.37, 1.37, 0.73 and gradients back to 0.20", () => {
    const ops = exact.nodes.filter((n) => n.op).map((n) => [n.label, at(n.value, 2), at(n.grad, 2)]);
    expect(ops).toEqual([
      ["×", "-2.00", "0.20"],
      ["×", "6.00", "0.20"],
      ["+", "4.00", "0.20"],
      ["+", "1.00", "0.20"],
      ["−x", "-1.00", "-0.20"],
      ["exp", "0.37", "-0.53"],
      ["+", "1.37", "-0.53"],
      ["÷", "0.73", "1.00"],
    ]);
  });
  it("as one sigmoid gate, rounded to 2 places as the slide writes: [1.00] × [(1 − 0.73)(0.73)] = 0.2, x0: [0.2] × [2] = 0.4, w0: [0.2] × [−1] = −0.2", () => {
    const t = graphTrace("L = sigmoid(w0*x0 + w1*x1 + w2)", values, "dp:2");
    expect(node(t, "L").value).toBe("0.73");
    const sig = t.edges.find((e) => e.to === node(t, "L").id)!;
    expect([sig.upstream, sig.local, sig.product]).toEqual(["1.00", "0.20", "0.20"]);
    expect(node(t, "x0").grad).toBe("0.40");
    expect(node(t, "w0").grad).toBe("-0.20");
  });
  it("the seed's code, node by node: s0 = w0 x0, s1 = w1 x1, s2 = s0 + s1, s3 = s2 + w2, L = σ(s3)", () => {
    const t = graphTrace("s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)", values);
    expect(["s0", "s1", "s2", "s3"].map((n) => node(t, n).value)).toEqual(["-2", "6", "4", "1"]);
    const g = node(t, "s3").grad;
    for (const n of ["s3", "w2", "s2", "s0", "s1"]) expect(node(t, n).grad).toBe(g);
    const D50 = Decimal.clone({ precision: 50 });
    const digits = (x: string) => new D50(x).toSignificantDigits(38).toString();
    expect(digits(node(t, "w1").grad)).toBe(digits(new D50(g).times(-2).toString()));
    expect(digits(node(t, "x1").grad)).toBe(digits(new D50(g).times(-3).toString()));
  });
});

describe("J = 3(a + bc) (seed 000) at a = 5, b = 3, c = 2", () => {
  const t = graphTrace("u = b*c; v = a + u; J = 3*v", { a: 5, b: 3, c: 2 });
  it("u = 6, v = 11, J = 33", () => expect(["u", "v", "J"].map((n) => node(t, n).value)).toEqual(["6", "11", "33"]));
  it("dJ/dv = 3, dJ/du = 3, dJ/da = 3, dJ/db = 6, dJ/dc = 9", () =>
    expect(["v", "u", "a", "b", "c"].map((n) => node(t, n).grad)).toEqual(["3", "3", "3", "6", "9"]));
});

describe("gradient patterns (seed 002)", () => {
  it("add distributes: both operands get the upstream gradient", () => {
    const t = graphTrace("f = 2 * (x + y)", { x: 1, y: 4 });
    expect([node(t, "x").grad, node(t, "y").grad]).toEqual(["2", "2"]);
  });
  it("mul swaps: each operand gets upstream × the other operand", () => {
    const t = graphTrace("f = x * y", { x: 3, y: -5 });
    expect([node(t, "x").grad, node(t, "y").grad]).toEqual(["-5", "3"]);
  });
  it("copy adds: a value used twice gets the sum of both gradients, and the step shows the sum", () => {
    const t = graphTrace("f = x * y + x", { x: 3, y: -5 });
    expect(node(t, "x").grad).toBe("-4");
    const step = t.steps.find((s) => s.id === "backward.x")!;
    // two uses, two products: ∂f/∂f · ∂(n₁ + x)/∂x + ∂f/∂n₁ · ∂n₁/∂x = 1 · 1 + ∂f/∂n₁ · y
    expect(step.formula.split(" = ")[1].split(" + ")).toHaveLength(2);
    expect(step.substituted).toBe("1 \\times 1 + 1 \\times (-5)");
  });
  it("max routes: the larger operand gets it all, the other nothing", () => {
    const t = graphTrace("f = 2 * max(x, y)", { x: 4, y: 1 });
    expect([node(t, "x").grad, node(t, "y").grad]).toEqual(["2", "0"]);
  });
  it("powers, logs, tanh and relu have their textbook local gradients", () => {
    const t = graphTrace("f = x^3 + log(y) + tanh(z) + relu(w)", { x: 2, y: 4, z: 0, w: -1 });
    expect(node(t, "x").grad).toBe("12");
    expect(node(t, "y").grad).toBe("0.25");
    expect(node(t, "z").grad).toBe("1");
    expect(node(t, "w").grad).toBe("0");
    expect(graphTrace("x^2^3", { x: 2 }).nodes.at(-1)!.value).toBe("256"); // ^ is right-associative
  });
});

describe("gradients equal central finite differences", () => {
  const leaf = fc.constantFrom("a", "b", "c");
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(tie("e"), fc.constantFrom("+", "-", "*"), tie("e")).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(fc.constantFrom("sigmoid", "tanh", "exp"), tie("e")).map(([f, x]) => `${f}(${x} / 4)`),
      tie("e").map((x) => `log(1 + exp(${x}) )`),
    ),
  })).e;
  it("for random expressions over a, b, c (float, h = 1e-6)", () => {
    fc.assert(
      fc.property(
        expr,
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (e, a, b, c) => {
          const vals = { a, b, c };
          const used = ["a", "b", "c"].filter((n) => new RegExp(`\\b${n}\\b`).test(e));
          const mine = Object.fromEntries(used.map((n) => [n, vals[n as "a"]]));
          const t = graphTrace(e, mine, "float");
          const f = (v: Record<string, number>) =>
            Number(graphTrace(e, v, "float").nodes.find((n) => n.id === t.output)!.value);
          for (const n of used) {
            const h = 1e-6;
            const fd = (f({ ...mine, [n]: mine[n] + h }) - f({ ...mine, [n]: mine[n] - h })) / (2 * h);
            const g = Number(graphNode(t, n)!.grad);
            expect(Math.abs(g - fd)).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
  it("float and exact agree to 1e-12 relative", () => {
    const e = "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))",
      v = { w0: 0.3, x0: -1.7, w1: 2.2, x1: 0.4, w2: -0.1 };
    const f = graphTrace(e, v, "float"),
      x = graphTrace(e, v, "exact");
    f.nodes.forEach((n, i) => {
      const ex = Number(x.nodes[i].grad);
      expect(Math.abs(Number(n.grad) - ex)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ex)));
    });
  });
});

describe("bad input: one message that names the place and the fix", () => {
  const msg = (e: string, v: Record<string, number | string>) => {
    try {
      graphTrace(e, v);
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };
  it.each([
    [
      "x +",
      { x: 1 },
      '"x +": cannot be read: Expected expression after + at character 3. check the brackets and operators, e.g. "(x + y) * z".',
    ],
    [
      "exq(x)",
      { x: 1 },
      'exq(…): is not a function the graph engine knows (did you mean "exp"?). use exp, log, ln, sigmoid, sigma, tanh, relu, max, pow.',
    ],
    ["max(x)", { x: 1 }, "max(…): takes 2 arguments, got 1. write e.g. max(a, b)."],
    ["x * y", { x: 1 }, "y: has no value. give it one, e.g. y=1 (the expression uses x, y)."],
    ["x * 2", { x: 1, z: 2 }, "z: is given a value but the expression does not use it. the expression uses x."],
    [
      "x * 2",
      { x: 1, xx: 2 },
      'xx: is given a value but the expression does not use it (did you mean "x"?). the expression uses x.',
    ],
    [
      "1 / x",
      { x: 0 },
      "the ÷ node (n2): divides by zero (the denominator x is 0). change the values so that the denominator is not 0.",
    ],
    [
      "r = log(x)",
      { x: -1 },
      "r: takes the log of -1, which is not positive. log needs a positive argument; change the values.",
    ],
    ["x * 2", { x: "abc" }, 'x: expected a finite number, got "abc". write e.g. x=-2 or x=0.5.'],
    ["", {}, 'expression: is empty. write an expression such as "(x + y) * z".'],
    ["q = x + 1; q = x * 2", { x: 1 }, "q: is defined twice. give each named node one definition."],
    ["x === 2", { x: 1 }, "x === 2: the operator === is not supported. use + - * / and ^ (or pow(a, b)) for powers."],
    // a NaN or Infinity gradient is an error naming the node and why (it used to be "NaN", silently)
    [
      "x^y",
      { x: -2, y: 2 },
      "the ^ node (n1): the gradient of x^y with respect to y needs log(x), which is undefined for x = -2. use a positive base when the exponent is a variable, or a number as the exponent (x^2).",
    ],
    [
      "q = x^y; f = q * 3",
      { x: 0, y: 2 },
      "q: the gradient of x^y with respect to y needs log(x), which is undefined for x = 0. use a positive base when the exponent is a variable, or a number as the exponent (x^2).",
    ],
    [
      "x^0.5",
      { x: 0 },
      "the ^ node (n2): its local gradient with respect to x is Infinity at x = 0. the function has no finite derivative there; change the values.",
    ],
  ])("%s", (e, v, expected) => expect(msg(e, v)).toBe(expected));
});

describe("unary minus binds looser than ^, as in maths and Python", () => {
  const value = (e: string, v: Record<string, number>) => {
    const t = graphTrace(e, v, "float");
    return Number(node(t, t.output).value);
  };
  it.each([
    ["-x^2", { x: 3 }, -9],
    ["(-x)^2", { x: 3 }, 9],
    ["-2^2", {}, -4],
    ["2^-x^2", { x: 1 }, 0.5], // 2^(-(1^2)) = 2^-1
    ["1 - -x^2", { x: 3 }, 10],
    ["-x**2 * 3", { x: 2 }, -12],
    ["-x^y^2", { x: 2, y: 2 }, -16], // -(2^(2^2)), ^ right-associative
    ["exp(-x^2)", { x: 0 }, 1],
    ["-x + y", { x: 1, y: 5 }, 4],
  ])("%s = %s", (e, v, expected) => expect(value(e, v)).toBe(expected));

  it("-x^2 at x = 3: the neg node takes x^2, and ∂f/∂x = -2x = -6", () => {
    const t = graphTrace("f = -x^2", { x: 3 });
    expect(node(t, "f").op).toBe("neg");
    expect(node(t, "x").grad).toBe("-6");
  });

  it("x^2 at x = -2 still works: the exponent is a number, so its undefined log gradient is not needed", () => {
    const t = graphTrace("x^2", { x: -2 });
    expect([node(t, t.output).value, node(t, "x").grad]).toEqual(["4", "-4"]);
  });
});
