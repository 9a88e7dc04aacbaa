// End to end on the real tslab kernel for a declared assignment (exercises/tanh-softmax): the
// notebook written from assignment.json runs as released, and `grade` gives the teacher's key full
// marks, costs a planted slip exactly its own share, and names a decimal comma. Three kernels
// side by side, in the sandbox.
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../src/cli/program.js";
import { gradeAssigned } from "./helpers/assign.js";
import type { AnswerKey } from "../src/exercises/assign.js";
import { metaOf, toLines, type Notebook } from "../src/exercises/notebook.js";
import { ROOT } from "../src/exercises/paths.js";

const hasKernel =
  existsSync(join(ROOT, ".venv", "bin", "python")) &&
  existsSync(join(ROOT, ".venv", "share", "jupyter", "kernels", "tslab"));

if (!hasKernel && process.env.CI)
  it("has the tslab kernel in .venv, as CI must", () =>
    expect.fail("no .venv with the tslab kernel: npm install creates it"));

describe.skipIf(!hasKernel)("a declared assignment, assigned and graded on the tslab kernel", () => {
  it("tanh-softmax: the key gets 12/12, a slip in z_h1 costs its 0.5, a decimal comma is named", async () => {
    mkdirSync(join(ROOT, ".tmp"), { recursive: true });
    const out = mkdtempSync(join(ROOT, ".tmp", "assignments-e2e-"));
    try {
      const ex = join(ROOT, "exercises", "tanh-softmax");
      const a = await runCli(["assign", ex, "--roster", join(ex, "roster.csv"), "--out", out, "--secret", "e2e"]);
      expect(a.code, a.stderr).toBe(0);
      const key = JSON.parse(readFileSync(join(out, "key", "key.json"), "utf8")) as AnswerKey;
      mkdirSync(join(out, "subs"));
      const submit = (id: string, change: (answers: Record<string, string>) => void) => {
        const nb = JSON.parse(readFileSync(join(out, "release", id, "tanh-softmax.ipynb"), "utf8")) as Notebook;
        const answers = { ...key.students.find((s) => s.id === id)!.answers };
        change(answers);
        nb.cells.find((c) => metaOf(c)?.kind === "answer")!.source = toLines(
          `const answers: Record<string, string | number> = ${JSON.stringify(answers, null, 2)};`,
        );
        writeFileSync(join(out, "subs", `${id}.ipynb`), JSON.stringify(nb));
      };
      submit("ada", () => {});
      submit("alan", (x) => (x.z_h1 = (Number(x.z_h1) + 0.0137).toFixed(4)));
      submit("grace", (x) => (x.z_h1 = x.z_h1.replace(".", ",")));
      await gradeAssigned(out, join(out, "subs"), join(out, "graded"), "--jobs", "3");
      expect(
        readFileSync(join(out, "graded", "grades.csv"), "utf8")
          .trim()
          .split("\n"),
      ).toEqual([
        "student,forward,output,hidden,total,max,notes",
        "ada,4,4,4,12,12,",
        "alan,3.5,4,4,11.5,12,forward: wrong z_h1",
        "grace,3.5,4,4,11.5,12,forward: invalid z_h1",
      ]);
      expect(readFileSync(join(out, "graded", "grace", "feedback.html"), "utf8")).toContain("has a decimal comma");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 400_000);
});
