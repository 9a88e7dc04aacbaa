import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", ".venv/**"],
    // a folder for one JupyterLab shared by the browser test files (started by the first that needs it)
    globalSetup: ["test/helpers/shared-lab.ts"],
    // the machine has 2 cores; the browser and grading tests start their own processes
    maxWorkers: 2,
    // test files share a worker thread and its loaded modules (vega, KaTeX, decimal.js are loaded
    // once per worker, not once per file): the unit run takes 105 s of CPU instead of 167 s in child
    // processes that each load everything. A test restores what it changes (process.env, timers, spies).
    pool: "threads",
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
