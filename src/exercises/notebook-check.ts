// What a student calls in an exercise cell: `checkExercise("02", answers)` shows the checker's
// verdicts without giving the answers away, `hint("02", "x3")` shows one question's hint. A bad
// answer ("0,3775") shows as one clear line, never as a stack trace.
import { TutorError } from "../engine/errors.js";
import type { CheckReport, CheckRow } from "../checking/check.js";
import { display } from "../render/display.js";
import { errorBundle, exerciseBundle } from "../render/exercise.js";
import { exerciseHint, exerciseSet, isUnanswered, judgeExercise } from "./notebook-exercises.js";

/**
 * The `hint(...)` call that answers for a row: by its key when a question has that key, else by the
 * question's number (a custom judge's rows, such as 09.3's "XOR(0,0)", are not answer keys).
 */
function hintCall(id: string, key: string): string {
  const questions = exerciseSet(id).questions;
  if (questions.some((q) => q.keys.includes(key))) return `hint("${id}", "${key}")`;
  return `hint("${id}", ${questions[0].number})`;
}

/** A row as the student may see it: verdicts and named mistakes, never the value it should be. */
export function withoutAnswer(id: string, row: CheckRow): CheckRow {
  if (row.verdict === "correct" || row.verdict === "rounding" || row.verdict === "too few places") return row;
  let explanation: string;
  if (row.verdict === "follows") explanation = row.explanation.replace(/^should be [^,]*, but /, "");
  else if (row.tooFewDigits !== undefined) explanation = row.explanation;
  else if (row.diagnosis)
    explanation = `probably: ${row.diagnosis.description}. ${hintCall(id, row.key)} if you are stuck`;
  else explanation = `${hintCall(id, row.key)} if you are stuck`;
  return { ...row, explanation };
}

function summary(report: CheckReport): string {
  const s = report.summary;
  if (s.total === 1 && s.correct + s.rounding === 1) return `Right${s.rounding ? " (within rounding)" : ""}.`;
  if (s.total > 0 && s.correct + s.rounding === s.total)
    return `All ${s.total} right${s.rounding ? ` (${s.rounding} within rounding)` : ""}.`;
  const short = s.tooFewPlaces ? `, ${s.tooFewPlaces} with too few decimal places` : "";
  return `${s.total} checked: ${s.correct} correct, ${s.rounding} rounding, ${s.followThrough} following from an earlier error, ${s.wrong} not right yet${short}.`;
}

/**
 * Show one thing in the notebook, or the TutorError it raised as one line. Nothing is returned:
 * the kernel prints a cell's last value, and the checker's report carries the exact values.
 */
function showing<T>(make: () => T, show: (value: T) => void): void {
  try {
    show(make());
  } catch (e) {
    if (!(e instanceof TutorError)) throw e;
    display(errorBundle(e));
  }
}

/**
 * Check a notebook exercise's answers (strings such as "0.3775"; empty strings are questions not
 * answered yet) and show the verdicts (judgeExercise gives the report itself, answers included).
 */
export function checkExercise(id: string, answers: Readonly<Record<string, string | number>>): void {
  showing(
    () => judgeExercise(id, answers),
    (report) => {
      const asked = exerciseSet(id).questions.flatMap((x) => x.keys);
      const open = asked.filter((k) => !(k in answers) || isUnanswered(answers[k]));
      const notes: string[] = [];
      if (report.rows.length === 0 && report.unknownKeys.length === 0)
        notes.push(
          `Nothing answered yet: type your numbers as strings (e.g. "0.3775") between the quotes above and run the cell again (a line that starts with // is a comment and is not read).`,
        );
      else notes.push(summary(report));
      if (report.firstWrong) notes.push(`The calculation first goes off at ${report.firstWrong}.`);
      if (report.rows.length && open.length) notes.push(`Not answered yet: ${open.join(", ")}.`);
      // the checker's warning names the value a forward quantity should have: keep only its advice
      if (report.warning) notes.push(`Note: ${report.warning.replace(/ \([^)]*should be[^)]*\)/g, "")}.`);
      for (const u of report.unknownKeys) notes.push(`Not checked: ${u.message}`);
      display(exerciseBundle({ rows: report.rows.map((r) => withoutAnswer(id, r)), notes }));
    },
  );
}

/** Show the hint for one question of an exercise, by a key (`hint("02", "x3")`) or its number. */
export function hint(id: string, keyOrNumber: string | number): void {
  showing(
    () => exerciseHint(id, keyOrNumber),
    ({ question, hint: text }) => {
      display({
        "text/plain": `Hint for question ${question.number}: ${text}`,
        "text/markdown": `**Hint for question ${question.number}** (${question.keys.map((k) => `\`${k}\``).join(", ")}): ${text}`,
      });
    },
  );
}
