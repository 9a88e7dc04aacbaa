// End to end, in a real JupyterLab and a real browser: the two headline notebooks run cell by
// cell and show KaTeX math, the Graphviz drawings and the vega-lite plots, with no raw TeX on
// screen; the same notebooks saved with outputs and reopened (untrusted) still show math and
// plots; and their nbconvert HTML export shows them too. Screenshots: test-artifacts/browser/
// (the exports' top; BPT_SCREENSHOTS=full takes them top to bottom).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import {
  browserTestsPossible,
  executedNotebook,
  exportHtml,
  launchChromium,
  openInLab,
  runAllCells,
  scratchWorkspace,
  screenshot,
  startJupyterLab,
  visibleOutputText,
  type Lab,
} from "./helpers/jupyter.js";

const why = browserTestsPossible();

// On a developer's machine a missing browser is a skip with a reason; in CI it is a failure, so
// that a green run always includes the end-to-end test.
if (why && process.env.CI)
  it("has JupyterLab and chromium, as CI must", () => expect.fail(`${why}: .ci/run installs both`));
const RAW_TEX = /\\frac|\\partial|\$[^$\n]{1,80}\$/;

describe.skipIf(why !== undefined)(`in JupyterLab and chromium${why ? ` (skipped: ${why})` : ""}`, () => {
  let ws: ReturnType<typeof scratchWorkspace>;
  let lab: Lab;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  /** the one JupyterLab page of this file: each test opens its notebook in it (openInLab) */
  let page: Page;
  /** both notebooks' HTML exports, made by one nbconvert run when a test first needs them */
  let exports: Promise<string[]> | undefined;

  beforeAll(async () => {
    ws = scratchWorkspace();
    // executed copies (unsigned, so untrusted when opened): the notebook run's, or made here while
    // JupyterLab and the browser start, one after the other (two kernels starting at once can pick
    // the same ports)
    const executed = (async () => {
      for (const nb of ["04-computation-graphs", "05-two-layer-hand-calculation"])
        await executedNotebook(`${nb}.ipynb`, `${nb}-saved.ipynb`, ws.notebooks, ws.home);
    })();
    executed.catch(() => undefined); // reported by the await below, not as unhandled meanwhile
    [lab, browser] = await Promise.all([startJupyterLab(ws.notebooks, ws.home), launchChromium()]);
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    await executed;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  }, 30_000);

  async function runLive(name: string): Promise<Page> {
    await openInLab(page, lab, `${name}.ipynb`, { kernel: true });
    // opened and its kernel started, nothing run yet: no "modified" mark on its tab
    expect(await page.locator(".lm-TabBar-tab.jp-mod-dirty").count()).toBe(0);
    await runAllCells(page);
    await screenshot(page, `${name}-live-end`);
    await page.locator(".jp-OutputArea-output .katex-display").first().scrollIntoViewIfNeeded();
    await screenshot(page, `${name}-live-math`);
    return page;
  }

  it("04: runs every cell; KaTeX math and the Graphviz graph drawings render; no raw TeX, no errors", async () => {
    const page = await runLive("04-computation-graphs");
    expect(await page.locator(".jp-OutputArea-output .katex").count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator(".jp-OutputArea-output svg g.graph").count()).toBeGreaterThanOrEqual(4);
    // the (x + y) z drawing: f = -12 with gradient 1, x with gradient -4 (Graphviz writes − as &#45;)
    const first = await page.locator(".jp-OutputArea-output svg:has(g.graph)").first().textContent(); // the Graphviz drawing, not the step-through view's
    expect(first).toContain("-12");
    expect(first).toContain("1 × (-4) = -4");
    // the step-through view comes up in a live run (the view's own test opens executed copies)
    expect(await page.locator("[data-bpt-view] [data-bpt-counter]").first().textContent()).toBe("Step 1 of 6");
    expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).toBe(
      0,
    );
    expect(await visibleOutputText(page)).not.toMatch(RAW_TEX);
  }, 180_000);

  it("05: runs every cell; the derivation in KaTeX, the network drawings and the live vega-lite loss plot render", async () => {
    const page = await runLive("05-two-layer-hand-calculation");
    expect(await page.locator(".jp-OutputArea-output .katex").count()).toBeGreaterThan(100);
    expect(await page.locator(".jp-OutputArea-output svg g.graph").count()).toBe(2);
    expect(await page.locator(".jp-OutputArea-output .vega-embed").count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator("[data-bpt-view] [data-bpt-counter]").first().textContent()).toBe("Step 1 of 43");
    const text = await visibleOutputText(page);
    expect(text).toContain("0.3775");
    expect(text).toContain("0.291027924");
    expect(text).not.toMatch(RAW_TEX);
    expect(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count()).toBe(
      0,
    );
  }, 180_000);

  for (const name of ["04-computation-graphs", "05-two-layer-hand-calculation"]) {
    it(`${name}: saved with outputs and reopened untrusted, math (MathJax from the TeX fallback) and plots still show`, async () => {
      // its saved outputs only: no kernel
      await openInLab(page, lab, `${name}-saved.ipynb`, { kernel: false });
      await page.waitForTimeout(3000);
      await screenshot(page, `${name}-untrusted`);
      expect(await page.locator(".jp-OutputArea-output mjx-container").count()).toBeGreaterThan(3);
      expect(await page.locator(".jp-OutputArea-output .bpt-rich:visible").count()).toBe(0);
      if (name.startsWith("05"))
        expect(await page.locator(".jp-OutputArea-output .vega-embed").count()).toBeGreaterThanOrEqual(1);
      if (name.startsWith("04"))
        expect(
          await page.locator('.jp-OutputArea-output img[src^="data:image/svg+xml"]').count(),
        ).toBeGreaterThanOrEqual(4);
      expect(await visibleOutputText(page)).not.toMatch(/\\frac/);
    }, 120_000);

    it(`${name}: the nbconvert HTML export shows KaTeX, the drawings and the plots`, async () => {
      const names = ["04-computation-graphs", "05-two-layer-hand-calculation"];
      exports ??= exportHtml(
        names.map((n) => join(ws.notebooks, `${n}-saved.ipynb`)),
        ws.notebooks,
        ws.home,
      );
      const html = (await exports)[names.indexOf(name)];
      const page = await context.newPage();
      await page.goto(`file://${html}`);
      await page.waitForTimeout(1000);
      await screenshot(page, `${name}-nbconvert`);
      expect(await page.locator(".jp-OutputArea-output .katex").count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator(".jp-OutputArea-output svg g.graph").count()).toBeGreaterThanOrEqual(
        name.startsWith("04") ? 4 : 2,
      );
      if (name.startsWith("05"))
        expect(
          await page.locator('.jp-OutputArea-output img[src^="data:image/svg+xml"]').count(),
        ).toBeGreaterThanOrEqual(1);
      expect(await visibleOutputText(page)).not.toMatch(RAW_TEX);
      await page.close();
    }, 120_000);
  }
});
