// The step-through view in a real JupyterLab and chromium (labextension/, installed into .venv
// by npm install): notebook 05's network and notebook 04's (x + y) z graph, stepped with the
// keyboard, answers typed and judged in the browser, a given number edited and the dependent
// values compared with the engine's, then the notebook saved and reopened untrusted. Plus a
// hand-made notebook with an old payload, hostile unit names and values that are not numbers.
// Screenshots: test-artifacts/browser/view-*.png; the view's own timings: test-artifacts/view-timings.json.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import {
  browserTestsPossible,
  launchChromium,
  openNotebook,
  runAllCells,
  scratchWorkspace,
  screenshot,
  startJupyterLab,
  ROOT,
  type Lab,
} from "./helpers/jupyter.js";
import { traceNetwork } from "../src/engine/network.js";
import { graphTrace } from "../src/engine/graph.js";
import { networkPayload, STEP_THROUGH_MIME } from "../src/view/payload.js";

const installed = readFileSyncOr(
  join(ROOT, ".venv", "share", "jupyter", "labextensions", "backprop-tutor-view", "package.json"),
);
const why =
  browserTestsPossible() ??
  (installed ? undefined : "the view's extension is not installed in .venv (run npm install)");
if (why && process.env.CI)
  it("has JupyterLab, chromium and the view's extension, as CI must", () =>
    expect.fail(`${why}: .ci/run installs them`));

function readFileSyncOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

const classic = JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8")) as Record<string, unknown>;
const timings: Record<string, string | undefined> = {};

/** The view's root, its counter and the current step's line. */
const parts = (view: Locator) => ({
  counter: view.locator("[data-bpt-counter]"),
  line: view.locator("[data-bpt-line]"),
  input: view.locator("[data-bpt-input]"),
  feedback: view.locator("[data-bpt-feedback]"),
});

async function press(page: Page, key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/** Untrusted: the saved notebook with one metadata field added, so its signature no longer matches. */
function untrustedCopy(dir: string, name: string): string {
  const nb = JSON.parse(readFileSync(join(dir, `${name}.ipynb`), "utf8")) as { metadata: Record<string, unknown> };
  nb.metadata.reopened_by_test = true;
  writeFileSync(join(dir, `${name}-reopened.ipynb`), JSON.stringify(nb));
  return `${name}-reopened.ipynb`;
}

async function save(page: Page): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: /^File$/ }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: /^Save Notebook$/ }).click();
  await page.waitForTimeout(1500);
}

describe.skipIf(why !== undefined)(`the step-through view in JupyterLab${why ? ` (skipped: ${why})` : ""}`, () => {
  let ws: ReturnType<typeof scratchWorkspace>;
  let lab: Lab;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;

  beforeAll(async () => {
    ws = scratchWorkspace();
    lab = await startJupyterLab(ws.notebooks, ws.home);
    browser = await launchChromium();
    context = browser.context;
  }, 240_000);

  /** Open a notebook, run it, and find its first step-through view (its first render timed). */
  async function runWithView(
    name: string,
    label: string,
  ): Promise<{ page: Page; view: Locator; pageErrors: string[] }> {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await openNotebook(page, lab, `${name}.ipynb`);
    await runAllCells(page);
    const view = page.locator("[data-bpt-view]").first();
    await view.waitFor();
    timings[`${label} first render, while the notebook runs`] =
      (await view.getAttribute("data-bpt-render-ms")) ?? undefined;
    timings[`${label} tables typeset after it`] = (await view.getAttribute("data-bpt-tables-ms")) ?? undefined;
    await view.scrollIntoViewIfNeeded();
    return { page, view, pageErrors };
  }

  /** The saved notebook reopened untrusted (no kernel run): its first view. */
  async function reopenUntrusted(name: string, label: string): Promise<{ page: Page; view: Locator }> {
    const page = await context.newPage();
    await openNotebook(page, lab, untrustedCopy(ws.notebooks, name));
    const view = page.locator("[data-bpt-view]").first();
    await view.waitFor({ timeout: 30_000 });
    timings[`${label} first render, reopened`] = (await view.getAttribute("data-bpt-render-ms")) ?? undefined;
    return { page, view };
  }

  afterAll(async () => {
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts", "view-timings.json"), JSON.stringify(timings, null, 2) + "\n");
    console.log("step-through view timings (ms, in chromium):", JSON.stringify(timings));
    await browser?.close();
    await lab?.stop();
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  }, 30_000);

  it("05: step with the keyboard, 0.0820 for ∂E/∂w5 judged wrong (0.0822), a 4-place value accepted, w5 edited, saved and reopened untrusted", async () => {
    const name = "05-two-layer-hand-calculation";
    const { page, view, pageErrors } = await runWithView(name, "05");
    const { counter, line, input, feedback } = parts(view);
    await expect.poll(() => counter.textContent()).toBe("Step 1 of 43");
    await screenshot(page, "view-05-start");

    // keyboard only: focus the view, arrows step, End/Home jump, Tab reaches the phase buttons
    await view.focus();
    await press(page, "ArrowRight", 3);
    expect(await counter.textContent()).toBe("Step 4 of 43");
    await press(page, "ArrowLeft");
    expect(await counter.textContent()).toBe("Step 3 of 43");
    await press(page, "End");
    expect(await counter.textContent()).toBe("Step 43 of 43");
    await press(page, "Home");
    timings["05 step change"] = (await view.getAttribute("data-bpt-step-ms")) ?? undefined;
    await view.locator('[data-bpt-phase="output"]').focus();
    await press(page, "Enter");
    expect(await counter.textContent()).toBe("Step 10 of 43");
    await view.focus();
    await press(page, "ArrowRight", 6); // ∂E/∂a_o1, ∂E/∂a_o2, ∂a_o1/∂z_o1, δ_o1, ∂a_o2/∂z_o2, δ_o2, then ∂E/∂w5
    expect(await counter.textContent()).toBe("Step 16 of 43");
    expect(await view.locator(".bpt-input-label").textContent()).toBe("Your value for dE/dw5:");
    expect(await line.getAttribute("data-bpt-revealed")).toBe("false");

    // the slide's slip, judged in the browser, then the value revealed
    await input.focus();
    await page.keyboard.type("0.0820");
    await press(page, "Enter");
    await expect.poll(() => feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("wrong");
    expect(await feedback.textContent()).toContain("should be 0.0822");
    expect(await feedback.textContent()).toMatch(/✗ Wrong/); // a mark and a word, not colour alone
    expect(await line.getAttribute("data-bpt-value")).toBe("0.0822");
    await screenshot(page, "view-05-wrong");
    // the value rounded to 4 places is accepted
    await input.fill("0.0822");
    await press(page, "Enter");
    await expect.poll(() => feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("correct");
    // KaTeX keeps its MathML for screen readers
    expect(await line.locator("math").count()).toBe(1);
    // the step reads δ_o1 and a_h1: their rows in the trace table are marked, the edge h1 → o1 is lit
    expect(await view.locator("tr.bpt-read-by-step").count()).toBeGreaterThanOrEqual(2);
    expect(await view.locator('[data-edge="1.0>2.0"].bpt-on').count()).toBe(1);
    // hovering a symbol says where its value came from
    await line.locator("[data-ref]").first().hover();
    expect(await view.locator("[data-bpt-tip]").textContent()).toMatch(/step \d+|given/);

    // what if w5 = 0.41: ∂E/∂w5 and w5+ become the engine's values for the edited spec
    const edited = traceNetwork(
      {
        ...classic,
        weights: [
          [
            [0.15, 0.2],
            [0.25, 0.3],
          ],
          [
            [0.41, 0.45],
            [0.5, 0.55],
          ],
        ],
      },
      { precision: "dp:4" },
    );
    const want = (key: string) => edited.steps.find((s) => s.key === key)!.value;
    const w5 = view.locator('[data-bpt-given="given.weight.2.0.0"]');
    await w5.fill("0.41");
    await w5.press("Enter");
    timings["05 edit (dp:4)"] = (await view.getAttribute("data-bpt-edit-ms")) ?? undefined;
    await expect.poll(() => line.getAttribute("data-bpt-value")).toBe(want("dE/dw5"));
    expect(want("dE/dw5")).not.toBe("0.0822");
    expect(await view.locator('tr[data-key="dE/dw5"].bpt-changed [data-bpt-value]').textContent()).toBe(
      `${want("dE/dw5")} (changed)`,
    );
    await expect.poll(() => view.getAttribute("data-bpt-judging")).toBe(null);
    timings["05 re-judge after the edit"] = (await view.getAttribute("data-bpt-rejudge-ms")) ?? undefined;
    expect(await feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("wrong"); // 0.0822 is no longer right
    await view.focus();
    await press(page, "End");
    await press(page, "ArrowLeft", 7); // w5+
    await view.locator("[data-bpt-show]").click();
    expect(await line.getAttribute("data-bpt-value")).toBe(want("w5+"));
    expect(await view.locator('tr[data-key="w5+"]').getAttribute("class")).toContain("bpt-changed");
    // the notation switch rewrites the view in another preset; the step, the edit and the value stay
    await view.locator("[data-bpt-notation]").selectOption("bracket");
    expect(await view.locator(".bpt-input-label").textContent()).toBe("Your value for W^[2]_11+:");
    expect(await line.getAttribute("data-bpt-value")).toBe(want("w5+"));
    await view.locator("[data-bpt-notation]").selectOption("names");
    await view.scrollIntoViewIfNeeded();
    await screenshot(page, "view-05-edited");
    expect(pageErrors).toEqual([]);

    // saved, then reopened untrusted: the view comes back and judges again
    await save(page);
    await page.close();
    const { page: reopened, view: again } = await reopenUntrusted(name, "05");
    // untrusted indeed: the static math elsewhere falls back to MathJax
    await expect
      .poll(() => reopened.locator(".jp-OutputArea-output mjx-container").count(), { timeout: 20_000 })
      .toBeGreaterThan(3);
    const p2 = parts(again);
    expect(await p2.counter.textContent()).toBe("Step 1 of 43");
    await again.locator('[data-bpt-phase="output"]').click();
    await again.focus();
    await press(reopened, "ArrowRight", 6);
    await p2.input.fill("0.0820");
    await p2.input.press("Enter");
    await expect.poll(() => p2.feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("wrong");
    await again.scrollIntoViewIfNeeded();
    await screenshot(reopened, "view-05-untrusted");
    await reopened.close();
  }, 300_000);

  it("04: the (x + y) z graph stepped with the keyboard, judged, z edited, saved and reopened untrusted", async () => {
    const name = "04-computation-graphs";
    const { page, view } = await runWithView(name, "04");
    const { counter, line, input, feedback } = parts(view);
    expect(await counter.textContent()).toBe("Step 1 of 6");
    expect(await view.locator(".bpt-input-label").textContent()).toBe("Your value for q:");
    await input.focus();
    await page.keyboard.type("3");
    await press(page, "Enter");
    await expect.poll(() => feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("correct");
    await view.focus();
    await press(page, "ArrowRight", 2);
    expect(await view.locator(".bpt-input-label").textContent()).toBe("Your value for df/dz:");
    // ∂f/∂z: the node and the multiplication it feeds are lit
    expect(await view.locator('[data-edge="z>n2"].bpt-on').count()).toBe(1);
    await input.fill("-4"); // q's gradient, not z's
    await press(page, "Enter");
    await expect.poll(() => feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("wrong");
    expect(await feedback.textContent()).toContain("should be 3");
    await screenshot(page, "view-04-wrong");

    // what if z = 0.5: ∂f/∂x = z changes, ∂f/∂z = q does not
    const zEdit = view.locator('[data-bpt-given="given.z"]');
    await zEdit.fill("0.5");
    await zEdit.press("Enter");
    const fresh = graphTrace("q = x + y; f = q * z", { x: -2, y: 5, z: "0.5" }, "exact");
    await view.focus();
    await press(page, "End");
    await view.locator("[data-bpt-show]").click();
    expect(await line.getAttribute("data-bpt-value")).toBe(fresh.steps.find((s) => s.id === "backward.x")!.value);
    expect(await view.locator('tr[data-id="backward.x"]').getAttribute("class")).toContain("bpt-changed");
    expect(await view.locator('tr[data-id="backward.z"]').getAttribute("class")).not.toContain("bpt-changed");
    await screenshot(page, "view-04-edited");
    await save(page);
    await page.close();

    const { page: reopened, view: again } = await reopenUntrusted(name, "04");
    expect(await parts(again).counter.textContent()).toBe("Step 1 of 6");
    await parts(again).input.fill("3");
    await parts(again).input.press("Enter");
    await expect
      .poll(() => parts(again).feedback.locator("[data-verdict]").getAttribute("data-verdict"))
      .toBe("correct");
    await again.scrollIntoViewIfNeeded();
    await screenshot(reopened, "view-04-untrusted");
    await reopened.close();
  }, 300_000);

  it("an old or hand-edited payload shows one line; hostile names stay text; non-numbers get the checker's messages", async () => {
    const hostile = {
      ...classic,
      names: {
        units: [
          ["<img src=x onerror=alert(1)>", "i2"],
          ["h1", "h2"],
          ["o1", "o2"],
        ],
      },
    };
    const output = (data: unknown) => ({
      output_type: "display_data",
      metadata: {},
      data: { "text/plain": "static fallback", [STEP_THROUGH_MIME]: data },
    });
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      cells: [
        {
          cell_type: "code",
          metadata: {},
          execution_count: 1,
          source: "// old",
          outputs: [output({ ...networkPayload(classic), version: 0 })],
        },
        {
          cell_type: "code",
          metadata: {},
          execution_count: 2,
          source: "// broken",
          outputs: [output({ ...networkPayload(classic), spec: { ...classic, layers: [2, 3, 2] } })],
        },
        {
          cell_type: "code",
          metadata: {},
          execution_count: 3,
          source: "// hostile",
          outputs: [output(networkPayload(hostile, { precision: "dp:4", title: "<b>bold?</b>" }))],
        },
      ],
    };
    writeFileSync(join(ws.notebooks, "view-bad-input.ipynb"), JSON.stringify(nb));
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openNotebook(page, lab, "view-bad-input.ipynb");
    const views = page.locator("[data-bpt-view]");
    await expect.poll(() => views.count()).toBe(3);
    expect(await views.nth(0).locator("[data-bpt-message]").textContent()).toBe(
      "The step-through view's data has version 0; this view reads version 1: run the cell again to redraw it.",
    );
    expect(await views.nth(1).locator("[data-bpt-message]").textContent()).toMatch(
      /^The step-through view cannot show this calculation: weights/,
    );
    const view = views.nth(2);
    expect(await view.locator("img").count()).toBe(0);
    expect(await view.locator(".bpt-title").textContent()).toBe("<b>bold?</b>");
    expect(await view.locator("svg text").first().textContent()).toBe("<img src…"); // cut to fit, as text
    const { input, feedback } = parts(view);
    for (const [typed, message] of [
      ["abc", '"abc" is not a number'],
      ["0,5933", "Write the decimal point as a point: 0.5933, not 0,5933"],
    ]) {
      await input.fill(typed);
      await input.press("Enter");
      expect(await feedback.textContent()).toContain(message);
      expect(await feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
    }
    await input.fill("−0.02"); // a Unicode minus is read as a minus: a number, judged
    await input.press("Enter");
    await expect.poll(() => feedback.locator("[data-verdict]").getAttribute("data-verdict")).toBe("wrong");
    expect(await feedback.textContent()).toContain("you wrote −0.02");
    await view.scrollIntoViewIfNeeded();
    await screenshot(page, "view-bad-input");
    expect(dialogs).toEqual([]);
    await page.close();
  }, 120_000);
});
