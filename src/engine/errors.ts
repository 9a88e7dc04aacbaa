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

export class AnswerError extends TutorError {
  constructor(where: string, problem: string, hint: string) {
    super(where, problem, hint, "answers");
    this.name = "AnswerError";
  }
}

export function isTutorError(e: unknown): e is TutorError {
  return e instanceof TutorError;
}
