// vitest's globalSetup: a folder for this run's one shared JupyterLab. Nothing is started here
// (a run of unit tests alone pays for a temporary folder only); the first browser test file
// starts the lab in it (jupyter.ts), and the teardown below stops whatever was started.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { LAB_HOME, LAB_INFO, LAB_ROOT, type SharedLabInfo } from "./shared-lab-files.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** the folder of the run's shared JupyterLab (shared-lab-files.ts has its layout) */
    sharedLabDir: string;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** End the lab's process group: SIGTERM (it shuts its kernels down), SIGKILL after 5 s. */
async function stopSharedLab(dir: string): Promise<void> {
  const info = join(dir, LAB_INFO);
  if (!existsSync(info)) return;
  const { pid } = JSON.parse(readFileSync(info, "utf8")) as SharedLabInfo;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      /* already gone */
    }
  };
  signal("SIGTERM");
  for (const deadline = Date.now() + 5000; alive(pid) && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 100));
  signal("SIGKILL");
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bpt-lab-"));
  mkdirSync(join(dir, LAB_ROOT));
  mkdirSync(join(dir, LAB_HOME));
  project.provide("sharedLabDir", dir);
  return async () => {
    await stopSharedLab(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}
