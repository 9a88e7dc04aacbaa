// `backprop-tutor trace SPEC.json`: one forward pass, backward pass and update, every step.
import { traceNetwork } from "../../engine/network.js";
import { NOTATION_PRESETS, type NotationPreset } from "../../engine/notation.js";
import type { NetworkTrace, Phase, Step } from "../../engine/trace.js";
import { choice, expectPositionals, type Command } from "../command.js";
import { readJsonFile } from "../input.js";
import { escapeCell, math, table } from "../markdown.js";
import { defaultPrecisionHelp, precisionOption, FORMATS, NOTATION_HELP } from "./common.js";
import { DEFAULT_PRECISION } from "../../engine/numeric.js";

const PHASE_TITLES: Record<Phase, string> = {
  forward: "Forward pass",
  loss: "Loss",
  backward: "Backward pass",
  update: "Update",
};

export function traceMarkdown(trace: NetworkTrace, title: string): string {
  const out = [
    `# Trace of ${escapeCell(title)}`,
    "",
    `precision: ${trace.precision}, notation: ${trace.notation}, loss: ${trace.loss}`,
  ];
  let n = 0;
  for (const phase of ["forward", "loss", "backward", "update"] as Phase[]) {
    const steps = trace.steps.filter((s) => s.phase === phase);
    if (steps.length === 0) continue;
    const rows = steps.map((s: Step) => [
      String(++n),
      `\`${s.key}\``,
      math(s.symbol),
      math(s.formula),
      math(s.substituted),
      s.value,
    ]);
    out.push(
      "",
      `## ${PHASE_TITLES[phase]}`,
      "",
      table(["step", "key", "symbol", "formula", "with numbers", "value"], rows, ["r", "l", "l", "l", "l", "r"]),
    );
  }
  return out.join("\n") + "\n";
}

export const traceCommand: Command = {
  name: "trace",
  summary: "Trace one forward pass, backward pass and update of a network spec, step by step.",
  usage: `backprop-tutor trace SPEC.json [--precision float|exact|dp:N] [--notation ${NOTATION_PRESETS.join("|")}] [--format json|markdown]`,
  options: {
    precision: {
      value: "float|exact|dp:N",
      help: `arithmetic: IEEE doubles, exact decimals, or rounded to N places at every written step ${defaultPrecisionHelp(DEFAULT_PRECISION.traceNetwork)}`,
    },
    notation: {
      value: NOTATION_PRESETS.join("|"),
      help: "symbols in formulas (default: the spec's names if it has them, else bracket)",
    },
    format: {
      value: "json|markdown",
      help: "json: the trace as the network spec defines it (default); markdown: a table of steps",
    },
  },
  exitCodes: { 1: "the input is wrong (file, spec), or a float trace reached NaN or Infinity (the step is named)" },
  details: [
    "examples:",
    "  backprop-tutor trace examples/classic.json",
    "  backprop-tutor trace examples/classic.json --precision dp:4 --format markdown",
    "",
    NOTATION_HELP,
  ].join("\n"),
  async run(args, io) {
    const [path] = expectPositionals(traceCommand, args, ["SPEC.json"]);
    const precision = precisionOption(args, DEFAULT_PRECISION.traceNetwork);
    const notation =
      args.values.notation === undefined
        ? undefined
        : choice<NotationPreset>(args, "notation", NOTATION_PRESETS, "names");
    const format = choice(args, "format", FORMATS, "json");
    const spec = await readJsonFile(path);
    const trace = traceNetwork(spec, notation ? { precision, notation } : { precision });
    io.stdout(format === "json" ? JSON.stringify(trace, null, 2) + "\n" : traceMarkdown(trace, path));
    return 0;
  },
};
