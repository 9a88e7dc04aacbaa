// The TypeScript kernel's page side: a JupyterLite kernel (a subclass of @jupyterlite/services'
// BaseKernel, taken from the running site) that hands each cell to its Web Worker and turns the
// worker's messages into Jupyter messages. Restart and shutdown end the worker, so a cell that
// never returns is stopped by Kernel › Restart; Interrupt only drops the cells still waiting
// (JupyterLite does not tell a kernel about it, and a worker cannot be stopped midway and kept).
import type { DisplayContent, FromWorker, ToWorker } from "../worker/protocol.js";
import { LANGUAGE_INFO } from "../../src/exercises/notebook-kernel.js";

/** The part of @jupyterlite/services' BaseKernel this kernel uses. */
export interface BaseKernelLike {
  readonly executionCount: number;
  readonly location: string;
  dispose(): void;
  stream(content: { name: "stdout" | "stderr"; text: string }): void;
  displayData(content: DisplayContent): void;
  updateDisplayData(content: DisplayContent): void;
  publishExecuteError(content: { ename: string; evalue: string; traceback: string[] }): void;
}
export type BaseKernelClass = new (options: KernelOptions) => BaseKernelLike;
export interface KernelOptions {
  id: string;
  name: string;
  location: string;
  sendMessage: (msg: unknown) => void;
}

export interface KernelUrls {
  /** the worker script and the engine bundle, in this extension's static folder */
  worker: string;
  engine: string;
  /** the site's files: `<site>/files/` */
  files: string;
}

// the language tslab reports too: JupyterLab writes a kernel's language_info into the notebook as the
// kernel starts, and a different one would mark every notebook modified the moment it opens
export { LANGUAGE_INFO };

/** The kernel class, built on the site's own BaseKernel (a shared module of the running app). */
export function typeScriptKernel(Base: BaseKernelClass, urls: KernelUrls): BaseKernelClass {
  class TypeScriptKernel extends (Base as new (options: KernelOptions) => BaseKernelLike) {
    private readonly worker: Worker;
    private readonly started: Promise<void>;
    private readonly waiting = new Map<number, (m: Extract<FromWorker, { type: "done" }>) => void>();
    private nextId = 0;

    constructor(options: KernelOptions) {
      super(options);
      this.worker = new Worker(urls.worker, { type: "module", name: "backprop-tutor kernel" });
      let started!: () => void;
      this.started = new Promise((resolve) => (started = resolve));
      this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data, started);
      const folder = this.location ? this.location.replace(/\/?$/, "/") : "";
      const filesBase = new URL(folder.split("/").map(encodeURIComponent).join("/"), urls.files).href;
      this.send({ type: "init", engineUrl: urls.engine, filesBase });
    }

    get ready(): Promise<void> {
      return this.started;
    }

    private send(m: ToWorker) {
      this.worker.postMessage(m);
    }

    private receive(m: FromWorker, started: () => void) {
      if (m.type === "ready") started();
      else if (m.type === "stream") this.stream({ name: m.name, text: m.text });
      else if (m.type === "display" && m.update) this.updateDisplayData(m.message);
      else if (m.type === "display") this.displayData(m.message);
      else if (m.type === "done") {
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      }
    }

    override dispose(): void {
      this.worker.terminate();
      super.dispose();
    }

    async kernelInfoRequest() {
      return {
        implementation: "backprop-tutor-lite",
        implementation_version: "0.1.0",
        language_info: LANGUAGE_INFO,
        protocol_version: "5.3",
        status: "ok",
        banner: "TypeScript in the browser (backprop-tutor): cells are transpiled, not type-checked",
        help_links: [],
      };
    }

    async executeRequest(content: { code: string }) {
      const id = this.nextId++;
      const done = await new Promise<Extract<FromWorker, { type: "done" }>>((resolve) => {
        this.waiting.set(id, resolve);
        this.send({ type: "execute", id, code: content.code });
      });
      if (done.status === "ok") return { status: "ok", execution_count: this.executionCount, user_expressions: {} };
      // one line, as tslab prints an uncaught error
      const traceback = [`${done.ename}: ${done.evalue}`];
      this.publishExecuteError({ ename: done.ename, evalue: done.evalue, traceback });
      return {
        status: "error",
        execution_count: this.executionCount,
        ename: done.ename,
        evalue: done.evalue,
        traceback,
      };
    }

    async completeRequest(content: { cursor_pos: number }) {
      return {
        matches: [],
        cursor_start: content.cursor_pos,
        cursor_end: content.cursor_pos,
        metadata: {},
        status: "ok",
      };
    }

    async inspectRequest() {
      return { status: "ok", found: false, data: {}, metadata: {} };
    }

    async isCompleteRequest() {
      return { status: "complete" };
    }

    async commInfoRequest() {
      return { status: "ok", comms: {} };
    }

    inputReply(): void {}
    async commOpen(): Promise<void> {}
    async commMsg(): Promise<void> {}
    async commClose(): Promise<void> {}
  }
  return TypeScriptKernel;
}
