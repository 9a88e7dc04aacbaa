// The view's summary: how many steps went right at the first or second try, followed through,
// were shown or skipped, and for each step that did not go right at once, what was typed and (once
// the value is on the page) the checker's explanation. Verdict marks are src/render/verdict-words.ts's.
import type { StepResult, StepThrough, Summary } from "../../src/view/session.js";
import { VERDICT_WORDS } from "../../src/render/verdict-words.js";
import { el } from "./dom.js";
import { texHtml } from "./tex.js";

export const RESULT_WORDS: Record<StepResult, string> = {
  "first-try": "right at the first try",
  "second-try": "right at the second try",
  follows: "follows from an earlier value",
  shown: "shown",
  skipped: "skipped",
  open: "not yet answered",
};

/** The summary's heading line. */
export function summaryHeading(sum: Summary): string {
  const c = sum.counts;
  const counts = `${c["first-try"]} at the first try, ${c["second-try"]} at the second, ${c.follows} follow-through, ${c.shown} shown, ${c.skipped} skipped`;
  return `Summary: ${sum.answered} of ${sum.total} steps answered (${counts})`;
}

/** The summary's list: a line per step that did not go right at once; `go(i)` moves to step i. */
export function summaryList(s: StepThrough, sum: Summary, go: (index: number) => void): HTMLElement {
  const list = el("ul");
  for (const l of sum.lines) {
    const li = el("li", { "data-result": l.result });
    const button = el(
      "button",
      { type: "button", class: "bpt-goto", "aria-label": `Go to step ${l.index + 1}, ${l.key}` },
      `step ${l.index + 1}`,
    );
    button.addEventListener("click", () => go(l.index));
    const sym = el("span");
    sym.innerHTML = texHtml(l.symbol);
    const tries = l.attempts.map((a) => `${VERDICT_WORDS[a.verdict].mark} ${a.typed}`).join(", ");
    const last = l.attempts.at(-1);
    const why = last && s.revealed(s.steps[l.index].id) ? `: ${last.explanation}` : "";
    const text = ` ${RESULT_WORDS[l.result]}${tries ? ` (${tries})` : ""}${why}`;
    li.append(button, document.createTextNode(" "), sym, document.createTextNode(text));
    list.append(li);
  }
  if (sum.lines.length) return list;
  const none = sum.answered
    ? "Everything so far was right at the first try."
    : "Type a value for a step and press Check (or Enter); Show reveals it without judging.";
  return el("p", {}, none);
}
