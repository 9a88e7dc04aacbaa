// The browser's stand-in for node:path (POSIX paths), for the KaTeX stylesheet's location.
export const sep = "/";

function normalise(parts: string[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}

export function join(...paths: string[]): string {
  const joined = paths.filter((p) => p !== "").join("/");
  const body = normalise(joined.split("/"));
  return joined.startsWith("/") ? "/" + body : body || ".";
}

export function dirname(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

export function basename(path: string): string {
  return path.replace(/\/+$/, "").split("/").pop() ?? "";
}

export default { sep, join, dirname, basename };
