// Showing things in a notebook. tslab's own display API sends one MIME type per call, but a
// display that survives everywhere needs several at once (KaTeX HTML for the live cell, LaTeX or
// Markdown for an untrusted reopened notebook, a static image for nbconvert), so we send one
// display_data message ourselves through the kernel's own writer. Outside a kernel (tests, the
// command line) a display prints its text/plain form.
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";

export interface MimeBundle {
  /** always present: the readable fallback */
  "text/plain": string;
  "text/html"?: string;
  "text/markdown"?: string;
  "text/latex"?: string;
  /** base64 */
  "image/png"?: string;
  "image/svg+xml"?: string;
  "application/vnd.vegalite.v5+json"?: object;
  /** the step-through view's data (src/view/payload.ts), shown by the labextension/ renderer where it is installed */
  "application/vnd.backprop-tutor.trace+json"?: object;
}

interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
type Writer = (message: DisplayMessage, update: boolean) => void;

/** The running tslab kernel's display writer, or undefined outside a kernel. */
function kernelWriter(): Writer | undefined {
  try {
    // the kernel runs this project's node_modules/tslab, so this resolves to the same module instance
    const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as { lastWriteDisplayData?: Writer | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

function send(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
  const write = kernelWriter();
  if (!write) {
    if (!update)
      process.stdout.write(bundle["text/plain"].endsWith("\n") ? bundle["text/plain"] : bundle["text/plain"] + "\n");
    return;
  }
  write({ data: { ...bundle }, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
}

/** Show a bundle as one output with every MIME type in it; the front end picks what it can show. */
export function display(bundle: MimeBundle): void {
  send(bundle, undefined, false);
}

/** One output that can be redrawn in place (progress lines, live plots). */
export interface LiveDisplay {
  update(bundle: MimeBundle): void;
}

export function liveDisplay(): LiveDisplay {
  const id = randomBytes(8).toString("hex");
  let shown = false;
  return {
    update(bundle) {
      send(bundle, id, shown);
      shown = true;
    },
  };
}

/** Escape text for HTML: anything a user typed (labels, unit names) goes through this. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
