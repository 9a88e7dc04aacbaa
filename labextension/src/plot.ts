// The what-if plot: the loss against the edited weight, the edited value marked, and the gradient
// drawn as the curve's tangent there. Plain SVG, sized for the givens' column.
import type { LossCurve } from "../../src/view/whatif.js";
import { el, svg } from "./dom.js";

const W = 340,
  H = 200,
  M = { left: 52, right: 12, top: 12, bottom: 36 };

/** `slopeText`: the gradient's value when the student has seen it, else words that do not give it away. */
export function lossPlot(c: LossCurve, slopeText: string): HTMLElement {
  const xs = c.points.map((p) => p.x),
    ys = c.points.map((p) => p.loss);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-12) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const box = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "bpt-plot", role: "img" });
  const title = `${c.lossKey} against ${c.weightKey}; the straight line is the tangent at ${c.weightKey} = ${c.at.x}, slope ${c.gradientKey}`;
  box.setAttribute("aria-label", title);
  const axis = { class: "bpt-axis" };
  box.append(
    svg("line", { ...axis, x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom }),
    svg("line", { ...axis, x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom }),
    svg("text", { x: (W + M.left) / 2, y: H - 6, "text-anchor": "middle" }, c.weightKey),
    svg(
      "text",
      { x: 12, y: (H - M.bottom) / 2, transform: `rotate(-90 12 ${(H - M.bottom) / 2})`, "text-anchor": "middle" },
      c.lossKey,
    ),
    svg("text", { x: M.left, y: H - M.bottom + 14, "text-anchor": "middle", class: "bpt-tick" }, x0.toPrecision(3)),
    svg("text", { x: W - M.right, y: H - M.bottom + 14, "text-anchor": "end", class: "bpt-tick" }, x1.toPrecision(3)),
    svg("text", { x: M.left - 4, y: py(y0), "text-anchor": "end", class: "bpt-tick" }, y0.toPrecision(3)),
    svg("text", { x: M.left - 4, y: py(y1) + 8, "text-anchor": "end", class: "bpt-tick" }, y1.toPrecision(3)),
  );
  const curve = c.points.map((p) => `${px(p.x).toFixed(1)},${py(p.loss).toFixed(1)}`).join(" ");
  box.append(svg("polyline", { points: curve, class: "bpt-curve" }));
  // the tangent over a fifth of the range each side, clipped to the plot
  const d = (x1 - x0) / 5;
  const t = (x: number) => c.at.loss + c.at.slope * (x - c.at.x);
  const clip = (y: number) => Math.min(H - M.bottom, Math.max(M.top, y));
  box.append(
    svg("line", {
      class: "bpt-tangent",
      x1: px(c.at.x - d),
      y1: clip(py(t(c.at.x - d))),
      x2: px(c.at.x + d),
      y2: clip(py(t(c.at.x + d))),
    }),
    svg("circle", { cx: px(c.at.x), cy: py(c.at.loss), r: 4, class: "bpt-point" }),
  );
  const figure = el("figure", { class: "bpt-loss-plot", "data-bpt-loss-plot": "" });
  const caption = el(
    "figcaption",
    {},
    `${c.lossKey} against ${c.weightKey} (the dot: ${c.weightKey} = ${c.at.x}). The dashed line is the tangent there: its slope is the gradient ${c.gradientKey}${slopeText}.`,
  );
  figure.append(box, caption);
  return figure;
}
