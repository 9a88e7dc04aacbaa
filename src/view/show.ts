// Showing the step-through view from a notebook: one output whose bundle holds the view's data
// beside the static derivation. JupyterLab with labextension/ installed draws the view (it ranks
// above the HTML); nbconvert, VS Code and GitHub show the derivation as before.
import type { NotationPreset } from "../engine/notation.js";
import { traceNetwork } from "../engine/network.js";
import { graphTrace } from "../engine/graph.js";
import { derivationBundle, graphStepsBundle } from "../render/derivation.js";
import { display, type MimeBundle } from "../render/display.js";
import { graphPayload, networkPayload, STEP_THROUGH_MIME } from "./payload.js";

export interface StepThroughOptions {
  /** float, exact or dp:N (default exact) */
  precision?: string;
  /** the notation to start in (default: the spec's names, else bracket) */
  notation?: NotationPreset;
  /** the view's heading */
  title?: string;
}

/** The bundle for a network: the view's data, and the full derivation for front ends without the view. */
export function stepThroughBundle(spec: unknown, opts: StepThroughOptions = {}): MimeBundle {
  const payload = networkPayload(spec, opts);
  // traced here too, so that a bad spec fails in the cell with the engine's message
  const trace = traceNetwork(spec, { precision: payload.precision, notation: payload.notation });
  return { ...derivationBundle(trace), [STEP_THROUGH_MIME]: payload };
}

export function graphStepThroughBundle(expression: string, values: Readonly<Record<string, number | string>>, opts: StepThroughOptions = {}): MimeBundle {
  const payload = graphPayload(expression, values, opts);
  return { ...graphStepsBundle(graphTrace(expression, values, payload.precision)), [STEP_THROUGH_MIME]: payload };
}

/** Step through a network's hand calculation: predict each value, check it, then see it. */
export function showStepThrough(spec: unknown, opts: StepThroughOptions = {}): void {
  display(stepThroughBundle(spec, opts));
}

/** Step through a computation graph: each node forward, then each gradient backward. */
export function showGraphStepThrough(expression: string, values: Readonly<Record<string, number | string>>, opts: StepThroughOptions = {}): void {
  display(graphStepThroughBundle(expression, values, opts));
}
