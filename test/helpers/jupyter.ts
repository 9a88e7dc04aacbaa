// A real JupyterLab and a real browser for the end-to-end tests: JupyterLab from the project's
// .venv on a free loopback port (its own token, its own config/data/runtime folders, so nothing
// of the user's is read or written), and Debian's chromium driven by playwright-core.
//
// One JupyterLab serves every browser test file of a vitest run: test/helpers/shared-lab.ts (the
// run's globalSetup) gives the run a folder, the first file that asks starts the lab there, the
// next ones find it, and the globalSetup's teardown stops it. Each file still works in its own
// copy of the notebooks (a folder of its own under the lab's root). Without that folder (another
// config) each file starts a lab of its own, as before.
import { spawn, execFile, execFileSync, type ChildProcess } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { chromiumPath, missingBrowser } from "../../scripts/browser.mjs";
import { LAB_ROOT, LAB_HOME, LAB_INFO, type SharedLabInfo } from "./shared-lab-files.js";

export const ROOT = join(import.meta.dirname, "..", "..");
const VENV = join(ROOT, ".venv");
export const ARTIFACTS = join(ROOT, "test-artifacts", "browser");
export const CHROMIUM = chromiumPath();

/** Whether the machine can run the browser tests (else they are reported as skipped, with why). */
export function browserTestsPossible(): string | undefined {
  if (!existsSync(join(VENV, "bin", "jupyter"))) return "no .venv with JupyterLab (run npm install)";
  return missingBrowser();
}

export function jupyterEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(VENV, "bin")}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    JUPYTER_PATH: join(VENV, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: join(home, "config"),
    JUPYTER_DATA_DIR: join(home, "data"),
    JUPYTER_RUNTIME_DIR: join(home, "runtime"),
    HOME: home,
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** This run's shared-lab folder (from test/helpers/shared-lab.ts), if the run has one. */
function sharedLabDir(): string | undefined {
  try {
    return inject("sharedLabDir") || undefined;
  } catch {
    return undefined; // not inside a vitest run that provides it
  }
}

/**
 * A scratch copy of notebooks/ (so the browser's autosave never writes outputs into the repo),
 * with dist/ and assets/ linked beside it so `../dist/index` resolves as it does in the repo.
 * In a run with a shared JupyterLab it lies under that lab's root, and `home` is the lab's.
 */
export function scratchWorkspace(
  // the tests attach every cell ("none"), so that outputs out of view are in the page
  windowing: string | undefined = "none",
): { dir: string; notebooks: string; home: string } {
  const shared = sharedLabDir();
  const dir = mkdtempSync(shared ? join(shared, LAB_ROOT, "ws-") : join(tmpdir(), "bpt-e2e-"));
  const notebooks = join(dir, "notebooks");
  mkdirSync(notebooks);
  for (const f of readdirSync(join(ROOT, "notebooks")))
    if (f.endsWith(".ipynb")) cpSync(join(ROOT, "notebooks", f), join(notebooks, f));
  for (const d of ["dist", "assets", "node_modules"]) symlinkSync(join(ROOT, d), join(dir, d));
  const home = shared ? join(shared, LAB_HOME) : join(dir, "home");
  writeLabSettings(home, windowing);
  return { dir, notebooks, home };
}

/** No news pop-up; the notebook's windowing as given (JupyterLab's own default when undefined). */
function writeLabSettings(home: string, windowing: string | undefined): void {
  const settings = join(home, "settings");
  mkdirSync(join(settings, "@jupyterlab", "notebook-extension"), { recursive: true });
  mkdirSync(join(settings, "@jupyterlab", "apputils-extension"), { recursive: true });
  if (windowing !== undefined)
    writeFileSync(
      join(settings, "@jupyterlab", "notebook-extension", "tracker.jupyterlab-settings"),
      JSON.stringify({ windowingMode: windowing }),
    );
  writeFileSync(
    join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"),
    JSON.stringify({ fetchNews: "false", checkForUpdates: false }),
  );
}

export interface Lab {
  url: string;
  token: string;
  /** where the notebooks folder is within the lab's root ("" when the lab serves it directly) */
  path: string;
  stop(): Promise<void>;
}

/**
 * A JupyterLab serving `notebooks` (from scratchWorkspace). In a run with a shared lab: that lab,
 * started by the first file that asks; `stop` then leaves it running for the next file.
 */
export async function startJupyterLab(notebooks: string, home: string): Promise<Lab> {
  const shared = sharedLabDir();
  if (shared && notebooks.startsWith(join(shared, LAB_ROOT) + sep)) return sharedLab(shared, notebooks);
  const proc = await spawnLab(notebooks, home, "pipe");
  return { ...proc.info, path: "", stop: () => stopLab(proc.child) };
}

/** The run's shared lab: started here if no file has started it yet, else the running one. */
async function sharedLab(dir: string, notebooks: string): Promise<Lab> {
  const info = join(dir, LAB_INFO);
  let starter = false;
  try {
    mkdirSync(join(dir, "starting")); // atomic: one file starts it, any other waits for it
    starter = true;
  } catch {
    /* another file is starting it, or has */
  }
  if (starter) {
    const { info: started, child } = await spawnLab(join(dir, LAB_ROOT), join(dir, LAB_HOME), join(dir, "lab.log"));
    child.unref();
    const record: SharedLabInfo = { ...started, pid: child.pid! };
    writeFileSync(`${info}.tmp`, JSON.stringify(record));
    renameSync(`${info}.tmp`, info);
  }
  const deadline = Date.now() + 120_000;
  while (!existsSync(info)) {
    if (Date.now() > deadline) throw new Error(`the shared JupyterLab did not start: see ${join(dir, "lab.log")}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const { url, token } = JSON.parse(readFileSync(info, "utf8")) as SharedLabInfo;
  const path = relative(join(dir, LAB_ROOT), notebooks);
  // the lab stays up for the next file; this file's kernels go (a closed page leaves its kernel running)
  return {
    url,
    token,
    path,
    // best effort: the run's teardown ends the lab, kernels and all, in any case
    stop: () => endSessionsUnder({ url, token }, path).catch(() => undefined),
  };
}

/** Shut down the lab's sessions (and so their kernels) of notebooks under `path`. */
async function endSessionsUnder(lab: { url: string; token: string }, path: string): Promise<void> {
  const headers = { Authorization: `token ${lab.token}` };
  const sessions = (await (await fetch(`${lab.url}/api/sessions`, { headers })).json()) as {
    id: string;
    path: string;
  }[];
  await Promise.all(
    sessions
      .filter((x) => x.path.startsWith(`${path.split(sep).join("/")}/`))
      .map((x) => fetch(`${lab.url}/api/sessions/${x.id}`, { method: "DELETE", headers })),
  );
}

/**
 * Start `jupyter lab` on `root` and wait until it answers. Its output goes to a pipe (kept for
 * the error message) or, for a lab that outlives the file that started it, to a log file.
 */
async function spawnLab(
  root: string,
  home: string,
  output: "pipe" | string,
): Promise<{ info: { url: string; token: string }; child: ChildProcess }> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    "lab",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    `--IdentityProvider.token=${token}`,
    `--notebook-dir=${root}`,
    "--MappingKernelManager.default_kernel_name=tslab",
    `--LabApp.user_settings_dir=${join(home, "settings")}`,
    "--LabApp.news_url=",
    // window.jupyterapp: openInLab opens notebooks through the app's commands
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const logFile = output === "pipe" ? undefined : openSync(output, "a");
  const proc: ChildProcess = spawn(join(VENV, "bin", "jupyter"), args, {
    env: jupyterEnv(home),
    cwd: root,
    stdio: ["ignore", logFile ?? "pipe", logFile ?? "pipe"],
    // a shared lab is a process group of its own, so the run's teardown can end it and its kernels
    detached: logFile !== undefined,
  });
  let log = "";
  proc.stdout?.on("data", (d) => (log += d));
  proc.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/status?token=${token}`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      const why = logFile === undefined ? log.slice(-2000) : readFileSync(output, "utf8").slice(-2000);
      throw new Error(`JupyterLab did not start: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { info: { url, token }, child: proc };
}

/** SIGTERM (JupyterLab then shuts its kernels down), SIGKILL after 5 s. */
async function stopLab(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  proc.kill("SIGTERM");
  await new Promise((r) => {
    const t = setTimeout(() => {
      proc.kill("SIGKILL");
      r(undefined);
    }, 5000);
    proc.on("exit", () => {
      clearTimeout(t);
      r(undefined);
    });
  });
}

/**
 * Debian's chromium, headless, in a fresh profile removed on close. `serviceWorkers: "block"` keeps
 * a page's service worker from answering requests itself (JupyterLite's would, out of a route's sight).
 */
export async function launchChromium(
  options: { serviceWorkers?: "allow" | "block" } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "bpt-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 1000 },
    serviceWorkers: options.serviceWorkers ?? "allow",
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

let workspaces = 0;

/** Open a notebook in JupyterLab (in a fresh workspace, so no other notebook is open) and wait until its kernel is ready. */
export async function openNotebook(page: Page, lab: Lab, name: string): Promise<void> {
  const path = [...(lab.path ? lab.path.split(sep) : []), name].map(encodeURIComponent).join("/");
  // workspace names unique across the files sharing a lab
  const workspace = `e2e-${process.pid}-${++workspaces}`;
  await page.goto(`${lab.url}/lab/workspaces/${workspace}/tree/${path}?token=${lab.token}&reset`);
  await page.locator(".jp-NotebookPanel").first().waitFor({ timeout: 60_000 });
  await kernelIdle(page);
}

/** The status bar says "TypeScript | Idle" once the notebook's kernel has started. */
async function kernelIdle(page: Page): Promise<void> {
  await page
    .locator(".jp-StatusBar-Widget", { hasText: /TypeScript \| Idle/ })
    .first()
    .waitFor({ timeout: 60_000 });
}

/** What the tests call on JupyterLab's app (exposed by --LabApp.expose_app_in_browser). */
interface LabApp {
  started: Promise<void>;
  restored: Promise<void>;
  shell: { widgets(area: "main"): Iterable<{ dispose(): void }> };
  commands: { execute(id: string, args: Record<string, unknown>): Promise<unknown> };
}

/**
 * Open a notebook in the JupyterLab already loaded in `page` (loaded here on the first call), after
 * closing whatever the page had open: a JupyterLab page costs several CPU-seconds to load, a
 * notebook in a loaded one only its own rendering. The notebook is read from the server, as on a
 * reload. With `kernel: false` no kernel is started for it (the tests that only look at saved
 * outputs need none, and a tslab kernel costs seconds to start); else it waits, as openNotebook
 * does, until the kernel is idle.
 */
export async function openInLab(page: Page, lab: Lab, name: string, options: { kernel: boolean }): Promise<void> {
  if (!(await page.evaluate(() => "jupyterapp" in window))) {
    const workspace = `e2e-${process.pid}-${++workspaces}`;
    await page.goto(`${lab.url}/lab/workspaces/${workspace}?token=${lab.token}&reset`);
    await page.waitForFunction(() => "jupyterapp" in window, undefined, { timeout: 60_000, polling: 250 });
  }
  const path = [...(lab.path ? lab.path.split(sep) : []), name].join("/");
  await page.evaluate(
    async ({ path, kernel }) => {
      const app = (window as unknown as { jupyterapp: LabApp }).jupyterapp;
      await app.started;
      await app.restored;
      // disposed, not closed: no "save changes?" dialog (each test saves what it means to keep)
      for (const widget of [...app.shell.widgets("main")]) widget.dispose();
      const noKernel = { kernelPreference: { shouldStart: false, canStart: false } };
      const panel = (await app.commands.execute("docmanager:open", {
        path,
        factory: "Notebook",
        ...(kernel ? {} : noKernel),
      })) as { context: { ready: Promise<void> }; sessionContext: { ready: Promise<void> } };
      await panel.context.ready;
      await panel.sessionContext.ready;
    },
    { path, kernel: options.kernel },
  );
  // one notebook in the page: the tests' locators find its outputs and no other's
  await expectOneNotebook(page);
  if (options.kernel) await kernelIdle(page);
}

async function expectOneNotebook(page: Page): Promise<void> {
  await page.locator(".jp-NotebookPanel").first().waitFor({ timeout: 60_000 });
  const panels = await page.locator(".jp-NotebookPanel").count();
  if (panels !== 1) throw new Error(`${panels} notebooks open in the page, expected only the one just opened`);
}

/** Run > Run All Cells, then wait until no cell is queued or running. */
export async function runAllCells(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.locator(".lm-MenuBar-itemLabel", { hasText: /^Run$/ }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: /^Run All Cells$/ }).click();
  const deadline = Date.now() + timeoutMs;
  await page.waitForTimeout(500);
  for (;;) {
    const prompts = await page.locator(".jp-CodeCell .jp-InputPrompt").allInnerTexts();
    const busy = prompts.some((p) => p.includes("*"));
    const unrun = prompts.some((p) => /\[\s*\]/.test(p));
    if (!busy && !unrun && prompts.length > 0) break;
    if (Date.now() > deadline) throw new Error(`cells still running after ${timeoutMs / 1000} s: ${prompts.join(" ")}`);
    await page.waitForTimeout(300);
  }
  await page.waitForTimeout(1500); // let the last outputs (vega, MathJax) render
}

/** Text a reader sees in the outputs (hidden fallbacks excluded). */
export async function visibleOutputText(page: Page, selector = ".jp-OutputArea-output"): Promise<string> {
  return (await page.locator(selector).allInnerTexts()).join("\n");
}

/**
 * What the page shows on screen, as test-artifacts/browser/NAME.png. A JupyterLab page is the size
 * of the window (the notebook scrolls inside it), so this is all of it; a long page (an nbconvert
 * export) is taken top to bottom only with BPT_SCREENSHOTS=full, as encoding a PNG that tall costs
 * the run seconds of CPU for a picture read only when someone looks into an export.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: process.env.BPT_SCREENSHOTS === "full" });
}

/**
 * Execute a notebook headless (nbclient) into `out`, unsigned: JupyterLab treats its outputs as
 * untrusted. Asynchronous, so that it can run while JupyterLab and the browser start.
 */
export function executeNotebook(src: string, out: string, cwd: string, home: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      join(VENV, "bin", "jupyter"),
      [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.kernel_name=tslab",
        "--ExecutePreprocessor.timeout=300",
        "--log-level=ERROR",
        `--output=${out}`,
        src,
      ],
      { cwd, env: jupyterEnv(home) },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`nbconvert could not execute ${src}: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/**
 * `name` (a notebook of notebooks/) executed, as `out` in `dir`. `npm test` runs every notebook
 * headless before the browser files and names that run's folder of executed copies in
 * BPT_EXECUTED_NOTEBOOKS (set only when every notebook passed); a file run on its own executes
 * the notebook here the same way (nbconvert on the tslab kernel). Either way the copy is unsigned.
 */
export async function executedNotebook(name: string, out: string, dir: string, home: string): Promise<void> {
  const executed = process.env.BPT_EXECUTED_NOTEBOOKS;
  if (executed && existsSync(join(executed, name))) cpSync(join(executed, name), join(dir, out));
  else await executeNotebook(name, out, dir, home);
}

/**
 * Sign notebooks for the lab whose home is `home` (`jupyter trust`): JupyterLab then shows their
 * outputs as it shows those of a notebook it ran and saved itself. One call signs them all (each
 * call is a Python start of a few CPU-seconds).
 */
export function trustNotebooks(paths: string[], home: string): void {
  execFileSync(join(VENV, "bin", "jupyter"), ["trust", ...paths], { env: jupyterEnv(home), stdio: "pipe" });
}

/** The nbconvert HTML export of each notebook, beside it, in one nbconvert run: the HTML files' paths. */
export function exportHtml(notebooks: string[], cwd: string, home: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    execFile(
      join(VENV, "bin", "jupyter"),
      ["nbconvert", "--to", "html", "--log-level=ERROR", ...notebooks],
      { cwd, env: jupyterEnv(home) },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`nbconvert could not export ${notebooks.join(", ")}: ${stderr || error.message}`))
          : resolve(notebooks.map((n) => n.replace(/\.ipynb$/, ".html"))),
    ),
  );
}
