import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", ".venv/**"],
    // a folder for one JupyterLab shared by the browser test files (started by the first that needs it)
    globalSetup: ["test/helpers/shared-lab.ts"],
    // the machine has 2 cores; the browser and grading tests start their own processes
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
