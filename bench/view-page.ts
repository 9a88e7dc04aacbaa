// The page of `npm run bench:view` (bench/view.mjs bundles it with the view's own code and CSS):
// mounts the step-through view on a payload, times its first render, then measures it.
import { mountStepThrough } from "../labextension/src/view.js";
import "../labextension/style/index.js";
import { measure, type MeasureInput } from "./view-measure.js";

const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function run(input: MeasureInput & { payload: unknown }): Promise<Record<string, number[]>> {
  const host = document.getElementById("host")!;
  const t = performance.now();
  mountStepThrough(host, input.payload);
  const script = performance.now() - t;
  await painted();
  const first = performance.now() - t;
  const view = host.querySelector<HTMLElement>("[data-bpt-view]")!;
  return { "first render": [first], "script: first render": [script], ...(await measure(view, input)) };
}

(window as unknown as { viewBench: typeof run }).viewBench = run;
