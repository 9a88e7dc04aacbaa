// A student's answers in a file, checked in one call: checkAnswersFile(spec, "answers.csv") in a
// notebook, as `backprop-tutor check SPEC.json answers.csv` does on the command line. The file is
// a JSON object {"z_h1": "0.3775", ...} or a two-column CSV (quantity,value).
import { readFileSync } from "node:fs";
import { TutorError, type ErrorKind } from "../engine/errors.js";
import { parseAnswersText, type TypedAnswer } from "./answers.js";
import { checkHandCalculation, type CheckOptions, type CheckReport } from "./check.js";
import { checkGraphCalculation } from "./simple.js";
import type { PlacesAsked } from "./verdict.js";

const REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory, not a file",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
};

/** The error for a file that cannot be read: the path, what the file is, and the reason in words. */
export function unreadableFile(path: string, what: string, err: NodeJS.ErrnoException, kind: ErrorKind): TutorError {
  const reason = (err.code && REASONS[err.code]) ?? err.message;
  return new TutorError(
    path,
    `cannot read the ${what} (${reason}${err.code ? `, ${err.code}` : ""})`,
    "check the path and that the file is readable",
    kind,
  );
}

/** The answers in a file (JSON object or two-column CSV), each kept as written. */
export function readAnswersFile(path: string): TypedAnswer[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw unreadableFile(path, "answers file", e as NodeJS.ErrnoException, "answers");
  }
  return parseAnswersText(text, path);
}

/** Check the hand calculation in an answers file against a network spec (see checkHandCalculation). */
export function checkAnswersFile(spec: unknown, path: string, options: CheckOptions = {}): CheckReport {
  return checkHandCalculation(spec, readAnswersFile(path), options);
}

/** Check a computation graph's hand-computed values and gradients in an answers file (see checkGraphCalculation). */
export function checkGraphAnswersFile(
  expression: string,
  values: Readonly<Record<string, number | string>>,
  path: string,
  options: { places?: PlacesAsked } = {},
): CheckReport {
  return checkGraphCalculation(expression, values, readAnswersFile(path), options);
}
