// The structure of src/ and of the view's extension (labextension/src, built from src/'s sources):
// no import cycle (type-only imports count: they couple modules all the same), and no import from
// a lower layer to a higher one. Layers, lowest first (LAYERS in scripts/import-graph.mjs):
//   engine  <-  checking  <-  render, plots, exercises, view  <-  cli, labextension  (and index.ts, the public API, on top)
// The structure drawing, docs/structure.svg, is drawn from the same graph (npm run structure).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importGraph, layerOf, structureDot } from "../scripts/import-graph.mjs";

describe("the import graph of src/ and labextension/src", () => {
  const graph = importGraph();

  it("reads every module, and every import names a module that exists", () => {
    expect(graph.size).toBeGreaterThan(40);
    // the extension reaches src/ through its sources (one build of the view), not through dist/
    expect(graph.get("labextension/view")).toEqual(expect.arrayContaining(["view/session", "labextension/drawing"]));
    for (const [m, deps] of graph) for (const d of deps) expect(graph.has(d), `${m} imports ${d}`).toBe(true);
  });

  it("every module is in a layer", () => {
    for (const m of graph.keys()) expect(layerOf(m), m).toBeTypeOf("number");
  });

  it("no module imports from a higher layer", () => {
    const upward = [...graph].flatMap(([m, deps]) =>
      deps.filter((d) => layerOf(d)! > layerOf(m)!).map((d) => `${m} -> ${d}`),
    );
    expect(upward).toEqual([]);
  });

  it("has no cycle", () => {
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (m: string, path: string[]) => {
      if (state.get(m) === "done") return;
      if (state.get(m) === "open") {
        cycles.push([...path.slice(path.indexOf(m)), m].join(" -> "));
        return;
      }
      state.set(m, "open");
      for (const d of graph.get(m) ?? []) visit(d, [...path, m]);
      state.set(m, "done");
    };
    for (const m of graph.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });

  it("is what the structure drawing shows (docs/structure.dot; `npm run structure` redraws it)", () => {
    const dot = structureDot(graph);
    expect(dot).toContain('"labextension" -> "view"');
    expect(readFileSync(join(import.meta.dirname, "..", "docs", "structure.dot"), "utf8")).toBe(dot);
  });
});
