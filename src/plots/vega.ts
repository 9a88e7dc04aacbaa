// A vega-lite plot as a display bundle: the vega-lite spec (JupyterLab draws it, trusted or not),
// an SVG rendered here in Node by vega (nbconvert's HTML export shows it as an image), and a line
// of text. vega is an ES module with top-level await, so it is imported dynamically.
import { display, liveDisplay, type LiveDisplay, type MimeBundle } from "../render/display.js";

export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}

let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;
function loadVega(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([
    import("vega") as Promise<unknown> as Promise<VegaModule>,
    import("vega-lite") as Promise<unknown> as Promise<VegaLiteModule>,
  ]);
  return modules;
}

/** The spec with the schema and the defaults every plot here shares. */
export function withDefaults(spec: VegaLiteSpec): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    width: 420,
    height: 260,
    ...spec,
    config: { font: "Helvetica, Arial, sans-serif", ...(spec.config as object | undefined) },
  };
}

/** Render a vega-lite spec to SVG in Node. */
export async function vegaLiteSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await loadVega();
  const view = new vega.View(vega.parse(vl.compile(withDefaults(spec)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function plotBundle(spec: VegaLiteSpec, plain: string): Promise<MimeBundle> {
  const full = withDefaults(spec);
  return { "text/plain": plain, "application/vnd.vegalite.v5+json": full, "image/svg+xml": await vegaLiteSvg(full) };
}

export async function showPlot(spec: VegaLiteSpec, plain = "(a plot)"): Promise<void> {
  display(await plotBundle(spec, plain));
}

/** A plot redrawn in place; `draw` sends the spec alone (cheap), `finish` adds the static image. */
export class LivePlot {
  private readonly out: LiveDisplay = liveDisplay();
  draw(spec: VegaLiteSpec, plain: string): void {
    this.out.update({ "text/plain": plain, "application/vnd.vegalite.v5+json": withDefaults(spec) });
  }
  async finish(spec: VegaLiteSpec, plain: string): Promise<void> {
    this.out.update(await plotBundle(spec, plain));
  }
}
