// A student's progress in a step-through view, as saved with the notebook (in the view output's
// metadata): every attempt with the verdict it earned, which steps were shown or skipped, where
// they were, the notation and the what-if edits. Read back from a file anyone may have edited,
// so every field is checked and what does not fit is dropped, never trusted.
import { NOTATION_PRESETS, type NotationPreset } from "../engine/notation.js";
import type { Verdict } from "../checking/verdict.js";

export const PROGRESS_VERSION = 1;

export interface Attempt {
  typed: string;
  verdict: Verdict;
  /** the checker's one line (it names the value: shown only once the value is revealed) */
  explanation: string;
  /** for a first wrong answer: what to look at, without the value */
  nudge?: string;
}

export interface StepProgress {
  attempts: Attempt[];
  revealed: boolean;
  /** left by Next before it was answered or shown */
  skipped: boolean;
}

export interface Progress {
  version: number;
  index: number;
  notation: NotationPreset;
  /** step id → what happened there (steps never visited are left out) */
  steps: Record<string, StepProgress>;
  /** given id → the what-if number */
  edits: Record<string, string>;
}

const VERDICTS: readonly string[] = ["correct", "rounding", "follows", "wrong", "too few places"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

function readAttempt(a: unknown): Attempt | undefined {
  if (!isRecord(a) || !text(a.typed, 60) || !VERDICTS.includes(a.verdict as string) || !text(a.explanation, 1000))
    return undefined;
  const attempt: Attempt = { typed: a.typed, verdict: a.verdict as Verdict, explanation: a.explanation };
  if (text(a.nudge, 1000)) attempt.nudge = a.nudge;
  return attempt;
}

/**
 * The progress found in a notebook, keeping only steps and givens this view has (`stepIds`,
 * `givenIds`); undefined when there is none or it is not progress at all.
 */
export function readProgress(
  data: unknown,
  stepIds: ReadonlySet<string>,
  givenIds: ReadonlySet<string>,
): Progress | undefined {
  if (!isRecord(data) || data.version !== PROGRESS_VERSION || !isRecord(data.steps)) return undefined;
  const steps: Record<string, StepProgress> = {};
  for (const [id, s] of Object.entries(data.steps)) {
    if (!stepIds.has(id) || !isRecord(s) || !Array.isArray(s.attempts)) continue;
    const attempts = s.attempts.slice(0, 20).flatMap((a) => readAttempt(a) ?? []);
    steps[id] = { attempts, revealed: s.revealed === true, skipped: s.skipped === true };
  }
  const edits: Record<string, string> = {};
  if (isRecord(data.edits))
    for (const [id, v] of Object.entries(data.edits)) if (givenIds.has(id) && text(v, 60)) edits[id] = v;
  const index = Number.isInteger(data.index) && (data.index as number) >= 0 ? (data.index as number) : 0;
  const notation = NOTATION_PRESETS.includes(data.notation as NotationPreset)
    ? (data.notation as NotationPreset)
    : "names";
  return { version: PROGRESS_VERSION, index, notation, steps, edits };
}
