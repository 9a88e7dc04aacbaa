// A check report as a table: quantity, the student's value, the exact value, the verdict and a
// one-line explanation. Markdown puts symbols in $..$ (KaTeX in Jupyter renders them); HTML
// renders them with KaTeX. Everything a student typed is escaped.
import { katexHtml } from "./math.js";
import { escapeHtml } from "./display.js";
import type { CheckReport, CheckRow } from "../checking/check.js";
import { shown } from "../checking/verdict.js";
import { D } from "../engine/numeric.js";
import { verdictLabel } from "./verdict-words.js";

/** A row's verdict in words, with "(first error)" on the first wrong one: "✗ wrong (first error)". */
export function rowVerdict(row: CheckRow): string {
  return `${verdictLabel(row.verdict)}${row.isFirstWrong ? " (first error)" : ""}`;
}

/** Exact values with four more digits than the student wrote, rounded as the explanations round them; … when there are more. */
export function exactShown(row: CheckRow): string {
  const s = shown(new D(row.exact), row.decimals);
  return new D(s).eq(row.exact) ? s : `${s}…`;
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_[\]|<>$]/g, (c) => (c === "|" ? "\\|" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : `\\${c}`));
}

export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  return `${s.total} checked: ${s.correct} correct, ${s.rounding} rounding, ${s.followThrough} follow${s.followThrough === 1 ? "s" : ""} from an earlier error, ${s.wrong} wrong${s.tooFewPlaces ? `, ${s.tooFewPlaces} with too few decimal places` : ""}.`;
}

export function checkReportMarkdown(report: CheckReport): string {
  const lines = [
    "| quantity | your value | exact | verdict | why |",
    "| --- | ---: | ---: | --- | --- |",
    ...report.rows.map((r) => {
      const verdict = rowVerdict(r);
      return `| $${r.symbol}$ | ${escapeMarkdown(r.typed)} | ${exactShown(r)} | ${r.isFirstWrong ? `**${verdict}**` : verdict} | ${escapeMarkdown(r.explanation)} |`;
    }),
    "",
    summaryLine(report),
  ];
  if (report.note) return report.note;
  if (report.firstWrong) lines.push(`The calculation first goes off at ${escapeMarkdown(report.firstWrong)}.`);
  if (report.warning) lines.push(`Note: ${escapeMarkdown(report.warning)}.`);
  for (const u of report.unknownKeys) lines.push(`Not checked: ${escapeMarkdown(u.message)}`);
  return lines.join("\n");
}

/** KaTeX HTML for a symbol (the one KaTeX configuration, trust off, is in src/render/math.ts). */
export function katexMath(tex: string): string {
  return katexHtml(tex);
}

export interface HtmlOptions {
  /** renders LaTeX to HTML (the render module's renderMath can be passed here); KaTeX by default */
  renderMath?: (tex: string) => string;
}

export function checkReportHtml(report: CheckReport, options: HtmlOptions = {}): string {
  if (report.note) return `<p class="bt-check-note">${escapeHtml(report.note)}</p>`;
  const math = options.renderMath ?? katexMath;
  const rows = report.rows.map((r) => {
    const cls = `bt-check-${r.verdict}${r.isFirstWrong ? " bt-check-first" : ""}`;
    return (
      `<tr class="${cls}"><td>${math(r.symbol)}</td><td style="text-align:right">${escapeHtml(r.typed)}</td><td style="text-align:right">${escapeHtml(exactShown(r))}</td>` +
      `<td>${escapeHtml(verdictLabel(r.verdict))}${r.isFirstWrong ? " <strong>(first error)</strong>" : ""}</td><td>${escapeHtml(r.explanation)}</td></tr>`
    );
  });
  const notes = [
    `<p>${escapeHtml(summaryLine(report))}${report.firstWrong ? ` The calculation first goes off at <strong>${escapeHtml(report.firstWrong)}</strong>.` : ""}</p>`,
    ...(report.warning ? [`<p class="bt-check-warning">Note: ${escapeHtml(report.warning)}.</p>`] : []),
    ...report.unknownKeys.map((u) => `<p class="bt-check-unknown">Not checked: ${escapeHtml(u.message)}</p>`),
  ];
  return `<table class="bt-check"><thead><tr><th>quantity</th><th>your value</th><th>exact</th><th>verdict</th><th>why</th></tr></thead><tbody>${rows.join("")}</tbody></table>${notes.join("")}`;
}
