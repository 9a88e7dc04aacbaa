// What an exercise set is: its questions, the precision each asks for, and how its answers are judged.
import type { NotationPreset } from "../../engine/notation.js";
import type { CheckReport } from "../../checking/check.js";

/**
 * How precisely a question asks for its answers: decimal places, or significant figures. (Not the
 * engine's `Precision`, which is the arithmetic a calculation runs in.)
 */
export type AnswerPrecision = { decimals: number } | { significant: number };

export interface ExerciseQuestion {
  number: number;
  /** the keys this question asks for */
  keys: readonly string[];
  precision: AnswerPrecision;
  hint: string;
}

/**
 * One of several small networks an exercise asks about, traced and judged by the network checker
 * (so a value computed from the student's own wrong earlier value gets follow-through credit):
 * its spec, and which of its quantities each of the exercise's keys names.
 */
export interface NetworkPart {
  spec: Record<string, unknown>;
  notation?: NotationPreset;
  /** the exercise's key → the checker's key in this network ("delta6" → "delta_1^(1)") */
  keys: Readonly<Record<string, string>>;
}

/** How an exercise set's answers are judged: the checker for named numbers, a network or a graph. */
export type ExerciseJudge =
  /** expected values as numbers, or as decimal strings where a double cannot hold them exactly (0.75, not 0.6 / 0.8) */
  | { kind: "numbers"; expected: () => Record<string, number | string> }
  | { kind: "network"; spec: Record<string, unknown>; notation?: NotationPreset }
  | { kind: "networks"; parts: readonly NetworkPart[] }
  | { kind: "graph"; expression: string; values: Readonly<Record<string, number>> }
  | { kind: "custom"; check: (answers: Readonly<Record<string, string>>) => CheckReport };

export interface ExerciseSet {
  /** "02", or "04.1" when a notebook has several exercise cells */
  id: string;
  questions: readonly ExerciseQuestion[];
  judge: ExerciseJudge;
}

/** A question asking for `keys` at `precision`, with its hint. */
export const q = (
  number: number,
  keys: readonly string[],
  precision: AnswerPrecision,
  hint: string,
): ExerciseQuestion => ({
  number,
  keys,
  precision,
  hint,
});
export const dp = (decimals: number): AnswerPrecision => ({ decimals });
export const sf = (significant: number): AnswerPrecision => ({ significant });
