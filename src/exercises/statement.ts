// The notebook of a declared assignment (assignment.json): the problem statement, the params
// cell, the answer cell and the test cells, all written from the declaration. The statement
// describes exactly the network and graph the variants are drawn from, so a teacher cannot hand
// out tanh/softmax prose over sigmoid numbers.
import { resolveActivation } from "../engine/activations.js";
import { resolveLoss } from "../engine/losses.js";
import { traceNetwork } from "../engine/network.js";
import { codeCell, KERNELSPEC, LANGUAGE_INFO, toLines, type Cell, type Notebook } from "./notebook.js";
import { graphKeyValues } from "./graph.js";
import { BEGIN, END } from "./source.js";
import type { AssignmentDeclaration, Question } from "./declaration.js";
import type { NetworkParams, VariantParams } from "./variant.js";

const md = (text: string): Cell => ({ cell_type: "markdown", metadata: {}, source: toLines(text) });
const places = (d: number) => `${d} decimal place${d === 1 ? "" : "s"}`;
/** A unit name as TeX: h1 → h_{1}, o2 → o_{2}, h1_3 → h1_{3}. */
const unitTex = (name: string) =>
  name.replace(/^([A-Za-z]+\d*_?)(\d+)$/, (_m, p: string, n: string) => `${p.replace(/_$/, "")}_{${n}}`);
const nameTex = (name: string) => name.replace(/^([A-Za-z]+)(\d+)$/, "$1_{$2}");
const list = (xs: readonly string[]) => xs.map((x) => `$${x}$`).join(", ");

function layerWords(net: NetworkParams, l: number): string {
  const { def, params } = resolveActivation(net.activations[l - 1], `activations[${l - 1}]`);
  const units = net.names!.units[l];
  const z = units.map((u) => `z_{${u}}`);
  const formula =
    def.kind === "vector" ? `a_{${units[0]}} = ${def.formula(z[0], z)}` : `a = ${def.formula("z", params)}`;
  const what =
    l === net.layers.length - 1 ? "output layer" : net.layers.length > 3 ? `hidden layer ${l}` : "hidden layer";
  return `- ${what}: ${units.length} ${def.name} unit${units.length === 1 ? "" : "s"} (${list(units.map(unitTex))}), $${formula}$ with $z = \\sum_k w\\,a_k + b$`;
}

function weightLines(net: NetworkParams): string {
  const names = net.names!;
  return names.weights
    .map((M, l) =>
      M.flatMap((row, j) =>
        row.map((w, k) => `$${nameTex(w)}$: $${unitTex(names.units[l][k])} \\to ${unitTex(names.units[l + 1][j])}$`),
      ).join(", "),
    )
    .map((line) => `  - ${line}`)
    .join("\n");
}

function biasWords(net: NetworkParams): string {
  const names = net.names!;
  const perLayer = net.biases.map((b, l) =>
    Array.isArray(b)
      ? (names.biases[l] as string[]).map((n, j) => `$${nameTex(n)}$ of $${unitTex(names.units[l + 1][j])}$`).join(", ")
      : `$${nameTex(String(names.biases[l]))}$ shared by every unit of layer ${l + 1}`,
  );
  const updated =
    net.updateBiases === false ? "The biases are **not** updated." : "The biases are updated the same way.";
  return `- biases: ${perLayer.join("; ")}. ${updated}`;
}

function networkStatement(net: NetworkParams, decimals: number): string {
  const loss = resolveLoss(net.loss);
  const outs = net.names!.units[net.layers.length - 1];
  const lossTex = loss.formula(
    outs.map((o) => `a_{${o}}`),
    outs.map((o) => `t_{${o}}`),
  );
  return [
    "## The network",
    "",
    `A ${net.layers.join("-")} network with ${net.layers[0]} inputs (${list(net.names!.units[0].map(unitTex))}), the numbers in \`params.network\`:`,
    "",
    ...net.layers.slice(1).map((_, i) => layerWords(net, i + 1)),
    `- loss: ${loss.title}, $E_{total} = ${lossTex}$ with the targets $t$ of \`params.network.target\``,
    `- weights (\`params.network.weights[l][j][k]\` is the weight into unit j of layer l + 1 from unit k of layer l):`,
    weightLines(net),
    biasWords(net),
    "",
    "Do one forward pass, the backward pass and one step of gradient descent, $w^+ = w - \\eta\\,\\partial E_{total}/\\partial w$ with",
    `$\\eta$ = \`params.network.learningRate\`, keeping **${places(decimals)}** for every number you write down (rounded half up), as in the lecture.`,
  ].join("\n");
}

/** The functions a graph may call, as the statement defines them. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  sigmoid: "\\operatorname{sigmoid}(s) = \\frac{1}{1 + e^{-s}}",
  tanh: "\\tanh(s) = \\frac{e^{s} - e^{-s}}{e^{s} + e^{-s}}",
  relu: "\\operatorname{relu}(s) = \\max(0, s)",
  exp: "\\exp(s) = e^{s}",
  log: "\\log(s) = \\ln s",
};

function graphStatement(params: VariantParams, decimals: number): string {
  const g = params.graph!;
  const inputs = Object.keys(g.values);
  const used = Object.keys(FUNCTIONS).filter((f) => g.assignments.some((a) => new RegExp(`\\b${f}\\s*\\(`).test(a)));
  return [
    "## The computation graph",
    "",
    g.assignments.map((a) => `    ${a}`).join("\n"),
    "",
    `with the inputs ${list(inputs)} of \`params.graph.values\`${used.length ? `, where ${used.map((f) => `$${FUNCTIONS[f]}$`).join(", ")}` : ""}.`,
    `Give values and gradients exactly where they are whole or short decimals, otherwise to **${places(decimals)}**.`,
  ].join("\n");
}

/** The symbol of each key, for the list of questions: z_h1 → z_{h1}, dE/dw5 → ∂E_total/∂w_5, df/dx. */
function symbols(params: VariantParams): Map<string, string> {
  const out = new Map<string, string>();
  if (params.network)
    for (const s of traceNetwork(params.network, { precision: "exact" }).steps) out.set(s.key, s.symbol);
  if (params.graph) for (const [k, v] of graphKeyValues(params.graph)) out.set(k, v.tex);
  return out;
}

function questionLine(q: Question, decimals: number, tex: ReadonlyMap<string, string>): string {
  const keys = q.quantities.map((k) => `\`${k}\`${tex.has(k) ? ` ($${tex.get(k)}$)` : ""}`).join(", ");
  const hidden = q.hidden ? ", checked only at grading" : "";
  return `- **${q.id}** (${q.points} point${q.points === 1 ? "" : "s"}, ${q.part}, ${places(decimals)}${hidden}): ${keys}`;
}

function answersStatement(decl: AssignmentDeclaration, params: VariantParams): string {
  const tex = symbols(params);
  const partDecimals = (q: Question) => q.decimals ?? decl[q.part]?.decimals ?? 4;
  return [
    "## Your answers",
    "",
    'Write each value in `answers` below **as a string with the decimals you kept** (`"0.0190"`, not `0.019`;',
    "a decimal point, not a comma), so the grader sees your rounding. A slip costs only its own marks: a later",
    "answer computed correctly from your own earlier number still counts. The questions:",
    "",
    ...decl.questions.map((q) => questionLine(q, partDecimals(q), tex)),
  ].join("\n");
}

/**
 * The source notebook of a declared assignment: statement, params (filled per student), answers
 * (a solution region that the released notebook replaces by the empty keys), tests. `sample` is
 * any variant: the statement uses only its shape and names, never its numbers.
 */
export function declaredSource(decl: AssignmentDeclaration, sample: VariantParams): Notebook {
  const own = [
    "You have **your own numbers**: the cell below holds them, and everybody's are different. You are",
    "graded on yours, so do not edit that cell.",
  ].join("\n");
  const cells: Cell[] = [
    md([`# ${decl.title}`, "", ...(decl.intro ? [decl.intro, ""] : []), own].join("\n")),
    codeCell("// generated by assign", { kind: "params", id: "params" }),
  ];
  if (sample.network) cells.push(md(networkStatement(sample.network, decl.network!.decimals)));
  if (sample.graph) cells.push(md(graphStatement(sample, decl.graph!.decimals)));
  cells.push(md(answersStatement(decl, sample)));
  cells.push(
    codeCell(["const answers: Record<string, string | number> = {", `  ${BEGIN}`, `  ${END}`, "};"].join("\n"), {
      kind: "answer",
      id: "answers",
    }),
  );
  cells.push(md("## Checks\n\nThe cells below say which answers are still missing or not numbers. Do not edit them."));
  for (const q of decl.questions)
    cells.push(
      codeCell("// generated by assign", {
        kind: "test",
        id: q.id,
        points: q.points,
        part: q.part,
        quantities: q.quantities,
        ...(q.hidden ? { hidden: true } : {}),
        ...(q.decimals !== undefined ? { decimals: q.decimals } : {}),
      }),
    );
  return {
    cells,
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO, backprop_tutor: { assignment: decl.assignment } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
