// npm run bench:view: the step-through view's speed in chromium, on notebook 05's calculation (the
// classic example at 4 places): a click on Next painted, a check to its verdict painted, a what-if
// edit of w5 painted (with its loss plot), each from the event to the end of the next frame
// (bench/view-measure.ts). By default the view runs alone in a page (its own code and CSS bundled
// by esbuild from labextension/src, served on 127.0.0.1): quick, and the figures are the view's.
// With --lab they are taken on 05's own view in JupyterLab after Run All (bench/view-lab.ts), with
// JupyterLab's default windowing as a student has it (BENCH_WINDOWING=none: every cell attached, as
// the browser tests have it).
// A benchmark, not a test: the targets (issue 17, on a quiet machine) are Next < 50 ms, check
// < 80 ms, edit < 100 ms; the load average before and after is printed with every figure.
// Each figure: the median, 90th percentile and first of N runs, painted, and the part spent in the
// view's own script ("script: …"); the rest is the browser's style, layout and paint.
//
//   node bench/view.mjs [--rounds N] [--port P] [--view DIR] [--lab]   (npm run bench:view builds dist/ first)
//   --view DIR: another copy of labextension/src (two folders below the root) to compare with
//   BENCH_ONLY=next|check|"what-if edit"; BENCH_TRACE=FILE (a chromium trace: layout and paint by
//   event, in the page or in JupyterLab; in JupyterLab BENCH_TRACE_CATEGORIES=… replaces its
//   categories, e.g. adding disabled-by-default-blink.debug for CSS selector statistics); in the
//   page only: BENCH_PROFILE=FILE (a .cpuprofile)
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { ROOT } from "../scripts/paths.mjs";
import { chromiumPath } from "../scripts/browser.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg("--rounds", 20));
const PORT = Number(arg("--port", 0));
// another copy of the view's sources (two folders below the root, as labextension/src is), to
// compare a change with what it replaces on the same machine load
const VIEW = arg("--view", undefined);
const LAB = process.argv.includes("--lab");

const { networkPayload } = await import("../dist/view/payload.js");
const { traceNetwork } = await import("../dist/engine/network.js");
const { CLASSIC_NAMES } = await import("../dist/exercises/classic-names.js");
const spec = { ...JSON.parse(readFileSync(join(ROOT, "examples", "classic.json"), "utf8")), names: CLASSIC_NAMES };
const input = {
  answers: traceNetwork(spec, { precision: "dp:4" }).steps.map((s) => s.value),
  edit: { given: "given.weight.2.0.0", values: ["0.41", "0.42", "0.43", "0.44", "0.45", "0.46", "0.47"] },
  rounds: ROUNDS,
  ...(process.env.BENCH_ONLY ? { only: process.env.BENCH_ONLY.split(",") } : {}),
};
const OUT = join(ROOT, ".tmp", "bench-view");

/** esbuild, quietly, into .tmp/bench-view. */
const bundle = (entry, options) =>
  build({ entryPoints: [join(ROOT, "bench", entry)], outdir: OUT, bundle: true, logLevel: "warning", ...options });

/** The figures of the view alone in a page. */
async function inPage() {
  await bundle("view-page.ts", {
    format: "esm",
    platform: "browser",
    minify: !process.env.BENCH_PROFILE,
    loader: { ".woff2": "file", ".woff": "file", ".ttf": "file" },
    plugins: VIEW
      ? [
          {
            name: "other-view",
            setup: (b) =>
              b.onResolve({ filter: /labextension\/src\/view\.js$/ }, () => ({ path: join(ROOT, VIEW, "view.ts") })),
          },
        ]
      : [],
  });
  writeFileSync(
    join(OUT, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="view-page.css">' +
      '<script type="module" src="view-page.js"></script></head><body><div id="host"></div></body></html>',
  );
  const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2" };
  const server = createServer((req, res) => {
    const file = normalize(join(OUT, new URL(req.url ?? "/", "http://x").pathname.replace(/\/$/, "/index.html")));
    if (!file.startsWith(OUT)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));
  const profile = mkdtempSync(join(tmpdir(), "bpt-bench-view-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    viewport: { width: 1280, height: 1000 },
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => "viewBench" in globalThis);
    const cdp = process.env.BENCH_PROFILE || process.env.BENCH_TRACE ? await context.newCDPSession(page) : undefined;
    if (process.env.BENCH_PROFILE) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    if (process.env.BENCH_TRACE)
      await cdp.send("Tracing.start", { categories: "devtools.timeline,blink", transferMode: "ReturnAsStream" });
    const payload = networkPayload(spec, {
      precision: "dp:4",
      title: "The two-layer network, step by step (4 places)",
    });
    const figures = await page.evaluate((i) => globalThis.viewBench(i), { ...input, payload });
    if (process.env.BENCH_TRACE) writeFileSync(process.env.BENCH_TRACE, await traceText(cdp));
    if (process.env.BENCH_PROFILE)
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify((await cdp.send("Profiler.stop")).profile));
    if (errors.length) throw new Error(`the page failed: ${errors.join("; ")}`);
    return figures;
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The chromium trace taken since Tracing.start, as text. */
async function traceText(cdp) {
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.end");
  const { stream } = await done;
  let text = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle: stream });
    text += chunk.data;
    if (chunk.eof) return text;
  }
}

/** The figures of notebook 05's view in JupyterLab (bench/view-lab.ts, bundled for Node). */
async function inLab() {
  await bundle("view-lab.ts", { format: "esm", platform: "node", packages: "external" });
  const out = execFileSync(process.execPath, [join(OUT, "view-lab.js"), JSON.stringify(input)], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)).figures;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const load = [loadavg()[0]];
const figures = LAB ? await inLab() : await inPage();
load.push(loadavg()[0]);
const targets = { next: 50, check: 80, "what-if edit": 100 };
for (const [name, ms] of Object.entries(figures)) {
  if (!ms.length) continue;
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1));
  console.log(
    JSON.stringify({
      case: `view in ${LAB ? "JupyterLab" : "a page"} (05, dp:4): ${name.startsWith("script: ") ? name : `${name} painted`}`,
      ...(VIEW ? { view: VIEW } : {}),
      median_ms: at(0.5),
      p90_ms: at(0.9),
      first_ms: Number(ms[0].toFixed(1)),
      runs: ms.length,
      ...(targets[name] ? { target_ms: targets[name] } : {}),
      load_average: load.map((l) => Number(l.toFixed(2))),
    }),
  );
}
