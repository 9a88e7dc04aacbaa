// `npm run bench:view -- --lab`: the same figures as bench/view.mjs's page, taken on notebook 05's
// own view in JupyterLab (the browser tests' helpers: a scratch copy of the notebooks, a
// JupyterLab on a free loopback port, chromium), after Run All. Prints one JSON line with the
// arrays of milliseconds; bench/view.mjs bundles this file, runs it and reports.
import { rmSync } from "node:fs";
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
const ws = scratchWorkspace();
const lab = await startJupyterLab(ws.notebooks, ws.home);
const browser = await launchChromium();
try {
  const page: Page = await browser.context.newPage();
  await openNotebook(page, lab, "05-two-layer-hand-calculation.ipynb");
  await runAllCells(page);
  const view = page.locator("[data-bpt-view]").first();
  await view.waitFor();
  await view.scrollIntoViewIfNeeded();
  const figures = await view.evaluate((v, i) => measure(v as HTMLElement, i), input);
  console.log(JSON.stringify({ figures }));
} finally {
  await browser.close();
  await lab.stop();
  rmSync(ws.dir, { recursive: true, force: true });
}
