// What `npm run bench:view` does to a step-through view already on a page, timed from the event to
// the next paint: Next, a check to its verdict, a what-if edit. "Painted" is the end of the frame
// after the change (requestAnimationFrame, then a task): the time a student waits to see it. Each
// is timed from a settled page (SETTLE_MS after the one before, as a student reads a step before
// going on); "next, back to back" clicks Next again as soon as the last one is painted, while
// chromium still rasters the last frame (on 2 cores the two compete). One self-contained function
// (no imports, nothing from outside it), so it also runs in JupyterLab's page through playwright's
// evaluate (bench/view-lab.ts).

export interface MeasureInput {
  /** each step's right answer at the view's precision, in step order */
  answers: string[];
  /** the given to edit (data-bpt-given) and the values to set it to in turn */
  edit: { given: string; values: string[] };
  rounds: number;
  /** the figures to take (default all): "next", "next, back to back", "check", "what-if edit" */
  only?: string[];
}

/** Arrays of milliseconds by figure, painted, and (under "script: …") the part spent in the view's script. */
export async function measure(view: HTMLElement, input: MeasureInput): Promise<Record<string, number[]>> {
  const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const out: Record<string, number[]> = { next: [], "next, back to back": [], check: [], "what-if edit": [] };
  // past the view's save of the progress (200 ms after the changes pause) and the last frame's raster
  const SETTLE_MS = 300;
  const timed = async (name: string, act: () => void, settle = true) => {
    if (settle) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
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
  // Next from the first step to the last, both ways (the steps' costs differ: the forward pass's
  // rows are in the trace table's visible part, the backward pass's further down)
  for (const [name, settle] of [
    ["next", true],
    ["next, back to back", false],
  ] as const) {
    if (!wanted(name)) continue;
    find<HTMLButtonElement>("tr:nth-child(1) .bpt-goto").click();
    await painted();
    for (let i = 1; i < input.answers.length; i++) await timed(name, () => next.click(), settle);
  }
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
