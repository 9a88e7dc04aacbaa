// A check report as a plain-text table for a terminal: each quantity in readable symbols
// (∂E_total/∂w_5, not LaTeX), the numbers right-aligned, the verdict and why in words.
import type { CheckReport } from "../checking/check.js";
import { exactShown, rowVerdict, summaryLine } from "../render/check-report.js";
import { texToPlain } from "./plain-tex.js";

/** Columns a string takes in a terminal: combining accents (the hat of ŷ) take none. */
const columns = (s: string) => [...s.replace(/\p{M}/gu, "")].length;

function pad(s: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - columns(s)));
  return right ? fill + s : s + fill;
}

export function checkReportText(report: CheckReport): string {
  if (report.note) return `${report.note}\n`;
  const header = ["quantity", "your value", "exact", "verdict", "why"];
  const alignRight = [false, true, true, false, false];
  const rows = report.rows.map((r) => [texToPlain(r.symbol), r.typed, exactShown(r), rowVerdict(r), r.explanation]);
  const widths = header.map((h, c) => Math.max(columns(h), ...rows.map((row) => columns(row[c]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => pad(cell, widths[c], alignRight[c]))
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...rows.map(line), "", summaryLine(report)];
  if (report.firstWrong) lines.push(`The calculation first goes off at ${report.firstWrong}.`);
  if (report.warning) lines.push(`Note: ${report.warning}.`);
  for (const u of report.unknownKeys) lines.push(`Not checked: ${u.message}`);
  return lines.join("\n") + "\n";
}
