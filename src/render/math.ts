// Math in the notebook, rendered by KaTeX, in outputs that survive where they are seen:
//  - a live cell in JupyterLab: KaTeX HTML with KaTeX's stylesheet;
//  - a saved notebook reopened untrusted: JupyterLab's sanitizer strips <style>, so the KaTeX
//    HTML (inside an element with the `hidden` attribute, shown only by our stylesheet) stays
//    hidden and a fallback with the TeX source in \[ … \] is shown, which JupyterLab's own
//    MathJax typesets;
//  - an nbconvert HTML export: the HTML as it is, stylesheet and fonts included.
// KaTeX's CSS and fonts come from the katex package (fonts inlined as data URIs): nothing is
// loaded from the internet. KaTeX runs with trust: false, so TeX cannot create links or HTML.
import katex from "katex";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { display, escapeHtml, type MimeBundle } from "./display.js";

const KATEX_OPTIONS = { throwOnError: false, trust: false, output: "html", strict: "ignore" } as const;

/** KaTeX HTML for one formula; bad TeX shows as red source text, never as an exception. */
export function katexHtml(tex: string, displayMode = false): string {
  return katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });
}

let layoutCss: string | undefined;
let fontCss: string | undefined;

function katexDir(): string {
  return dirname(createRequire(import.meta.url).resolve("katex/dist/katex.min.css"));
}

/** KaTeX's stylesheet without its @font-face rules (about 20 kB). */
function katexLayoutCss(): string {
  if (layoutCss === undefined)
    layoutCss = readFileSync(join(katexDir(), "katex.min.css"), "utf8").replace(/@font-face\{[^}]*\}/g, "");
  return layoutCss;
}

/** KaTeX's @font-face rules with the woff2 fonts inlined (about 350 kB). */
function katexFontCss(): string {
  if (fontCss === undefined) {
    const dir = katexDir();
    const css = readFileSync(join(dir, "katex.min.css"), "utf8");
    fontCss = (css.match(/@font-face\{[^}]*\}/g) ?? [])
      .map((rule) => {
        const woff2 = /url\((fonts\/[^)]+\.woff2)\)/.exec(rule);
        if (!woff2) return "";
        const data = readFileSync(join(dir, woff2[1])).toString("base64");
        return rule.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`);
      })
      .join("");
  }
  return fontCss;
}

// The fonts go into the first math output of each kernel session only; every output carries the
// layout rules, so an output still reads (in a system font) if that first one is cleared.
let fontsSent = false;

const SWITCH_CSS = ".bpt-rich{display:block!important}.bpt-fallback{display:none!important}";

/**
 * HTML that shows `rich` where our stylesheet applies (live, trusted, nbconvert) and `fallback`
 * where it was stripped (an untrusted notebook): `rich` sits in a `hidden` element that only the
 * stylesheet reveals.
 */
export function survivingHtml(rich: string, fallback: string, opts: { katex?: boolean } = {}): string {
  let css = SWITCH_CSS;
  if (opts.katex) {
    css += katexLayoutCss();
    if (!fontsSent) {
      css += katexFontCss();
      fontsSent = true;
    }
  }
  return `<div class="bpt-out"><style>${css}</style><div class="bpt-rich" hidden style="display:none">${rich}</div><div class="bpt-fallback">${fallback}</div></div>`;
}

/** TeX for the fallback, where MathJax reads it: HTML-escaped so that `<` stays text. */
export function texForMathJax(tex: string, displayMode = true): string {
  return escapeHtml(displayMode ? `\\[${tex}\\]` : `\\(${tex}\\)`);
}

/** Several lines as one aligned block: each line should contain one `&` (e.g. before `=`). */
export function alignedTex(lines: readonly string[]): string {
  return `\\begin{aligned}${lines.join(" \\\\ ")}\\end{aligned}`;
}

function caption(opts: { caption?: string }): string {
  return opts.caption
    ? `<div class="bpt-caption" style="font-weight:600;margin:0.3em 0">${escapeHtml(opts.caption)}</div>`
    : "";
}

/** A display equation (or aligned lines) as a bundle. */
export function mathBundle(tex: string | readonly string[], opts: { caption?: string } = {}): MimeBundle {
  const source = typeof tex === "string" ? tex : alignedTex(tex);
  return {
    "text/plain": (opts.caption ? opts.caption + "\n" : "") + (typeof tex === "string" ? tex : tex.join("\n")),
    "text/html": survivingHtml(caption(opts) + katexHtml(source, true), caption(opts) + texForMathJax(source), {
      katex: true,
    }),
    "text/latex": `$$${source}$$`,
  };
}

export function showMath(tex: string | readonly string[], opts: { caption?: string } = {}): void {
  display(mathBundle(tex, opts));
}

/** Prose with $…$ math from a cell's results (JupyterLab renders Markdown and typesets its math). */
export function showMarkdown(md: string): void {
  display({ "text/plain": md, "text/markdown": md });
}
