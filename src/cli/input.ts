// Reading a spec file for the command line: an unreadable file names the path and the reason,
// invalid JSON names the file, the line and the column, what JSON expected there and what it
// found (with a hint for the usual slips: a trailing comma, single quotes, comments, NaN).
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import { unreadableFile } from "../checking/answers-file.js";

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

interface Diagnosis {
  offset: number;
  problem: string;
  hint: string;
}

class JsonSyntax extends Error {
  constructor(readonly d: Diagnosis) {
    super(d.problem);
  }
}

/**
 * A small JSON reader used only to explain why JSON.parse failed: the first place where the
 * text stops being JSON, what was expected there and what was found.
 */
export function diagnoseJson(text: string): Diagnosis | undefined {
  let i = 0;
  const found = (): string => {
    if (i >= text.length) return "the end of the file";
    const c = text[i];
    if (c === "\n" || c === "\r") return "the end of the line";
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    return word ? `"${word}"` : `'${c}'`;
  };
  const fail = (expected: string, hint = ""): never => {
    let h = hint;
    const c = text[i];
    if (!h && c === "'") h = "JSON strings and names use double quotes: write \"sigmoid\", not 'sigmoid'";
    if (!h && c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) h = "JSON has no comments; remove them";
    if (!h && /^(NaN|Infinity|-Infinity|undefined)\b/.test(text.slice(i)))
      h = "JSON has no NaN, Infinity or undefined; give an ordinary number";
    throw new JsonSyntax({ offset: i, problem: `expected ${expected}, found ${found()}`, hint: h });
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const str = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const n = text[i + 1];
        if (n === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail("four hex digits after \\u");
          }
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else {
          i++;
          fail('an escape such as \\n, \\" or \\\\ after the backslash', "write a backslash as \\\\");
        }
      } else if (c.charCodeAt(0) < 0x20) fail("the closing '\"' of the string", "a string cannot run over a line end");
      else i++;
    }
    fail("the closing '\"' of the string");
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail("a number");
    i += m![0].length;
    if (i < text.length && /[0-9.eE]/.test(text[i]))
      fail("',' or the end of the number", "JSON numbers have no leading zeros or stray dots: write 0.5, not .5 or 05");
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return obj();
    if (c === "[") return arr();
    if (c === '"') return str();
    if (c === "-" || (c >= "0" && c <= "9")) return num();
    for (const w of ["true", "false", "null"])
      if (text.startsWith(w, i)) {
        i += w.length;
        return;
      }
    if (c === "." && /\d/.test(text[i + 1] ?? "")) fail("a value", "write 0.5, not .5");
    fail("a value (a number, a string in double quotes, true, false, null, [...] or {...})");
  };
  const arr = () => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      if (text[i] === ",") {
        i++;
        ws();
        if (text[i] === "]") fail("a value after ','", "JSON allows no comma after the last element; remove it");
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail(
        "',' or ']' after an array element",
        text[i] === '"' || text[i] === "[" || /[0-9-]/.test(text[i] ?? "")
          ? "a comma is missing between two elements"
          : "",
      );
    }
  };
  const obj = () => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"')
        fail(
          "a field name in double quotes",
          /^[A-Za-z_]/.test(text[i] ?? "") ? `write "${found().replace(/"/g, "")}" in double quotes` : "",
        );
      str();
      ws();
      if (text[i] !== ":") fail("':' after the field name");
      i++;
      value();
      ws();
      if (text[i] === ",") {
        i++;
        ws();
        if (text[i] === "}") fail("a field name after ','", "JSON allows no comma after the last field; remove it");
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail("',' or '}' after a field's value", text[i] === '"' ? "a comma is missing between two fields" : "");
    }
  };
  try {
    value();
    ws();
    if (i < text.length)
      fail("the end of the file after the JSON value", "a spec is one JSON object; remove what follows it");
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntax) return e.d;
    throw e;
  }
}
