// A real JupyterLab and a real browser for the end-to-end tests: JupyterLab from the project's
// .venv on a free loopback port (its own token, its own config/data/runtime folders, so nothing
// of the user's is read or written), and Debian's chromium driven by playwright-core.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { chromiumPath, missingBrowser } from "../../scripts/browser.mjs";

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

/**
 * A scratch copy of notebooks/ (so the browser's autosave never writes outputs into the repo),
 * with dist/ and assets/ linked beside it so `../dist/index` resolves as it does in the repo.
 */
export function scratchWorkspace(): { dir: string; notebooks: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), "bpt-e2e-"));
  const notebooks = join(dir, "notebooks");
  mkdirSync(notebooks);
  for (const f of readdirSync(join(ROOT, "notebooks")))
    if (f.endsWith(".ipynb")) cpSync(join(ROOT, "notebooks", f), join(notebooks, f));
  for (const d of ["dist", "assets", "node_modules"]) symlinkSync(join(ROOT, d), join(dir, d));
  const home = join(dir, "home");
  // every cell rendered (no windowing, so outputs out of view are in the page), no news pop-up
  const settings = join(home, "settings");
  mkdirSync(join(settings, "@jupyterlab", "notebook-extension"), { recursive: true });
  mkdirSync(join(settings, "@jupyterlab", "apputils-extension"), { recursive: true });
  writeFileSync(
    join(settings, "@jupyterlab", "notebook-extension", "tracker.jupyterlab-settings"),
    JSON.stringify({ windowingMode: "none" }),
  );
  writeFileSync(
    join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"),
    JSON.stringify({ fetchNews: "false", checkForUpdates: false }),
  );
  return { dir, notebooks, home };
}

export interface Lab {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startJupyterLab(notebooks: string, home: string): Promise<Lab> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    "lab",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    `--IdentityProvider.token=${token}`,
    `--notebook-dir=${notebooks}`,
    "--MappingKernelManager.default_kernel_name=tslab",
    `--LabApp.user_settings_dir=${join(home, "settings")}`,
    "--LabApp.news_url=",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const proc: ChildProcess = spawn(join(VENV, "bin", "jupyter"), args, {
    env: jupyterEnv(home),
    cwd: notebooks,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout!.on("data", (d) => (log += d));
  proc.stderr!.on("data", (d) => (log += d));
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
      throw new Error(`JupyterLab did not start: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token,
    async stop() {
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
    },
  };
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
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
  await page.goto(
    `${lab.url}/lab/workspaces/e2e${++workspaces}/tree/${encodeURIComponent(name)}?token=${lab.token}&reset`,
  );
  await page.locator(".jp-NotebookPanel").first().waitFor({ timeout: 60_000 });
  // the status bar says "TypeScript | Idle" once the kernel has started
  await page
    .locator(".jp-StatusBar-Widget", { hasText: /TypeScript \| Idle/ })
    .first()
    .waitFor({ timeout: 60_000 });
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

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Execute a notebook headless (nbclient) into `out`, unsigned: JupyterLab treats its outputs as untrusted. */
export function executeNotebook(src: string, out: string, cwd: string, home: string): void {
  execFileSync(
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
    { cwd, env: jupyterEnv(home), stdio: "pipe" },
  );
}

export function exportHtml(notebook: string, cwd: string, home: string): string {
  execFileSync(join(VENV, "bin", "jupyter"), ["nbconvert", "--to", "html", "--log-level=ERROR", notebook], {
    cwd,
    env: jupyterEnv(home),
    stdio: "pipe",
  });
  return notebook.replace(/\.ipynb$/, ".html");
}
