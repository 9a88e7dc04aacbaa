// The view's drawing: units (or a graph's nodes, with their gate) and edges, the current step's
// units and edges lit, and each value and gradient written beside its unit or edge once the
// student has it on the page (answered right, or shown). Nothing is written before that.
import type { Layout } from "../../src/view/layout.js";
import type { StepThrough, ViewStep } from "../../src/view/session.js";
import { shortText } from "../../src/render/step-line.js";
import { svg } from "./dom.js";

const R = 22;
const short = (v: string) => shortText(v, 4);

export function drawing(layout: Layout, kind: "network" | "graph"): SVGElement {
  const { width, height, nodes, edges } = layout;
  const picture = svg("svg", {
    viewBox: `0 -12 ${width + 40} ${height + 24}`,
    width: width + 40,
    height: height + 24,
    class: `bpt-svg bpt-svg-${kind}`,
  });
  for (const e of edges) {
    picture.append(
      svg("line", { x1: e.from.x, y1: e.from.y, x2: e.to.x, y2: e.to.y, "data-edge": e.key, class: "bpt-edge" }),
    );
  }
  for (const e of edges) {
    // an edge's gradient sits a third of the way along, where edges into one unit are still apart,
    // and clear of the unit it leaves ("∇ 0.0822" is about 56 px wide: its middle at least R + 32 out)
    const length = Math.hypot(e.to.x - e.from.x, e.to.y - e.from.y) || 1;
    const along = Math.min(Math.max(length / 3, R + 32), length / 2) / length;
    const x = e.from.x + (e.to.x - e.from.x) * along,
      y = e.from.y + (e.to.y - e.from.y) * along - 4;
    picture.append(svg("text", { x, y, "text-anchor": "middle", class: "bpt-edge-grad", "data-edge-grad": e.key }));
  }
  for (const n of nodes) {
    const g = svg("g", { "data-unit": n.key, class: "bpt-unit" });
    g.append(svg("circle", { cx: n.x, cy: n.y, r: R }));
    g.append(svg("title", {}, n.name));
    if (n.gate) {
      g.append(svg("text", { x: n.x, y: n.y - 2, "text-anchor": "middle", class: "bpt-gate" }, n.gate));
      g.append(svg("text", { x: n.x, y: n.y + 13, "text-anchor": "middle", class: "bpt-node-name" }, n.label));
    } else g.append(svg("text", { x: n.x, y: n.y + 4, "text-anchor": "middle" }, n.label));
    g.append(svg("text", { x: n.x, y: n.y + R + 13, "text-anchor": "middle", class: "bpt-node-value" }));
    g.append(svg("text", { x: n.x, y: n.y - R - 5, "text-anchor": "middle", class: "bpt-node-grad" }));
    picture.append(g);
  }
  return picture;
}

/** Light up what the current step uses; write what the student has seen (only texts that changed are set). */
export function paintDrawing(host: HTMLElement, s: StepThrough, step: ViewStep): void {
  const uses = step.uses;
  const texts = new Map<Element, string>();
  for (const g of host.querySelectorAll<SVGElement>("[data-unit]")) {
    g.classList.toggle("bpt-on", uses.units.includes(g.dataset.unit!));
    for (const t of g.querySelectorAll(".bpt-node-value, .bpt-node-grad")) texts.set(t, "");
  }
  for (const e of host.querySelectorAll<SVGElement>("[data-edge]"))
    e.classList.toggle("bpt-on", uses.edges.includes(e.dataset.edge!));
  for (const t of host.querySelectorAll<SVGElement>("[data-edge-grad]")) texts.set(t, "");
  for (const x of s.steps) {
    if (!x.mark || !s.revealed(x.id)) continue;
    const text = x.mark.kind === "value" ? short(x.value) : `∇ ${short(x.value)}`;
    if (x.mark.on === "edge") {
      const t = host.querySelector(`[data-edge-grad="${CSS.escape(x.mark.key)}"]`);
      if (t) texts.set(t, text);
    } else {
      const g = host.querySelector(`[data-unit="${CSS.escape(x.mark.key)}"]`);
      const t = g?.querySelector(x.mark.kind === "value" ? ".bpt-node-value" : ".bpt-node-grad");
      if (t) texts.set(t, text);
    }
  }
  for (const [t, text] of texts) if (t.textContent !== text) t.textContent = text;
}
