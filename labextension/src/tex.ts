// KaTeX for the view: HTML with its MathML kept (screen readers read the MathML), never trusting
// the TeX except for \htmlData, which the view itself adds to mark the symbols a student can hover.
import katex from "katex";

const cache = new Map<string, string>();

export function texHtml(tex: string, displayMode = false): string {
  const key = `${displayMode ? "D" : "I"}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, {
      displayMode,
      throwOnError: false,
      output: "htmlAndMathml",
      strict: "ignore",
      trust: (ctx) => ctx.command === "\\htmlData",
    });
    if (cache.size > 2000) cache.clear();
    cache.set(key, html);
  }
  return html;
}
