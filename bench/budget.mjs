// The time budget of `npm run bench:grade`, and the line it prints when the grading was over it:
// the exit code 1 says only "over"; this says by how much and what might be why.

/** Seconds allowed for grading the bench's class (30 students, --jobs 2). */
export const GRADE_BUDGET_SECONDS = 120;

/** Why the bench fails, or null: the grading of `count` students took `seconds`. */
export function overBudget(seconds, count, budget = GRADE_BUDGET_SECONDS) {
  if (seconds <= budget) return null;
  return (
    `bench:grade: exit 1 because grading ${count} submissions took ${seconds.toFixed(1)} s, over the budget of ${budget} s ` +
    `(${(seconds / count).toFixed(2)} s each). A busy machine slows every kernel (see the load average above); ` +
    "run it again when the machine is idle before looking for a slowdown in the grader."
  );
}

/** The message for a step of the bench that failed: the command, its exit code and what it said. */
export function stepFailed(what, result) {
  const said = (result.stderr ?? "").trim();
  return `bench:grade: exit 1 because ${what} failed (exit ${result.code ?? result.status}): ${said || "it printed nothing on stderr"}`;
}
