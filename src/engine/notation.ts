// Notation: how a quantity is written. The lecture notes write the same calculation in five
// ways (the classic 0.05/0.10 worked example's h1/o1/w1..w8; the z^{[l]} of the Raad, Peeters
// and Kayal notes; the marketing notes' general w_{jk}^{(l)}; the BMB3015 notes' matrix form
// counted from layer 1, and their in_i/a_j/W_{j,i}/Δ_i);
// a trace is produced in one of them. Each symbol
// comes as LaTeX (for rendering) and as a plain key (for typing answers: z_h1, dE/dw5, w5+).
import type { NetworkSpec } from "./spec.js";
import { raise } from "./activations.js";

export interface Sym {
  tex: string;
  key: string;
}

export const NOTATION_PRESETS = ["names", "bracket", "paren", "paren1", "aima"] as const;
export type NotationPreset = (typeof NOTATION_PRESETS)[number];

export interface Notation {
  readonly preset: NotationPreset;
  /** ∂E/∂z is written as δ in most notes; the BMB3015 notes write δ = (y − a) g′ and Δ = −∂E/∂in, so there the symbol carries the sign. */
  z(l: number, j: number): Sym;
  a(l: number, j: number): Sym;
  delta(l: number, j: number): Sym;
  weight(l: number, j: number, k: number): Sym;
  bias(l: number, j: number): Sym;
  target(j: number): Sym;
  /** The loss of the whole example (E_total, L, J ...). */
  loss: Sym;
  /** The loss as the numerator of a derivative (E in ∂E/∂w5). */
  lossD: Sym;
  /** The part of the loss carried by output unit j (E_{o1}), for the per-path terms. */
  lossPart(j: number): Sym;
}

export function derivative(num: Sym, den: Sym): Sym {
  return { tex: `\\frac{\\partial ${num.tex}}{\\partial ${den.tex}}`, key: `d${num.key}/d${den.key}` };
}

export function updated(s: Sym): Sym {
  return { tex: raise(s.tex, "+"), key: `${s.key}+` };
}

/** `h1` → `h_{1}`-free subscript text; `w5` → `w_{5}`; anything else is used as is (escaped). */
function nameTex(name: string): string {
  const safe = texEscape(name);
  const m = /^([A-Za-z]+)(\d+)$/.exec(name);
  return m ? `${m[1]}_{${m[2]}}` : safe;
}

/** Escape text for use inside LaTeX (user-supplied unit names reach KaTeX through here). */
export function texEscape(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) =>
    c === "\\" ? "\\backslash " : c === "~" ? "\\sim " : c === "^" ? "\\hat{}" : `\\${c}`,
  );
}

function defaultUnitNames(spec: NetworkSpec): string[][] {
  const L = spec.layers.length - 1;
  return spec.layers.map((n, l) =>
    Array.from({ length: n }, (_, j) =>
      l === 0 ? `i${j + 1}` : l === L ? `o${j + 1}` : L > 2 ? `h${l}${j + 1}` : `h${j + 1}`,
    ),
  );
}

/** Spec `names` (or the i/h/o default): z_{h1}, a_{h1}, w_{5}, E_{total} as in the classic 0.05/0.10 worked example. */
function namesNotation(spec: NetworkSpec): Notation {
  const L = spec.layers.length - 1;
  const units = spec.names?.units ?? defaultUnitNames(spec);
  let counter = 0;
  const weightNames =
    spec.names?.weights ??
    spec.layers
      .slice(1)
      .map((n, l) => Array.from({ length: n }, () => Array.from({ length: spec.layers[l] }, () => `w${++counter}`)));
  const biasNames =
    spec.names?.biases ??
    spec.biases.map((b, l) =>
      b.shared ? `b${l + 1}` : Array.from({ length: spec.layers[l + 1] }, (_, j) => `b${l + 1}${j + 1}`),
    );
  const sub = (texLetter: string, keyLetter: string, l: number, j: number): Sym => ({
    tex: `${texLetter}_{${texEscape(units[l][j])}}`,
    key: `${keyLetter}_${units[l][j]}`,
  });
  const named = (n: string): Sym => ({ tex: nameTex(n), key: n });
  return {
    preset: "names",
    z: (l, j) => sub("z", "z", l, j),
    a: (l, j) => sub("a", "a", l, j),
    delta: (l, j) => sub("\\delta", "delta", l, j),
    weight: (l, j, k) => named(weightNames[l - 1][j][k]),
    bias: (l, j) => {
      const b = biasNames[l - 1];
      return named(typeof b === "string" ? b : b[j]);
    },
    target: (j) => sub("t", "t", L, j),
    loss: { tex: "E_{total}", key: "E_total" },
    lossD: { tex: "E_{total}", key: "E" },
    lossPart: (j) => sub("E", "E", L, j),
  };
}

/** z^{[l]}_j, a^{[l]}_j, W^{[l]}_{jk}, b^{[l]}_j, δ^{[l]}_j (Raad, Peeters, Kayal notes): the tutor's default. */
function bracketNotation(spec: NetworkSpec): Notation {
  const s = (texLetter: string, keyLetter: string, l: number, idx: string): Sym => ({
    tex: `${texLetter}^{[${l}]}_{${idx}}`,
    key: `${keyLetter}^[${l}]_${idx}`,
  });
  return {
    preset: "bracket",
    z: (l, j) => s("z", "z", l, `${j + 1}`),
    a: (l, j) => s("a", "a", l, `${j + 1}`),
    delta: (l, j) => s("\\delta", "delta", l, `${j + 1}`),
    weight: (l, j, k) => s("W", "W", l, `${j + 1}${k + 1}`),
    bias: (l, j) => (spec.biases[l - 1].shared ? { tex: `b^{[${l}]}`, key: `b^[${l}]` } : s("b", "b", l, `${j + 1}`)),
    target: (j) => ({ tex: `y_{${j + 1}}`, key: `y_${j + 1}` }),
    loss: { tex: "\\mathcal{L}", key: "L" },
    lossD: { tex: "\\mathcal{L}", key: "L" },
    lossPart: (j) => ({ tex: `\\mathcal{L}_{${j + 1}}`, key: `L_${j + 1}` }),
  };
}

/** w_{jk}^{(l)}, b_j^{(l)}, z_j^{(l)}, a_j^{(l)} (the marketing notes' general notation). */
function parenNotation(spec: NetworkSpec): Notation {
  const s = (texLetter: string, keyLetter: string, l: number, idx: string): Sym => ({
    tex: `${texLetter}_{${idx}}^{(${l})}`,
    key: `${keyLetter}_${idx}^(${l})`,
  });
  return {
    preset: "paren",
    z: (l, j) => s("z", "z", l, `${j + 1}`),
    a: (l, j) => s("a", "a", l, `${j + 1}`),
    delta: (l, j) => s("\\delta", "delta", l, `${j + 1}`),
    weight: (l, j, k) => s("w", "w", l, `${j + 1}${k + 1}`),
    bias: (l, j) => (spec.biases[l - 1].shared ? { tex: `b^{(${l})}`, key: `b^(${l})` } : s("b", "b", l, `${j + 1}`)),
    target: (j) => ({ tex: `y_{${j + 1}}`, key: `y_${j + 1}` }),
    loss: { tex: "L", key: "L" },
    lossD: { tex: "L", key: "L" },
    lossPart: (j) => ({ tex: `L_{${j + 1}}`, key: `L_${j + 1}` }),
  };
}

/**
 * Seed 002's matrix form: layers counted from 1 (the input is a^{(1)}), W^{(l)} leaves layer l
 * with its bias in column 0 (w_{j0}^{(l)}, beside x_0 = 1), and δ^{(L)} = (y − a) g′(z), which is
 * −∂L/∂z; so the quantity the tutor calls δ is written −δ here.
 */
function paren1Notation(spec: NetworkSpec): Notation {
  const s = (texLetter: string, keyLetter: string, l: number, idx: string): Sym => ({
    tex: `${texLetter}_{${idx}}^{(${l})}`,
    key: `${keyLetter}_${idx}^(${l})`,
  });
  return {
    preset: "paren1",
    z: (l, j) => s("z", "z", l + 1, `${j + 1}`),
    a: (l, j) => s("a", "a", l + 1, `${j + 1}`),
    delta: (l, j) => s("-\\delta", "-delta", l + 1, `${j + 1}`),
    weight: (l, j, k) => s("w", "w", l, `${j + 1}${k + 1}`),
    // the bias is the weight from x_0 = 1; a shared one is every unit's w_{j0}
    bias: (l, j) => s("w", "w", l, spec.biases[l - 1].shared ? "j0" : `${j + 1}0`),
    target: (j) => ({ tex: `y_{${j + 1}}`, key: `y_${j + 1}` }),
    loss: { tex: "J", key: "J" },
    lossD: { tex: "J", key: "J" },
    lossPart: (j) => ({ tex: `J_{${j + 1}}`, key: `J_${j + 1}` }),
  };
}

/**
 * Seed 002 (AIMA): units numbered through the whole network, in_i, a_j, W_{j,i} from unit j to
 * unit i, and Δ_i = Err_i g'(in_i) = −∂E/∂in_i. So the quantity the tutor calls δ is written −Δ_i.
 */
function aimaNotation(spec: NetworkSpec): Notation {
  const offsets: number[] = [];
  spec.layers.reduce((acc, n, l) => {
    offsets[l] = acc;
    return acc + n;
  }, 1);
  const idx = (l: number, j: number) => offsets[l] + j;
  const L = spec.layers.length - 1;
  return {
    preset: "aima",
    z: (l, j) => ({ tex: `in_{${idx(l, j)}}`, key: `in_${idx(l, j)}` }),
    a: (l, j) => ({ tex: `a_{${idx(l, j)}}`, key: `a_${idx(l, j)}` }),
    delta: (l, j) => ({ tex: `-\\Delta_{${idx(l, j)}}`, key: `-Delta_${idx(l, j)}` }),
    weight: (l, j, k) => ({ tex: `W_{${idx(l - 1, k)},${idx(l, j)}}`, key: `W_${idx(l - 1, k)},${idx(l, j)}` }),
    // the bias is the weight from the dummy unit a_0 = 1; a shared one feeds units first…last of its layer
    bias: (l, j) => {
      const first = idx(l, 0),
        last = idx(l, spec.layers[l] - 1);
      if (!spec.biases[l - 1].shared || first === last) return { tex: `W_{0,${idx(l, j)}}`, key: `W_0,${idx(l, j)}` };
      return { tex: `W_{0,${first}\\ldots ${last}}`, key: `W_0,${first}..${last}` };
    },
    target: (j) => ({ tex: `y_{${idx(L, j)}}`, key: `y_${idx(L, j)}` }),
    loss: { tex: "E", key: "E" },
    lossD: { tex: "E", key: "E" },
    lossPart: (j) => ({ tex: `E_{${idx(L, j)}}`, key: `E_${idx(L, j)}` }),
  };
}

/** The notation for a spec: its `names` when it has them, the bracket notation otherwise. */
export function notationFor(spec: NetworkSpec, preset?: NotationPreset): Notation {
  switch (preset ?? (spec.names ? "names" : "bracket")) {
    case "names":
      return namesNotation(spec);
    case "bracket":
      return bracketNotation(spec);
    case "paren":
      return parenNotation(spec);
    case "paren1":
      return paren1Notation(spec);
    case "aima":
      return aimaNotation(spec);
  }
}
