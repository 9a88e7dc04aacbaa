// The graph's answer keys, built in one place (engine/graph.ts): a node's value by its name, the
// output's gradient as d<out>/d<name>, and the one normal form a typed key is compared in.
import { describe, expect, it } from "vitest";
import { graphAnswerKey, graphTrace, gradientKey, normaliseGraphKey } from "../src/engine/graph.js";

describe("graph answer keys", () => {
  const t = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: -4 });

  it("name a value by the node's name and a gradient as d<out>/d<name>", () => {
    expect(graphAnswerKey(t, "q", "value")).toBe("q");
    expect(graphAnswerKey(t, "x", "grad")).toBe("df/dx");
    expect(graphAnswerKey(t, t.output, "grad")).toBe("df/df");
    expect(gradientKey("L", "w1")).toBe("dL/dw1");
  });

  it("an unnamed node is known by its id", () => {
    const u = graphTrace("(x + y) * z", { x: -2, y: 5, z: -4 });
    const sum = u.nodes.find((n) => n.op === "add")!;
    expect(graphAnswerKey(u, sum.id, "value")).toBe(sum.id);
    expect(graphAnswerKey(u, "x", "grad")).toBe(`d${u.output}/dx`);
  });

  it("one normal form: spaces, ∂ and \\partial do not count", () => {
    for (const typed of ["df/dq", " df / dq ", "∂f/∂q", "\\partial f/\\partial q"])
      expect(normaliseGraphKey(typed)).toBe("df/dq");
    expect(normaliseGraphKey("dF/dq")).not.toBe("df/dq"); // names keep their case: x and X are two inputs
  });
});
