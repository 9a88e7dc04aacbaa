// The plots the notebooks use, each a vega-lite spec built from plain numbers. Labels and titles
// are data and text marks, never HTML, so a user's text cannot become markup.
import { display, liveDisplay } from "../render/display.js";
import { LivePlot, plotBundle, type VegaLiteSpec } from "./vega.js";

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

export interface LineOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  width?: number;
  height?: number;
  points?: boolean;
  /**
   * The series names in a fixed order: each name keeps its colour and dash pattern in every plot
   * given the same list (an optimizer's path and its cost curve), whichever series a plot shows.
   */
  seriesOrder?: readonly string[];
}

// Okabe and Ito's colour-blind-safe palette (yellow left out: it vanishes on white), and dash
// patterns, so that lines on top of one another still show and differ without colour as well
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"];
const DASHES = [
  [1, 0],
  [7, 3],
  [2, 2],
  [9, 3, 2, 3],
  [1, 3],
  [12, 3],
  [4, 4],
];
const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke"];
// the first series is drawn first (underneath) and widest, so where lines coincide it shows as a band around the others
const WIDTHS = [4, 3, 2.5, 2, 2, 2, 2];

/** Colour, dash and point-shape encodings for a nominal field, fixed per name by `order`. */
export function seriesStyle(field: string, order: readonly string[], legend: boolean, points = false, widths = true) {
  const scale = (range: readonly unknown[]) => ({
    domain: [...order],
    range: order.map((_, i) => range[i % range.length]),
  });
  const channel = (range: readonly unknown[]) => ({
    field,
    type: "nominal",
    title: null,
    scale: scale(range),
    // long names (an optimizer with its α, a start point) in full, not cut off at 160 px
    legend: legend ? { labelLimit: 400 } : null,
  });
  return {
    color: channel(PALETTE),
    strokeDash: channel(DASHES),
    ...(widths
      ? { strokeWidth: { ...channel(WIDTHS), sort: [...order], scale: { type: "ordinal", ...scale(WIDTHS) } } }
      : {}),
    ...(points ? { shape: channel(SHAPES) } : {}),
  };
}

const size = (o: { width?: number; height?: number }) => ({
  ...(o.width ? { width: o.width } : {}),
  ...(o.height ? { height: o.height } : {}),
});
const finite = (v: number) => Number.isFinite(v);

/**
 * Tick labels of a log axis in one style: below 0.001 as 1e-6, 1e-7 …, above as 0.01, 1, 100
 * (vega's own format wrote 0.000001 beside 1e-7 on one axis).
 */
const LOG_AXIS = {
  // vega blanks the labels of ticks it leaves unnamed (datum.label is then ""): kept blank
  labelExpr: "datum.label === '' ? '' : datum.value < 0.001 ? format(datum.value, '~e') : format(datum.value, '~g')",
} as const;

export function linesSpec(series: readonly Series[], opts: LineOptions = {}): VegaLiteSpec {
  const values = series.flatMap((s) =>
    s.x
      .map((x, i) => ({ series: s.name, x, y: s.y[i] }))
      .filter((p) => finite(p.x) && finite(p.y) && (!opts.logY || p.y > 0)),
  );
  return {
    ...(opts.title ? { title: opts.title } : {}),
    ...size(opts),
    data: { values },
    mark: { type: "line", point: opts.points ?? false, clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: opts.xTitle ?? "x" },
      y: {
        field: "y",
        type: "quantitative",
        title: opts.yTitle ?? "y",
        // padding keeps the highest and lowest lines off the plot's border
        scale: opts.logY ? { type: "log", padding: 10 } : { zero: false, padding: 10 },
        ...(opts.logY ? { axis: LOG_AXIS } : {}),
      },
      ...seriesStyle("series", opts.seriesOrder ?? series.map((s) => s.name), series.length > 1, opts.points),
    },
  };
}

export async function plotLines(series: readonly Series[], opts: LineOptions = {}): Promise<void> {
  display(await plotBundle(linesSpec(series, opts), opts.title ?? `lines: ${series.map((s) => s.name).join(", ")}`));
}

export interface FunctionOptions {
  title?: string;
  samples?: number;
  yDomain?: readonly [number, number];
  width?: number;
  height?: number;
  /** the axes name their quantities (z, g(z), the prediction ŷ, the loss), not "x" and "y" */
  xTitle?: string;
  yTitle?: string;
}

/** Functions sampled over a domain (activations and their derivatives, losses). */
export function functionsSpec(
  fns: readonly { name: string; f: (x: number) => number }[],
  domain: readonly [number, number],
  opts: FunctionOptions = {},
): VegaLiteSpec {
  const n = opts.samples ?? 201;
  const xs = Array.from({ length: n }, (_, i) => domain[0] + ((domain[1] - domain[0]) * i) / (n - 1));
  const spec = linesSpec(
    fns.map((g) => ({ name: g.name, x: xs, y: xs.map(g.f) })),
    { title: opts.title, width: opts.width, height: opts.height, xTitle: opts.xTitle, yTitle: opts.yTitle },
  );
  if (opts.yDomain) (spec.encoding as { y: { scale: object } }).y.scale = { domain: [...opts.yDomain] };
  return spec;
}

export async function plotFunctions(
  fns: readonly { name: string; f: (x: number) => number }[],
  domain: readonly [number, number],
  opts: FunctionOptions = {},
): Promise<void> {
  display(
    await plotBundle(functionsSpec(fns, domain, opts), opts.title ?? `functions: ${fns.map((g) => g.name).join(", ")}`),
  );
}

/** A function of two variables as filled contours (a heat map of a grid), with descent paths on top. */
export function pathsSpec(
  f: (x: number, y: number) => number,
  xDomain: readonly [number, number],
  yDomain: readonly [number, number],
  paths: readonly { name: string; points: readonly (readonly [number, number])[] }[],
  opts: { title?: string; grid?: number; logColour?: boolean; seriesOrder?: readonly string[] } = {},
): VegaLiteSpec {
  const g = opts.grid ?? 40;
  const dx = (xDomain[1] - xDomain[0]) / g,
    dy = (yDomain[1] - yDomain[0]) / g;
  const cells: { x: number; x2: number; y: number; y2: number; f: number }[] = [];
  for (let i = 0; i < g; i++)
    for (let j = 0; j < g; j++) {
      const x = xDomain[0] + i * dx,
        y = yDomain[0] + j * dy;
      cells.push({ x, x2: x + dx, y, y2: y + dy, f: f(x + dx / 2, y + dy / 2) });
    }
  const pts = paths.flatMap((p) =>
    p.points.map(([x, y], step) => ({ path: p.name, step, x, y })).filter((q) => finite(q.x) && finite(q.y)),
  );
  const xs = { field: "x", type: "quantitative", scale: { domain: [...xDomain] }, title: "x₁" };
  const ys = { field: "y", type: "quantitative", scale: { domain: [...yDomain] }, title: "x₂" };
  return {
    ...(opts.title ? { title: opts.title } : {}),
    width: 380,
    height: 320,
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", tooltip: false },
        encoding: {
          x: xs,
          x2: { field: "x2" },
          y: ys,
          y2: { field: "y2" },
          // fill, not color: the paths alone use color, so their colour, shape and dash legends merge
          fill: {
            field: "f",
            type: "quantitative",
            title: "f",
            scale: { scheme: "greys", type: opts.logColour === false ? "linear" : "symlog" },
          },
          opacity: { value: 0.45 },
        },
      },
      {
        data: { values: pts },
        mark: { type: "line", point: { size: 30, filled: false }, strokeWidth: 2, clip: true },
        encoding: {
          x: { ...xs },
          y: { ...ys },
          order: { field: "step" },
          ...seriesStyle("path", opts.seriesOrder ?? paths.map((p) => p.name), true, true, false),
        },
      },
    ],
    config: { axis: { grid: false } },
  };
}

export async function plotPaths(
  f: (x: number, y: number) => number,
  xDomain: readonly [number, number],
  yDomain: readonly [number, number],
  paths: readonly { name: string; points: readonly (readonly [number, number])[] }[],
  opts: { title?: string; grid?: number; seriesOrder?: readonly string[] } = {},
): Promise<void> {
  display(
    await plotBundle(
      pathsSpec(f, xDomain, yDomain, paths, opts),
      opts.title ?? `descent paths: ${paths.map((p) => p.name).join(", ")}`,
    ),
  );
}

export interface DecisionOptions {
  title?: string;
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  /** the output value that separates the classes (0.5 unless given) */
  threshold?: number;
  /** cells per side of the shaded field (50 unless given) */
  grid?: number;
}

/** A 2-D classifier: its output over the plane (shaded), the decision boundary, the data points. */
export function decisionSpec(
  predict: (x: number, y: number) => number,
  points: readonly { x: number; y: number; label: string | number }[],
  opts: DecisionOptions = {},
): VegaLiteSpec {
  const pad = (a: number[]) => {
    const lo = Math.min(...a),
      hi = Math.max(...a),
      m = (hi - lo) * 0.15 || 1;
    return [lo - m, hi + m] as const;
  };
  const xd = opts.xDomain ?? pad(points.map((p) => p.x)),
    yd = opts.yDomain ?? pad(points.map((p) => p.y));
  const g = opts.grid ?? 50,
    t = opts.threshold ?? 0.5;
  const dx = (xd[1] - xd[0]) / g,
    dy = (yd[1] - yd[0]) / g;
  const cells: { x: number; x2: number; y: number; y2: number; side: string }[] = [];
  for (let i = 0; i < g; i++)
    for (let j = 0; j < g; j++) {
      const x = xd[0] + i * dx,
        y = yd[0] + j * dy;
      cells.push({
        x,
        x2: x + dx,
        y,
        y2: y + dy,
        side: predict(x + dx / 2, y + dy / 2) >= t ? "above threshold" : "below threshold",
      });
    }
  const xs = { field: "x", type: "quantitative", scale: { domain: [...xd] }, title: "x₁" };
  const ys = { field: "y", type: "quantitative", scale: { domain: [...yd] }, title: "x₂" };
  return {
    ...(opts.title ? { title: opts.title } : {}),
    width: 340,
    height: 300,
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", opacity: 0.35 },
        encoding: {
          x: xs,
          x2: { field: "x2" },
          y: ys,
          y2: { field: "y2" },
          color: {
            field: "side",
            type: "nominal",
            title: "output",
            scale: { domain: ["below threshold", "above threshold"], range: ["#f4a6a6", "#a6c8f4"] },
          },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p, label: String(p.label) })) },
        mark: { type: "point", filled: true, size: 80, stroke: "black", strokeWidth: 0.5 },
        encoding: {
          x: { ...xs },
          y: { ...ys },
          fill: { field: "label", type: "nominal", title: "label", scale: { scheme: "set1" } },
        },
      },
    ],
    resolve: { scale: { color: "independent", fill: "independent" } },
    config: { axis: { grid: false } },
  };
}

export async function plotDecisionBoundary(
  predict: (x: number, y: number) => number,
  points: readonly { x: number; y: number; label: string | number }[],
  opts: DecisionOptions = {},
): Promise<void> {
  display(await plotBundle(decisionSpec(predict, points, opts), opts.title ?? "decision boundary"));
}

export interface BarOptions {
  title?: string;
  logY?: boolean;
  yTitle?: string;
  xTitle?: string;
}

export function barsSpec(
  bars: readonly { label: string; value: number; group?: string }[],
  opts: BarOptions = {},
): VegaLiteSpec {
  const grouped = bars.some((b) => b.group !== undefined);
  // a log axis has no zero: it spans whole decades from below the smallest value to at least the
  // largest, and bars stand on its bottom (a bar based at 0 would run below the axis, to −∞ on a
  // log scale; a domain ending under the largest value would cut its bar off at the top)
  const positive = bars.map((b) => b.value).filter((v) => v > 0);
  const base = 10 ** (Math.ceil(Math.log10(Math.min(...positive))) - 1),
    top = 10 ** Math.ceil(Math.log10(Math.max(...positive)));
  const spec: VegaLiteSpec = {
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: bars.map((b, i) => ({ ...b, order: i, group: b.group ?? "" })) },
    mark: { type: "bar", clip: true },
    encoding: {
      x: { field: "label", type: "nominal", sort: { field: "order" }, title: opts.xTitle ?? null },
      ...(opts.logY
        ? {
            y: {
              field: "value",
              type: "quantitative",
              title: opts.yTitle ?? "value",
              stack: null,
              scale: { type: "log", domain: [base, top] },
              axis: LOG_AXIS,
            },
            y2: { datum: base },
          }
        : { y: { field: "value", type: "quantitative", title: opts.yTitle ?? "value" } }),
      ...(grouped ? { xOffset: { field: "group" }, color: { field: "group", type: "nominal", title: null } } : {}),
    },
  };
  return spec;
}

export async function plotBars(
  bars: readonly { label: string; value: number; group?: string }[],
  opts: BarOptions = {},
): Promise<void> {
  display(await plotBundle(barsSpec(bars, opts), opts.title ?? "bars"));
}

export interface HeatmapOptions {
  title?: string;
  numbers?: boolean;
  rowTitle?: string;
  colTitle?: string;
  scheme?: string;
  size?: number;
}

/** A matrix as coloured cells (a confusion matrix, an image), its numbers written in when small. */
export function heatmapSpec(
  matrix: readonly (readonly number[])[],
  rowLabels: readonly string[],
  colLabels: readonly string[],
  opts: HeatmapOptions = {},
): VegaLiteSpec {
  const values = matrix.flatMap((row, i) =>
    row.map((v, j) => ({ row: rowLabels[i] ?? String(i), col: colLabels[j] ?? String(j), v, ri: i, cj: j })),
  );
  // columns wide enough for their labels written level (turned upright, "versicolor" pushed the axis
  // title far below the matrix); cells stay square
  const longest = Math.max(0, ...colLabels.map((l) => l.length));
  const cell = opts.size ?? (matrix.length > 12 ? 8 : Math.max(32, 7 * longest + 12));
  const enc = {
    x: {
      field: "col",
      type: "ordinal",
      sort: { field: "cj" },
      title: opts.colTitle ?? null,
      axis: matrix.length > 12 ? null : { labelAngle: 0 },
    },
    y: {
      field: "row",
      type: "ordinal",
      sort: { field: "ri" },
      title: opts.rowTitle ?? null,
      axis: matrix.length > 12 ? null : {},
    },
  };
  return {
    ...(opts.title ? { title: opts.title } : {}),
    width: cell * (colLabels.length || matrix[0]?.length || 1),
    height: cell * matrix.length,
    data: { values },
    layer: [
      {
        mark: "rect",
        encoding: {
          ...enc,
          color: { field: "v", type: "quantitative", title: null, scale: { scheme: opts.scheme ?? "blues" } },
        },
      },
      ...((opts.numbers ?? matrix.length <= 12)
        ? [{ mark: { type: "text", fontSize: 11 }, encoding: { ...enc, text: { field: "v", type: "quantitative" } } }]
        : []),
    ],
  };
}

export async function plotHeatmap(
  matrix: readonly (readonly number[])[],
  rowLabels: readonly string[],
  colLabels: readonly string[],
  opts: HeatmapOptions = {},
): Promise<void> {
  display(await plotBundle(heatmapSpec(matrix, rowLabels, colLabels, opts), opts.title ?? "heat map"));
}

export interface LiveLossOptions {
  title?: string;
  /** at least this many epochs between redraws (default 1) */
  every?: number;
  logY?: boolean;
  /** at least this many milliseconds between redraws, and before the first (default 750) */
  intervalMs?: number;
}

/**
 * A loss curve that grows while training runs, with a progress line, redrawn in place. Redraws
 * are paced by the clock, not by the epoch count: JupyterLab rebuilds the whole vega view for
 * each one (about a third of a second), so 20 redraws of a 0.2 s training made a 7.6 s cell.
 * A training shorter than `intervalMs` draws only its final plot; a longer one redraws once per
 * interval while it runs. `finish` sends the final plot once, with the static SVG that
 * untrusted notebooks and HTML exports show.
 */
export function liveLossPlot(opts: LiveLossOptions = {}): {
  update(epoch: number, loss: number): void;
  finish(): Promise<void>;
} {
  const every = opts.every ?? 1,
    interval = opts.intervalMs ?? 750;
  const epochs: number[] = [],
    losses: number[] = [];
  const progress = liveDisplay();
  const plot = new LivePlot();
  const spec = () =>
    linesSpec([{ name: "loss", x: epochs, y: losses }], {
      title: opts.title ?? "loss while training",
      xTitle: "epoch",
      yTitle: "loss",
      logY: opts.logY ?? true,
    });
  const line = () => `epoch ${epochs.at(-1) ?? 0} · loss ${losses.at(-1)?.toPrecision(6) ?? "–"}`;
  let lastEpoch = -Infinity,
    lastTime = Date.now();
  return {
    update(epoch, loss) {
      epochs.push(epoch);
      losses.push(loss);
      const now = Date.now();
      if (epoch - lastEpoch >= every && now - lastTime >= interval) {
        lastEpoch = epoch;
        lastTime = now;
        progress.update({ "text/plain": line() });
        plot.draw(spec(), line());
      }
    },
    async finish() {
      progress.update({ "text/plain": `${line()} (done)` });
      await plot.finish(spec(), line());
    },
  };
}
