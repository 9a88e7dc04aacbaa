// The static site (npm run site) in chromium, for the browser tests: a plain static file server
// on 127.0.0.1 (no Jupyter, no Python), a browser whose every request to another origin is
// refused and recorded, and the steps a student takes in the site (open a notebook, run all).
import { createServer, type Server } from "node:http";
import { createReadStream, existsSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium, ROOT } from "./jupyter.js";

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

/** Chromium (launchChromium's) with every request to an origin other than `origin` refused; `foreign` lists them. */
export async function launchSiteBrowser(
  origin: string,
): Promise<{ context: BrowserContext; foreign: string[]; close(): Promise<void> }> {
  const { context, close } = await launchChromium({ serviceWorkers: "block" });
  const foreign: string[] = [];
  await context.route(
    (url) => !url.href.startsWith(origin + "/"),
    (route) => {
      foreign.push(route.request().url());
      return route.abort("blockedbyclient");
    },
  );
  return { context, foreign, close };
}

/**
 * Stop the status bar's kernel spinner (a CSS animation, decoration only) in every page of `context`:
 * for as long as a kernel is busy its frames kept 15-20 % of a core busy in chromium's compositors,
 * measured, and the tests read the kernel's status from the app, not from the spinner.
 */
export async function stillKernelSpinner(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const still = () => {
      const style = document.createElement("style");
      style.textContent = ".jp-KernelStatus-spinner { animation: none !important; }";
      document.head.append(style);
    };
    if (document.head) still();
    else document.addEventListener("DOMContentLoaded", still, { once: true });
  });
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

/** A notebook's cells as saved (nbformat JSON), read from the open notebook's model. */
export interface SavedNotebook {
  cells: { cell_type: string; source: string | string[]; execution_count?: number | null; outputs?: SavedOutput[] }[];
  metadata: Record<string, unknown>;
}
export interface SavedOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

/** The open notebook's live cells (JupyterLab's cell models), as the waits read them. */
interface LiveCells extends Iterable<LiveCell> {
  get(index: number): LiveCell | undefined;
}
interface LiveCell {
  type: string;
  executionCount?: number | null;
  outputs: { length: number; get(index: number): { type: string; toJSON(): { name?: string } } };
}

interface LiteWindow {
  jupyterapp: {
    commands: { execute(id: string, args?: object): Promise<unknown> };
    shell: {
      currentWidget: {
        context: { model: { toJSON(): SavedNotebook }; path: string };
        sessionContext: { session?: { kernel?: { status: string } | null } | null };
        content: {
          activeCellIndex: number;
          model: { sharedModel: { insertCell(i: number, cell: object): void }; cells: LiveCells };
        };
      } | null;
    };
    serviceManager: {
      contents: {
        get(path: string, opts: object): Promise<{ content: unknown }>;
        save(path: string, m: object): Promise<unknown>;
      };
      sessions: { startNew(options: object): Promise<LiteSession> };
    };
  };
}

/** A kernel session started without a notebook widget (@jupyterlab/services' session and kernel connections). */
interface LiteSession {
  kernel: {
    info: Promise<unknown>;
    requestExecute(content: { code: string; stop_on_error: boolean }): {
      onIOPub: (msg: { header: { msg_type: string }; content: Record<string, unknown> }) => void;
      done: Promise<{ content: { status: string; execution_count?: number | null } }>;
    };
  } | null;
  shutdown(): Promise<void>;
}

/** The open notebook as it would be saved, and its kernel's status. */
export async function currentNotebook(page: Page): Promise<{ nb: SavedNotebook; status: string }> {
  return page.evaluate(() => {
    const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget!;
    return { nb: w.context.model.toJSON(), status: w.sessionContext.session?.kernel?.status ?? "none" };
  });
}

/** What the outputs of a notebook show as errors: error outputs and stderr text, one string each. */
export function errorsIn(nb: SavedNotebook): string[] {
  return nb.cells.flatMap((c) =>
    (c.outputs ?? []).flatMap((o) => {
      if (o.output_type === "error") return [`${o.ename}: ${o.evalue}`];
      if (o.output_type === "stream" && o.name === "stderr") return [[o.text ?? ""].flat().join("")];
      return [];
    }),
  );
}

/**
 * Run all cells of the open notebook (Run › Run All Cells) and wait until the kernel has run them:
 * every code cell numbered and the kernel idle, or an error output (JupyterLite then skips the rest).
 * The notebook's model is read, not its DOM: JupyterLab draws only the cells near the screen.
 */
export async function runAllInSite(page: Page, timeoutMs = 180_000): Promise<SavedNotebook> {
  await page.evaluate(
    async () => void (await (window as unknown as LiteWindow).jupyterapp.commands.execute("notebook:run-all-cells")),
  );
  // polled in the page, on the live model: the saved form (megabytes of outputs) is made once, at the end
  await page
    .waitForFunction(
      () => {
        const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget!;
        if (w.sessionContext.session?.kernel?.status !== "idle") return false;
        let ran = true;
        for (const cell of w.content.model.cells) {
          if (cell.type !== "code") continue;
          if (cell.executionCount == null) ran = false;
          for (let i = 0; i < cell.outputs.length; i++) {
            const o = cell.outputs.get(i);
            if (o.type === "error" || (o.type === "stream" && o.toJSON().name === "stderr")) return true;
          }
        }
        return ran;
      },
      undefined,
      { polling: 250, timeout: timeoutMs },
    )
    .catch((e: Error) => {
      throw new Error(`the notebook was still running after ${timeoutMs / 1000} s (${e.message.split("\n")[0]})`);
    });
  return (await currentNotebook(page)).nb;
}

/**
 * Run every code cell of the site's notebook `path`, top to bottom, on a kernel of the site started for
 * that notebook (its own worker; the files it reads are found beside it, as when it is open), stopping
 * at the first cell that fails as Run All does. No notebook is opened, so nothing is drawn: for the
 * tests that ask only whether every cell runs without an error. Returns the notebook as it would be
 * saved, each output with its kind, stream text and error; the MIME bundles' content is left out.
 */
export async function runInSiteKernel(page: Page, path: string): Promise<SavedNotebook> {
  return page.evaluate(async (path) => {
    const services = (window as unknown as LiteWindow).jupyterapp.serviceManager;
    const nb = (await services.contents.get(path, { content: true, type: "notebook" })).content as SavedNotebook;
    const name = path.split("/").pop()!;
    const session = await services.sessions.startNew({ path, name, type: "notebook", kernel: { name: "tslab" } });
    try {
      const kernel = session.kernel!;
      await kernel.info;
      for (const cell of nb.cells) {
        if (cell.cell_type !== "code") continue;
        const outputs: SavedOutput[] = [];
        const future = kernel.requestExecute({ code: [cell.source].flat().join(""), stop_on_error: true });
        future.onIOPub = ({ header, content }) => {
          const kind = header.msg_type;
          if (kind === "stream")
            outputs.push({ output_type: kind, name: String(content.name), text: String(content.text) });
          else if (kind === "error")
            outputs.push({ output_type: kind, ename: String(content.ename), evalue: String(content.evalue) });
          else if (kind === "display_data" || kind === "execute_result")
            outputs.push({
              output_type: kind,
              data: Object.fromEntries(Object.keys(content.data ?? {}).map((m) => [m, ""])),
            });
        };
        const reply = await future.done;
        cell.outputs = outputs;
        cell.execution_count = reply.content.execution_count ?? null;
        if (reply.content.status !== "ok") break;
      }
    } finally {
      await session.shutdown();
    }
    return nb;
  }, path);
}

/** Add a code cell at the end of the open notebook, run it, and return its outputs. */
export async function runNewCell(page: Page, source: string): Promise<SavedOutput[]> {
  const before = (await currentNotebook(page)).nb.cells.length;
  await page.evaluate(
    ({ source, at }) => {
      const app = (window as unknown as LiteWindow).jupyterapp;
      const panel = app.shell.currentWidget!;
      panel.content.model.sharedModel.insertCell(at, { cell_type: "code", source });
      panel.content.activeCellIndex = at;
      return app.commands.execute("notebook:run-cell").then(() => undefined);
    },
    { source, at: before },
  );
  // polled in the page, on the live model; the cell's saved form is read once it has run
  const ran = await page
    .waitForFunction(
      (at) => {
        const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget!;
        const cell = w.content.model.cells.get(at);
        return (
          w.sessionContext.session?.kernel?.status === "idle" && cell?.type === "code" && cell.executionCount != null
        );
      },
      before,
      { polling: 200, timeout: 60_000 },
    )
    .then(
      () => true,
      () => false,
    );
  const cell = (await currentNotebook(page)).nb.cells[before];
  if (!ran) throw new Error(`the new cell did not run within 60 s: ${JSON.stringify(cell)}`);
  return cell.outputs ?? [];
}

/** The text/plain of outputs, joined. */
export function plainText(outputs: SavedOutput[]): string {
  return outputs
    .map((o) => [o.text ?? (o.data?.["text/plain"] as string | string[] | undefined) ?? ""].flat().join(""))
    .join("\n");
}

/** Wait until the app shows `path` with its kernel idle (the notebook is ready to run). */
export async function waitForOpen(page: Page, path: string, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    (path) => {
      const w = (window as unknown as Partial<LiteWindow>).jupyterapp?.shell.currentWidget;
      return w?.context?.path === path && w.sessionContext.session?.kernel?.status === "idle";
    },
    path,
    { timeout: timeoutMs },
  );
}

/** Load the app in `page` (its lab page) and wait until it has restored: its commands are all there then. */
export async function loadApp(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/lab/index.html`);
  await page.waitForFunction(
    () => {
      const app = (window as unknown as Partial<{ jupyterapp: { commands: { hasCommand(id: string): boolean } } }>)
        .jupyterapp;
      return app?.commands.hasCommand("docmanager:open") && app.commands.hasCommand("notebook:run-all-cells");
    },
    undefined,
    { timeout: 90_000 },
  );
}

/** Open a file of the site's (or the student's) files in the running app; resolves when its kernel is idle. */
export async function openInSite(page: Page, path: string): Promise<void> {
  await page.evaluate(
    // the command resolves with the notebook's widget: not sent back (it is a huge object graph)
    async (path) =>
      void (await (window as unknown as LiteWindow).jupyterapp.commands.execute("docmanager:open", { path })),
    path,
  );
  await waitForOpen(page, path);
}

/** Close the open notebook and end its kernel (its worker), as a student's Close and Shut Down Kernel does. */
export async function closeInSite(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget as unknown as {
      sessionContext: { shutdown(): Promise<void> };
      context: { model: { dirty: boolean } };
      dispose(): void;
    };
    await w.sessionContext.shutdown();
    w.context.model.dirty = false;
    w.dispose();
  });
}

/** Bring the open notebook's cell `index` on screen (JupyterLab draws only the cells near it). */
export async function showCell(page: Page, index: number): Promise<void> {
  await page.evaluate(async (index) => {
    const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget as unknown as {
      content: { activeCellIndex: number; scrollToItem(i: number, align: string): Promise<void> };
    };
    w.content.activeCellIndex = index;
    await w.content.scrollToItem(index, "start");
  }, index);
  await page.waitForTimeout(300);
}

/** Replace the source of the open notebook's cell `index`, as typing into it does. */
export async function setCellSource(page: Page, index: number, source: string): Promise<void> {
  await page.evaluate(
    ({ index, source }) => {
      const w = (window as unknown as LiteWindow).jupyterapp.shell.currentWidget as unknown as {
        content: { model: { sharedModel: { cells: { setSource(s: string): void }[] } } };
      };
      w.content.model.sharedModel.cells[index].setSource(source);
    },
    { index, source },
  );
}

/** Save the open notebook (File › Save) and read it back as the site stores it (the browser's storage). */
export async function saveAndRead(page: Page): Promise<SavedNotebook> {
  return page.evaluate(async () => {
    const app = (window as unknown as LiteWindow).jupyterapp;
    const path = app.shell.currentWidget!.context.path;
    await app.commands.execute("docmanager:save");
    return (await app.serviceManager.contents.get(path, { content: true, type: "notebook" })).content as SavedNotebook;
  });
}

/** Put a notebook into the site's storage, as a student's upload does. */
export async function uploadToSite(page: Page, path: string, nb: object): Promise<void> {
  await page.evaluate(
    async ({ path, nb }) =>
      void (await (window as unknown as LiteWindow).jupyterapp.serviceManager.contents.save(path, {
        type: "notebook",
        format: "json",
        content: nb,
      })),
    { path, nb },
  );
}
