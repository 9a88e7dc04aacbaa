// The layout of a vitest run's shared-JupyterLab folder, known to the globalSetup that makes and
// removes it (shared-lab.ts) and to the helper that starts and finds the lab (jupyter.ts).

/** the lab's --notebook-dir: each test file's workspace is a folder in it */
export const LAB_ROOT = "root";
/** the lab's config, data, runtime and settings folders */
export const LAB_HOME = "home";
/** written (atomically) once the lab answers: SharedLabInfo */
export const LAB_INFO = "lab.json";

export interface SharedLabInfo {
  url: string;
  token: string;
  /** the lab's process, leader of its own process group */
  pid: number;
}
