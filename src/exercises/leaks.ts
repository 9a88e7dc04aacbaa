// Does a notebook give an answer away before it is asked? Every number printed in the outputs (and
// written in the prose) of the cells before an exercise cell is compared with each expected value
// of that exercise, at the precision the question asks for; and every value a step-through view
// asks for with what the page shows above the view and right after it. Used by
// scripts/run-notebooks.mjs on the executed notebooks, so that `npm test` fails on a leak.
import { expectedAnswers, type ExpectedAnswer, type AnswerPrecision } from "./notebook-exercises.js";
import { readPayload, STEP_THROUGH_MIME, type StepThroughPayload } from "../view/payload.js";
import { StepThrough, type ViewStep } from "../view/session.js";

export interface PrintedNumber {
  text: string;
  value: number;
  decimals: number;
}

const NUMBER = /[-−]?(?:\d+\.?\d*|\.\d+)(?:e[-+−]?\d+)?/gi;

/** The numbers in a piece of text as written: "−0.0238" → −0.0238 with 4 decimals, "1.4e-3" 4 decimals. */
export function printedNumbers(text: string): PrintedNumber[] {
  return [...text.matchAll(NUMBER)]
    .map((m) => {
      const t = m[0].replace(/−/g, "-");
      const [mantissa, exponent = "0"] = t.toLowerCase().split("e");
      const decimals = Math.max(0, (mantissa.split(".")[1] ?? "").length - Number(exponent));
      return { text: m[0], value: Number(t), decimals };
    })
    .filter((p) => Number.isFinite(p.value));
}

/** The decimals a precision asks for, for this value (3 significant figures of 0.0123 is 4 decimals). */
export function decimalsAsked(value: number, precision: AnswerPrecision): number {
  if ("decimals" in precision) return precision.decimals;
  return value === 0 ? 0 : Math.max(0, precision.significant - 1 - Math.floor(Math.log10(Math.abs(value))));
}

const roundTo = (x: number, d: number) => Math.abs(x).toFixed(Math.min(d, 100));
const significant = (fixed: string) => fixed.replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;

/**
 * Whether a printed number gives away an expected value asked to `precision`: written with at
 * least the asked decimals, it rounds to the same; written with fewer, it is the value rounded
 * there and has 3 or more significant digits (2.56 gives away 2.560). Signs are ignored (a minus
 * is easily put back). Answers of one significant digit (0.5, 2) are exempt: such numbers appear
 * in any notebook by chance.
 */
export function revealsAnswer(p: PrintedNumber, expected: number, precision: AnswerPrecision): boolean {
  const d = decimalsAsked(expected, precision);
  const answer = roundTo(expected, d);
  if (significant(answer) < 2) return false;
  if (p.decimals >= d) return roundTo(p.value, d) === answer;
  const shorter = roundTo(expected, p.decimals);
  return roundTo(p.value, p.decimals) === shorter && significant(shorter) >= 3;
}

interface NotebookOutput {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface NotebookCell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: NotebookOutput[];
}
export interface NotebookJson {
  cells: NotebookCell[];
}

const joined = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : (s ?? ""));
const TEXT_TYPES = ["text/plain", "text/html", "text/latex", "text/markdown", "image/svg+xml"];

/** A closed <details> shows its <summary> only: what is folded is not on the page until opened. */
const foldedHtml = /<details(?![^>]*\bopen\b)[^>]*>\s*(<summary\b[\s\S]*?<\/summary>)?[\s\S]*?<\/details>/gi;

/**
 * What a cell shows a student as text: its prose, or its outputs (HTML and SVG without tags,
 * styles, scripts and the inside of closed <details>), those that `include` accepts.
 */
export function shownText(cell: NotebookCell, include: (o: NotebookOutput) => boolean = () => true): string {
  if (cell.cell_type === "markdown") return joined(cell.source);
  const parts: string[] = [];
  for (const o of (cell.outputs ?? []).filter(include)) {
    if (o.output_type === "stream") parts.push(joined(o.text));
    for (const type of TEXT_TYPES) {
      const v = o.data?.[type];
      if (typeof v !== "string" && !Array.isArray(v)) continue;
      let text = joined(v as string | string[]);
      if (type === "text/html" || type === "image/svg+xml") {
        text = text
          .replace(foldedHtml, " $1 ")
          .replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, " ")
          .replace(/<[^>]*>/g, " ")
          .replace(/&minus;|&#8722;/g, "−")
          .replace(/&[a-z#0-9]+;/gi, " ");
      }
      parts.push(text);
    }
  }
  return parts.join("\n");
}

export interface ShownAnswer {
  answer: ExpectedAnswer;
  cell: number;
  printed: string;
}

/** The cell that checks an exercise set: the first whose code calls checkExercise("<id>", …). */
export function exerciseCellIndex(nb: NotebookJson, id: string): number {
  const call = new RegExp(`checkExercise\\(\\s*["']${id.replace(".", "\\.")}["']`);
  return nb.cells.findIndex((c) => c.cell_type === "code" && call.test(joined(c.source)));
}

/**
 * Every expected answer of the notebook's exercises that a cell before its exercise cell shows,
 * leaving out the question itself (the Markdown cells right above the exercise cell).
 */
export function answersShownEarlier(
  nb: NotebookJson,
  answers: readonly ExpectedAnswer[] = expectedAnswers(),
): ShownAnswer[] {
  const found: ShownAnswer[] = [];
  const texts = nb.cells.map((c) => printedNumbers(shownText(c)));
  for (const answer of answers) {
    const at = exerciseCellIndex(nb, answer.set);
    if (at < 0) continue;
    // the question's own prose (the Markdown cells just above the exercise cell) gives its numbers, not answers
    let question = at;
    while (question > 0 && nb.cells[question - 1].cell_type === "markdown") question--;
    for (let i = 0; i < question; i++) {
      const hit = texts[i].find((p) => revealsAnswer(p, answer.value, answer.precision));
      if (hit) {
        found.push({ answer, cell: i, printed: hit.text });
        break;
      }
    }
  }
  return found;
}

// ---- the step-through views' values ---------------------------------------------------------------

/** Markdown cells under a heading folded in JupyterLab (the heading's cell keeps `jp-MarkdownHeadingCollapsed`). */
function foldedCells(nb: NotebookJson): Set<number> {
  const folded = new Set<number>();
  let foldLevel: number | undefined;
  nb.cells.forEach((c, i) => {
    const heading = c.cell_type === "markdown" ? /^(#{1,6})\s/.exec(joined(c.source).trimStart()) : null;
    if (heading && foldLevel !== undefined && heading[1].length <= foldLevel) foldLevel = undefined;
    if (foldLevel !== undefined) folded.add(i);
    else if (heading && c.metadata?.["jp-MarkdownHeadingCollapsed"] === true) foldLevel = heading[1].length;
  });
  return folded;
}

export interface ViewAnswerShown {
  /** the cell whose output is the view */
  view: number;
  /** the cell that shows the value */
  cell: number;
  key: string;
  value: string;
  printed: string;
}

const isWhole = (value: string) => /^-?\d{1,3}$/.test(value);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "q = 3", "df/dx = −4", "∂f/∂x = -4": a short whole number is only an answer when written beside its name. */
function namedWhole(text: string, step: ViewStep): string | undefined {
  const names = [step.key, step.key.replace(/^d(\w+)\/d(\w+)$/, "∂$1/∂$2")].map(escapeRegExp);
  const digits = step.value.replace(/^-/, "");
  const m = new RegExp(`(?<![\\w∂])(?:${names.join("|")})\\s*=\\s*[-−]?${digits}(?!\\d|\\.\\d)`).exec(text);
  return m?.[0];
}

/** The views in a notebook: each cell with a step-through output, and that output's payload. */
function viewsIn(nb: NotebookJson): { cell: number; payload: StepThroughPayload }[] {
  return nb.cells.flatMap((c, cell) =>
    (c.outputs ?? []).flatMap((o) => {
      const reading = readPayload(o.data?.[STEP_THROUGH_MIME]);
      return o.data?.[STEP_THROUGH_MIME] !== undefined && reading.ok ? [{ cell, payload: reading.payload }] : [];
    }),
  );
}

/**
 * Every value a step-through view asks for that the page shows before the student is asked: in
 * any output or unfolded prose above the view, in the view cell's other outputs, or in the cell
 * right after it. Values at the view's precision (dp:N: N decimals, else 4 significant figures);
 * short whole numbers (q = 3) only as `name = value`.
 */
export function viewAnswersShown(nb: NotebookJson): ViewAnswerShown[] {
  const folded = foldedCells(nb);
  const found: ViewAnswerShown[] = [];
  for (const { cell: at, payload } of viewsIn(nb)) {
    const steps = new StepThrough(payload).steps;
    const dp = /^dp:(\d+)$/.exec(payload.precision);
    const precision: AnswerPrecision = dp ? { decimals: Number(dp[1]) } : { significant: 4 };
    const around = [...Array(at).keys(), at, at + 1].filter((i) => i < nb.cells.length && !folded.has(i));
    for (const i of around) {
      const text = shownText(nb.cells[i], (o) => o.data?.[STEP_THROUGH_MIME] === undefined);
      const numbers = printedNumbers(text);
      for (const step of steps) {
        const printed = isWhole(step.value)
          ? namedWhole(text, step)
          : numbers.find((p) => revealsAnswer(p, Number(step.value), precision))?.text;
        if (printed) found.push({ view: at, cell: i, key: step.key, value: step.value, printed });
      }
    }
  }
  return found;
}
