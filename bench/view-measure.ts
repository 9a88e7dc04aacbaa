// What `npm run bench:view` does to a step-through view already on a page, timed from the event to
// the next paint: Next, a check to its verdict, a what-if edit. "Painted" is the end of the frame
// after the change (requestAnimationFrame, then a task): the time a student waits to see it. One
// self-contained function (no imports, nothing from outside it), so it also runs in JupyterLab's
// page through playwright's evaluate (bench/view-lab.ts).

export interface MeasureInput {
  /** each step's right answer at the view's precision, in step order */
  answers: string[];
  /** the given to edit (data-bpt-given) and the values to set it to in turn */
  edit: { given: string; values: string[] };
  rounds: number;
  /** the figures to take (default all): "next", "check", "what-if edit" */
  only?: string[];
}

/** Arrays of milliseconds by figure, painted, and (under "script: …") the part spent in the view's script. */
export async function measure(view: HTMLElement, input: MeasureInput): Promise<Record<string, number[]>> {
  const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const out: Record<string, number[]> = { next: [], check: [], "what-if edit": [] };
  const timed = async (name: string, act: () => void) => {
    const t = performance.now();
    act();
    (out[`script: ${name}`] ??= []).push(performance.now() - t);
    await painted();
    out[name].push(performance.now() - t);
  };
  const find = <T extends Element>(selector: string): T => {
    const found = view.querySelector<T>(selector);
    if (!found) throw new Error(`bench: ${selector} is not in the view`);
    return found;
  };
  const wanted = (name: string) => !input.only || input.only.includes(name);
  const next = find<HTMLButtonElement>("[data-bpt-next]");
  for (let i = 0; wanted("next") && i < input.rounds; i++) await timed("next", () => next.click());
  // checks in calculation order, each step answered right (later ones judged with the earlier)
  const box = find<HTMLInputElement>("[data-bpt-input]");
  const check = find<HTMLButtonElement>("[data-bpt-check]");
  for (let i = 0; wanted("check") && i < Math.min(input.rounds, input.answers.length); i++) {
    find<HTMLButtonElement>(`tr:nth-child(${i + 1}) .bpt-goto`).click();
    await painted();
    box.value = input.answers[i];
    await timed("check", () => check.click());
    if (find("[data-bpt-feedback] [data-verdict]").getAttribute("data-verdict") !== "correct")
      throw new Error(`bench: step ${i + 1} was not judged correct`);
  }
  for (let i = 0; wanted("what-if edit") && i < input.rounds; i++) {
    const given = find<HTMLInputElement>(`[data-bpt-given="${input.edit.given}"]`);
    given.value = input.edit.values[i % input.edit.values.length];
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    await timed("what-if edit", () => given.dispatchEvent(enter));
    if (!view.querySelector("[data-bpt-loss-plot]")) throw new Error("bench: the edit drew no loss plot");
  }
  return out;
}
