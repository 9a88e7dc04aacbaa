// A student's answers to a network's hand calculation, read and matched to the quantities they
// name: numbers first (every answer that is not a number is reported at once), then keys (unknown
// ones are listed, the rest are checked), in the order of the calculation.
import { D, type Dec } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import type { NetworkSpec } from "../engine/spec.js";
import type { NotationPreset } from "../engine/notation.js";
import type { Step } from "../engine/trace.js";
import { stepId } from "../engine/step-id.js";
import { answersFromInput, parseAllNumbers, type AnswersInput, type TypedNumber } from "./answers.js";
import { keyResolver, lossPart, type KeyTarget } from "./keys.js";
import { placesFor, tooFewPlaces, type Judged, type PlacesAsked } from "./verdict.js";

import type { UnknownKey } from "./report.js";

/** One answer, matched to the quantity it names. */
export interface Pending {
  key: string;
  where: string;
  num: TypedNumber;
  /** the number in the step's own sign (−num for a negated key) */
  stepNum: TypedNumber;
  target: KeyTarget;
  canonical: string;
  symbol: string;
  /** position in the calculation, for ordering */
  order: number;
  /** written with fewer decimal places than asked: not judged, and not carried into later steps */
  short?: Judged;
}

const negatedNumber = (n: TypedNumber): TypedNumber => ({
  value: n.value.neg(),
  decimals: n.decimals,
  text: n.text.startsWith("-") ? n.text.slice(1) : `-${n.text}`,
});

/** The exact value a key names, in the step's own sign. */
export function exactOfTarget(spec: NetworkSpec, exact: ReadonlyMap<string, string>, t: KeyTarget): Dec {
  if (t.kind === "given") return new D(t.value);
  if (t.kind === "part") {
    const aId = stepId({ phase: "forward", quantity: "a", layer: spec.layers.length - 1, unit: t.unit });
    return lossPart(spec, t.unit, exact.get(aId)!);
  }
  return new D(exact.get(t.stepId)!);
}

/** A key's identity: two answers naming the same one are an error. */
const targetIdentity = (t: KeyTarget): string =>
  t.kind === "given" ? t.id : t.kind === "part" ? `part:${t.unit}` : `${t.kind}:${t.stepId}`;

/** The answers matched to quantities, in the order of the calculation, and the keys that name none. */
export function resolveNetworkAnswers(
  spec: NetworkSpec,
  steps: readonly Step[],
  preset: NotationPreset,
  answers: AnswersInput,
  places: PlacesAsked | undefined,
): { pending: Pending[]; unknownKeys: UnknownKey[] } {
  const resolver = keyResolver(spec, steps, preset);
  const position = new Map<string, number>(steps.map((s, i) => [s.id, i]));
  const exact = new Map<string, string>(steps.map((s) => [s.id, s.value]));
  const unknownKeys: UnknownKey[] = [];
  const pending: Pending[] = [];
  const seen = new Map<string, string>();
  for (const a of parseAllNumbers(answersFromInput(answers))) {
    const r = resolver.resolve(a.key);
    if (!r.ok) {
      unknownKeys.push({ key: a.key, message: r.message, suggestions: r.suggestions });
      continue;
    }
    const id = targetIdentity(r.target);
    const before = seen.get(id);
    if (before !== undefined)
      throw new AnswerError(
        a.where,
        `"${a.key}" and "${before}" are the same quantity (${r.canonical})`,
        "keep one value per quantity",
      );
    seen.set(id, a.key);
    const anchor = r.target.kind === "step" ? r.target.stepId : r.target.near;
    const stepNum = r.target.kind === "step" && r.target.negatedAs ? negatedNumber(a.num) : a.num;
    const short = tooFewPlaces(stepNum, placesFor(places, a.key, r.canonical), exactOfTarget(spec, exact, r.target));
    pending.push({
      key: a.key,
      where: a.where,
      num: a.num,
      stepNum,
      target: r.target,
      canonical: r.canonical,
      symbol: r.symbol,
      order: (position.get(anchor) ?? 0) - (r.target.kind === "step" ? 0 : 0.5),
      ...(short ? { short } : {}),
    });
  }
  if (pending.length === 0) {
    const example = [...steps.slice(0, 2).map((s) => s.key), steps.find((s) => s.quantity === "dW")?.key ?? ""];
    throw new AnswerError(
      "answers",
      `no key names a quantity of this calculation (${unknownKeys.map((u) => u.message).join("; ")})`,
      `write keys in the ${preset} notation, e.g. ${example.join(", ")}`,
    );
  }
  return { pending: pending.sort((x, y) => x.order - y.order), unknownKeys };
}

/**
 * The student's numbers by step id, to carry forward: a factor row (∂z_o1/∂w5) stands in for its
 * step only when the step itself is not answered; answers with too few places are not carried.
 */
export function overridesOf(pending: readonly Pending[]): Map<string, Pending> {
  const rows = new Map<string, Pending>();
  for (const p of pending) if (p.target.kind === "step" && !p.short) rows.set(p.target.stepId, p);
  for (const p of pending)
    if (p.target.kind === "factor" && !p.short && !rows.has(p.target.stepId)) rows.set(p.target.stepId, p);
  return rows;
}
