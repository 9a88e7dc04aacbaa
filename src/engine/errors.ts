// Typed errors that say where the problem is and how to fix it. Every message a student or
// teacher can trigger goes through one of these, so the command line and the notebooks can show
// one clear sentence instead of a stack trace.

/**
 * Node's util.inspect.custom, by its registered name: the engine is also bundled into the
 * browser (the step-through view), where importing node:util would break the build.
 */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

export type ErrorKind =
  | "spec" // a network spec field is missing, mistyped or inconsistent
  | "shape" // arrays whose sizes do not match `layers`
  | "precision"
  | "expression" // a computation-graph expression or its values
  | "training" // NaN / Infinity reached, or bad training options
  | "answers" // a student's answer set (checker)
  | "exercise" // assignment / grading input
  | "usage"; // command-line usage

/**
 * A hint as the second sentence of a message: a capital first letter when it opens with an
 * ordinary word ("write …" → "Write …"; a key or code such as `hint("02")` or `z_h1,0.3775` is left
 * as written), and a full stop.
 */
export function asSentence(s: string): string {
  const capital = /^[a-z]+[ ,:;]/.test(s) ? `${s.charAt(0).toUpperCase()}${s.slice(1)}` : s;
  return /[.?!]$/.test(capital) ? capital : `${capital}.`;
}

export class TutorError extends Error {
  /** `where` names the field, layer/unit, epoch or argument: e.g. `weights[1][0][2]`, `epoch 37`. */
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly hint: string,
    readonly kind: ErrorKind = "spec",
  ) {
    super(`${where}: ${problem}. ${hint.endsWith(".") ? hint : hint + "."}`);
    this.name = "TutorError";
  }

  /** How console.error shows it: a notebook kernel (tslab) prints an uncaught error this way, as one line. */
  [inspectCustom](): string {
    return `${this.name}: ${this.message}`;
  }
}

export class SpecError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, hint, "spec");
    this.name = "SpecError";
  }
}

export class ShapeError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, hint, "shape");
    this.name = "ShapeError";
  }
}

export class ExpressionError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, hint, "expression");
    this.name = "ExpressionError";
  }
}

export class TrainingError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, hint, "training");
    this.name = "TrainingError";
  }
}

/** A student's answers refused: the advice reads as a sentence of its own (a student sees these first). */
export class AnswerError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, asSentence(hint), "answers");
    this.name = "AnswerError";
  }
}

/** How deep and how long a value quoted in a message may be before it is cut short. */
const QUOTE_DEPTH = 4,
  QUOTE_LENGTH = 80;

/**
 * A value as a message quotes it: its JSON when short (`"abc"`, `[1,2]`), cut short with … when
 * long or deeply nested, so that a value nested 100,000 levels deep still gets a message (JSON.stringify
 * would overflow the stack) and a huge one does not flood the screen.
 */
export function quoted(v: unknown): string {
  const json = (x: unknown, depth: number): string => {
    if (Array.isArray(x))
      return depth >= QUOTE_DEPTH
        ? "[…]"
        : `[${x
            .slice(0, 12)
            .map((e) => json(e, depth + 1))
            .join(",")}${x.length > 12 ? ",…" : ""}]`;
    if (typeof x === "object" && x !== null) {
      const entries = Object.entries(x);
      if (depth >= QUOTE_DEPTH) return "{…}";
      return `{${entries
        .slice(0, 12)
        .map(([k, e]) => `${JSON.stringify(k)}:${json(e, depth + 1)}`)
        .join(",")}${entries.length > 12 ? ",…" : ""}}`;
    }
    return JSON.stringify(x) ?? String(x);
  };
  const s = json(v, 0);
  return s.length > QUOTE_LENGTH ? `${s.slice(0, QUOTE_LENGTH - 1)}…` : s;
}

export function isTutorError(e: unknown): e is TutorError {
  return e instanceof TutorError;
}
