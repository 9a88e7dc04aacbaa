// The static site (npm run site) in chromium, for the browser tests: a plain static file server
// on 127.0.0.1 (no Jupyter, no Python), a browser whose every request to another origin is
// refused and recorded, and the steps a student takes in the site (open a notebook, run all).
import { createServer, type Server } from "node:http";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM, ROOT } from "./jupyter.js";

export const SITE = join(ROOT, "site");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".ipynb": "application/json",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".csv": "text/csv",
  ".md": "text/markdown",
  ".webmanifest": "application/manifest+json",
};

/** Serves `dir` as a static host does: files by path, index.html for a folder, 404 otherwise. */
export async function serveStatic(dir: string, port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return { url: `http://127.0.0.1:${port}`, server };
}

/** Chromium with every request to an origin other than `origin` refused; `foreign` lists them. */
export async function launchSiteBrowser(
  origin: string,
): Promise<{ context: BrowserContext; foreign: string[]; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "bpt-site-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 1000 },
    // JupyterLite's service worker would answer some requests itself, out of the route's sight
    serviceWorkers: "block",
  });
  const foreign: string[] = [];
  await context.route(
    (url) => !url.href.startsWith(origin + "/"),
    (route) => {
      foreign.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  return {
    context,
    foreign,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Open a notebook of the course in the site's JupyterLab and wait until its kernel is idle. */
export async function openSiteNotebook(page: Page, siteUrl: string, name: string): Promise<void> {
  await page.goto(`${siteUrl}/lab/index.html?path=notebooks/${encodeURIComponent(name)}`);
  await page.locator(".jp-NotebookPanel .jp-Cell").first().waitFor({ timeout: 60_000 });
  await page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first().waitFor({ timeout: 60_000 });
}

/** Errors a notebook's outputs show: error outputs and stderr text. */
export async function errorOutputs(page: Page): Promise<string[]> {
  return page
    .locator(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error, .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]',
    )
    .allInnerTexts();
}
