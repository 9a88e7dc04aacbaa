// Checking a hand calculation quantity by quantity, as an examiner marks it:
//
//   correct   the exact value, rounded to the decimals the student wrote, is their number;
//   rounding  it is not, but rounding explains it: it is the dp:N chain's value, or their own
//             (rounded) earlier numbers give it, or it lies within the tolerance that rounding
//             the step's inputs to N decimals propagates;
//   follows   wrong against the exact value, but right from their own earlier numbers, one of
//             which was wrong (follow-through credit);
//   wrong     none of these. The first one is where the calculation went off, and a classic
//             mistake that reproduces the number is named (see mistakes.ts).
//
// "Their own earlier numbers" come from one exact engine run with all of the student's numbers
// as overrides: `replaced[id]` is then each step done right from what the student had before it.
import { D } from "../engine/numeric.js";
import { AnswerError } from "../engine/errors.js";
import { parseSpec, type NetworkSpec } from "../engine/spec.js";
import { traceNetwork } from "../engine/network.js";
import type { NotationPreset } from "../engine/notation.js";
import type { Step } from "../engine/trace.js";
import { isEmptyAnswers, NOTHING_TYPED_YET, type AnswersInput } from "./answers.js";
import { dependencies } from "./dependencies.js";
import { diagnose, type DiagnosisContext } from "./mistakes.js";
import { overridesOf, resolveNetworkAnswers } from "./network-answers.js";
import { NetworkJudge } from "./network-judge.js";
import { summarise, type CheckReport, type CheckRow, type UnknownKey } from "./report.js";
import { StudentCalculation } from "./student.js";
import { fixed, halfUnit, type PlacesAsked } from "./verdict.js";

export type { PlacesAsked, Verdict } from "./verdict.js";
export { summarise, type CheckReport, type CheckRow, type UnknownKey } from "./report.js";

export interface CheckOptions {
  /** the notation the keys are written in (default: the spec's names, else bracket); other notations' keys are accepted where unambiguous */
  notation?: NotationPreset;
  /** the decimal places asked for (all answers, or per key as typed or canonical): fewer is "too few places" */
  places?: PlacesAsked;
}

function isParsedSpec(x: unknown): x is NetworkSpec {
  return (
    typeof x === "object" &&
    x !== null &&
    "raw" in x &&
    "loss" in x &&
    typeof (x as { loss: unknown }).loss === "object"
  );
}

/**
 * The exact trace of a parsed spec in one notation, kept as long as the spec object lives: the
 * step-through view judges every answer against the one spec it holds, and this trace (with the
 * key resolver built on its steps, see keys.ts) is most of a check's time. Traces are not changed
 * by the checker, and a parsed spec is not changed after parsing.
 */
const exactTraces = new WeakMap<NetworkSpec, Map<NotationPreset, ReturnType<typeof traceNetwork>>>();

function exactTraceOf(spec: NetworkSpec, preset: NotationPreset): ReturnType<typeof traceNetwork> {
  let byPreset = exactTraces.get(spec);
  if (!byPreset) exactTraces.set(spec, (byPreset = new Map()));
  let trace = byPreset.get(preset);
  if (!trace) byPreset.set(preset, (trace = traceNetwork(spec, { precision: "exact", notation: preset })));
  return trace;
}

/** Check a student's hand calculation of one example's forward pass, backward pass and update. */
export function checkHandCalculation(spec: unknown, answers: AnswersInput, options: CheckOptions = {}): CheckReport {
  const parsed = isParsedSpec(spec) ? spec : parseSpec(spec);
  const preset: NotationPreset = options.notation ?? (parsed.names ? "names" : "bracket");
  if (isEmptyAnswers(answers)) return summarise([], [], preset, NOTHING_TYPED_YET);
  if (parsed.isBatch || parsed.examples.length > 1) {
    throw new AnswerError(
      "spec",
      "is a batch (inputs/targets); the checker follows one example's hand calculation",
      "give the example as input/target",
    );
  }
  const exactTrace = exactTraceOf(parsed, preset);
  const steps = new Map<string, Step>(exactTrace.steps.map((s) => [s.id, s]));
  const exact = new Map<string, string>(exactTrace.steps.map((s) => [s.id, s.value]));
  const { pending, unknownKeys } = resolveNetworkAnswers(parsed, exactTrace.steps, preset, answers, options.places);
  const overriding = overridesOf(pending);
  const answered: Record<string, string> = {};
  for (const [id, p] of overriding) answered[id] = p.stepNum.text;
  const student = new StudentCalculation(parsed, steps, answered, preset);
  const deps = dependencies(parsed, exactTrace.steps);
  const judge = new NetworkJudge({
    spec: parsed,
    preset,
    steps,
    exact,
    deps,
    student,
    overriding,
    byKey: new Map(pending.map((p) => [p.key, p])),
  });
  const rows = pending.map((p) => judge.judge(p));
  nameMistakes(rows, judge.followTolerance, {
    spec: parsed,
    steps,
    pinned: student.pinned,
    answers: answered,
    inputsOf: (id) => steps.get(id)?.reads?.filter((x) => steps.has(x)) ?? [],
  });
  const report = summarise(rows, unknownKeys, preset);
  const warning = anotherNetwork(rows, unknownKeys);
  if (warning) report.warning = warning;
  return report;
}

/** Name the classic mistake behind each wrong step, if one reproduces it (mistakes.ts); a repeat says so. */
function nameMistakes(rows: CheckRow[], tolerance: ReadonlyMap<string, number>, ctx: DiagnosisContext): void {
  const named = new Map<string, string>();
  for (const row of rows) {
    if (row.verdict !== "wrong" || row.role !== "step" || row.tooFewDigits !== undefined) continue;
    const sign = row.negated ? -1 : 1;
    const diagnosis = diagnose(
      {
        stepId: row.stepId,
        typed: new D(row.typed).times(sign),
        followThrough: new D(row.followThrough).times(sign),
        tolerance: tolerance.get(row.key) ?? halfUnit(row.decimals),
      },
      ctx,
    );
    if (!diagnosis) continue;
    const earlier = named.get(diagnosis.mistake);
    row.diagnosis = earlier
      ? { ...diagnosis, description: `${diagnosis.description} (the same mistake as at ${earlier})` }
      : diagnosis;
    row.explanation += `; probably: ${row.diagnosis.description}`;
    if (!earlier) named.set(diagnosis.mistake, row.key);
  }
}

const FORWARD = /^forward\.|^loss$/;

/** One sentence when the answers as a whole fit another network better than this one. */
function anotherNetwork(rows: readonly CheckRow[], unknown: readonly UnknownKey[]): string | undefined {
  const lead = "these answers seem to belong to another network";
  if (unknown.length >= 2 && unknown.length > rows.length) {
    return `${lead}: ${unknown.length} of ${unknown.length + rows.length} keys name no quantity of this spec (${unknown
      .slice(0, 3)
      .map((u) => u.key)
      .join(", ")}${unknown.length > 3 ? ", …" : ""}); check that the spec is the one the calculation was done for`;
  }
  const forward = rows.filter((r) => r.role === "step" && FORWARD.test(r.stepId));
  if (
    forward.length >= 2 &&
    forward.every((r) => r.verdict === "wrong" || r.verdict === "follows") &&
    forward.some((r) => r.verdict === "wrong" && r.tooFewDigits === undefined)
  ) {
    const f = forward[0];
    return `${lead}: none of the ${forward.length} forward values matches this spec (${f.key} should be ${fixed(new D(f.exact), f.decimals)}, not ${f.typed}); check the spec's inputs, weights and biases`;
  }
  return undefined;
}
