// The step-through view's extension is built from src/'s sources (labextension/tsconfig.json
// compiles what its files import; webpack bundles it for the browser): every module it reaches in
// src/ must be free of Node's built-ins (node:fs, node:util …), or the extension fails to build.
// The modules are derived from the extension's own imports (scripts/import-graph.mjs, the reader
// the build hashes its inputs with), whatever they are.
import { describe, expect, it } from "vitest";
import { relative } from "node:path";
import { EXTENSION, extensionInputs, importsOf, reachable, SRC, sourceFiles } from "../scripts/import-graph.mjs";

const underSrc = (files: Iterable<string>) =>
  [...files].filter((f) => f.startsWith(SRC + "/")).map((f) => relative(SRC, f));

describe("what the view's extension bundles", () => {
  it("reaches the engine and the checker through src/'s sources, and no Node built-in", () => {
    const modules = reachable(sourceFiles(EXTENSION));
    const names = underSrc(modules.keys());
    expect(names).toEqual(
      expect.arrayContaining(["view/session.ts", "view/payload.ts", "engine/network.ts", "checking/check.ts"]),
    );
    const withNode = [...modules]
      .filter(([, builtins]) => builtins.length > 0)
      .map(([f, builtins]) => `${relative(SRC, f)}: ${builtins.join(", ")}`);
    expect(withNode).toEqual([]);
  });

  it("imports src/ only as sources, never the compiled dist/", () => {
    const outside = sourceFiles(EXTENSION).flatMap((f) =>
      importsOf(f)
        .local.filter((to) => !to.startsWith(SRC + "/") && !to.startsWith(EXTENSION + "/"))
        .map((to) => `${relative(EXTENSION, f)} -> ${relative(EXTENSION, to)}`),
    );
    expect(outside).toEqual([]);
  });

  it("is built from what its files reach: the build's inputs are the extension's files and those modules", () => {
    const inputs = extensionInputs();
    expect(inputs).toEqual(expect.arrayContaining(sourceFiles(EXTENSION)));
    expect(underSrc(inputs)).toEqual(underSrc(reachable(sourceFiles(EXTENSION)).keys()).sort());
    expect(underSrc(inputs)).toContain("engine/numeric.ts");
  });
});
