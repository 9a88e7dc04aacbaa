// A notebook opens unmodified only if its language_info is what the kernel reports (JupyterLab
// writes the kernel's into the notebook as the kernel starts; anything else shows the modified
// dot at once). One value everywhere: tslab's reply, the site's kernel, the course's notebooks and
// the notebooks `assign` writes.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { LANGUAGE_INFO as SITE_KERNEL } from "../lite/kernel/kernel.js";
import { LANGUAGE_INFO } from "../src/exercises/notebook.js";
import { runCli } from "../src/cli/program.js";
import { scratchDir } from "./helpers/scratch.js";

const ROOT = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

/** tslab's kernel_info reply, from tslab itself (the handler needs no executor for it). */
function tslabLanguageInfo(): unknown {
  const { JupyterHandlerImpl } = require("tslab/dist/jupyter.js") as {
    JupyterHandlerImpl: new (executor: null, isJs: boolean) => { handleKernel(): { language_info: unknown } };
  };
  return new JupyterHandlerImpl(null, false).handleKernel().language_info;
}

describe("language_info", () => {
  it("is tslab's, in the site's kernel and in the exercise tools", () => {
    const tslab = tslabLanguageInfo();
    expect(tslab).toMatchObject({ name: "typescript", file_extension: ".ts" });
    expect(SITE_KERNEL).toEqual(tslab);
    expect(LANGUAGE_INFO).toEqual(tslab);
  });

  it("is in every notebook of the course", () => {
    const names = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
    expect(names.length).toBeGreaterThanOrEqual(16);
    for (const name of names) {
      const nb = JSON.parse(readFileSync(join(ROOT, "notebooks", name), "utf8")) as { metadata: object };
      expect(nb.metadata, name).toMatchObject({ language_info: LANGUAGE_INFO });
    }
  });

  it("is in the notebooks `assign` hands out, from a source notebook and from a declaration", async () => {
    for (const [source, roster] of [
      ["exercises/backprop-1/source.ipynb", "exercises/backprop-1/roster.csv"],
      ["exercises/classic", "exercises/classic/roster.csv"],
    ]) {
      const out = scratchDir("bpt-langinfo-");
      const r = await runCli([
        "assign",
        join(ROOT, source),
        "--roster",
        join(ROOT, roster),
        "--out",
        out,
        "--secret",
        "x",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const student = readdirSync(join(out, "release"))[0];
      const [file] = readdirSync(join(out, "release", student)).filter((f) => f.endsWith(".ipynb"));
      const nb = JSON.parse(readFileSync(join(out, "release", student, file), "utf8")) as { metadata: object };
      expect(nb.metadata, source).toMatchObject({ language_info: LANGUAGE_INFO });
    }
  });
});
