// Drawings laid out by Graphviz (compiled to WASM, loaded once): the network with its activations
// and weights (or, backwards, its deltas and gradients), and a computation graph in the style of
// the lecture's pictures: each node's value above in blue, its gradient below in red, each edge
// labelled upstream × local = product.
import type { NetworkTrace, Step } from "../engine/trace.js";
import type { GraphTrace } from "../engine/graph.js";
import { display, escapeHtml, type MimeBundle } from "./display.js";
import { survivingHtml } from "./math.js";
import { stepId } from "../engine/step-id.js";

export const VALUE_COLOUR = "#1f5fbf";
export const GRAD_COLOUR = "#c0392b";

interface GraphvizLike {
  dot(src: string): string;
}
let graphviz: Promise<GraphvizLike> | undefined;

/** Graphviz WASM, loaded on first use (a dynamic import: the module initialises asynchronously). */
async function loadGraphviz(): Promise<GraphvizLike> {
  graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
  return graphviz;
}

/** Text for a Graphviz HTML-like label: every user-typed character escaped. */
const dotText = (s: string) => escapeHtml(s);

/** Render DOT to SVG (without the XML prologue, so it can sit inside HTML). */
export async function dotToSvg(dot: string): Promise<string> {
  const g = await loadGraphviz();
  return g
    .dot(dot)
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/<!DOCTYPE[^>]*>\s*/, "");
}

// A drawing keeps its own size (Graphviz's points, so a 9 pt label is 12 px at 100 % zoom): the
// notebook's `max-width: 100%` would shrink a wide graph until its labels are unreadable, so
// the drawing opts out and its box scrolls sideways instead.
const UNSHRUNK = "max-width:none;height:auto";
const SCROLLS = "overflow-x:auto;max-width:100%";

/**
 * A figure that survives: inline SVG where our stylesheet applies (live, nbconvert), the same
 * SVG as an image where the sanitizer strips inline SVG (untrusted), and a static image MIME type.
 */
export function figureBundle(svg: string, plain: string): MimeBundle {
  const img = `<div style="${SCROLLS}"><img style="${UNSHRUNK}" alt="${escapeHtml(plain.split("\n")[0])}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"></div>`;
  return {
    "text/plain": plain,
    "text/html": survivingHtml(
      // a region that scrolls is reachable by keyboard, and named (axe: scrollable-region-focusable)
      `<div class="bpt-figure" style="${SCROLLS}" tabindex="0" role="group" aria-label="${escapeHtml(plain.split("\n")[0])}">${svg.replace(/<svg\b/, `<svg style="${UNSHRUNK}"`)}</div>`,
      img,
    ),
    "image/svg+xml": svg,
  };
}

/** A value for a label: as written when it is short (dp traces, inputs), else to `decimals` places. */
const num = (v: string, decimals = 4): string => {
  if (new RegExp(`^-?\\d+(\\.\\d{0,${decimals}})?$`).test(v)) return v;
  const x = Number(v);
  if (!Number.isFinite(x)) return v;
  return x !== 0 && Math.abs(x) < 10 ** -decimals ? x.toExponential(2) : x.toFixed(decimals);
};
/** A factor in a product, bracketed when negative: 1 × (−4). */
const factor = (v: string, decimals: number) =>
  num(v, decimals).startsWith("-") ? `(${num(v, decimals)})` : num(v, decimals);

// --- computation graphs -------------------------------------------------------------------------

/** DOT for a computation graph: value (blue) above the label, gradient (red) below. */
export function graphDot(t: GraphTrace, decimals = 4): string {
  const lines = [
    "digraph G {",
    '  rankdir=LR; bgcolor="transparent";',
    '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=12];',
    '  edge [fontname="Helvetica", fontsize=10, color="#555555"];',
  ];
  for (const n of t.nodes) {
    const shape = n.kind === "input" || n.kind === "const" ? "box" : "ellipse";
    const label = `<<font color="${VALUE_COLOUR}">${dotText(num(n.value, decimals))}</font><br/><b>${dotText(n.label)}</b><br/><font color="${GRAD_COLOUR}">${dotText(num(n.grad, decimals))}</font>>`;
    lines.push(`  "${n.id}" [shape=${shape}, label=${label}];`);
  }
  for (const e of t.edges) {
    const label = `<<font color="${GRAD_COLOUR}">${dotText(`${factor(e.upstream, decimals)} × ${factor(e.local, decimals)} = ${num(e.product, decimals)}`)}</font>>`;
    lines.push(`  "${e.from}" -> "${e.to}" [label=${label}];`);
  }
  lines.push("}");
  return lines.join("\n");
}

export async function graphSvg(t: GraphTrace, decimals = 4): Promise<string> {
  return dotToSvg(graphDot(t, decimals));
}

export async function graphBundle(t: GraphTrace, decimals = 4): Promise<MimeBundle> {
  const plain = [
    `computation graph of ${t.expression} (value / gradient)`,
    ...t.nodes.map((n) => `  ${n.label}: ${num(n.value, decimals)} / ${num(n.grad, decimals)}`),
  ].join("\n");
  const legend = `<div style="font-size:0.85em;color:#555">value in <span style="color:${VALUE_COLOUR}">blue</span> above each node, gradient ∂output/∂node in <span style="color:${GRAD_COLOUR}">red</span> below; edges: upstream × local = product</div>`;
  const b = figureBundle(await graphSvg(t, decimals), plain);
  b["text/html"] = b["text/html"]!.replace(/(<div class="bpt-figure"[^>]*>)/, `$1${legend}`);
  return b;
}

/** Draw a computation graph in the notebook. */
export async function showGraph(t: GraphTrace, decimals = 4): Promise<void> {
  display(await graphBundle(t, decimals));
}

// --- networks -----------------------------------------------------------------------------------

const step = (t: NetworkTrace, id: string): Step | undefined => t.steps.find((s) => s.id === id);

const SUB: Readonly<Record<string, string>> = Object.fromEntries([..."0123456789"].map((d, i) => [d, "₀₁₂₃₄₅₆₇₈₉"[i]]));
const SUP: Readonly<Record<string, string>> = Object.fromEntries(
  [..."0123456789()"].map((d, i) => [d, "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"[i]]),
);

/**
 * A key's indices as a drawing shows them, in one line of plain text (Graphviz's sub- and
 * superscripts collide with the value below): W^[1]_11 → W[1]₁₁, a_1^(2) → a₁⁽²⁾, a_3 → a₃.
 */
function plainIndices(key: string): string {
  return key
    .replace(/\^\[(\d+)\]/g, "[$1]")
    .replace(/\^\((\d+)\)/g, (_m, d: string) => [...`(${d})`].map((c) => SUP[c]).join(""))
    .replace(/_(\d+)/g, (_m, d: string) => [...d].map((c) => SUB[c]).join(""));
}

/** A unit's label from its activation's key: the names notation's own name (a_h1 → h1), else a[1]₁. */
function unitLabel(aKey: string): string {
  return /^a_[A-Za-z]/.test(aKey) ? aKey.slice(2) : plainIndices(aKey);
}

function unitName(t: NetworkTrace, l: number, j: number): string {
  const a = step(t, stepId({ phase: "forward", quantity: "a", layer: l, unit: j }));
  return a ? unitLabel(a.key) : `x${j + 1}`;
}

export type DiagramView = "forward" | "backward";

export function networkDot(t: NetworkTrace, view: DiagramView = "forward", decimals = 4): string {
  const lines = [
    "digraph N {",
    '  rankdir=LR; bgcolor="transparent"; nodesep=0.3; ranksep=1.4;',
    '  node [shape=circle, fontname="Helvetica", fontsize=11, width=0.9, fixedsize=true];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.6];',
  ];
  // the input units as the first z formula writes them (a_{i1} → i1, a^{[0]}_{1}), else x1, x2, …
  const first = step(t, stepId({ phase: "forward", quantity: "z", layer: 1, unit: 0 }));
  const written = first
    ? [...first.formula.matchAll(/a(?:[_^]\{[^}]*\})+/g)].map((m) => unitLabel(m[0].replace(/[{}]/g, "")))
    : [];
  const inputNames = t.forward.a[0].map((_, j) => written[j] ?? `x${j + 1}`);
  t.forward.a.forEach((layer, l) => {
    lines.push(`  subgraph cluster_${l} { style=invis; rank=same;`);
    layer.forEach((a, j) => {
      const name = l === 0 ? (inputNames[j] ?? `x${j + 1}`) : unitName(t, l, j);
      const delta = l > 0 ? t.backward.delta[l]?.[j] : undefined;
      const bottom =
        view === "forward" ? `a = ${num(a, decimals)}` : delta !== undefined ? `δ = ${num(delta, decimals)}` : "";
      const colour = view === "forward" ? VALUE_COLOUR : GRAD_COLOUR;
      const below = bottom ? `<br/><font color="${colour}" point-size="9">${dotText(bottom)}</font>` : "";
      lines.push(`    "u${l}_${j}" [label=<<b>${dotText(name)}</b>${below}>];`);
    });
    lines.push("  }");
  });
  t.backward.dW.forEach((W, l) =>
    W.forEach((row, j) => {
      // the weights as the z step substituted them: "0.15 \times 0.05 + 0.2 \times 0.1 + …"
      const z = step(t, stepId({ phase: "forward", quantity: "z", layer: l + 1, unit: j }));
      const given = z ? z.substituted.split(" + ").map((term) => term.split(" \\times ")[0].replace(/[()]/g, "")) : [];
      row.forEach((g, k) => {
        const dW = step(t, stepId({ phase: "backward", quantity: "dW", layer: l + 1, unit: j, other: k }));
        const wName = dW ? plainIndices(dW.key.replace(/^d[^/]*\/d/, "")) : `w`;
        const text = view === "forward" ? `${wName} = ${given[k] ?? ""}` : `∂/∂${wName} = ${num(g, decimals)}`;
        lines.push(
          `  "u${l}_${k}" -> "u${l + 1}_${j}" [label=<<font color="${view === "forward" ? "#333333" : GRAD_COLOUR}">${dotText(text)}</font>>];`,
        );
      });
    }),
  );
  lines.push("}");
  return lines.join("\n");
}

/** The network drawn with its activations (forward) or its deltas and weight gradients (backward). */
export async function networkBundle(t: NetworkTrace, view: DiagramView = "forward", decimals = 4): Promise<MimeBundle> {
  const plain = `network diagram (${view}): layers ${t.forward.a.map((a) => a.length).join("-")}`;
  return figureBundle(await dotToSvg(networkDot(t, view, decimals)), plain);
}

export async function showNetworkDiagram(
  t: NetworkTrace,
  opts: { view?: DiagramView; decimals?: number } = {},
): Promise<void> {
  display(await networkBundle(t, opts.view ?? "forward", opts.decimals ?? 4));
}
