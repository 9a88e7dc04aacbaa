// notebooks/NN.ipynb and notebooks/md/NN.md are one notebook in two files (jupytext): the check in
// `npm test` must name the stale one and the command that fixes it, and reject saved outputs.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "./helpers/scratch.js";

const ROOT = join(import.meta.dirname, "..");
const PYTHON = join(ROOT, ".venv", "bin", "python");
const NAME = "02-gradient-descent";
const noVenv = existsSync(PYTHON) ? undefined : "no .venv with jupytext (run npm install)";

function pairs(args: string[], folder: string) {
  const r = spawnSync(PYTHON, [join(ROOT, "scripts", "notebook_pairs.py"), folder, ...args], { encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

function copyPair(): string {
  const folder = join(scratchDir("bpt-pairs-"), "notebooks");
  mkdirSync(join(folder, "md"), { recursive: true });
  cpSync(join(ROOT, "notebooks", "jupytext.toml"), join(folder, "jupytext.toml"));
  cpSync(join(ROOT, "notebooks", `${NAME}.ipynb`), join(folder, `${NAME}.ipynb`));
  cpSync(join(ROOT, "notebooks", "md", `${NAME}.md`), join(folder, "md", `${NAME}.md`));
  return folder;
}

describe.skipIf(noVenv)(`notebook pairs${noVenv ? ` (skipped: ${noVenv})` : ""}`, () => {
  it("every notebook in the repository agrees with its Markdown pair and is output-free", () => {
    const r = pairs(["--check"], join(ROOT, "notebooks"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("an edited Markdown file makes the notebook stale, named with the fix; syncing repairs it", () => {
    const folder = copyPair();
    const md = join(folder, "md", `${NAME}.md`);
    writeFileSync(md, readFileSync(md, "utf8").replace("# 2 · Gradient descent", "# 2 · Gradient descent, edited"));
    const later = new Date(Date.now() + 5000);
    utimesSync(md, later, later);
    const r = pairs(["--check"], folder);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `notebooks/${NAME}.ipynb is stale: notebooks/md/${NAME}.md was edited later (cell 0 differs)`,
    );
    expect(r.stderr).toContain("run `npm run notebooks`");
    expect(pairs([], folder).status).toBe(0);
    expect(pairs(["--check"], folder).status).toBe(0);
    expect(readFileSync(join(folder, `${NAME}.ipynb`), "utf8")).toContain("Gradient descent, edited");
  });

  it("an edited notebook makes the Markdown stale", () => {
    const folder = copyPair();
    const ipynb = join(folder, `${NAME}.ipynb`);
    writeFileSync(ipynb, readFileSync(ipynb, "utf8").replace("# 2 · Gradient descent", "# 2 · Descent"));
    const later = new Date(Date.now() + 5000);
    utimesSync(ipynb, later, later);
    expect(pairs(["--check"], folder).stderr).toContain(
      `notebooks/md/${NAME}.md is stale: notebooks/${NAME}.ipynb was edited later`,
    );
  });

  it("a notebook saved with outputs is refused, and syncing clears them", () => {
    const folder = copyPair();
    const ipynb = join(folder, `${NAME}.ipynb`);
    const nb = JSON.parse(readFileSync(ipynb, "utf8")) as {
      cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[];
    };
    const code = nb.cells.find((c) => c.cell_type === "code")!;
    code.outputs = [{ output_type: "stream", name: "stdout", text: ["hi\n"] }];
    code.execution_count = 1;
    writeFileSync(ipynb, JSON.stringify(nb, null, 1));
    expect(pairs(["--check"], folder).stderr).toContain(`notebooks/${NAME}.ipynb was saved with outputs`);
    expect(pairs([], folder).status).toBe(0);
    expect(pairs(["--check"], folder).status).toBe(0);
  });
});
