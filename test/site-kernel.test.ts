// The browser kernel's cell runner (lite/worker), in Node: names persist from cell to cell as in
// tslab, top-level await works, a last expression is returned, and values print as Node prints them.
import { describe, expect, it } from "vitest";
import { createSession } from "../lite/worker/session.js";
import { rewriteCell } from "../lite/worker/rewrite.js";
import { formatArgs, inspect } from "../lite/worker/inspect.js";
import { traceNetwork, TutorError } from "../src/index.js";

const engine = { traceNetwork, TutorError };
const load = async (specifier: string) => {
  if (specifier === "../dist/index") return engine;
  throw new Error(`Cannot find module '${specifier}'`);
};

describe("the browser kernel's cells", () => {
  it("keeps const, let, var, function, class and destructured names for the next cell", async () => {
    const s = createSession(load);
    await s.run(`const a: number = 2; let b = 3; var c = 4;
      function twice(x: number): number { return 2 * x; }
      class Box { constructor(readonly v: number) {} }
      const { p, q: [r, ...rest] } = { p: 5, q: [6, 7, 8] };`);
    expect(await s.run("[a, b, c, twice(a), new Box(9).v, p, r, rest]")).toEqual([2, 3, 4, 4, 9, 5, 6, [7, 8]]);
  });

  it("lets a later cell declare a name again, as tslab does", async () => {
    const s = createSession(load);
    await s.run("const x = 1;");
    await s.run("const x = 'two';");
    expect(await s.run("x")).toBe("two");
  });

  it("calls a function before its declaration in the same cell (hoisting)", async () => {
    const s = createSession(load);
    expect(await s.run("const y = f(); function f() { return 41 + 1; } y")).toBe(42);
    expect(await s.run("f()")).toBe(42);
  });

  it("waits at the top level and imports the engine by its tslab name", async () => {
    const s = createSession(load);
    await s.run(`import { traceNetwork as tn } from "../dist/index";
      const wait = await new Promise<number>((ok) => setTimeout(() => ok(7), 5));`);
    expect(await s.run("wait")).toBe(7);
    expect(await s.run("typeof tn")).toBe("function");
  });

  it("keeps an import that the importing cell does not use (the notebooks import in their first cell)", () => {
    const { body, declared } = rewriteCell('import { traceNetwork, type TraceOptions } from "../dist/index";');
    expect(declared).toEqual(["traceNetwork"]);
    expect(body).toContain('__bpt.load("../dist/index")');
  });

  it("shadows the worker's own globals with a cell's names (name, close, location)", async () => {
    const s = createSession(load);
    await s.run("const name = 'w5'; const close = 3;");
    expect(await s.run("[name, close]")).toEqual(["w5", 3]);
    expect(s.scope.name).toBe("w5");
  });

  it("throws the cell's own error, and a syntax error names itself", async () => {
    const s = createSession(load);
    await s.run('import { TutorError } from "../dist/index";');
    await expect(
      s.run("throw new TutorError('layers[1]', 'is 0', 'give each layer at least one unit')"),
    ).rejects.toThrow("layers[1]: is 0. give each layer at least one unit.");
    await expect(s.run("const = 3")).rejects.toMatchObject({ name: "SyntaxError" });
    await expect(s.run('import { x } from "left-pad";')).rejects.toThrow("Cannot find module 'left-pad'");
  });

  it("returns nothing when the last statement is not an expression", async () => {
    const s = createSession(load);
    expect(await s.run("const z = 1;")).toBeUndefined();
    expect(await s.run("for (const i of [1, 2]) {}")).toBeUndefined();
  });
});

describe("printing values as Node does", () => {
  it("prints strings bare at the top and quoted inside", () => {
    expect(formatArgs(["a", 1, [1, "b"], { k: "v", n: null }])).toBe("a 1 [ 1, 'b' ] { k: 'v', n: null }");
  });
  it("fills in %s and %d", () => {
    expect(formatArgs(["%s has %d units", "layer 1", 2])).toBe("layer 1 has 2 units");
  });
  it("shows maps, sets, class names, -0 and nesting", () => {
    class Unit {
      z = 0.3775;
    }
    expect(inspect(new Map([["a", 1]]))).toBe("Map(1) { 'a' => 1 }");
    expect(inspect(new Set([1]))).toBe("Set(1) { 1 }");
    expect(inspect(new Unit())).toBe("Unit { z: 0.3775 }");
    expect(inspect(-0)).toBe("-0");
    expect(inspect({ a: { b: { c: { d: 1 } } } })).toBe("{ a: { b: { c: [Object] } } }");
  });
  it("uses an object's own Node inspect hook (the engine's errors print as one line)", () => {
    const e = new TutorError("epoch 37", "the loss is NaN", "lower the learning rate", "training");
    expect(inspect(e)).toBe("TutorError: epoch 37: the loss is NaN. lower the learning rate.");
  });
});
