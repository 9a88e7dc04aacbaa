// The step-through view's data: what the engine's display functions put into a notebook output
// under STEP_THROUGH_MIME, beside the static derivation. The view recomputes everything from it in
// the browser (the engine and checker are bundled into the JupyterLab extension), so the payload
// holds only the problem itself: a network spec or a graph expression with its input values, the
// precision and the notation. Node-free: the extension bundles this module.
import { NOTATION_PRESETS, type NotationPreset } from "../engine/notation.js";
import { parsePrecision, precisionName } from "../engine/numeric.js";

export const STEP_THROUGH_MIME = "application/vnd.backprop-tutor.trace+json";
/** Bumped whenever a field changes meaning; an older payload shows a one-line message, not a wrong view. */
export const STEP_THROUGH_VERSION = 1;

interface PayloadBase {
  version: number;
  /** what the view's heading says (escaped when shown) */
  title?: string;
  /** float, exact or dp:N: the precision every value is computed and revealed in */
  precision: string;
}

export interface NetworkPayload extends PayloadBase {
  kind: "network";
  /** the spec as JSON (docs/network-spec.md), one example */
  spec: Record<string, unknown>;
  notation: NotationPreset;
}

export interface GraphPayload extends PayloadBase {
  kind: "graph";
  expression: string;
  values: Record<string, string>;
}

export type StepThroughPayload = NetworkPayload | GraphPayload;

export interface PayloadOptions {
  precision?: string;
  notation?: NotationPreset;
  title?: string;
}

/** A JSON copy of a spec: numbers stay numbers, so the payload stays small and readable. */
function plainJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

export function networkPayload(spec: unknown, opts: PayloadOptions = {}): NetworkPayload {
  const raw = plainJson(spec);
  const notation = opts.notation ?? (raw.names ? "names" : "bracket");
  return {
    version: STEP_THROUGH_VERSION,
    kind: "network",
    precision: precisionName(parsePrecision(opts.precision ?? "exact")),
    notation,
    spec: raw,
    ...(opts.title ? { title: opts.title } : {}),
  };
}

export function graphPayload(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  opts: PayloadOptions = {},
): GraphPayload {
  return {
    version: STEP_THROUGH_VERSION,
    kind: "graph",
    precision: precisionName(parsePrecision(opts.precision ?? "exact")),
    expression,
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])),
    ...(opts.title ? { title: opts.title } : {}),
  };
}

/** The payload read back from a notebook, or one sentence saying why it cannot be shown. */
export type PayloadReading = { ok: true; payload: StepThroughPayload } | { ok: false; message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Check a payload as found in a (possibly old or hand-edited) notebook. Only the shape is checked
 * here; the spec or expression itself is checked by the engine when the view builds its trace.
 */
export function readPayload(data: unknown): PayloadReading {
  const rerun = "run the cell again to redraw it";
  if (!isRecord(data)) return { ok: false, message: `The step-through view's data is not a JSON object: ${rerun}.` };
  if (data.version !== STEP_THROUGH_VERSION) {
    const which = typeof data.version === "number" ? `version ${data.version}` : "no version";
    return {
      ok: false,
      message: `The step-through view's data has ${which}; this view reads version ${STEP_THROUGH_VERSION}: ${rerun}.`,
    };
  }
  if (typeof data.precision !== "string")
    return { ok: false, message: `The step-through view's data has no precision: ${rerun}.` };
  try {
    parsePrecision(data.precision);
  } catch {
    return {
      ok: false,
      message: `The step-through view's precision "${data.precision}" is not float, exact or dp:N: ${rerun}.`,
    };
  }
  if (data.title !== undefined && typeof data.title !== "string")
    return { ok: false, message: `The step-through view's title is not text: ${rerun}.` };
  if (data.kind === "network") {
    if (!isRecord(data.spec))
      return { ok: false, message: `The step-through view's data has no network spec: ${rerun}.` };
    if (!NOTATION_PRESETS.includes(data.notation as NotationPreset)) {
      const notation = JSON.stringify(data.notation);
      return {
        ok: false,
        message: `The step-through view's notation ${notation} is not one of ${NOTATION_PRESETS.join(", ")}: ${rerun}.`,
      };
    }
    return { ok: true, payload: data as unknown as NetworkPayload };
  }
  if (data.kind === "graph") {
    if (
      typeof data.expression !== "string" ||
      !isRecord(data.values) ||
      !Object.values(data.values).every((v) => typeof v === "string")
    ) {
      return {
        ok: false,
        message: `The step-through view's graph needs an expression and its input values as text: ${rerun}.`,
      };
    }
    return { ok: true, payload: data as unknown as GraphPayload };
  }
  return {
    ok: false,
    message: `The step-through view's data is of kind ${JSON.stringify(data.kind)}, neither "network" nor "graph": ${rerun}.`,
  };
}
