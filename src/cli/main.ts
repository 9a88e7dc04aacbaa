#!/usr/bin/env node
// `npx backprop-tutor`: see ./program.ts and docs/cli.md.
import { runProgram } from "./program.js";

// `backprop-tutor trace ... | head`: a closed pipe is not an error
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const code = await runProgram(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
