// The one place where grading meets the checker (src/checking) and the graph engine: the grader
// and the feedback call only this module, so a new checker option is a change here and nowhere else.
import { checkHandCalculation, type CheckReport, type CheckRow, type Verdict } from "../checking/check.js";
import { checkGraphCalculation } from "../checking/simple.js";
import { round } from "../checking/verdict.js";
import { parseTypedNumber } from "../checking/answers.js";
import { checkReportHtml, katexMath } from "../render/check-report.js";
import { escapeHtml } from "../render/display.js";
import { traceNetwork } from "../engine/network.js";
import { D, type Dec } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { graphKeyValues, traceGraph, type GraphQuestion } from "./graph.js";
import type { Asked, NetworkParams, VariantParams } from "./variant.js";

/** A quantity's verdict; "missing" and "invalid" are the grader's, the rest the checker's. */
export type GradeVerdict = Verdict | "missing" | "invalid";

export interface QuantityResult {
  key: string;
  typed: string;
  verdict: GradeVerdict;
  explanation: string;
  /** the classic mistake the checker recognised, e.g. "added-gradient: w5+ added η·dE/dw5 instead of subtracting it" */
  mistake?: string;
}

export interface PartCheck {
  byKey: Map<string, QuantityResult>;
  /** the checker's table for what the student wrote (HTML with KaTeX) */
  html: string;
}

/** Verdicts that earn the quantity's points: rounding is not an error, follow-through is credited. */
export const CREDITED: ReadonlySet<GradeVerdict> = new Set<GradeVerdict>(["correct", "rounding", "follows"]);

/** Same spelling test as a person would apply: case, spaces and ∂/d do not matter. */
function looseKey(k: string): string {
  return k.normalize("NFKC").replace(/∂/g, "d").replace(/\s+/g, "").toLowerCase();
}

/** A number written with a decimal comma, "0,0190" or "-1,5": the slip a hint can name. */
const DECIMAL_COMMA = /^\s*[-+−]?\d*,\d+\s*$/;

/** Why a typed answer is not a number, with the fix when the slip is a decimal comma. */
export function notANumber(typed: string): string {
  return DECIMAL_COMMA.test(typed)
    ? `"${typed}" has a decimal comma: write decimals with a point, "${typed.trim().replace(",", ".")}"`
    : `"${typed}" is not a number`;
}

/** Splits typed answers into usable numbers and ones that are not numbers at all. */
function usable(answers: Readonly<Record<string, string>>): {
  ok: Record<string, string>;
  invalid: Map<string, string>;
} {
  const ok: Record<string, string> = {};
  const invalid = new Map<string, string>();
  for (const [k, v] of Object.entries(answers)) {
    if (v.trim() === "") continue;
    try {
      parseTypedNumber(v, k);
      ok[k] = v.trim();
    } catch {
      invalid.set(k, v);
    }
  }
  return { ok, invalid };
}

/** What the feedback says when none of a part's answers could be checked. */
function nothingChecked(part: string, invalid: ReadonlyMap<string, string>, refused?: string): string {
  if (refused) return `<p>Your ${part} answers could not be checked: ${escapeHtml(refused)}</p>`;
  if (invalid.size === 0) return `<p>No ${part} answers were given.</p>`;
  const commas = [...invalid.values()].some((v) => DECIMAL_COMMA.test(v));
  const listed = [...invalid].map(([k, v]) => `${escapeHtml(k)} = "${escapeHtml(v)}"`).join(", ");
  return `<p>None of your ${part} answers could be read as a number: ${listed}.${commas ? " Write decimals with a point (0.0190), not a comma (0,0190)." : ""}</p>`;
}

function findTyped(answers: Readonly<Record<string, string>>, key: string): [string, string] | undefined {
  const want = looseKey(key);
  return Object.entries(answers).find(([k]) => looseKey(k) === want);
}

/**
 * `answers` is everything the student's `answers` held; keys of the other part (`otherPart`,
 * the graph's q, df/dx ...) are left out, since the network checker does not know them.
 */
export function checkNetworkPart(
  spec: NetworkParams,
  answers: Readonly<Record<string, string>>,
  quantities: readonly string[],
  otherPart: readonly string[] = [],
): PartCheck {
  const other = new Set(otherPart.map(looseKey));
  const { ok, invalid } = usable(Object.fromEntries(Object.entries(answers).filter(([k]) => !other.has(looseKey(k)))));
  // the checker refuses an empty answer set; with nothing usable every quantity is missing/invalid
  let report: CheckReport | undefined, refused: string | undefined;
  try {
    report = Object.keys(ok).length ? checkHandCalculation(spec, ok) : undefined;
  } catch (e) {
    // what the student wrote cannot be checked at all (no known key, one quantity twice): their
    // answers score nothing, with the checker's reason, instead of failing the whole grading
    if (!(e instanceof AnswerError)) throw e;
    refused = e.message;
  }
  const byKey = new Map<string, QuantityResult>();
  for (const q of quantities) {
    const typed = findTyped(answers, q);
    const row = report?.rows.find((r) => looseKey(r.canonicalKey) === looseKey(q));
    if (row) {
      byKey.set(q, {
        key: q,
        typed: row.typed,
        verdict: row.verdict,
        explanation: row.explanation,
        ...(row.diagnosis ? { mistake: `${row.diagnosis.mistake}: ${row.diagnosis.description}` } : {}),
      });
    } else if (typed && invalid.has(typed[0])) {
      byKey.set(q, { key: q, typed: typed[1], verdict: "invalid", explanation: notANumber(typed[1]) });
    } else {
      byKey.set(q, {
        key: q,
        typed: "",
        verdict: "missing",
        explanation: refused ? `not checked: ${refused}` : "not answered",
      });
    }
  }
  return { byKey, html: report ? checkReportHtml(report) : nothingChecked("network", invalid, refused) };
}

/**
 * The graph part, judged by the same checker as `check-graph` (checkGraphCalculation): the same
 * verdicts, rounding rule and follow-through as every other answer, so a grade never disagrees
 * with what the student's own check said.
 */
export function checkGraphPart(
  question: GraphQuestion,
  answers: Readonly<Record<string, string>>,
  quantities: readonly string[],
): PartCheck {
  const asked = new Set(graphKeyValues(question).keys());
  const typedFor = new Map(quantities.map((q) => [q, findTyped(answers, q)?.[1]] as const));
  const checkable = Object.fromEntries(
    [...typedFor].filter(([q, typed]) => asked.has(q) && typed !== undefined && typed.trim() !== ""),
  );
  const { ok, invalid } = usable(checkable as Record<string, string>);
  const report = Object.keys(ok).length
    ? checkGraphCalculation(question.assignments.join("; "), question.values, ok)
    : undefined;
  const byKey = new Map<string, QuantityResult>();
  for (const q of quantities) {
    const typed = typedFor.get(q) ?? "";
    const row = report?.rows.find((r) => r.key === q);
    if (!asked.has(q))
      byKey.set(q, { key: q, typed, verdict: "invalid", explanation: `the question has no quantity ${q}` });
    else if (row)
      byKey.set(q, { key: q, typed: row.typed, verdict: row.verdict, explanation: row.explanation, ...signSlip(row) });
    else if (invalid.has(q)) byKey.set(q, { key: q, typed, verdict: "invalid", explanation: notANumber(typed) });
    else byKey.set(q, { key: q, typed: "", verdict: "missing", explanation: "not answered" });
  }
  return { byKey, html: report ? checkReportHtml(report) : nothingChecked("graph", invalid) };
}

/** A wrong gradient that is the right one with its sign flipped, named as that slip. */
function signSlip(row: CheckRow): Pick<QuantityResult, "mistake"> {
  if (row.verdict !== "wrong" || row.tooFewDigits !== undefined) return {};
  const flipped = new D(row.typed).neg();
  return flipped.eq(round(new D(row.exact), row.decimals)) || flipped.eq(new D(row.roundedChain))
    ? { mistake: "sign: the sign of the gradient is wrong" }
    : {};
}

/** The worked solution for this student's numbers: every step at `decimals` dp, formula, substitution, value. */
export function workedNetworkHtml(spec: NetworkParams, decimals = 4): string {
  const steps = traceNetwork(spec, { precision: `dp:${decimals}` }).steps;
  const rows = steps.map(
    (s) =>
      `<tr><td>${katexMath(s.symbol)}</td><td>${katexMath(s.formula)}</td><td>${katexMath(`= ${s.substituted}`)}</td><td style="text-align:right"><strong>${escapeHtml(s.value)}</strong></td></tr>`,
  );
  return `<table class="bt-worked"><thead><tr><th>quantity</th><th>formula</th><th>with your numbers</th><th>value (${decimals} dp)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function workedGraphHtml(question: GraphQuestion, decimals = 4): string {
  const t = traceGraph(question);
  const shown = (v: Dec) => graphKeyText(v, decimals);
  const rows = t.nodes.map(
    (n) =>
      `<tr><td>${katexMath(n.name)}</td><td>${katexMath(`${n.name} = ${n.formula}`)}</td><td style="text-align:right">${escapeHtml(shown(n.value))}</td>` +
      `<td>${katexMath(`\\frac{\\partial ${t.output}}{\\partial ${n.name}} = ${n.gradFormula}`)}</td><td style="text-align:right">${escapeHtml(shown(n.grad))}</td></tr>`,
  );
  return `<table class="bt-worked"><thead><tr><th>node</th><th>forward</th><th>value</th><th>backward (chain rule)</th><th>gradient</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A graph value as the key writes it: exact when it has at most `decimals` places (3, −12, 0.5), else rounded to them. */
export function graphKeyText(v: Dec, decimals: number): string {
  return v.decimalPlaces() <= decimals ? v.toString() : v.toFixed(decimals);
}

/** Every key a student can be asked for, per part, for the error that refuses an unknown one. */
export function problemKeys(params: VariantParams): { network: string[]; graph: string[] } {
  return {
    network: params.network ? traceNetwork(params.network, { precision: "exact" }).steps.map((s) => s.key) : [],
    graph: params.graph ? [...graphKeyValues(params.graph).keys()] : [],
  };
}

/**
 * The key: each asked quantity at its decimals, the network's from the rounded chain a hand
 * calculation follows (dp:N, as the lecture writes it), the graph's from the exact values
 * (whole numbers and short decimals exactly, others rounded).
 */
export function keyValues(
  params: VariantParams,
  asked: { network: Asked; graph: Asked },
): { network: Record<string, string>; graph: Record<string, string> } {
  const network: Record<string, string> = {},
    graph: Record<string, string> = {};
  const chains = new Map<number, Map<string, string>>();
  const chain = (d: number) =>
    chains.get(d) ??
    chains
      .set(d, new Map(traceNetwork(params.network!, { precision: `dp:${d}` }).steps.map((s) => [s.key, s.value])))
      .get(d)!;
  for (const [k, d] of asked.network) {
    const v = chain(d).get(k);
    if (v !== undefined) network[k] = v;
  }
  const exact = params.graph ? graphKeyValues(params.graph) : new Map<string, { value: Dec }>();
  for (const [k, d] of asked.graph) {
    const v = exact.get(k)?.value;
    if (v !== undefined) graph[k] = graphKeyText(v, d);
  }
  return { network, graph };
}
