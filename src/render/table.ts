// Tables in the notebook: plain text cells (escaped) or TeX cells (KaTeX), surviving as math.ts
// describes: the fallback is the same table with \( … \) for MathJax.
import { display, escapeHtml, type MimeBundle } from "./display.js";
import { katexHtml, survivingHtml, texForMathJax } from "./math.js";

export interface TableOptions {
  caption?: string;
  /** every cell (not the headers) is TeX */
  math?: boolean;
  /** header cells are TeX too */
  mathHeaders?: boolean;
  /** per column: "l" or "r" (default: numbers right, text left) */
  align?: readonly ("l" | "r")[];
  /** the table as text/plain shows it, when the cells are TeX (default: the cells as given) */
  plain?: { headers: readonly string[]; rows: readonly (readonly (string | number)[])[] };
  /** rows to highlight (index → CSS colour), e.g. where a rounded chain drifts */
  highlight?: ReadonlyMap<number, string>;
}

const STYLE = "border-collapse:collapse;margin:0.4em 0;font-size:0.95em";
const CELL = "padding:0.2em 0.7em;border-bottom:1px solid #ddd";

function isNumeric(x: string | number): boolean {
  return typeof x === "number" || /^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(x.trim());
}

function tableHtml(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  opts: TableOptions,
  cell: (s: string, isHeader: boolean) => string,
): string {
  const align = (i: number, v: string | number) =>
    (opts.align?.[i] ?? (isNumeric(v) ? "r" : "l")) === "r" ? "right" : "left";
  const head = headers
    .map((h, i) => `<th style="${CELL};text-align:${align(i, rows[0]?.[i] ?? "")}">${cell(h, true)}</th>`)
    .join("");
  const body = rows
    .map((r, ri) => {
      const bg = opts.highlight?.get(ri);
      // a number never breaks across lines (1.455e- / 11)
      const td = (v: string | number, i: number) =>
        `<td style="${CELL};text-align:${align(i, v)}${isNumeric(v) ? ";white-space:nowrap" : ""}">${cell(String(v), false)}</td>`;
      return `<tr${bg ? ` style="background:${escapeHtml(bg)}"` : ""}>${r.map(td).join("")}</tr>`;
    })
    .join("");
  const caption = opts.caption
    ? `<caption style="caption-side:top;text-align:left;font-weight:600;padding:0.3em 0">${escapeHtml(opts.caption)}</caption>`
    : "";
  return `<table style="${STYLE}">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function tableBundle(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  opts: TableOptions = {},
): MimeBundle {
  const isMath = (h: boolean) => (h ? opts.mathHeaders === true : opts.math === true);
  const rich = tableHtml(headers, rows, opts, (s, h) => (isMath(h) ? katexHtml(s) : escapeHtml(s)));
  const fallback = tableHtml(headers, rows, opts, (s, h) => (isMath(h) ? texForMathJax(s, false) : escapeHtml(s)));
  const plain = opts.plain ?? { headers, rows };
  const widths = plain.headers.map((h, i) => Math.max(h.length, ...plain.rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells: readonly (string | number)[]) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return {
    "text/plain": [...(opts.caption ? [opts.caption] : []), line(plain.headers), ...plain.rows.map(line)].join("\n"),
    "text/html": survivingHtml(rich, fallback, { katex: opts.math === true || opts.mathHeaders === true }),
  };
}

export function showTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  opts: TableOptions = {},
): void {
  display(tableBundle(headers, rows, opts));
}
