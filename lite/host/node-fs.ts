// The browser's stand-in for node:fs, and the `fs` a notebook imports in the browser kernel.
// Reads are synchronous as in Node (a synchronous request, which a Web Worker may make): a
// relative path is read from the site's copy of the course, relative to the notebook's folder,
// so `readFileSync("../assets/logistic-50.csv", "utf8")` reads what it reads under tslab. KaTeX's
// stylesheet and fonts (src/render/math.ts) come from the copy bundled with the engine.
// Files a student uploads into the site live in the browser's storage and cannot be read here.
import { Buffer } from "buffer";
import katexFiles from "bpt:katex-files";
import { host } from "./host.js";

export const KATEX_DIR = "/bpt-katex";

type Encoding = "utf8" | "utf-8" | "base64" | "latin1" | "ascii" | "hex";
type ReadOptions = Encoding | { encoding?: Encoding | null; flag?: string } | undefined;

/** An error shaped like Node's, so the engine's file errors name the reason ("no such file"). */
function fsError(code: string, what: string, path: string): Error {
  const e = new Error(`${code}: ${what}, open '${path}'`) as Error & { code: string; path: string };
  e.code = code;
  e.path = path;
  return e;
}

function bundled(path: string): Buffer | undefined {
  if (!path.startsWith(KATEX_DIR + "/")) return undefined;
  const file = katexFiles[path.slice(KATEX_DIR.length + 1)];
  if (file === undefined) throw fsError("ENOENT", "no such file or directory", path);
  return Buffer.from(file, "base64");
}

function fetchSync(path: string): Buffer {
  if (!host.filesBase) throw fsError("ENOENT", "no such file or directory (the kernel has no files folder)", path);
  const url = new URL(path, host.filesBase).href;
  const xhr = new XMLHttpRequest();
  xhr.open("GET", url, false);
  xhr.responseType = "arraybuffer";
  try {
    xhr.send();
  } catch {
    throw fsError("EIO", "the site did not answer", path);
  }
  if (xhr.status === 404) throw fsError("ENOENT", "no such file or directory", path);
  if (xhr.status !== 200) throw fsError("EIO", `the site answered ${xhr.status}`, path);
  return Buffer.from(new Uint8Array(xhr.response as ArrayBuffer));
}

export function readFileSync(path: string | URL, options?: ReadOptions): Buffer | string {
  const p = String(path);
  const bytes = bundled(p) ?? fetchSync(p);
  const encoding = typeof options === "string" ? options : options?.encoding;
  return encoding ? bytes.toString(encoding) : bytes;
}

export function existsSync(path: string | URL): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

export default { readFileSync, existsSync };
