// The command registry: every subcommand of `backprop-tutor`, in the order --help lists them.
// To add one, write a module exporting a Command (see ../command.ts) and list it here.
import { fromResultRunner, type Command } from "../command.js";
import { traceCommand } from "./trace.js";
import { trainCommand } from "./train.js";
import { graphCommand } from "./graph.js";
import { checkCommand, checkGraphCommand } from "./check.js";
import { ASSIGN_USAGE, GRADE_USAGE, runAssign, runGrade } from "../../exercises/cli.js";

const usageLine = (u: string) => u.replace(/^usage:\s*/, "");

export const COMMANDS: readonly Command[] = [
  traceCommand,
  trainCommand,
  graphCommand,
  checkCommand,
  checkGraphCommand,
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
