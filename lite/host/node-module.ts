// The browser's stand-in for node:module. The engine uses createRequire for two things only:
// tslab's display writer (src/render/display.ts), answered here with the kernel's writer, and
// the location of KaTeX's stylesheet (src/render/math.ts), answered with a path that node-fs.ts
// serves from the copy bundled with the engine.
import { host, type DisplayWriter } from "./host.js";
import { KATEX_DIR } from "./node-fs.js";

const tslabJupyter = {
  get lastWriteDisplayData(): DisplayWriter | null {
    return host.writeDisplay;
  },
};

type Require = ((id: string) => unknown) & { resolve(id: string): string };

export function createRequire(_from: string | URL): Require {
  const require = ((id: string) => {
    if (id === "tslab/dist/jupyter") return tslabJupyter;
    throw new Error(`require("${id}") is not available in the browser kernel`);
  }) as Require;
  require.resolve = (id: string) => {
    if (id.startsWith("katex/dist/")) return `${KATEX_DIR}/${id.slice("katex/dist/".length)}`;
    throw new Error(`require.resolve("${id}") is not available in the browser kernel`);
  };
  return require;
}

export default { createRequire };
