// `npm run bench:view -- --lab`: the same figures as bench/view.mjs's page, taken on notebook 05's
// own view in JupyterLab (the browser tests' helpers: a scratch copy of the notebooks, a
// JupyterLab on a free loopback port, chromium), after Run All. Prints one JSON line with the
// arrays of milliseconds; bench/view.mjs bundles this file, runs it and reports.
import { rmSync, writeFileSync } from "node:fs";
import type { Page } from "playwright-core";
import {
  launchChromium,
  openNotebook,
  runAllCells,
  scratchWorkspace,
  startJupyterLab,
} from "../test/helpers/jupyter.js";
import { measure, type MeasureInput } from "./view-measure.js";

const input = JSON.parse(process.argv[2]) as MeasureInput;
// a student's JupyterLab keeps its default windowing (the browser tests attach every cell), unless
// BENCH_WINDOWING names a mode
const ws = scratchWorkspace(process.env.BENCH_WINDOWING);
const lab = await startJupyterLab(ws.notebooks, ws.home);
const browser = await launchChromium();
try {
  const page: Page = await browser.context.newPage();
  await openNotebook(page, lab, "05-two-layer-hand-calculation.ipynb");
  await runAllCells(page);
  const view = page.locator("[data-bpt-view]").first();
  await view.waitFor();
  await view.scrollIntoViewIfNeeded();
  // the mouse where a student's is when clicking Next (left where Run All was, it lay over other
  // parts of the page, and chromium's hover update after each change went there)
  await view.locator("[data-bpt-next]").hover();
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  // BENCH_TRACE=FILE: a chromium trace of the measuring (layout and paint by event)
  const cdp = process.env.BENCH_TRACE ? await browser.context.newCDPSession(page) : undefined;
  await cdp?.send("Tracing.start", {
    categories: process.env.BENCH_TRACE_CATEGORIES ?? "devtools.timeline,blink",
    transferMode: "ReturnAsStream",
  });
  // the function itself goes to the page (it is self-contained), called with the view and the input
  const figures = await view.evaluate(
    measure as (v: Element, i: MeasureInput) => Promise<Record<string, number[]>>,
    input,
  );
  if (cdp) {
    const done = new Promise<{ stream?: string }>((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end");
    const { stream } = await done;
    let text = "";
    for (let eof = false; !eof && stream;) {
      const chunk = await cdp.send("IO.read", { handle: stream });
      text += chunk.data;
      eof = chunk.eof;
    }
    writeFileSync(process.env.BENCH_TRACE!, text);
  }
  console.log(JSON.stringify({ figures }));
} finally {
  await browser.close();
  await lab.stop();
  rmSync(ws.dir, { recursive: true, force: true });
}
