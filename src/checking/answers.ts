// A student's answers: quantity → number, from a JSON object or a two-column CSV. Each number is
// kept exactly as typed, because the decimals a student wrote ("0.3775": 4) are the precision
// their work is judged at; JSON.parse would turn 0.0190 into 0.019, so number lexemes are read
// from the text itself.
import { AnswerError, quoted } from "../engine/errors.js";
import { D, type Dec } from "../engine/numeric.js";
import { parseCsv } from "./csv.js";

export interface TypedAnswer {
  /** the key as the student wrote it */
  key: string;
  /** the number as the student wrote it */
  typed: string;
  /** where it came from, for messages: `line 4` or `"z_h1"` */
  where: string;
}

/** Answers as a notebook passes them: prefer strings ("0.0190") so trailing zeros survive. */
export type AnswersInput = Readonly<Record<string, number | string>> | readonly TypedAnswer[];

export interface TypedNumber {
  value: Dec;
  /** decimal places written: 0.3775 → 4, .0820 → 4, 5 → 0, 4e-4 → 4 */
  decimals: number;
  /** the number in plain form: ".0820" → "0.0820", "−0.019" → "-0.019" */
  text: string;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The advice for a number written with a comma. Exactly three digits after a comma ("11,935",
 * "1,234,567") is how a thousands separator is written, so it may be either; anything else
 * ("0,5", "0,3775") is a decimal comma.
 */
function commaHint(t: string): string | undefined {
  if (!/^[+-]?\d*,\d+(,\d+)*$/.test(t)) return undefined;
  const thousands = /^[+-]?\d{1,3}(,\d{3})+$/.test(t) && !/^[+-]?0,/.test(t);
  if (!thousands) return `write the decimal point as a point: ${t.replace(",", ".")}, not ${t}`;
  const whole = t.replace(/,/g, "");
  return t.split(",").length === 2
    ? `write ${whole} if the comma separates thousands, or ${t.replace(",", ".")} if it is a decimal comma (numbers are written without thousands separators, with a decimal point)`
    : `write ${whole}: numbers are written without thousands separators`;
}

/** Read a typed number; anything else is an AnswerError naming the answer. */
export function parseTypedNumber(typed: string, where: string): TypedNumber {
  const t = typed.trim().replace(/[−–]/g, "-");
  if (t === "") throw new AnswerError(where, "the answer is empty", "type a number such as 0.3775 or -0.0190");
  const m = NUMBER.exec(t);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
    const hint = commaHint(t) ?? "write a decimal number such as 0.3775 or -0.0190";
    throw new AnswerError(where, `${quoted(typed)} is not a number`, hint);
  }
  const decimals = Math.max(0, (m[3] ?? "").length - Number(m[4] ?? 0));
  const text = `${m[1] === "-" ? "-" : ""}${m[2] === "" ? "0" : m[2]}${m[3] !== undefined ? `.${m[3]}` : ""}${m[4] !== undefined ? `e${m[4]}` : ""}`;
  return { value: new D(text), decimals, text };
}

/**
 * Every answer's number, or one AnswerError naming every answer that is not a number (each in a
 * sentence of its own), so a student fixes them all at once rather than one per run.
 */
export function parseAllNumbers<A extends TypedAnswer>(answers: readonly A[]): (A & { num: TypedNumber })[] {
  return allOrEveryError(answers, (a) => ({ ...a, num: parseTypedNumber(a.typed, a.where) }));
}

/**
 * `read` applied to every item, or one AnswerError naming every item it refused, each in a
 * sentence of its own (one refusal is thrown as it is).
 */
function allOrEveryError<A, B>(items: readonly A[], read: (item: A) => B): B[] {
  const out: B[] = [];
  const bad: AnswerError[] = [];
  for (const item of items) {
    try {
      out.push(read(item));
    } catch (e) {
      if (!(e instanceof AnswerError)) throw e;
      bad.push(e);
    }
  }
  if (bad.length === 1) throw bad[0];
  if (bad.length > 1)
    throw new AnswerError(
      "answers",
      `${bad.length} answers are not numbers`,
      bad.map((e) => `${e.where}: ${e.problem}. ${e.hint}`).join(" "),
    );
  return out;
}

/** True for `{}`: in a notebook the exercise has not been answered yet, which is not an error. */
export function isEmptyAnswers(answers: AnswersInput): boolean {
  return Array.isArray(answers)
    ? answers.length === 0
    : typeof answers === "object" && answers !== null && Object.keys(answers).length === 0;
}

export const NOTHING_TYPED_YET =
  'Nothing typed yet: put your numbers into the answers above (as strings, e.g. "0.3775", so trailing zeros count) and run the cell again.';

/** Answers from a notebook object or list; numbers as JS numbers lose trailing zeros (0.0190 → 3 decimals). */
export function answersFromInput(input: AnswersInput): TypedAnswer[] {
  if (Array.isArray(input)) return (input as readonly TypedAnswer[]).slice();
  if (typeof input !== "object" || input === null)
    throw new AnswerError(
      "answers",
      `expected an object such as {"z_h1": "0.3775"}, got ${quoted(input)}`,
      "key each value by its quantity",
    );
  const list = allOrEveryError(Object.entries(input as Record<string, unknown>), ([key, v]) => {
    const where = `answers[${quoted(key)}]`;
    if (typeof v === "number") return { key, typed: Number.isFinite(v) ? String(v) : "NaN", where };
    if (typeof v === "string") return { key, typed: v, where };
    throw new AnswerError(
      where,
      `${quoted(v) ?? String(v)} is not a number`,
      'write a number, or a string such as "0.0190" to keep its trailing zeros',
    );
  });
  if (list.length === 0)
    throw new AnswerError("answers", "there are no answers", 'give at least one, e.g. {"z_h1": "0.3775"}');
  return list;
}

/** Answers from a file's text: JSON when it starts with `{`, else CSV. */
export function parseAnswersText(text: string, source = "answers"): TypedAnswer[] {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "")
    throw new AnswerError(
      source,
      "the file is empty",
      'write one answer per line as quantity,value (e.g. z_h1,0.3775), or a JSON object {"z_h1": 0.3775}',
    );
  return body.trimStart().startsWith("{") || body.trimStart().startsWith("[")
    ? parseAnswersJson(body, source)
    : parseAnswersCsv(body, source);
}

/** A flat JSON object; number lexemes are kept as written, duplicate keys are an error. */
export function parseAnswersJson(text: string, source = "answers"): TypedAnswer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AnswerError(
      source,
      `is not valid JSON (${(e as Error).message})`,
      'write {"z_h1": 0.3775, "a_h1": 0.5933}, or a CSV file with the header quantity,value',
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AnswerError(
      source,
      `expected a JSON object of quantity → value, got ${Array.isArray(parsed) ? "an array" : quoted(parsed)}`,
      'write {"z_h1": 0.3775, "a_h1": 0.5933}',
    );
  }
  const obj = parsed as Record<string, unknown>;
  // Valid JSON: walk its top level once to read each value's text
  const out: TypedAnswer[] = [];
  const seen = new Set<string>();
  let i = text.indexOf("{") + 1;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const stringToken = (): string => {
    const start = i;
    for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  for (;;) {
    ws();
    if (text[i] === "}") break;
    const key = stringToken();
    ws();
    i++;
    ws(); // the colon
    const where = `${source}: ${quoted(key)}`;
    let typed: string;
    if (text[i] === '"') typed = stringToken();
    else {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m)
        throw new AnswerError(
          where,
          `${quoted(obj[key])} is not a number`,
          'write a number such as 0.3775 (or "0.3775")',
        );
      typed = m[0];
      i += m[0].length;
    }
    if (seen.has(key)) throw new AnswerError(where, "is given twice", "keep one value per quantity");
    seen.add(key);
    out.push({ key, typed, where });
    ws();
    if (text[i] === ",") i++;
  }
  if (out.length === 0) throw new AnswerError(source, "has no answers", 'give at least one, e.g. {"z_h1": 0.3775}');
  return out;
}

/** Split one CSV line into fields; double quotes protect commas (aima keys such as "W_3,5"). */
function csvFields(line: string): string[] {
  return (parseCsv(line)[0] ?? [""]).map((f) => f.trim());
}

/** Two columns, quantity,value; an optional header line; blank lines and # comments are skipped. */
export function parseAnswersCsv(text: string, source = "answers"): TypedAnswer[] {
  const out: TypedAnswer[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, idx) => {
    const n = idx + 1;
    if (line.trim() === "" || line.trim().startsWith("#")) return;
    const fields = csvFields(line);
    // a spreadsheet's trailing comma (z_h1,0.3775,) adds an empty column, not a value
    if (fields.length === 3 && fields[2] === "") fields.pop();
    const where = `${source}, line ${n}`;
    if (fields.length === 1 && fields[0].includes(";")) {
      throw new AnswerError(
        where,
        `has one column (${quoted(line.trim())}): the values look separated by semicolons`,
        "separate quantity and value with a comma, e.g. z_h1,0.3775 (save the spreadsheet as CSV with a comma separator)",
      );
    }
    if (fields.length !== 2) {
      throw new AnswerError(
        where,
        `has ${fields.length} column${fields.length === 1 ? "" : "s"} (${quoted(line.trim())}) but an answers CSV has exactly two`,
        'write quantity,value, e.g. z_h1,0.3775 (put a key containing a comma in double quotes: "W_3,5",0.1)',
      );
    }
    const [key, typed] = fields;
    if (
      out.length === 0 &&
      seen.size === 0 &&
      /^(quantity|key|symbol|name)$/i.test(key) &&
      /^(value|answer|number)$/i.test(typed)
    )
      return; // the header
    if (key === "") throw new AnswerError(where, "has no quantity", "write quantity,value, e.g. z_h1,0.3775");
    if (seen.has(key))
      throw new AnswerError(
        where,
        `gives ${key} again (first on line ${seen.get(key)})`,
        "keep one value per quantity",
      );
    seen.set(key, n);
    out.push({ key, typed, where });
  });
  if (out.length === 0)
    throw new AnswerError(source, "has no answers", "write one answer per line as quantity,value, e.g. z_h1,0.3775");
  return out;
}
