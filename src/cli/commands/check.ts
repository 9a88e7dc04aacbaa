// `backprop-tutor check SPEC.json ANSWERS` and `check-graph "EXPR" name=value ... ANSWERS`:
// a hand calculation checked quantity by quantity, printed as a plain table in a terminal,
// Markdown when piped or redirected, JSON on request.
import type { CheckReport } from "../../checking/check.js";
import { checkAnswersFile, checkGraphAnswersFile } from "../../checking/answers-file.js";
import { checkReportMarkdown } from "../../render/check-report.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../engine/notation.js";
import {
  choice,
  expectPositionals,
  shortUsage,
  usageError,
  type Command,
  type ExitCodes,
  type Io,
  type ParsedArgs,
} from "../command.js";
import { checkReportText } from "../check-text.js";
import { readJsonFile } from "../input.js";
import { NOTATION_HELP } from "./common.js";
import { readValues } from "./graph.js";

const CHECK_FORMATS = ["text", "markdown", "json"] as const;
type CheckFormat = (typeof CHECK_FORMATS)[number];

const FORMAT_OPTION = {
  value: CHECK_FORMATS.join("|"),
  help:
    "text: a table with readable symbols (∂E_total/∂w_5; the default when standard output is a terminal); " +
    "markdown: a table with LaTeX symbols in $...$ (the default when it is piped or redirected); json: the full report",
};

const ANSWERS_HELP = [
  'answers: a JSON object {"z_h1": "0.3775", ...} or a two-column CSV (quantity,value).',
  "Write numbers as you wrote them on paper: their decimals set the precision they are judged at.",
  "verdicts: correct, rounding (explained by rounding earlier values), follows from an earlier",
  "error (right from your own earlier numbers), wrong (with the probable mistake where one fits).",
].join("\n");

const CHECK_EXIT: ExitCodes = {
  0: "nothing wrong: every answer correct, rounding, or following from an earlier error",
  1: "an answer is wrong or a key was not understood; or a file cannot be read, or the spec or answers are invalid",
};

/** --format, defaulting to text in a terminal and Markdown otherwise. */
function formatOption(args: ParsedArgs, io: Io): CheckFormat {
  return choice(args, "format", CHECK_FORMATS, io.stdoutIsTTY ? "text" : "markdown");
}

function printReport(report: CheckReport, answersPath: string, format: CheckFormat, io: Io): number {
  io.stdout(
    format === "json"
      ? JSON.stringify(report, null, 2) + "\n"
      : format === "text"
        ? checkReportText(report)
        : checkReportMarkdown(report) + "\n",
  );
  // the text table already says these in words; for Markdown and JSON, which are often piped, stderr says them too
  if (format !== "text") {
    if (report.warning) io.stderr(`${answersPath}: ${report.warning}\n`);
    for (const u of report.unknownKeys) io.stderr(`${answersPath}: ${u.message}\n`);
  }
  return report.summary.wrong > 0 || report.unknownKeys.length > 0 ? 1 : 0;
}

export const checkCommand: Command = {
  name: "check",
  summary:
    "Check a hand calculation quantity by quantity: correct, rounding, follows from an earlier error, or wrong (with the likely mistake).",
  usage: `backprop-tutor check SPEC.json ANSWERS.json|ANSWERS.csv [--notation ${NOTATION_PRESETS.join("|")}] [--format ${CHECK_FORMATS.join("|")}]`,
  options: {
    notation: {
      value: NOTATION_PRESETS.join("|"),
      help: "the notation the keys are written in (default: the spec's names if it has them, else bracket)",
    },
    format: FORMAT_OPTION,
  },
  details: [
    "examples:",
    "  backprop-tutor check examples/classic.json examples/classic-slide-answers.csv",
    "",
    ANSWERS_HELP,
    "",
    NOTATION_HELP,
  ].join("\n"),
  exitCodes: CHECK_EXIT,
  async run(args, io) {
    const [specPath, answersPath] = expectPositionals(checkCommand, args, ["SPEC.json", "ANSWERS"]);
    const format = formatOption(args, io);
    const notation =
      args.values.notation === undefined
        ? undefined
        : choice<NotationPreset>(args, "notation", NOTATION_PRESETS, "names");
    const spec = await readJsonFile(specPath);
    return printReport(checkAnswersFile(spec, answersPath, notation ? { notation } : {}), answersPath, format, io);
  },
};

export const checkGraphCommand: Command = {
  name: "check-graph",
  summary:
    "Check the values and gradients you computed by hand on a computation graph (assignments such as " +
    '"q = x + y; f = q * z", or one expression), at the input values you give.',
  usage: `backprop-tutor check-graph "EXPR" name=value ... ANSWERS.json|ANSWERS.csv [--format ${CHECK_FORMATS.join("|")}]`,
  options: {
    format: {
      value: CHECK_FORMATS.join("|"),
      help:
        "text: a table with readable symbols (∂f/∂q; the default when standard output is a terminal); " +
        "markdown: a table with LaTeX symbols in $...$ (the default when it is piped or redirected); json: the full report",
    },
  },
  details: [
    "examples:",
    '  backprop-tutor check-graph "q = x + y; f = q * z" x=-2 y=5 z=-4 answers.csv',
    '  backprop-tutor check-graph "s = w*x + b; p = sigmoid(s); L = (p - t)^2" w=0.5 x=2 b=-1 t=1 answers.json',
    "",
    "EXPR: assignments separated by ; (the last one is the output) or a single expression; functions",
    "exp, log, sigmoid, tanh, relu, max; name=value gives every input its value.",
    "keys: a node's name for its value (q, f), and df/dq, dq or grad_q for the gradient of the output",
    "with respect to it (df/dx for an input).",
    'answers: a JSON object {"q": "3", "f": "-12", "df/dx": "-4"} or a two-column CSV (quantity,value),',
    "e.g. the lines q,3 and df/dz,3. Write numbers as you wrote them on paper: their decimals set the",
    "precision they are judged at.",
    "verdicts: correct, rounding (explained by rounding earlier values), follows from an earlier",
    "error (right from your own earlier numbers), wrong (with the probable mistake where one fits).",
  ].join("\n"),
  exitCodes: {
    ...CHECK_EXIT,
    1: "an answer is wrong or a key was not understood; or a file cannot be read, or the expression, values or answers are invalid",
  },
  async run(args, io) {
    const [expr, ...rest] = args.positionals;
    const answersPath = rest.at(-1);
    if (expr === undefined || answersPath === undefined || answersPath.includes("=")) {
      throw usageError(
        "check-graph",
        "needs an expression, its values and an answers file",
        `write ${shortUsage(checkGraphCommand)}`,
      );
    }
    const format = formatOption(args, io);
    const values = readValues(rest.slice(0, -1));
    return printReport(checkGraphAnswersFile(expr, values, answersPath), answersPath, format, io);
  },
};
