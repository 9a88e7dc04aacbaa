// Does a notebook give an exercise's answer away before the exercise? Every number printed in the
// outputs (and written in the prose) of the cells before an exercise cell is compared with each
// expected value of that exercise, at the precision the question asks for. Used by
// scripts/run-notebooks.mjs on the executed notebooks, so that `npm test` fails on a leak.
import { expectedAnswers, type ExpectedAnswer, type AnswerPrecision } from "./notebook-exercises.js";

export interface PrintedNumber { text: string; value: number; decimals: number }

const NUMBER = /[-−]?(?:\d+\.?\d*|\.\d+)(?:e[-+−]?\d+)?/gi;

/** The numbers in a piece of text as written: "−0.0238" → −0.0238 with 4 decimals, "1.4e-3" 4 decimals. */
export function printedNumbers(text: string): PrintedNumber[] {
  return [...text.matchAll(NUMBER)].map((m) => {
    const t = m[0].replace(/−/g, "-");
    const [mantissa, exponent = "0"] = t.toLowerCase().split("e");
    const decimals = Math.max(0, (mantissa.split(".")[1] ?? "").length - Number(exponent));
    return { text: m[0], value: Number(t), decimals };
  }).filter((p) => Number.isFinite(p.value));
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

interface NotebookCell { cell_type: string; source: string | string[]; outputs?: { output_type: string; text?: string | string[]; data?: Record<string, unknown> }[] }
export interface NotebookJson { cells: NotebookCell[] }

const joined = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : s ?? "");
const TEXT_TYPES = ["text/plain", "text/html", "text/latex", "text/markdown", "image/svg+xml"];

/** What a cell shows a student as text: its prose, or its outputs (HTML and SVG without tags, styles and scripts). */
export function shownText(cell: NotebookCell): string {
  if (cell.cell_type === "markdown") return joined(cell.source);
  const parts: string[] = [];
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "stream") parts.push(joined(o.text));
    for (const type of TEXT_TYPES) {
      const v = o.data?.[type];
      if (typeof v !== "string" && !Array.isArray(v)) continue;
      let text = joined(v as string | string[]);
      if (type === "text/html" || type === "image/svg+xml") {
        text = text.replace(/<(style|script)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ").replace(/&minus;|&#8722;/g, "−").replace(/&[a-z#0-9]+;/gi, " ");
      }
      parts.push(text);
    }
  }
  return parts.join("\n");
}

export interface ShownAnswer { answer: ExpectedAnswer; cell: number; printed: string }

/** The cell that checks an exercise set: the first whose code calls checkExercise("<id>", …). */
export function exerciseCellIndex(nb: NotebookJson, id: string): number {
  const call = new RegExp(`checkExercise\\(\\s*["']${id.replace(".", "\\.")}["']`);
  return nb.cells.findIndex((c) => c.cell_type === "code" && call.test(joined(c.source)));
}

/**
 * Every expected answer of the notebook's exercises that a cell before its exercise cell shows,
 * leaving out the question itself (the Markdown cells right above the exercise cell).
 */
export function answersShownEarlier(nb: NotebookJson, answers: readonly ExpectedAnswer[] = expectedAnswers()): ShownAnswer[] {
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
