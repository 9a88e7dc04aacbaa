// A trace as the lecture writes it on the board: grouped (forward pass per layer; the error;
// output-layer gradients; hidden-layer gradients, with the sum over every output path; the
// updates), each line `symbol = formula = formula with numbers = value`, aligned, in KaTeX.
import type { NetworkTrace, Step } from "../engine/trace.js";
import { gradientKey, type GraphStep, type GraphTrace } from "../engine/graph.js";
import { display, escapeHtml, type MimeBundle } from "./display.js";
import { alignedTex, katexHtml, survivingHtml, texForMathJax } from "./math.js";
import { stepLine } from "./step-line.js";

export type DerivationPart = "forward" | "loss" | "output" | "hidden" | "update";

export interface DerivationOptions {
  /** which parts to show (default: all) */
  parts?: readonly DerivationPart[];
  /** digits to show for long values (exact traces): default 8 decimals */
  decimals?: number;
}

interface Group {
  title: string;
  lines: string[];
  plain: string[];
}

function plainLine(s: Step): string {
  return `${s.key} = ${s.value}`;
}

function groups(trace: NetworkTrace, parts: readonly DerivationPart[], decimals: number): Group[] {
  const L = Math.max(...trace.steps.map((s) => s.layer ?? 0));
  const out: Group[] = [];
  const add = (title: string, steps: Step[]) => {
    if (steps.length) out.push({ title, lines: steps.map((s) => stepLine(s, decimals)), plain: steps.map(plainLine) });
  };
  if (parts.includes("forward")) {
    for (let l = 1; l <= L; l++)
      add(
        `Forward pass, layer ${l}${l === L ? " (output)" : ""}`,
        trace.steps.filter((s) => s.phase === "forward" && s.layer === l),
      );
  }
  if (parts.includes("loss"))
    add(
      "The error",
      trace.steps.filter((s) => s.phase === "loss"),
    );
  if (parts.includes("output"))
    add(
      `Output layer: gradients`,
      trace.steps.filter((s) => s.phase === "backward" && s.layer === L),
    );
  if (parts.includes("hidden")) {
    for (let l = L - 1; l >= 1; l--) {
      add(
        `Hidden layer ${l}: gradients (each hidden unit sums over every path to the outputs)`,
        trace.steps.filter((s) => s.phase === "backward" && s.layer === l),
      );
    }
  }
  if (parts.includes("update"))
    add(
      "The updates",
      trace.steps.filter((s) => s.phase === "update"),
    );
  return out;
}

function groupsBundle(gs: readonly Group[], heading?: string): MimeBundle {
  const title = (t: string) => `<div style="font-weight:600;margin:0.8em 0 0.2em">${escapeHtml(t)}</div>`;
  const top = heading ? `<div style="font-size:1.1em;font-weight:700">${escapeHtml(heading)}</div>` : "";
  const rich = top + gs.map((g) => title(g.title) + katexHtml(alignedTex(g.lines), true)).join("");
  const fallback = top + gs.map((g) => title(g.title) + texForMathJax(alignedTex(g.lines))).join("");
  return {
    "text/plain": [
      ...(heading ? [heading] : []),
      ...gs.flatMap((g) => [`${g.title}:`, ...g.plain.map((p) => `  ${p}`)]),
    ].join("\n"),
    "text/html": survivingHtml(rich, fallback, { katex: true }),
  };
}

export function derivationBundle(trace: NetworkTrace, opts: DerivationOptions = {}): MimeBundle {
  const parts = opts.parts ?? ["forward", "loss", "output", "hidden", "update"];
  return groupsBundle(groups(trace, parts, opts.decimals ?? 8));
}

/** Show the derivation of a network trace in the notebook. */
export function showDerivation(trace: NetworkTrace, opts: DerivationOptions = {}): void {
  display(derivationBundle(trace, opts));
}

/** A computation graph's steps: the forward values, then the gradients backwards. */
export function graphStepsBundle(trace: GraphTrace, decimals = 8): MimeBundle {
  const nameOf = (id: string) => {
    const n = trace.nodes.find((m) => m.id === id);
    return n?.name ?? `${n?.label ?? ""} (${id})`;
  };
  const out = nameOf(trace.output);
  const part = (phase: GraphStep["phase"], title: string): Group => {
    const steps = trace.steps.filter((s) => s.phase === phase);
    const plain = steps.map(
      (s) => `${phase === "forward" ? nameOf(s.node) : gradientKey(out, nameOf(s.node))} = ${s.value}`,
    );
    return { title, lines: steps.map((s) => stepLine(s, decimals)), plain };
  };
  return groupsBundle(
    [
      part("forward", "Forward: every node's value"),
      part("backward", "Backward: every gradient, upstream × local, summed over the uses of a value"),
    ].filter((g) => g.lines.length > 0),
  );
}

export function showGraphSteps(trace: GraphTrace, decimals = 8): void {
  display(graphStepsBundle(trace, decimals));
}
