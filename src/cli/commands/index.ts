// The command registry: every subcommand of `backprop-tutor`, in the order --help lists them.
// To add one, write a module exporting a Command (see ../command.ts) and list it here.
import { fromResultRunner, type Command } from "../command.js";
import { traceCommand } from "./trace.js";
import { trainCommand } from "./train.js";
import { graphCommand } from "./graph.js";
import { CHECK_USAGE, runCheck, runCheckGraph } from "./check.js";
import { ASSIGN_USAGE, GRADE_USAGE, runAssign, runGrade } from "../../exercises/cli.js";

const usageLine = (u: string) => u.replace(/^usage:\s*/, "");

export const COMMANDS: readonly Command[] = [
  traceCommand,
  trainCommand,
  graphCommand,
  fromResultRunner(
    { name: "check", summary: "Check a hand calculation quantity by quantity: correct, rounding, follows from an earlier error, or wrong (with the likely mistake).", usage: usageLine(CHECK_USAGE) },
    runCheck,
  ),
  fromResultRunner(
    { name: "check-graph", summary: "Check a computation graph's hand-computed values and gradients.", usage: 'backprop-tutor check-graph "EXPR" name=value ... ANSWERS.json|ANSWERS.csv [--precision P] [--format json|markdown]' },
    runCheckGraph,
  ),
  fromResultRunner(
    { name: "assign", summary: "Write one student notebook per roster row, each with its own numbers, and the teacher's answer key.", usage: usageLine(ASSIGN_USAGE) },
    runAssign,
  ),
  fromResultRunner(
    { name: "grade", summary: "Grade every submission headless on the tslab kernel; write grades.csv and one feedback page per student.", usage: usageLine(GRADE_USAGE) },
    runGrade,
  ),
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
