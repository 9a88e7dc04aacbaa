// The step-through view bundles the engine and checker into a browser extension: every module it
// reaches from src/ must be free of Node's built-ins (node:fs, node:util …), or the extension
// fails to build. Follows the relative imports from labextension/src's own files, whatever they import.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";

const SRC = join(import.meta.dirname, "..", "src");
const EXTENSION = join(import.meta.dirname, "..", "labextension", "src");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** The project's modules the extension's files import (its `../../dist/x.js` is built from `src/x.ts`). */
function entries(): string[] {
  return readdirSync(EXTENSION)
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) =>
      [...readFileSync(join(EXTENSION, f), "utf8").matchAll(IMPORT)]
        .map((m) => m[1] ?? m[2])
        .filter((spec) => /^\.\.\/\.\.\/(dist|src)\//.test(spec))
        .map((spec) =>
          relative(SRC, resolve(EXTENSION, spec.replace(/^\.\.\/\.\.\/dist\//, "../../src/")).replace(/\.js$/, ".ts")),
        ),
    );
}
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module reachable from the entries, each with the Node built-ins it imports. */
function reach(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = entries().map((e) => join(SRC, e));
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    const text = readFileSync(file, "utf8");
    const builtins: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith(".")) todo.push(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (NODE.has(spec) || NODE.has(spec.split("/")[0])) builtins.push(spec);
    }
    seen.set(file, builtins);
  }
  return seen;
}

describe("what the view's extension bundles", () => {
  it("reaches the engine and the checker, and no Node built-in", () => {
    const modules = reach();
    const names = [...modules.keys()].map((f) => relative(SRC, f));
    expect(entries()).toEqual(expect.arrayContaining(["view/session.ts", "view/payload.ts", "view/whatif.ts"]));
    expect(names).toEqual(
      expect.arrayContaining(["engine/network.ts", "checking/check.ts", "checking/simple.ts", "engine/errors.ts"]),
    );
    const withNode = [...modules]
      .filter(([, b]) => b.length > 0)
      .map(([f, b]) => `${relative(SRC, f)}: ${b.join(", ")}`);
    expect(withNode).toEqual([]);
  });
});
