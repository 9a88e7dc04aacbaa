// `backprop-tutor check SPEC.json ANSWERS` and `check-graph "EXPR" name=value ... ANSWERS`:
// a hand calculation checked quantity by quantity. Exit code 0: nothing wrong; 1: something is
// wrong, a key was not understood, or the input could not be read; 2: the command line is wrong.
import { checkHandCalculation, type CheckReport } from "../../checking/check.js";
import { checkGraphCalculation } from "../../checking/simple.js";
import { parseAnswersText } from "../../checking/answers.js";
import { checkReportMarkdown } from "../../render/check-report.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../engine/notation.js";
import { choice, expectPositionals, shortUsage, usageError, type Command, type Io } from "../command.js";
import { readJsonFile, readTextFile } from "../input.js";
import { FORMATS } from "./common.js";
import { readValues } from "./graph.js";

const ANSWERS_HELP = [
  "answers: a JSON object {\"z_h1\": \"0.3775\", ...} or a two-column CSV (quantity,value).",
  "Write numbers as you wrote them on paper: their decimals set the precision they are judged at.",
  "verdicts: correct, rounding (explained by rounding earlier values), follows from an earlier",
  "error (right from your own earlier numbers), wrong (with the probable mistake where one fits).",
].join("\n");

function printReport(report: CheckReport, answersPath: string, format: string, io: Io): number {
  io.stdout(format === "json" ? JSON.stringify(report, null, 2) + "\n" : checkReportMarkdown(report) + "\n");
  if (report.warning) io.stderr(`${answersPath}: ${report.warning}\n`);
  for (const u of report.unknownKeys) io.stderr(`${answersPath}: ${u.message}\n`);
  return report.summary.wrong > 0 || report.unknownKeys.length > 0 ? 1 : 0;
}

export const checkCommand: Command = {
  name: "check",
  summary: "Check a hand calculation quantity by quantity: correct, rounding, follows from an earlier error, or wrong (with the likely mistake).",
  usage: `backprop-tutor check SPEC.json ANSWERS.json|ANSWERS.csv [--notation ${NOTATION_PRESETS.join("|")}] [--format markdown|json]`,
  options: {
    notation: { value: NOTATION_PRESETS.join("|"), help: "the notation the keys are written in (default: the spec's names, else bracket)" },
    format: { value: "markdown|json", help: "markdown: a table (default); json: the full report" },
  },
  details: ["examples:", "  backprop-tutor check examples/classic.json examples/classic-slide-answers.csv", "", ANSWERS_HELP].join("\n"),
  async run(args, io) {
    const [specPath, answersPath] = expectPositionals(checkCommand, args, ["SPEC.json", "ANSWERS"]);
    const format = choice(args, "format", FORMATS, "markdown");
    const notation = args.values.notation === undefined ? undefined : choice<NotationPreset>(args, "notation", NOTATION_PRESETS, "names");
    const spec = await readJsonFile(specPath);
    const answers = parseAnswersText(await readTextFile(answersPath, "answers file"), answersPath);
    return printReport(checkHandCalculation(spec, answers, notation ? { notation } : {}), answersPath, format, io);
  },
};

export const checkGraphCommand: Command = {
  name: "check-graph",
  summary: "Check a computation graph's hand-computed node values and gradients.",
  usage: 'backprop-tutor check-graph "EXPR" name=value ... ANSWERS.json|ANSWERS.csv [--format markdown|json]',
  options: {
    format: { value: "markdown|json", help: "markdown: a table (default); json: the full report" },
  },
  details: [
    "examples:",
    '  backprop-tutor check-graph "q = x + y; f = q * z" x=-2 y=5 z=-4 answers.csv',
    "",
    "keys: a node's name for its value (q, f), and df/dq, dq or grad_q for the gradient of the output.",
    ANSWERS_HELP,
  ].join("\n"),
  async run(args, io) {
    const [expr, ...rest] = args.positionals;
    const answersPath = rest.at(-1);
    if (expr === undefined || answersPath === undefined || answersPath.includes("=")) {
      throw usageError("check-graph", "needs an expression, its values and an answers file", `write ${shortUsage(checkGraphCommand)}`);
    }
    const format = choice(args, "format", FORMATS, "markdown");
    const values = readValues(rest.slice(0, -1));
    const answers = parseAnswersText(await readTextFile(answersPath, "answers file"), answersPath);
    return printReport(checkGraphCalculation(expr, values, answers), answersPath, format, io);
  },
};
