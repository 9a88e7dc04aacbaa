// The project's import graph, read from the TypeScript sources of src/ and of the view's extension
// (labextension/src) as text: which module imports which, statically or dynamically, types
// included (they couple modules all the same). One reader for the architecture test, the
// view-bundle test, the extension's build (what its bundle is made of) and the structure drawing.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./paths.mjs";

export const SRC = join(ROOT, "src");
export const EXTENSION = join(ROOT, "labextension", "src");

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every .ts file under `dir`. */
export function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
    })
    .sort();
}

/**
 * What one file imports: `local`, the project's files (absolute paths of the .ts sources, as
 * `./x.js` names the `x.ts` it is compiled from), and `builtins`, Node's built-in modules.
 */
export function importsOf(file) {
  const specs = [...readFileSync(file, "utf8").matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
  return {
    local: [
      ...new Set(specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")))),
    ],
    builtins: specs.filter((s) => NODE.has(s) || NODE.has(s.split("/")[0])),
  };
}

/** A file's module name: its path under src/ without `.ts`, or `labextension/<name>` for the extension's own files. */
export function moduleName(file) {
  if (file.startsWith(EXTENSION + "/")) return `labextension/${relative(EXTENSION, file).replace(/\.ts$/, "")}`;
  return relative(SRC, file).replace(/\.ts$/, "");
}

/** module → the modules it imports, for every file of src/ and labextension/src. */
export function importGraph() {
  const graph = new Map();
  for (const file of [...sourceFiles(SRC), ...sourceFiles(EXTENSION)])
    graph.set(moduleName(file), importsOf(file).local.map(moduleName));
  return graph;
}

/** Every file reachable from `entries` through the project's own imports, each with the Node built-ins it imports. */
export function reachable(entries) {
  const seen = new Map();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    const { local, builtins } = importsOf(file);
    seen.set(file, builtins);
    todo.push(...local);
  }
  return seen;
}

/** The files the view's extension is built from: its own sources and every module of src/ they reach. */
export function extensionInputs() {
  return [...reachable(sourceFiles(EXTENSION)).keys()].sort();
}

/**
 * The layers, lowest first: a module may import from its own layer or a lower one, never a higher
 * (test/architecture.test.ts). The first part of a module's name is its folder; index.ts, the
 * public API, stands alone on top.
 */
export const LAYERS = [
  ["engine"],
  ["checking"],
  ["render", "plots", "exercises", "view"],
  ["cli", "labextension"],
  ["index"],
];

/** The folder (or top-level file) a module belongs to: `view/session` → `view`, `index` → `index`. */
export const partOf = (module) => module.split("/")[0];

/** The layer of a module (its index in LAYERS), or undefined for a module in no layer. */
export function layerOf(module) {
  const i = LAYERS.findIndex((layer) => layer.includes(partOf(module)));
  return i < 0 ? undefined : i;
}

const PART_LABEL = {
  engine: "engine/",
  checking: "checking/",
  render: "render/",
  plots: "plots/",
  exercises: "exercises/",
  view: "view/",
  cli: "cli/",
  labextension: "labextension/\\n(the view's JupyterLab extension)",
  index: "index.ts\\n(the public API)",
};

/**
 * The structure drawing (docs/structure.svg) as Graphviz DOT: one box per folder, layers from the
 * bottom up, an arrow from a folder to each folder it imports from, labelled with how many of its
 * modules' imports cross it. Written by scripts/structure.mjs; the architecture test checks that the
 * committed docs/structure.dot is this.
 */
export function structureDot(graph) {
  const crossings = new Map();
  for (const [m, deps] of graph)
    for (const d of deps) {
      if (partOf(m) === partOf(d)) continue;
      const edge = `  "${partOf(m)}" -> "${partOf(d)}"`;
      crossings.set(edge, (crossings.get(edge) ?? 0) + 1);
    }
  const ranks = LAYERS.map((layer) => `  { rank = same; ${layer.map((p) => `"${p}"`).join("; ")}; }`);
  const nodes = LAYERS.flat().map((p) => `  "${p}" [label="${PART_LABEL[p]}"];`);
  const edges = [...crossings].sort(([a], [b]) => a.localeCompare(b)).map(([e, n]) => `${e} [label="${n}"];`);
  return [
    "// generated by scripts/structure.mjs from the import graph of src/ and labextension/src: do not edit",
    "digraph structure {",
    "  rankdir = TB;",
    '  node [shape = box, style = rounded, fontname = "Helvetica", fontsize = 12];',
    '  edge [fontname = "Helvetica", fontsize = 9, color = "#777777"];',
    ...nodes,
    ...ranks,
    ...edges,
    "}",
    "",
  ].join("\n");
}
