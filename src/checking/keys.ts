// Which quantity a student's key names. Students write the same symbol in many ways (dE/dw5,
// ∂E_total/∂w5, \frac{\partial E}{\partial w_5}, w5+, w5_new, new w5, δ_o1, z^{[1]}_2 ...), so
// every key is reduced to a normal form, and every quantity of the trace is listed under the
// normal forms of its spellings. Keys of the notation in use win over other notations' keys.
import type { NetworkSpec } from "../engine/spec.js";
import type { Step } from "../engine/trace.js";
import {
  derivative,
  updated,
  notationFor,
  NOTATION_PRESETS,
  type Notation,
  type NotationPreset,
  type Sym,
} from "../engine/notation.js";
import { closest } from "../engine/suggest.js";
import { D, exactArith, type Dec } from "../engine/numeric.js";
import { stepId } from "../engine/step-id.js";

/** What a key names: a step of the trace, a chain-rule factor equal to a step, or a number of the spec. */
export type KeyTarget =
  /** `negatedAs`: the key is minus the step (Δ_5 where the notation writes the step as −Δ_5); the sentence says so */
  | { kind: "step"; stepId: string; negatedAs?: string }
  /** E_o1: the part of a sum-over-outputs loss carried by one output unit */
  | { kind: "part"; unit: number; near: string }
  /** ∂z_o1/∂w5 is a_h1: checked against that step, with the student's own a_h1 as follow-through */
  | { kind: "factor"; stepId: string; near: string }
  /** ∂z_h1/∂w1 = i1 and ∂z_o1/∂a_h1 = w5 are numbers of the spec */
  | { kind: "given"; id: string; value: string; what: string; near: string };

export interface ResolvedKey {
  target: KeyTarget;
  /** the key in the notation in use (what the tutor would have typed) */
  canonical: string;
  /** LaTeX of the quantity */
  symbol: string;
}

export type KeyResolution = ({ ok: true } & ResolvedKey) | { ok: false; message: string; suggestions: string[] };

/** `\frac{A}{B}` → `A/B`, with balanced braces, so that LaTeX-typed keys reduce like plain ones. */
function unfrac(s: string): string {
  for (let at = s.indexOf("\\frac"); at >= 0; at = s.indexOf("\\frac")) {
    const groups: string[] = [];
    let i = at + 5;
    while (groups.length < 2) {
      while (s[i] === " ") i++;
      if (s[i] !== "{") return s; // not a well-formed \frac: leave it, the key will be unknown
      let depth = 0;
      const start = i;
      for (; i < s.length; i++) {
        if (s[i] === "{") depth++;
        else if (s[i] === "}" && --depth === 0) break;
      }
      if (depth !== 0) return s;
      groups.push(s.slice(start + 1, i));
      i++;
    }
    s = `${s.slice(0, at)}${groups[0]}/${groups[1]}${s.slice(i)}`;
  }
  return s;
}

/**
 * The normal form of a key: case, spaces, braces, `_`, `^`, `*` and LaTeX commands do not count;
 * ∂ is d, δ is delta; an updated parameter is `name+` however it was marked (w5', w5_new, new w5).
 */
export function normaliseKey(raw: string): string {
  let s = unfrac(raw.normalize("NFKC").trim());
  s = s
    .replace(/\\partial\s*/g, "d")
    .replace(/∂/g, "d")
    .replace(/\\delta\s*/g, "delta")
    .replace(/δ/g, "delta")
    .replace(/\\Delta\s*/g, "Delta")
    .replace(/Δ/g, "Delta")
    .replace(/[−–]/g, "-")
    .replace(/[′’`]/g, "'")
    .replace(/\\(left|right|mathcal|mathrm|operatorname|text|,|;|!)/g, "")
    .replace(/\\/g, "");
  s = s.toLowerCase().replace(/[\s{}_^*·]/g, "");
  // z_1^{(1)} and z^{(1)}_1 are one symbol: the layer mark goes first
  s = s.replace(/([a-z])(\d+)(\[\d+\]|\(\d+\))/g, "$1$3$2");
  const updatedMark = /^(.+?)(\(new\)|new|updated|'|\+)$/.exec(s) ?? /^(?:new|updated)(.+)()$/.exec(s);
  if (updatedMark && !s.includes("/")) s = `${updatedMark[1]}+`;
  return s;
}

/** Numerators accepted for "the loss" in a derivative, besides the notation's own. */
const LOSS_NAMES = ["E", "E_total", "Etotal", "E_tot", "L", "J", "C", "loss", "cost"];

interface Entry extends ResolvedKey {
  /** 0: the notation in use; 1: another notation (used only where it names nothing else) */
  rank: number;
}

/** A step's layer, unit and other unit (0 where absent). */
function indices(step: Step): { l: number; j: number; k: number } {
  return { l: step.layer ?? 0, j: step.unit ?? 0, k: step.other ?? 0 };
}

function spellings(step: Step, N: Notation, spec: NetworkSpec): Sym[] {
  const { l, j, k } = indices(step);
  const L = spec.layers.length - 1;
  const lossNums: Sym[] = [N.lossD, N.loss, ...LOSS_NAMES.map((n) => ({ tex: n, key: n }))];
  // E_o1 is the part of the loss carried by o1: dE_o1/da_o1 = dE/da_o1 when the loss is a sum over outputs
  const separable = step.layer === L && spec.loss.name !== "cross_entropy";
  const d = (den: Sym) => lossNums.map((n) => derivative(n, den));
  switch (step.quantity) {
    case "z":
      return [N.z(l, j)];
    case "a":
      return [N.a(l, j)];
    case "loss":
      return step.id === stepId({ phase: "loss" }) ? [N.loss, ...lossNums] : [];
    case "dL/da":
      return [...d(N.a(l, j)), ...(separable ? [derivative(N.lossPart(j), N.a(l, j))] : [])];
    case "path":
      return [
        { tex: "", key: `${N.delta(l + 1, k).key}*${N.weight(l + 1, k, j).key}` },
        ...(l + 1 === L ? [derivative(N.lossPart(k), N.a(l, j))] : []),
      ];
    case "da/dz":
      return [derivative(N.a(l, j), N.z(l, j))];
    case "delta":
      return [N.delta(l, j), ...d(N.z(l, j)), ...(separable ? [derivative(N.lossPart(j), N.z(l, j))] : [])];
    case "dW":
      return d(N.weight(l, j, k));
    case "db":
      return d(N.bias(l, j));
    case "W+":
      return [updated(N.weight(l, j, k))];
    case "b+":
      return [updated(N.bias(l, j))];
  }
}

export interface KeyResolver {
  resolve(key: string): KeyResolution;
  /** the notation's keys, for "did you mean" */
  readonly known: readonly string[];
}

/**
 * The names notation as the best-known write-up of the classic example spells it: net_h1 for
 * z_h1, out_h1 for a_h1 (so dEtotal/dout_o1, dout_o1/dnet_o1, dnet_o1/dw5).
 */
function netOutNotation(N: Notation): Notation {
  const rename = (s: Sym, from: string, to: string): Sym => ({ tex: s.tex, key: s.key.replace(from, to) });
  return { ...N, z: (l, j) => rename(N.z(l, j), "z_", "net_"), a: (l, j) => rename(N.a(l, j), "a_", "out_") };
}

/** The part of the loss carried by output unit `unit` with activation `a` (for a loss that is a sum over outputs). */
export function lossPart(spec: NetworkSpec, unit: number, a: string): Dec {
  return spec.loss.value(exactArith, [new D(a)], [new D(spec.examples[0].target[unit])]);
}

/** Whether the loss is a sum of per-output parts (half_sse, bce; not mse, which averages), checked on the exact values. */
function hasLossParts(spec: NetworkSpec, steps: readonly Step[]): boolean {
  const L = spec.layers.length - 1;
  const value = (id: string) => steps.find((s) => s.id === id)?.value;
  const total = value(stepId({ phase: "loss" }));
  const as = Array.from({ length: spec.layers[L] }, (_, j) =>
    value(stepId({ phase: "forward", quantity: "a", layer: L, unit: j })),
  );
  if (total === undefined || spec.loss.name === "cross_entropy" || as.some((a) => a === undefined)) return false;
  const sum = as.reduce((acc, a, j) => acc.plus(lossPart(spec, j, a!)), new D(0));
  return sum.minus(total).abs().lte(new D(total).abs().times(1e-30));
}

/**
 * Every spelling's normal form → the quantity it names. Rank 0: the notation in use; 1: another
 * notation; 2: a negated key of another notation. A spelling goes to the best rank; two quantities
 * of the same rank sharing it: neither (null, "could name more than one quantity").
 */
class SpellingTable {
  private readonly table = new Map<string, { entry: Entry | null; rank: number }>();

  add(raw: string, entry: Entry): void {
    const norm = normaliseKey(raw);
    const old = this.table.get(norm);
    if (!old || entry.rank < old.rank) {
      this.table.set(norm, { entry, rank: entry.rank });
      return;
    }
    if (entry.rank > old.rank || (old.entry && sameTarget(old.entry.target, entry.target))) return;
    this.table.set(norm, { entry: null, rank: old.rank });
  }

  /** The entry of a normal form: undefined when none, null when ambiguous. */
  get(norm: string): Entry | null | undefined {
    return this.table.get(norm)?.entry;
  }
}

/** What the spelling adders share: the spec, the notation spelled in, the one in use, the rank. */
interface Spelling {
  spec: NetworkSpec;
  N: Notation;
  primary: Notation;
  rank: number;
}

/** Each step's spellings, and a notation's minus-less key for a step it writes with a leading minus (−Δ_5). */
function addStepSpellings(table: SpellingTable, steps: readonly Step[], { spec, N, rank }: Spelling): void {
  for (const step of steps) {
    for (const s of spellings(step, N, spec))
      table.add(s.key, { target: { kind: "step", stepId: step.id }, canonical: step.key, symbol: step.symbol, rank });
    const own =
      step.quantity === "delta" && step.layer !== null && step.unit !== null
        ? N.delta(step.layer, step.unit)
        : undefined;
    if (!own || !own.key.startsWith("-")) continue;
    const key = own.key.slice(1),
      plain = derivative(N.lossD, N.z(step.layer!, step.unit!)).key;
    table.add(key, {
      target: {
        kind: "step",
        stepId: step.id,
        negatedAs: `${key} = −${plain} in the ${N.preset} notation's sign convention`,
      },
      canonical: key,
      symbol: own.tex.replace(/^-/, ""),
      rank: rank === 0 ? 0 : 2,
    });
  }
}

/** The input k as a number of the spec (a_i1, i1, and ∂z_h1/∂w1). */
const inputTarget = (spec: NetworkSpec, primary: Notation, k: number, near: string): KeyTarget => ({
  kind: "given",
  id: stepId({ phase: "given", quantity: "input", unit: k }),
  value: String(spec.examples[0].input[k]),
  what: `the input ${primary.a(0, k).key}`,
  near,
});

/** The inputs (numbers of the spec) and, for a loss that is a sum over outputs, each output's part E_o1. */
function addInputsAndParts(table: SpellingTable, parts: boolean, { spec, N, primary, rank }: Spelling): void {
  const firstZ = stepId({ phase: "forward", quantity: "z", layer: 1, unit: 0 });
  for (let k = 0; k < spec.layers[0]; k++) {
    const entry = {
      target: inputTarget(spec, primary, k, firstZ),
      canonical: primary.a(0, k).key,
      symbol: primary.a(0, k).tex,
      rank,
    };
    table.add(N.a(0, k).key, entry);
    if (N.preset === "names") table.add(N.a(0, k).key.replace(/^a_/, ""), entry);
  }
  const L = spec.layers.length - 1;
  if (parts)
    for (let j = 0; j < spec.layers[L]; j++)
      table.add(N.lossPart(j).key, {
        target: { kind: "part", unit: j, near: stepId({ phase: "loss" }) },
        canonical: primary.lossPart(j).key,
        symbol: primary.lossPart(j).tex,
        rank,
      });
}

/** Chain-rule factors that students write out: ∂z/∂w is the sending activation, ∂z/∂a the weight. */
function addChainFactors(table: SpellingTable, { spec, N, primary, rank }: Spelling): void {
  const L = spec.layers.length - 1;
  for (let l = 1; l <= L; l++)
    for (let j = 0; j < spec.layers[l]; j++)
      for (let k = 0; k < spec.layers[l - 1]; k++) {
        const canonical = derivative(primary.z(l, j), primary.weight(l, j, k));
        const near = stepId({ phase: "backward", quantity: "dW", layer: l, unit: j, other: k });
        const target: KeyTarget =
          l === 1
            ? inputTarget(spec, primary, k, near)
            : { kind: "factor", stepId: stepId({ phase: "forward", quantity: "a", layer: l - 1, unit: k }), near };
        table.add(derivative(N.z(l, j), N.weight(l, j, k)).key, {
          target,
          canonical: canonical.key,
          symbol: canonical.tex,
          rank,
        });
        if (l < 2) continue;
        const c2 = derivative(primary.z(l, j), primary.a(l - 1, k));
        const weight: KeyTarget = {
          kind: "given",
          id: stepId({ phase: "given", quantity: "weight", layer: l, unit: j, other: k }),
          value: String(spec.weights[l - 1][j][k]),
          what: `the weight ${primary.weight(l, j, k).key}`,
          near: stepId({ phase: "backward", quantity: "path", layer: l - 1, unit: k, other: j }),
        };
        table.add(derivative(N.z(l, j), N.a(l - 1, k)).key, {
          target: weight,
          canonical: c2.key,
          symbol: c2.tex,
          rank,
        });
      }
}

/** The notations keys are read in, the one in use first (and the net/out names beside the names notation). */
function notationsFor(spec: NetworkSpec, preset: NotationPreset): Notation[] {
  const primary = notationFor(spec, preset);
  const notations = [primary, ...NOTATION_PRESETS.filter((p) => p !== preset).map((p) => notationFor(spec, p))];
  if (primary.preset === "names") notations.splice(1, 0, netOutNotation(primary));
  else notations.push(netOutNotation(notationFor(spec, "names")));
  return notations;
}

/** Resolvers by the steps they were built on (one trace's array: a trace the checker keeps, keeps its resolvers). */
const resolvers = new WeakMap<readonly Step[], Map<string, KeyResolver>>();

/** A resolver for one spec's trace (single example) in one notation; built once per trace, spec and notation. */
export function keyResolver(spec: NetworkSpec, steps: readonly Step[], preset: NotationPreset): KeyResolver {
  let bySpec = resolvers.get(steps);
  if (!bySpec) resolvers.set(steps, (bySpec = new Map()));
  const key = `${preset} ${JSON.stringify(spec.raw)}`;
  let resolver = bySpec.get(key);
  if (!resolver) bySpec.set(key, (resolver = buildKeyResolver(spec, steps, preset)));
  return resolver;
}

function buildKeyResolver(spec: NetworkSpec, steps: readonly Step[], preset: NotationPreset): KeyResolver {
  const table = new SpellingTable();
  const notations = notationsFor(spec, preset);
  const primary = notations[0];
  const parts = hasLossParts(spec, steps);
  notations.forEach((N, i) => {
    const rank = i === 0 || (primary.preset === "names" && i === 1) ? 0 : 1;
    const spelling: Spelling = { spec, N, primary, rank };
    addStepSpellings(table, steps, spelling);
    addInputsAndParts(table, parts, spelling);
    addChainFactors(table, spelling);
  });
  const known = steps.map((s) => s.key);
  const L = spec.layers.length - 1;
  // an updated bias of a spec that keeps its biases fixed, in any notation
  const biasKeys = new Set(
    notations.flatMap((N) =>
      Array.from({ length: L }, (_, l) =>
        Array.from({ length: spec.layers[l + 1] }, (_, j) => normaliseKey(updated(N.bias(l + 1, j)).key)),
      ).flat(),
    ),
  );
  const fixedBias = (norm: string) => !spec.updateBiases && biasKeys.has(norm);
  return {
    known,
    resolve(key) {
      const norm = normaliseKey(key);
      const e = table.get(norm);
      if (e) return { ok: true, target: e.target, canonical: e.canonical, symbol: e.symbol };
      const suggestions = fixedBias(norm) ? [] : closest(norm, known, normaliseKey);
      const mismatch = specMismatch(key, spec, primary);
      const message =
        e === null
          ? `"${key}" could name more than one quantity`
          : fixedBias(norm)
            ? `"${key}": biases are not updated in this spec (updateBiases: false), so there is no updated bias to check`
            : (mismatch ?? `"${key}" is not a quantity of this calculation`);
      return {
        ok: false,
        message: suggestions.length ? `${message}: did you mean ${suggestions.join(" or ")}?` : message,
        suggestions,
      };
    },
  };
}

function sameTarget(a: KeyTarget, b: KeyTarget): boolean {
  if (a.kind === "given" && b.kind === "given") return a.id === b.id;
  if (a.kind === "part" && b.kind === "part") return a.unit === b.unit;
  if (a.kind === "step" && b.kind === "step") return a.stepId === b.stepId && !a.negatedAs === !b.negatedAs;
  return a.kind === "factor" && b.kind === "factor" && a.stepId === b.stepId;
}

const PLURAL: Record<string, string> = { weight: "weights", unit: "units", bias: "biases" };

/**
 * A key that names a weight, unit or layer the spec does not have ("w9+" for a network with
 * w1..w8, "z_h3", "z^[3]_1" for two computing layers): the answers belong to another network.
 */
function specMismatch(key: string, spec: NetworkSpec, N: Notation): string | undefined {
  const lower = key.toLowerCase();
  if (N.preset === "names") {
    const L = spec.layers.length - 1;
    const kinds: [string, string[]][] = [
      [
        "weight",
        spec.layers
          .slice(1)
          .flatMap((n, l) =>
            Array.from({ length: n }, (_, j) =>
              Array.from({ length: spec.layers[l] }, (_, k) => N.weight(l + 1, j, k).key),
            ).flat(),
          ),
      ],
      ["unit", spec.layers.flatMap((n, l) => Array.from({ length: n }, (_, j) => N.a(l, j).key.replace(/^a_/, "")))],
      [
        "bias",
        Array.from({ length: L }, (_, l) =>
          Array.from({ length: spec.layers[l + 1] }, (_, j) => N.bias(l + 1, j).key),
        ).flat(),
      ],
    ];
    const all = new Set(kinds.flatMap(([, names]) => names.map((n) => n.toLowerCase())));
    for (const m of lower.matchAll(/[a-z]+\d+/g)) {
      const candidates = [0, 1, 2].map((cut) => m[0].slice(cut)).filter((c) => /^[a-z]+\d+$/.test(c));
      if (candidates.some((c) => all.has(c))) continue;
      for (const c of candidates) {
        const prefix = c.replace(/\d+$/, "");
        for (const [kind, names] of kinds) {
          const same = [...new Set(names)].filter((n) => n.toLowerCase().replace(/\d+$/, "") === prefix);
          if (same.length) return `the spec has no ${kind} ${c} (its ${PLURAL[kind]} are ${same.join(", ")})`;
        }
      }
    }
    return undefined;
  }
  const layer = /\[(\d+)\]|\((\d+)\)/.exec(lower);
  const L = spec.layers.length - 1;
  if (layer && (N.preset === "bracket" || N.preset === "paren")) {
    const l = Number(layer[1] ?? layer[2]);
    if (l > L) return `the spec has no layer ${l} (its computing layers are 1 to ${L})`;
  }
  return undefined;
}
