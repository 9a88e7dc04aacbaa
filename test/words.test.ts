// Words users see name the lecture topic ("the classic 0.05/0.10 example", "the lecture notes on
// optimizers"), never one of the lecture-note files the tutor was built from ("seed 003"), which
// users do not have: not in any help text, not in any string of src/ (every error message is one),
// not in the README or docs/.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { commandHelp } from "../src/cli/command.js";
import { COMMANDS } from "../src/cli/commands/index.js";
import { programHelp } from "../src/cli/program.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const SEED_FILE = /\bseeds? ?0\d\d\b|seeds\/\d/i;

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));
}

/** Every string and template text in a TypeScript file (comments are for developers, not users). */
function stringsOf(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(join(root, path), "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("no seed file named where users read", () => {
  it("the pattern finds the ways the files were cited", () => {
    for (const s of ["seed 003's formula", "as in seed 001", "Seeds 000/003", "../shared/seeds/001_x.txt"])
      expect(s).toMatch(SEED_FILE);
    for (const s of ["--seed 42", "seeded by student id", "seed 3 of the shuffle"]) expect(s).not.toMatch(SEED_FILE);
  });

  it("in the help of the program and of every command", () => {
    expect(programHelp(COMMANDS)).not.toMatch(SEED_FILE);
    for (const c of COMMANDS) expect(commandHelp(c), c.name).not.toMatch(SEED_FILE);
  });

  it("in any string of src/ (the error messages, the Markdown and the notebooks' displays)", () => {
    const files = filesUnder("src", ".ts");
    expect(files.length).toBeGreaterThan(40);
    const found = files.flatMap((f) =>
      stringsOf(f)
        .filter((s) => SEED_FILE.test(s))
        .map((s) => `${f}: ${s}`),
    );
    expect(found).toEqual([]);
  });

  it("in the README and docs/", () => {
    for (const f of ["README.md", ...filesUnder("docs", ".md")])
      expect(readFileSync(join(root, f), "utf8"), f).not.toMatch(SEED_FILE);
  });
});
