// The LaTeX of a symbol as plain text for a terminal: \frac{\partial E_{total}}{\partial a_{o1}}
// becomes ∂E_total/∂a_o1, w_{5}^{+} becomes w_5⁺, -\Delta_{5} becomes -Δ_5. It reads the small
// part of LaTeX that symbols and short formulas use; an unknown command keeps its name.

const WORDS: Record<string, string> = {
  partial: "∂",
  nabla: "∇",
  alpha: "α",
  beta: "β",
  gamma: "γ",
  delta: "δ",
  Delta: "Δ",
  epsilon: "ε",
  varepsilon: "ε",
  eta: "η",
  theta: "θ",
  lambda: "λ",
  mu: "μ",
  sigma: "σ",
  Sigma: "Σ",
  sum: "Σ",
  tau: "τ",
  phi: "φ",
  omega: "ω",
  cdot: "·",
  times: "×",
  odot: "⊙",
  pm: "±",
  approx: "≈",
  le: "≤",
  leq: "≤",
  ge: "≥",
  geq: "≥",
  ne: "≠",
  neq: "≠",
  to: "→",
  rightarrow: "→",
  leftarrow: "←",
  infty: "∞",
  prime: "′",
  ldots: "…",
  dots: "…",
  top: "ᵀ",
};
/** operators and relations: the space after them separates, as around any operator */
const BETWEEN = new Set([
  "cdot",
  "times",
  "odot",
  "pm",
  "approx",
  "le",
  "leq",
  "ge",
  "geq",
  "ne",
  "neq",
  "to",
  "rightarrow",
  "leftarrow",
]);
/** commands whose one argument is shown as it is */
const AS_IS = new Set([
  "text",
  "mathrm",
  "mathit",
  "mathbf",
  "boldsymbol",
  "operatorname",
  "mathcal",
  "mathsf",
  "mathtt",
]);
const ACCENTS: Record<string, string> = { hat: "\u0302", bar: "\u0304", tilde: "\u0303", dot: "\u0307", vec: "\u20d7" };
const SUPERSCRIPT: Record<string, string> = {
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
  "+": "⁺",
  "-": "⁻",
  "−": "⁻",
  T: "ᵀ",
  "′": "′",
};
/** `\,` and friends are spacing; `\{` and `\}` are braces */
const ESCAPED: Record<string, string> = {
  ",": " ",
  ";": " ",
  ":": " ",
  "!": "",
  " ": " ",
  "{": "{",
  "}": "}",
  "|": "‖",
  "\\": " ",
  "%": "%",
  _: "_",
};

class Reader {
  i = 0;
  constructor(readonly tex: string) {}

  /** Everything up to the end or to the `}` that closes the current group. */
  sequence(): string {
    let out = "";
    while (this.i < this.tex.length && this.tex[this.i] !== "}") out += this.item();
    return out;
  }

  /** One argument of a command or of _ and ^: a {group}, a command, or one character. */
  argument(): string {
    while (this.tex[this.i] === " ") this.i++;
    if (this.tex[this.i] === "{") {
      this.i++;
      const inner = this.sequence();
      this.i++; // the closing brace (or the end)
      return inner.trim();
    }
    return this.i < this.tex.length ? this.item() : "";
  }

  item(): string {
    const c = this.tex[this.i];
    if (c === "\\") return this.command();
    if (c === "{") return this.argument();
    this.i++;
    if (c === "_") return `_${this.argument()}`;
    if (c === "^") return superscript(this.argument());
    if (c === "~") return " ";
    if (/\s/.test(c)) {
      while (/\s/.test(this.tex[this.i] ?? "")) this.i++;
      return " ";
    }
    return c;
  }

  command(): string {
    const name = /^\\([A-Za-z]+|.?)/.exec(this.tex.slice(this.i))![1];
    this.i += 1 + name.length;
    if (/^[A-Za-z]/.test(name) && !BETWEEN.has(name)) while (this.tex[this.i] === " ") this.i++; // a space ends a command word
    if (name === "frac" || name === "dfrac" || name === "tfrac") {
      const top = this.argument(),
        bottom = this.argument();
      return `${grouped(top)}/${grouped(bottom)}`;
    }
    if (name === "sqrt") return `√${grouped(this.argument())}`;
    if (name === "mathcal") {
      const a = this.argument();
      return a === "L" ? "ℒ" : a;
    }
    if (AS_IS.has(name)) return this.argument();
    if (name in ACCENTS) return `${this.argument()}${ACCENTS[name]}`;
    if (name === "left" || name === "right") return this.tex[this.i] === "." ? (this.i++, "") : "";
    if (name in WORDS) return WORDS[name];
    if (name in ESCAPED) return ESCAPED[name];
    return name; // \exp, \log, \tanh, \max, and anything unknown: its name
  }
}

/** A fraction's part in parentheses when it is more than one term. */
function grouped(s: string): string {
  return /[\s+\-−/·×]/.test(s.replace(/^-/, "")) ? `(${s})` : s;
}

function superscript(s: string): string {
  const chars = [...s];
  if (chars.length > 0 && chars.every((c) => c in SUPERSCRIPT)) return chars.map((c) => SUPERSCRIPT[c]).join("");
  return chars.length === 1 || /^[[(].*[\])]$/.test(s) ? `^${s}` : `^(${s})`;
}

export function texToPlain(tex: string): string {
  const r = new Reader(tex);
  let out = "";
  while (r.i < tex.length) {
    out += r.sequence();
    if (tex[r.i] === "}") r.i++; // an unbalanced closing brace: skip it
  }
  return out.replace(/ {2,}/g, " ").trim().normalize("NFC"); // NFC: y and a combining hat become ŷ
}
