// Markdown tables for the command line. LaTeX goes in $...$ (Jupyter, GitHub and VS Code render
// it); plain text is escaped so that a `|` cannot break a table.

export function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** LaTeX as inline math in a table cell. */
export function math(tex: string): string {
  return tex ? `$${tex.replace(/\|/g, "\\vert ").replace(/\n/g, " ")}$` : "";
}

/** A table; `align` per column: "l" or "r". */
export function table(header: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const sep = header.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
