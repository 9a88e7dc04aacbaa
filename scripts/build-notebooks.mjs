// Notebooks are written as Markdown in notebooks-src/ (prose, with ```ts fences for code cells)
// and built into notebooks/*.ipynb for the tslab kernel, so that they review as text and the
// .ipynb files stay free of hand-edited JSON. `--check` fails if a built notebook is stale.
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { ROOT, NOTEBOOKS } from "./paths.mjs";

const SRC = join(ROOT, "notebooks-src");

export function markdownToNotebook(text) {
  const cells = [];
  let prose = [];
  const flushProse = () => {
    const src = prose.join("\n").trim();
    if (src) cells.push({ cell_type: "markdown", metadata: {}, source: src });
    prose = [];
  };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript)\s*(\{.*\})?\s*$/.exec(lines[i]);
    if (!fence) {
      // a line "<!-- cell -->" splits prose into two markdown cells
      if (lines[i].trim() === "<!-- cell -->") flushProse();
      else prose.push(lines[i]);
      continue;
    }
    flushProse();
    const code = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) code.push(lines[i]);
    const meta = fence[2] ? JSON.parse(fence[2]) : {};
    cells.push({ cell_type: "code", execution_count: null, metadata: meta, outputs: [], source: code.join("\n") });
  }
  flushProse();
  // nbformat stores source as a list of lines, each but the last ending in "\n"
  for (const c of cells) c.source = c.source.split("\n").map((l, i, all) => (i < all.length - 1 ? l + "\n" : l));
  return {
    cells,
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      language_info: { codemirror_mode: { mode: "typescript", name: "javascript", typescript: true }, file_extension: ".ts", mimetype: "text/typescript", name: "typescript", version: "5.0" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function build({ check }) {
  if (!existsSync(SRC)) return 0;
  let stale = 0;
  for (const file of readdirSync(SRC).filter((f) => f.endsWith(".md")).sort()) {
    const nb = markdownToNotebook(readFileSync(join(SRC, file), "utf8"));
    nb.cells.forEach((c, i) => { c.id = `${basename(file, ".md")}-${i}`.slice(0, 64); });
    const out = join(NOTEBOOKS, basename(file, ".md") + ".ipynb");
    const json = JSON.stringify(nb, null, 1) + "\n";
    if (check) {
      if (!existsSync(out) || readFileSync(out, "utf8") !== json) { console.error(`stale: ${out} (run npm run notebooks)`); stale++; }
    } else writeFileSync(out, json);
  }
  return stale;
}

if (process.argv[1] && process.argv[1].endsWith("build-notebooks.mjs")) {
  const stale = build({ check: process.argv.includes("--check") });
  process.exit(stale ? 1 : 0);
}
