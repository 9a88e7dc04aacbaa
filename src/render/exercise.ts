// The verdict of an in-notebook exercise: a table of quantity, your value, verdict and why, with
// no "exact" column (the exercise must not hand out its answers), and one-line error messages.
import type { CheckRow, Verdict } from "../checking/check.js";
import { asSentence, TutorError } from "../engine/errors.js";
import { escapeHtml, type MimeBundle } from "./display.js";
import { katexHtml, survivingHtml, texForMathJax } from "./math.js";
import { verdictLabel } from "./verdict-words.js";

/** In an exercise the student tries again, so a wrong answer is "not right yet". */
const label = (v: Verdict) => verdictLabel(v, { tryAgain: true });
const COLOUR: Record<Verdict, string> = {
  correct: "#1e7b34",
  rounding: "#8a6d00",
  follows: "#1f5fbf",
  wrong: "#c0392b",
  "too few places": "#6b4c9a",
};
const CELL = "padding:0.2em 0.6em;border-bottom:1px solid #ddd;text-align:left";

export interface ExerciseView {
  rows: readonly CheckRow[];
  /** lines under the table: the summary, keys not answered yet, keys not known, a warning */
  notes: readonly string[];
}

function tableHtml(view: ExerciseView, math: (tex: string) => string): string {
  const rows = view.rows
    .map(
      (r) =>
        `<tr><td style="${CELL}">${math(r.symbol)}</td><td style="${CELL};text-align:right;white-space:nowrap">${escapeHtml(r.typed)}</td>` +
        `<td style="${CELL};color:${COLOUR[r.verdict]};white-space:nowrap">${escapeHtml(label(r.verdict))}</td><td style="${CELL}">${escapeHtml(r.explanation)}</td></tr>`,
    )
    .join("");
  const head = ["quantity", "your value", "verdict", "why"].map((h) => `<th style="${CELL}">${h}</th>`).join("");
  const table = view.rows.length
    ? `<table style="border-collapse:collapse;margin:0.4em 0"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
    : "";
  return table + view.notes.map((n) => `<p style="margin:0.3em 0">${escapeHtml(n)}</p>`).join("");
}

export function exerciseBundle(view: ExerciseView): MimeBundle {
  const plain = [
    ...view.rows.map((r) => `${r.key} = ${r.typed}: ${label(r.verdict)}. ${asSentence(r.explanation)}`),
    ...view.notes,
  ].join("\n");
  return {
    "text/plain": plain,
    "text/html": survivingHtml(
      tableHtml(view, (t) => katexHtml(t)),
      tableHtml(view, (t) => texForMathJax(t, false)),
      { katex: true },
    ),
  };
}

/** A TutorError as one line: what is wrong, where, and how to write it; no stack trace. */
export function errorBundle(e: TutorError): MimeBundle {
  const hint = asSentence(e.hint);
  const problem = /[.?!]$/.test(e.problem) ? e.problem : `${e.problem}.`;
  return {
    "text/plain": `${e.name}: ${e.where}: ${problem} ${hint}`,
    "text/html":
      `<div style="border-left:4px solid #c0392b;background:#fdecea;padding:0.4em 0.8em;margin:0.3em 0"><strong>${escapeHtml(e.where)}</strong>: ` +
      `${escapeHtml(problem)} ${escapeHtml(hint)}</div>`,
  };
}
