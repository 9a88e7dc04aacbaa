// Reading a spec file for the command line: an unreadable file names the path and the reason,
// invalid JSON names the file, the line and the column, what JSON expected there and what it
// found (with a hint for the usual slips: a trailing comma, single quotes, comments, NaN).
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import { unreadableFile } from "../checking/answers-file.js";
import { diagnoseJson } from "./json-diagnosis.js";

export { diagnoseJson };

/** An input problem (exit code 1). */
export function inputError(where: string, problem: string, hint: string): TutorError {
  return new TutorError(where, problem, hint, "spec");
}

export async function readTextFile(path: string, what = "file"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw unreadableFile(path, what, e as NodeJS.ErrnoException, "spec");
  }
}

/** Read and parse a JSON file; a syntax error names the file, line and column. */
export async function readJsonFile(path: string, what = "spec"): Promise<unknown> {
  const text = await readTextFile(path, what);
  return parseJsonText(text, path);
}

export function parseJsonText(text: string, path: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a byte-order mark is harmless
  try {
    return JSON.parse(body);
  } catch (e) {
    const d = diagnoseJson(body) ?? { offset: 0, problem: (e as Error).message, hint: "" };
    const { line, column } = lineColumn(body, d.offset);
    throw inputError(
      `${path}: line ${line}, column ${column}`,
      `invalid JSON: ${d.problem}`,
      d.hint || "a spec is one JSON object such as examples/classic.json",
    );
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1,
    start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}
