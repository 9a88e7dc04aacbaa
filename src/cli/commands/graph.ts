// `backprop-tutor graph "EXPR" name=value ...`: a computation graph's forward values, gradients
// and, for every edge, upstream gradient × local gradient = product.
//
import { ExpressionError } from "../../engine/errors.js";
import { graphTrace, type GraphNode, type GraphTrace } from "../../engine/graph.js";
import { choice, shortUsage, usageError, type Command } from "../command.js";
import { escapeCell, math, table } from "../markdown.js";
import { defaultPrecisionHelp, FORMATS, isNumberText, precisionOption } from "./common.js";
import { DEFAULT_PRECISION } from "../../engine/numeric.js";

/** `name=value` arguments; a malformed one is a usage error, a non-numeric value an input error. */
export function readValues(args: readonly string[]): Record<string, string> {
  // no prototype: inputs may be called constructor or __proto__
  const values: Record<string, string> = Object.create(null);
  for (const a of args) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(a);
    if (!m)
      throw usageError(
        `"${a}"`,
        "is not a value of the form name=value",
        "write each input as e.g. x=-2 (no spaces around =, or quote the whole argument)",
      );
    const [, name, raw] = m;
    const v = raw.trim();
    if (!isNumberText(v))
      throw new ExpressionError(name, `expected a number, got "${raw}"`, `write e.g. ${name}=-2 or ${name}=0.5`);
    if (Object.hasOwn(values, name)) throw usageError(name, "is given twice", "give each input once");
    values[name] = v;
  }
  return values;
}

function output(g: GraphTrace): GraphNode | undefined {
  return g.nodes.find((n) => n.id === g.output);
}

export function graphMarkdown(g: GraphTrace, expr: string): string {
  // an unnamed operation shows its gate and id ("+ n1"), a named node or input its name
  const label = new Map(
    g.nodes.map((n) => [n.id, /^[A-Za-z_]\w*$/.test(n.label) ? n.label : `${n.label} ${n.id}`] as const),
  );
  const out = output(g);
  return [
    `# Computation graph of \`${escapeCell(expr)}\``,
    "",
    out ? `output ${label.get(out.id)} = ${out.value}` : "",
    "",
    "## Nodes",
    "",
    "Forward value and gradient ∂output/∂node.",
    "",
    table(
      ["node", "kind", "inputs", "value", "gradient"],
      g.nodes.map((n) => [
        `\`${escapeCell(label.get(n.id)!)}\``,
        escapeCell(n.op ? `${n.kind} ${n.op}` : n.kind),
        escapeCell(n.inputs.map((i) => label.get(i) ?? i).join(", ")),
        n.value,
        n.grad,
      ]),
      ["l", "l", "l", "r", "r"],
    ),
    "",
    "## Edges",
    "",
    "Each edge's gradient is the upstream gradient times the local gradient.",
    "",
    table(
      ["edge", "upstream", "local", "product"],
      g.edges.map((e) => [
        `\`${escapeCell(label.get(e.from) ?? e.from)}\` → \`${escapeCell(label.get(e.to) ?? e.to)}\``,
        e.upstream,
        `× ${e.local}`,
        `= ${e.product}`,
      ]),
      ["l", "r", "r", "r"],
    ),
    ...(g.steps.length
      ? [
          "",
          "## Steps",
          "",
          table(
            ["step", "symbol", "formula", "with numbers", "value"],
            g.steps.map((s, i) => [String(i + 1), math(s.symbol), math(s.formula), math(s.substituted), s.value]),
            ["r", "l", "l", "l", "r"],
          ),
        ]
      : []),
    "",
  ].join("\n");
}

export const graphCommand: Command = {
  name: "graph",
  summary: "Trace a computation graph: every node's value and gradient, and upstream × local = product on every edge.",
  usage: 'backprop-tutor graph "EXPR" name=value ... [--precision float|exact|dp:N] [--format json|markdown]',
  options: {
    precision: { value: "float|exact|dp:N", help: `arithmetic ${defaultPrecisionHelp(DEFAULT_PRECISION.graphTrace)}` },
    format: { value: "json|markdown", help: "output format (default json)" },
  },
  exitCodes: { 1: "the expression or a value is wrong, or a value or gradient is NaN or infinite (the node is named)" },
  details: [
    "examples:",
    '  backprop-tutor graph "(x + y) * z" x=-2 y=5 z=-4 --format markdown',
    '  backprop-tutor graph "1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3',
  ].join("\n"),
  async run(args, io) {
    const [expr, ...rest] = args.positionals;
    if (expr === undefined || expr.trim() === "")
      throw usageError(
        "graph",
        "missing the expression",
        `write ${shortUsage(graphCommand)}, e.g. backprop-tutor graph "(x + y) * z" x=-2 y=5 z=-4`,
      );
    const values = readValues(rest);
    const precision = precisionOption(args, DEFAULT_PRECISION.graphTrace);
    const format = choice(args, "format", FORMATS, "json");
    const g = graphTrace(expr, values, precision);
    io.stdout(format === "json" ? JSON.stringify(g, null, 2) + "\n" : graphMarkdown(g, expr));
    return 0;
  },
};
