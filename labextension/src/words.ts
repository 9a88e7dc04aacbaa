// What the view writes in words and TeX: a step's line, a what-if change, the verdict on an answer,
// the tip over a symbol.
import type { StepThrough, ViewStep } from "../../src/view/session.js";
import { rightHandSides, shortText } from "../../src/render/step-line.js";
import { verdictLabel } from "../../src/render/verdict-words.js";
import { el } from "./dom.js";

/** A step as the board shows it: symbol = formula, = the numbers (once the student has seen them), = the value or a box. */
export function stepTex(s: ViewStep, marked: string, numbers: string | undefined, value: string | undefined): string {
  const sides = rightHandSides(s, { formula: marked, numbers: numbers ?? "", value });
  const rows = value === undefined ? [...sides, "\\boxed{\\;?\\;}"] : sides;
  return `\\begin{aligned} ${s.symbol} &= ${rows.join(" \\\\ &= ")} \\end{aligned}`;
}

/** "0.5933 → 0.6012 (+0.0079)": a what-if change, with the difference. */
export function oldToNew(before: string, after: string): string {
  const d = Number(after) - Number(before);
  const places = Math.max(...[before, after].map((v) => (v.split(".")[1] ?? "").length));
  const diff = `${d >= 0 ? "+" : "−"}${Math.abs(d).toFixed(Math.min(places, 8))}`;
  return `${shortText(before)} → ${shortText(after)} (${diff})`;
}

/**
 * The verdict on the step's last answer: "Not yet" and a nudge after a first wrong one (never the
 * value), the verdict and its explanation once the step is revealed; undefined before any answer.
 */
export function verdictLine(s: StepThrough, step: ViewStep): HTMLElement | undefined {
  const last = s.attempts(step.id).at(-1);
  if (!last)
    return s.revealed(step.id)
      ? el("span", { class: "bpt-verdict", "data-verdict": "shown" }, "Shown without an answer.")
      : undefined;
  const line = el("span", { class: `bpt-verdict bpt-${last.verdict}`, "data-verdict": last.verdict });
  if (!s.revealed(step.id)) {
    line.dataset.verdict = "not-yet";
    line.classList.add("bpt-notyet");
    line.append(
      el("strong", {}, "✗ Not yet"),
      document.createTextNode(`: you wrote ${last.typed}; ${last.nudge ?? "look again"}. One more try, or Show.`),
    );
  } else {
    line.append(
      el("strong", {}, verdictLabel(last.verdict, { capital: true })),
      document.createTextNode(`: you wrote ${last.typed}; ${last.explanation}. Enter or Next goes on.`),
    );
  }
  return line;
}

/** Where the value a symbol stands for comes from (a step, or a given), for the tip over it. */
export function sourceTip(s: StepThrough, id: string, valueText: (id: string) => string): string | undefined {
  const step = s.steps.findIndex((x) => x.id === id);
  if (step >= 0) {
    const x = s.steps[step];
    const value = s.revealed(id) ? valueText(id) : "not on the page yet (answer or show it there)";
    return `${x.key}: step ${step + 1}, ${x.heading}; ${value}`;
  }
  const g = s.givens.find((x) => x.id === id);
  if (!g) return undefined;
  return `${g.what} = ${g.value}: given${s.edits.has(id) ? ` (what-if; was ${s.baseGiven(id)})` : ""}`;
}
