// The structure of src/: no import cycle (type-only imports count: they couple modules all the
// same), and no import from a lower layer to a higher one. Layers, lowest first:
//   engine  <-  checking  <-  render, plots, exercises, view  <-  cli  (and index.ts, the public API, on top)
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

const LAYER: Record<string, number> = {
  engine: 0,
  checking: 1,
  render: 2,
  plots: 2,
  exercises: 2,
  view: 2,
  cli: 3,
  "index.ts": 4,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** module (path under src/, no extension) → the src modules it imports, statically or dynamically, types included */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const code = readFileSync(file, "utf8");
    const specs = [
      ...code.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
      ),
    ].map((m) => m[1] ?? m[2]);
    const local = specs
      .filter((s) => s.startsWith("."))
      .map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, ""));
    graph.set(relative(SRC, file).replace(/\.ts$/, ""), [...new Set(local)]);
  }
  return graph;
}

const layerOf = (module: string) => LAYER[module.split("/")[0]] ?? LAYER[`${module}.ts`];

describe("the import graph of src/", () => {
  const graph = importGraph();

  it("reads every module, and every import names a module that exists", () => {
    expect(graph.size).toBeGreaterThan(40);
    for (const [m, deps] of graph) for (const d of deps) expect(graph.has(d), `${m} imports ${d}`).toBe(true);
  });

  it("every module is in a layer", () => {
    for (const m of graph.keys()) expect(layerOf(m), m).toBeTypeOf("number");
  });

  it("no module imports from a higher layer", () => {
    const upward = [...graph].flatMap(([m, deps]) =>
      deps.filter((d) => layerOf(d) > layerOf(m)).map((d) => `${m} -> ${d}`),
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
});
