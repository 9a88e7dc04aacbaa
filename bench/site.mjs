// npm run bench:site: the static site's size, its opening time and notebook 05's Run All in the
// site against JupyterLab + tslab (bench/site-run.ts, which uses the browser tests' helpers).
// Builds site/ first if it is not there. A benchmark, not a test: run it on a quiet machine.
import { existsSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "../scripts/paths.mjs";

if (!existsSync(join(ROOT, "site", "index.html")))
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-site.mjs")], { stdio: "inherit" });
// two folders below the root, as bench/ is, so the helpers find the project from where they run
const out = join(ROOT, ".tmp", "bench", "site-run.mjs");
mkdirSync(join(ROOT, ".tmp", "bench"), { recursive: true });
await build({
  entryPoints: [join(ROOT, "bench", "site-run.ts")],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  logLevel: "warning",
});
execFileSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: "inherit", cwd: ROOT });
