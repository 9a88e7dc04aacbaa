// Why JSON.parse refused a text: a small JSON reader that finds the first place where the text
// stops being JSON, says what was expected there and what was found, with a hint for the usual
// slips (a trailing comma, single quotes, comments, NaN, .5).

export interface Diagnosis {
  offset: number;
  problem: string;
  hint: string;
}

class JsonSyntax extends Error {
  constructor(readonly d: Diagnosis) {
    super(d.problem);
  }
}

/** The first JSON syntax error in `text`, or undefined when it is JSON. */
export function diagnoseJson(text: string): Diagnosis | undefined {
  const reader = new JsonReader(text);
  try {
    reader.document();
    return undefined;
  } catch (e) {
    if (e instanceof JsonSyntax) return e.d;
    throw e;
  }
}

/** Reads one JSON document from the start, throwing a JsonSyntax at the first mistake. */
class JsonReader {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.value();
    this.ws();
    if (this.i < this.text.length)
      this.fail("the end of the file after the JSON value", "a spec is one JSON object; remove what follows it");
  }

  /** What is at the reading position, as a message names it. */
  private found(): string {
    const { text, i } = this;
    if (i >= text.length) return "the end of the file";
    const c = text[i];
    if (c === "\n" || c === "\r") return "the end of the line";
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))?.[0];
    return word ? `"${word}"` : `'${c}'`;
  }

  /** A hint for what is found when the caller has none: single quotes, comments, NaN. */
  private usualSlip(): string {
    const { text, i } = this;
    const c = text[i];
    if (c === "'") return "JSON strings and names use double quotes: write \"sigmoid\", not 'sigmoid'";
    if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) return "JSON has no comments; remove them";
    if (/^(NaN|Infinity|-Infinity|undefined)\b/.test(text.slice(i)))
      return "JSON has no NaN, Infinity or undefined; give an ordinary number";
    return "";
  }

  private fail(expected: string, hint = ""): never {
    throw new JsonSyntax({
      offset: this.i,
      problem: `expected ${expected}, found ${this.found()}`,
      hint: hint || this.usualSlip(),
    });
  }

  private ws(): void {
    while (this.i < this.text.length && " \t\n\r".includes(this.text[this.i])) this.i++;
  }

  private value(): void {
    this.ws();
    const { text, i } = this;
    const c = text[i];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const w of ["true", "false", "null"])
      if (text.startsWith(w, i)) {
        this.i += w.length;
        return;
      }
    if (c === "." && /\d/.test(text[i + 1] ?? "")) this.fail("a value", "write 0.5, not .5");
    this.fail("a value (a number, a string in double quotes, true, false, null, [...] or {...})");
  }

  private string(): void {
    const text = this.text;
    this.i++; // opening quote
    while (this.i < text.length) {
      const c = text[this.i];
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === "\\") this.escape();
      else if (c.charCodeAt(0) < 0x20)
        this.fail("the closing '\"' of the string", "a string cannot run over a line end");
      else this.i++;
    }
    this.fail("the closing '\"' of the string");
  }

  /** A backslash and what follows it in a string. */
  private escape(): void {
    const text = this.text;
    const n = text[this.i + 1];
    if (n === "u") {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) {
        this.i += 2;
        this.fail("four hex digits after \\u");
      }
      this.i += 6;
    } else if (n !== undefined && '"\\/bfnrt'.includes(n)) this.i += 2;
    else {
      this.i++;
      this.fail('an escape such as \\n, \\" or \\\\ after the backslash', "write a backslash as \\\\");
    }
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) return this.fail("a number");
    this.i += m[0].length;
    if (this.i < this.text.length && /[0-9.eE]/.test(this.text[this.i]))
      this.fail(
        "',' or the end of the number",
        "JSON numbers have no leading zeros or stray dots: write 0.5, not .5 or 05",
      );
  }

  private array(): void {
    const text = this.text;
    this.i++;
    this.ws();
    if (text[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      if (text[this.i] === ",") {
        this.i++;
        this.ws();
        if (text[this.i] === "]")
          this.fail("a value after ','", "JSON allows no comma after the last element; remove it");
        continue;
      }
      if (text[this.i] === "]") {
        this.i++;
        return;
      }
      const c = text[this.i];
      this.fail(
        "',' or ']' after an array element",
        c === '"' || c === "[" || /[0-9-]/.test(c ?? "") ? "a comma is missing between two elements" : "",
      );
    }
  }

  private object(): void {
    const text = this.text;
    this.i++;
    this.ws();
    if (text[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.field();
      this.ws();
      if (text[this.i] === ",") {
        this.i++;
        this.ws();
        if (text[this.i] === "}")
          this.fail("a field name after ','", "JSON allows no comma after the last field; remove it");
        continue;
      }
      if (text[this.i] === "}") {
        this.i++;
        return;
      }
      this.fail(
        "',' or '}' after a field's value",
        text[this.i] === '"' ? "a comma is missing between two fields" : "",
      );
    }
  }

  /** "name": value */
  private field(): void {
    this.ws();
    if (this.text[this.i] !== '"')
      this.fail(
        "a field name in double quotes",
        /^[A-Za-z_]/.test(this.text[this.i] ?? "") ? `write "${this.found().replace(/"/g, "")}" in double quotes` : "",
      );
    this.string();
    this.ws();
    if (this.text[this.i] !== ":") this.fail("':' after the field name");
    this.i++;
    this.value();
  }
}
