// The checker's verdict table in the notebook, with the symbols in KaTeX.
import type { CheckReport } from "../checking/check.js";
import { checkReportHtml, checkReportMarkdown } from "./check-report.js";
import { display, type MimeBundle } from "./display.js";
import { katexHtml, survivingHtml, texForMathJax } from "./math.js";

const STYLE =
  "<style>.bt-check td,.bt-check th{padding:0.2em 0.6em;border-bottom:1px solid #ddd}.bt-check td:nth-child(4),.bt-check td:nth-child(5),.bt-check th{text-align:left}.bt-check td:nth-child(2),.bt-check td:nth-child(3){white-space:nowrap}.bt-check-correct td:nth-child(4){color:#1e7b34}.bt-check-rounding td:nth-child(4){color:#8a6d00}.bt-check-follows td:nth-child(4){color:#1f5fbf}.bt-check-wrong td:nth-child(4){color:#c0392b}.bt-check-first{background:#fdecea}</style>";

export function checkBundle(report: CheckReport): MimeBundle {
  const rich = STYLE + checkReportHtml(report, { renderMath: (tex) => katexHtml(tex) });
  const fallback = checkReportHtml(report, { renderMath: (tex) => texForMathJax(tex, false) });
  return { "text/plain": checkReportMarkdown(report), "text/html": survivingHtml(rich, fallback, { katex: true }) };
}

/** Show a check report: quantity, your value, the exact value, the verdict and why. */
export function showCheck(report: CheckReport): void {
  display(checkBundle(report));
}
