// Showing the step-through view from a notebook: one output whose bundle holds the view's data
// beside the static derivation. JupyterLab with labextension/ installed draws the view (it ranks
// above the HTML); nbconvert, VS Code and GitHub show the derivation as before.
import type { NotationPreset } from "../engine/notation.js";
import { traceNetwork } from "../engine/network.js";
import { graphTrace } from "../engine/graph.js";
import { derivationBundle, graphStepsBundle } from "../render/derivation.js";
import { display, escapeHtml, type MimeBundle } from "../render/display.js";
import { graphPayload, networkPayload, STEP_THROUGH_MIME } from "./payload.js";

export interface StepThroughOptions {
  /** float, exact or dp:N (default exact) */
  precision?: string;
  /** the notation to start in (default: the spec's names, else bracket) */
  notation?: NotationPreset;
  /** the view's heading */
  title?: string;
  /**
   * What front ends without the view show: the full static derivation (the default), or, where
   * the notebook shows the derivation in the cells around it anyway, a one-line note: the
   * derivation's KaTeX HTML is about 300 KB for the classic example, the view's data 0.5 KB.
   */
  fallback?: "derivation" | "note";
}

/** The note shown instead of the view where the extension is missing (nbconvert, VS Code, GitHub). */
function noteBundle(title: string): MimeBundle {
  const text =
    `${title}: an interactive step-through view, shown in JupyterLab with backprop-tutor's extension (npm install). ` +
    "The worked calculation is in the cells around it.";
  return { "text/plain": text, "text/html": `<p><em>${escapeHtml(text)}</em></p>` };
}

/** The bundle for a network: the view's data, and the full derivation for front ends without the view. */
export function stepThroughBundle(spec: unknown, opts: StepThroughOptions = {}): MimeBundle {
  const payload = networkPayload(spec, opts);
  // traced here too, so that a bad spec fails in the cell with the engine's message
  const trace = traceNetwork(spec, { precision: payload.precision, notation: payload.notation });
  const fallback =
    opts.fallback === "note" ? noteBundle(opts.title ?? "The calculation step by step") : derivationBundle(trace);
  return { ...fallback, [STEP_THROUGH_MIME]: payload };
}

export function graphStepThroughBundle(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  opts: StepThroughOptions = {},
): MimeBundle {
  const payload = graphPayload(expression, values, opts);
  const trace = graphTrace(expression, values, payload.precision);
  const fallback =
    opts.fallback === "note"
      ? noteBundle(opts.title ?? `The graph ${expression} step by step`)
      : graphStepsBundle(trace);
  return { ...fallback, [STEP_THROUGH_MIME]: payload };
}

/** Step through a network's hand calculation: predict each value, check it, then see it. */
export function showStepThrough(spec: unknown, opts: StepThroughOptions = {}): void {
  display(stepThroughBundle(spec, opts));
}

/** Step through a computation graph: each node forward, then each gradient backward. */
export function showGraphStepThrough(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  opts: StepThroughOptions = {},
): void {
  display(graphStepThroughBundle(expression, values, opts));
}

/**
 * Several outputs as one folded section: closed until the student opens it, so a worked example
 * placed after a view is not on the same screen as the questions (and the leak check, reading
 * the executed notebook, skips what a closed <details> holds). Everywhere HTML is shown it works
 * alike (JupyterLab, nbconvert, GitHub); without HTML the plain texts follow one another.
 */
export function foldedBundle(summary: string, parts: readonly MimeBundle[]): MimeBundle {
  const html = parts.map((p) => p["text/html"] ?? `<pre>${escapeHtml(p["text/plain"])}</pre>`).join("\n");
  return {
    "text/plain": [`${summary} (folded)`, ...parts.map((p) => p["text/plain"])].join("\n\n"),
    "text/html": `<details class="bpt-folded"><summary>${escapeHtml(summary)}</summary>\n${html}\n</details>`,
  };
}

/** Show outputs folded under a one-line summary (see foldedBundle); bundles may still be coming (diagrams). */
export async function showFolded(summary: string, parts: readonly (MimeBundle | Promise<MimeBundle>)[]): Promise<void> {
  display(foldedBundle(summary, await Promise.all(parts)));
}
