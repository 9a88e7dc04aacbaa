// Executes every notebook in notebooks/ headless on the tslab kernel (nbclient from .venv),
// two at a time in one Python process, each on a fresh kernel, and fails on any cell error, naming
// the notebook, the cell and the error.
//
//   node scripts/run-notebooks.mjs                 all notebooks
//   node scripts/run-notebooks.mjs 05 04-comp      only those whose names contain the words
//   node scripts/run-notebooks.mjs --html          also write HTML exports beside the executed copies
//
// Executed copies go to test-artifacts/notebooks/, timings to test-artifacts/notebook-timings.json;
// notebooks in notebooks/ stay output-free. Each executed notebook is then searched for its
// exercises' answers: a number printed before an exercise cell that gives away one of that
// exercise's expected values (at the precision asked) fails the notebook; so does a value a
// step-through view asks for that is shown above the view or in the cell after it, unfolded.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { ROOT, NOTEBOOKS, JUPYTER, VENV_PYTHON, jupyterEnv } from "./paths.mjs";

const args = process.argv.slice(2);
const html = args.includes("--html");
const only = args.filter((a) => !a.startsWith("--"));
const CELL_TIMEOUT = 300;
const ARTIFACTS = join(ROOT, "test-artifacts");
const EXECUTED = join(ARTIFACTS, "notebooks");

function fail(message) {
  console.error(`run-notebooks: ${message}`);
  process.exit(1);
}

if (!existsSync(VENV_PYTHON))
  fail(".venv is missing. run `npm install` (it creates .venv with JupyterLab and the tslab kernel).");
if (!existsSync(join(ROOT, "dist", "index.js"))) fail("dist/ is missing. run `npm run build` first.");
try {
  execFileSync(process.execPath, [join(ROOT, "scripts", "notebooks.mjs"), "--check"], { stdio: "inherit" });
} catch {
  fail(
    "a notebook and its Markdown pair in notebooks/md/ disagree, or a notebook has outputs (above). fix that first.",
  );
}

const names = readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith(".ipynb"))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (names.length === 0) fail(only.length ? `no notebook matches ${only.join(", ")}` : "no notebooks in notebooks/");
mkdirSync(EXECUTED, { recursive: true });

// The exercises' answers must not appear earlier in the notebook (issue 12): checked on the executed copy.
const { answersShownEarlier, exerciseCellIndex, viewAnswersShown, NOTEBOOK_EXERCISES } = await import(
  join(ROOT, "dist", "index.js")
);
function answerLeaks(name) {
  const nb = JSON.parse(readFileSync(join(EXECUTED, name), "utf8"));
  const problems = NOTEBOOK_EXERCISES.filter(
    (set) => name.startsWith(set.id.slice(0, 2) + "-") && exerciseCellIndex(nb, set.id) < 0,
  ).map((set) => `no cell calls checkExercise("${set.id}", …)`);
  for (const { answer, cell, printed } of answersShownEarlier(nb)) {
    if (!name.startsWith(answer.set.slice(0, 2) + "-")) continue;
    const precision =
      "decimals" in answer.precision
        ? `${answer.precision.decimals} decimals`
        : `${answer.precision.significant} significant figures`;
    problems.push(
      `exercise ${answer.set} question ${answer.question} asks for ${answer.key} (${precision}), but cell ${cell} already shows it: ${printed}`,
    );
  }
  // issue 17: nothing a step-through view asks for is on the page above it or right after it, unfolded
  const byCell = new Map();
  for (const x of viewAnswersShown(nb))
    byCell.set(`${x.view}>${x.cell}`, [...(byCell.get(`${x.view}>${x.cell}`) ?? []), x]);
  for (const shown of byCell.values()) {
    const { view, cell } = shown[0];
    const some = shown.slice(0, 3).map((x) => `${x.key} = ${x.value} (as ${x.printed})`);
    const more = shown.length > 3 ? ` and ${shown.length - 3} more` : "";
    problems.push(
      `the view in cell ${view} asks for values that cell ${cell} shows unfolded: ${some.join(", ")}${more}`,
    );
  }
  return problems;
}

const jobs = Math.max(1, Math.min(2, availableParallelism()));
// longest first, by the last run's times (test-artifacts/notebook-timings.json), so that the run
// does not end with one long notebook on one core while the other has nothing left to do
const lastTimes = (() => {
  try {
    return JSON.parse(readFileSync(join(ARTIFACTS, "notebook-timings.json"), "utf8")).notebooks ?? {};
  } catch {
    return {};
  }
})();
const queue = [...names].sort((a, b) => (lastTimes[b] ?? 0) - (lastTimes[a] ?? 0));
const results = [];
const started = Date.now();

/** A notebook's result: the leak check above added to a run that passed; then its line printed. */
function report(name, r) {
  if (r.ok) {
    const leaks = answerLeaks(name);
    if (leaks.length)
      Object.assign(r, { ok: false, ename: "AnswerShown", evalue: leaks.join("\n        "), cell: null });
  }
  results.push(r);
  if (r.ok) console.log(`  ok    ${name}  ${r.seconds.toFixed(1)} s`);
  else {
    const where =
      r.cell !== undefined && r.cell !== null
        ? `cell ${r.cell}`
        : r.ename === "AnswerShown"
          ? "gives an answer away before it is asked"
          : "before any cell";
    const message = r.evalue.startsWith(r.ename) ? r.evalue : `${r.ename}: ${r.evalue}`;
    console.log(`  FAIL  ${name}  ${where}: ${message}`);
    if (r.source) console.log(`        the cell begins: ${r.source}`);
  }
}

// one Python process runs them all, `jobs` at a time (each on a fresh kernel), a JSON line each as it ends
await new Promise((resolve) => {
  const child = spawn(
    VENV_PYTHON,
    [
      join(ROOT, "scripts", "run_notebooks.py"),
      NOTEBOOKS,
      String(CELL_TIMEOUT),
      String(jobs),
      ...queue.flatMap((name) => [join(NOTEBOOKS, name), join(EXECUTED, name)]),
    ],
    { env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let pending = "",
    stderr = "";
  child.stdout.on("data", (d) => {
    pending += d;
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (!line.startsWith("{")) continue;
      const r = JSON.parse(line);
      const name = r.notebook.slice(NOTEBOOKS.length + 1);
      if (r.error) Object.assign(r, { ename: "NotANotebook", evalue: r.error });
      report(name, { name, ...r });
    }
  });
  child.stderr.on("data", (d) => (stderr += d));
  child.on("close", (code) => {
    // notebooks the runner never reported (it crashed): each a failure, with the runner's last words
    for (const name of names.filter((n) => !results.some((r) => r.name === n)))
      report(name, {
        name,
        ok: false,
        ename: "RunnerError",
        evalue: `exit ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`,
      });
    resolve();
  });
});

if (html) {
  for (const r of results) {
    const executed = join(EXECUTED, r.name);
    if (!existsSync(executed)) continue;
    try {
      execFileSync(JUPYTER, ["nbconvert", "--to", "html", "--log-level=ERROR", executed], {
        env: jupyterEnv(),
        stdio: "inherit",
      });
    } catch {
      console.log(`  could not export ${r.name} to HTML`);
    }
  }
}

results.sort((a, b) => a.name.localeCompare(b.name));
const total = (Date.now() - started) / 1000;
mkdirSync(ARTIFACTS, { recursive: true });
writeFileSync(
  join(ARTIFACTS, "notebook-timings.json"),
  JSON.stringify(
    {
      total_seconds: Number(total.toFixed(1)),
      // earlier times of notebooks not run this time are kept, for the next run's order
      notebooks: { ...lastTimes, ...Object.fromEntries(results.map((r) => [r.name, r.seconds ?? null])) },
    },
    null,
    2,
  ) + "\n",
);
const failed = results.filter((r) => !r.ok).length;
console.log(`${total.toFixed(1)} s in all; per-notebook times in test-artifacts/notebook-timings.json`);
console.log(`notebooks: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
