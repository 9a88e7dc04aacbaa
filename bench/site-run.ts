// The static site's figures (bench/site.mjs runs this): its size on disk and gzipped, the time
// from opening the site to 00-index ready (a fresh browser, nothing cached), and notebook 05's
// Run All in the site against the same in JupyterLab on the tslab kernel, in the same chromium.
// Prints one JSON line per figure.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import {
  launchSiteBrowser,
  openInSite,
  runAllInSite,
  serveStatic,
  errorsIn,
  closeInSite,
  SITE,
  waitForOpen,
} from "../test/helpers/site.js";
import {
  launchChromium,
  openNotebook,
  runAllCells,
  scratchWorkspace,
  startJupyterLab,
} from "../test/helpers/jupyter.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const NB05 = "05-two-layer-hand-calculation.ipynb";

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function size(): void {
  let total = 0;
  let gzipped = 0;
  for (const f of files(SITE)) {
    total += statSync(f).size;
    gzipped += gzipSync(readFileSync(f), { level: 6 }).length;
  }
  const mb = (n: number) => Number((n / 1e6).toFixed(1));
  console.log(JSON.stringify({ case: "site size", totalMB: mb(total), gzippedMB: mb(gzipped) }));
}

async function inSite(): Promise<void> {
  const { server } = await serveStatic(SITE, 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const open: number[] = [];
  const run: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const browser = await launchSiteBrowser(url);
    const page = await browser.context.newPage();
    let t = Date.now();
    await page.goto(`${url}/`);
    await waitForOpen(page, "notebooks/00-index.ipynb", 120_000);
    open.push(Date.now() - t);
    await closeInSite(page);
    await openInSite(page, `notebooks/${NB05}`);
    t = Date.now();
    const nb = await runAllInSite(page);
    run.push(Date.now() - t);
    if (errorsIn(nb).length) throw new Error(`05 had errors in the site: ${errorsIn(nb).join("; ")}`);
    await browser.close();
  }
  server.close();
  console.log(JSON.stringify({ case: "site: open to 00-index ready (cold)", ms: Math.min(...open), rounds: open }));
  console.log(JSON.stringify({ case: "site: 05 Run All", ms: Math.min(...run), rounds: run }));
}

async function inJupyterLab(): Promise<void> {
  const ws = scratchWorkspace();
  const lab = await startJupyterLab(ws.notebooks, ws.home);
  const browser = await launchChromium();
  const run: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const page = await browser.context.newPage();
      await openNotebook(page, lab, NB05);
      const t = Date.now();
      await runAllCells(page, 300_000);
      run.push(Date.now() - t - 1500); // runAllCells waits 1.5 s after the last cell for rendering
      await page.close();
    }
  } finally {
    await browser.close();
    await lab.stop();
    rmSync(ws.dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ case: "JupyterLab + tslab: 05 Run All", ms: Math.min(...run), rounds: run }));
}

// `node bench/site.mjs lab` or `... site`: one side only
const only = process.argv[2];
if (!only || only === "site") {
  size();
  await inSite();
}
if (!only || only === "lab") await inJupyterLab();
