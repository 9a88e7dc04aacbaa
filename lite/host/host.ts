// What the browser kernel's worker tells the engine bundle: where the course's files are served
// and how to send a display message. The Node built-ins the engine imports are replaced, in the
// browser bundle only, by the modules beside this one (node-*.ts), which read from here; the
// engine's source is the same for both hosts.

/** One display_data (or update_display_data) message, as tslab's writer takes it. */
export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
export type DisplayWriter = (message: DisplayMessage, update: boolean) => void;

export const host: {
  /** sends a display message to the notebook; set by the worker before the first cell runs */
  writeDisplay: DisplayWriter | null;
  /** the URL of the folder a relative path is read from: the notebook's folder in the site's files */
  filesBase: string;
} = { writeDisplay: null, filesBase: "" };
