// The structure of src/ and of the view's extension (labextension/src, which builds on src/view):
// no import cycle (type-only imports count: they couple modules all the same), and no import from
// a lower layer to a higher one. Layers, lowest first:
//   engine  <-  checking  <-  render, plots, exercises, view  <-  cli, labextension  (and index.ts, the public API, on top)
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const EXTENSION = resolve(dirname(fileURLToPath(import.meta.url)), "../labextension/src");

const LAYER: Record<string, number> = {
  engine: 0,
  checking: 1,
  render: 2,
  plots: 2,
  exercises: 2,
  view: 2,
  cli: 3,
  labextension: 3,
  "index.ts": 4,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/**
 * The module name of a file: its path under src/ (no extension), or `labextension/<name>` for the
 * extension's own files; the extension reaches src/ through dist/, built from it one to one.
 */
function moduleOf(file: string): string {
  if (file.startsWith(EXTENSION)) return `labextension/${relative(EXTENSION, file).replace(/\.(ts|js)$/, "")}`;
  const dist = resolve(SRC, "../dist");
  const under = file.startsWith(dist) ? relative(dist, file) : relative(SRC, file);
  return under.replace(/\.(ts|js)$/, "");
}

/** module → the modules it imports, statically or dynamically, types included */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...files(SRC), ...files(EXTENSION)]) {
    const code = readFileSync(file, "utf8");
    const specs = [
      ...code.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
      ),
    ].map((m) => m[1] ?? m[2]);
    const local = specs.filter((s) => s.startsWith(".")).map((s) => moduleOf(resolve(dirname(file), s)));
    graph.set(moduleOf(file), [...new Set(local)]);
  }
  return graph;
}

const layerOf = (module: string) => LAYER[module.split("/")[0]] ?? LAYER[`${module}.ts`];

describe("the import graph of src/ and labextension/src", () => {
  const graph = importGraph();

  it("reads every module, and every import names a module that exists", () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get("labextension/view")).toEqual(expect.arrayContaining(["view/session", "labextension/drawing"]));
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
