// The page of `npm run bench:view` (bench/view.mjs bundles it with the view's own code and CSS):
// mounts the step-through view on a payload and times, from the event to the next paint, what a
// student does: Next, a check to its verdict, a what-if edit. "Painted" is the end of the frame
// after the change (requestAnimationFrame, then a task): the time a student waits to see it.
import { mountStepThrough } from "../labextension/src/view.js";
import "../labextension/style/index.js";

/** Resolves once the frame after the current task has been painted. */
const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/** The time to the next paint; the part spent in the view's own script is kept in `scripted`. */
const scripted: Record<string, number[]> = {};
async function timed(name: string, act: () => void): Promise<number> {
  const t = performance.now();
  act();
  (scripted[name] ??= []).push(performance.now() - t);
  await painted();
  return performance.now() - t;
}

function find<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`bench: ${selector} is not on the page`);
  return found;
}

const enter = (target: HTMLElement) =>
  target.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));

export interface BenchInput {
  payload: unknown;
  /** each step's right answer at the view's precision, in step order */
  answers: string[];
  /** the given to edit (data-bpt-given) and the values to set it to in turn */
  edit: { given: string; values: string[] };
  rounds: number;
  /** the figures to take (default all): "next", "check", "what-if edit" */
  only?: string[];
}

/** Every figure of one page: arrays of milliseconds, painted and (under "script: …") the script's part. */
async function run(input: BenchInput): Promise<Record<string, number[]>> {
  const host = find<HTMLElement>(document, "#host");
  const out: Record<string, number[]> = { "first render": [], next: [], check: [], "what-if edit": [] };
  out["first render"].push(await timed("first render", () => mountStepThrough(host, input.payload)));
  const view = find<HTMLElement>(host, "[data-bpt-view]");
  const next = find<HTMLButtonElement>(view, "[data-bpt-next]");
  const wanted = (name: string) => !input.only || input.only.includes(name);
  if (wanted("next")) for (let i = 0; i < input.rounds; i++) out.next.push(await timed("next", () => next.click()));
  // checks in calculation order, each step answered right (later ones judged with the earlier)
  const input_ = find<HTMLInputElement>(view, "[data-bpt-input]");
  const check = find<HTMLButtonElement>(view, "[data-bpt-check]");
  for (let i = 0; wanted("check") && i < Math.min(input.rounds, input.answers.length); i++) {
    find<HTMLButtonElement>(view, `tr:nth-child(${i + 1}) .bpt-goto`).click();
    await painted();
    input_.value = input.answers[i];
    out.check.push(await timed("check", () => check.click()));
    if (find(view, "[data-bpt-feedback] [data-verdict]").getAttribute("data-verdict") !== "correct")
      throw new Error(`bench: step ${i + 1} was not judged correct`);
  }
  for (let i = 0; wanted("what-if edit") && i < input.rounds; i++) {
    const box = find<HTMLInputElement>(view, `[data-bpt-given="${input.edit.given}"]`);
    box.value = input.edit.values[i % input.edit.values.length];
    out["what-if edit"].push(await timed("what-if edit", () => enter(box)));
    if (!view.querySelector("[data-bpt-loss-plot]")) throw new Error("bench: the edit drew no loss plot");
  }
  for (const [name, ms] of Object.entries(scripted)) out[`script: ${name}`] = ms;
  return out;
}

(window as unknown as { viewBench: typeof run }).viewBench = run;
