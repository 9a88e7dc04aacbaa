// The step-through view bundles the engine and checker into a browser extension: every module it
// reaches from src/view/ must be free of Node's built-ins (node:fs, node:util …), or the
// extension fails to build. Follows the relative imports from the modules labextension/ imports.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative } from "node:path";

const SRC = join(import.meta.dirname, "..", "src");
const ENTRIES = ["view/session.ts", "view/payload.ts", "view/marks.ts", "view/layout.ts", "engine/notation.ts"];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module reachable from the entries, each with the Node built-ins it imports. */
function reach(): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = ENTRIES.map((e) => join(SRC, e));
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
    expect(names).toEqual(
      expect.arrayContaining(["engine/network.ts", "checking/check.ts", "checking/simple.ts", "engine/errors.ts"]),
    );
    const withNode = [...modules]
      .filter(([, b]) => b.length > 0)
      .map(([f, b]) => `${relative(SRC, f)}: ${b.join(", ")}`);
    expect(withNode).toEqual([]);
  });
});
