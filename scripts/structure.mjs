// Draws the project's structure from its import graph (scripts/import-graph.mjs): one box per
// folder of src/ and the view's extension, layers from the bottom up, an arrow for each folder
// another imports from. Writes docs/structure.dot (the architecture test checks it is current)
// and docs/structure.svg (drawn with Graphviz, the engine's own @hpcc-js/wasm-graphviz).
//
//   npm run structure
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { ROOT } from "./paths.mjs";
import { importGraph, structureDot } from "./import-graph.mjs";

const dot = structureDot(importGraph());
const graphviz = await Graphviz.load();
writeFileSync(join(ROOT, "docs", "structure.dot"), dot);
writeFileSync(join(ROOT, "docs", "structure.svg"), graphviz.dot(dot));
console.log("wrote docs/structure.dot and docs/structure.svg");
