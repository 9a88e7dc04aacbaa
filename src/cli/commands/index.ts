// The command registry: every subcommand of `backprop-tutor`, in the order --help lists them.
// To add one, write a module exporting a Command (see ../command.ts) and list it here.
import type { Command } from "../command.js";
import { traceCommand } from "./trace.js";
import { trainCommand } from "./train.js";
import { graphCommand } from "./graph.js";
import { checkCommand, checkGraphCommand } from "./check.js";
import { assignCommand, gradeCommand } from "./exercises.js";

export const COMMANDS: readonly Command[] = [
  traceCommand,
  trainCommand,
  graphCommand,
  checkCommand,
  checkGraphCommand,
  assignCommand,
  gradeCommand,
];
