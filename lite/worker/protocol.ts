// Messages between the browser kernel's page side (lite/kernel/) and its worker (worker.ts).

export type ToWorker =
  /** engineUrl: the engine bundle; filesBase: the URL of the notebook's folder in the site's files */
  { type: "init"; engineUrl: string; filesBase: string } | { type: "execute"; id: number; code: string };

export interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

export type FromWorker =
  | { type: "ready" }
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; update: boolean; message: DisplayContent }
  | { type: "done"; id: number; status: "ok" }
  | { type: "done"; id: number; status: "error"; ename: string; evalue: string };
