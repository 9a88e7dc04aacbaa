// `backprop-tutor check SPEC.json ANSWERS.(json|csv) [--notation P] [--format json|markdown]`:
// checks a hand calculation and prints the table. Exit code 0: nothing wrong; 1: something is
// wrong or a key was not understood; 2: the command could not run (usage, unreadable files).
import { readFile } from "node:fs/promises";
import { checkHandCalculation } from "../../checking/check.js";
import { parseAnswersText } from "../../checking/answers.js";
import { checkReportMarkdown } from "../../checking/render.js";
import { isTutorError, TutorError } from "../../engine/errors.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../engine/notation.js";
import type { CommandResult } from "../command.js";

export type { CommandResult };

export const CHECK_USAGE = "usage: backprop-tutor check SPEC.json ANSWERS.json|ANSWERS.csv [--notation names|bracket|paren|aima] [--format markdown|json]";

const usage = (problem: string, hint: string) => new TutorError("check", problem, hint, "usage");

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usage(`cannot read the ${what} ${path}${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`, "check the path");
  }
}

interface CheckArgs {
  files: string[];
  format: "markdown" | "json";
  notation?: NotationPreset;
}

function parseArgs(argv: readonly string[]): CheckArgs {
  const args: CheckArgs = { files: [], format: "markdown" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw usage(`${flag} needs a value`, CHECK_USAGE);
      return v;
    };
    if (flag === "--format") {
      const v = value();
      if (v !== "markdown" && v !== "json") throw usage(`unknown format "${v}"`, "use --format markdown or --format json");
      args.format = v;
    } else if (flag === "--notation") {
      const v = value();
      if (!(NOTATION_PRESETS as readonly string[]).includes(v)) throw usage(`unknown notation "${v}"`, `use one of ${NOTATION_PRESETS.join(", ")}`);
      args.notation = v as NotationPreset;
    } else if (flag.startsWith("--")) throw usage(`unknown option ${flag}`, CHECK_USAGE);
    else args.files.push(a);
  }
  if (args.files.length !== 2) throw usage(`expected a spec file and an answers file, got ${args.files.length} file${args.files.length === 1 ? "" : "s"}`, CHECK_USAGE);
  return args;
}

export async function runCheck(argv: readonly string[]): Promise<CommandResult> {
  try {
    const args = parseArgs(argv);
    const [specPath, answersPath] = args.files;
    const specText = await readText(specPath, "spec");
    let spec: unknown;
    try {
      spec = JSON.parse(specText);
    } catch (e) {
      throw usage(`the spec ${specPath} is not valid JSON (${(e as Error).message})`, "a spec is a JSON object such as examples/classic.json");
    }
    const answers = parseAnswersText(await readText(answersPath, "answers file"), answersPath);
    const report = checkHandCalculation(spec, answers, args.notation ? { notation: args.notation } : {});
    const stdout = args.format === "json" ? JSON.stringify(report, null, 2) : checkReportMarkdown(report);
    const stderr = report.unknownKeys.map((u) => `${answersPath}: ${u.message}`).join("\n");
    return { code: report.summary.wrong > 0 || report.unknownKeys.length > 0 ? 1 : 0, stdout: stdout + "\n", stderr: stderr ? stderr + "\n" : "" };
  } catch (e) {
    if (isTutorError(e)) return { code: 2, stdout: "", stderr: e.message + "\n" };
    throw e;
  }
}

/** `check-graph "EXPR" name=value ... ANSWERS.json`: waits for the graph engine (src/engine/graph.ts). */
export async function runCheckGraph(_argv: readonly string[]): Promise<CommandResult> {
  return { code: 2, stdout: "", stderr: "check-graph: the computation-graph engine is not available in this build yet.\n" };
}
