// One HTML page per student: the score per test with its reason, each graded quantity with the
// checker's verdict (and the classic mistake it recognised), and the worked solution for the
// student's own numbers, but only once a notebook of theirs has run: a student with no
// submission (or one that is not a notebook) gets no solution, since a late submission is still
// graded (docs/exercises.md, "Feedback"). KaTeX renders the mathematics to HTML here, so the page needs only
// KaTeX's stylesheet and fonts, copied next to the feedback (graded/assets/katex), no network.
import { cp, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { escapeHtml } from "../render/display.js";
import type { StudentKey } from "./assign.js";
import type { QuantityResult } from "./checking.js";
import { workedGraphHtml, workedNetworkHtml } from "./checking.js";
import { ROOT } from "./paths.js";

export interface TestScore {
  id: string;
  points: number;
  max: number;
  hidden: boolean;
  /** why points were lost as a whole (test cell edited, notebook did not run ...) */
  reason?: string;
  quantities: QuantityResult[];
}

export interface StudentResult {
  student: string;
  onRoster: boolean;
  /** the submission file as found (relative to the submissions folder), or null */
  submission: string | null;
  submissionHash: string | null;
  assignment: string;
  gradedAt: string;
  tests: TestScore[];
  total: number;
  max: number;
  /** things the teacher and student should know: timed-out cells, edited params, truncated output */
  notes: string[];
  seconds: number;
  /** the notebook was executed (so the feedback shows the worked solution) */
  ran?: boolean;
  /** how the kernel was confined (sandbox.ts chooseSandbox) */
  sandbox?: string;
  /** when it was handed in (nbgrader's timestamp.txt), and whether that was after the deadline */
  submittedAt?: string;
  late?: boolean;
  /** the teacher's override of the score (GRADED/overrides.csv), kept across re-grading */
  override?: { score: number; comment: string };
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;vertical-align:middle}
.bt-check-correct td,.bt-check-rounding td{background:#eefbea}.bt-check-follows td{background:#fff8e1}
.bt-check-wrong td,.bt-check-missing td,.bt-check-invalid td{background:#fdecea}.bt-check-first td{font-weight:600}
.reason{color:#a00}.override{border-left:4px solid #36c;padding-left:.6rem}.score{font-size:1.4rem}`;

export function fmtPoints(n: number): string {
  return String(Number(n.toFixed(2)));
}

function testsTable(r: StudentResult): string {
  const rows = r.tests.map((t) => {
    const lost = t.quantities.filter((q) => !["correct", "rounding", "follows"].includes(q.verdict));
    // an answer that is not a number says why (a decimal comma is named with its fix)
    const lostWhy = (q: (typeof lost)[number]) =>
      `${q.key}: ${q.verdict}${q.mistake ? ` (${q.mistake})` : q.verdict === "invalid" ? ` (${q.explanation})` : ""}`;
    const why = t.reason ?? lost.map(lostWhy).join("; ");
    return `<tr><td>${escapeHtml(t.id)}${t.hidden ? " (hidden)" : ""}</td><td style="text-align:right">${fmtPoints(t.points)} / ${fmtPoints(t.max)}</td><td class="reason">${escapeHtml(why)}</td></tr>`;
  });
  return `<table><thead><tr><th>test</th><th>points</th><th>what lost points</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export interface FeedbackParts {
  networkCheckHtml?: string;
  graphCheckHtml?: string;
}

export function feedbackHtml(r: StudentResult, key: StudentKey | undefined, parts: FeedbackParts): string {
  const sections: string[] = [
    `<h1>${escapeHtml(r.assignment)}: feedback for ${escapeHtml(r.student)}${key?.name ? ` (${escapeHtml(key.name)})` : ""}</h1>`,
    r.override
      ? `<p class="score">Score: <strong>${fmtPoints(r.override.score)} / ${fmtPoints(r.max)}</strong>, set by your teacher (the tests gave ${fmtPoints(r.total)})</p>` +
        (r.override.comment ? `<p class="override">Your teacher's comment: ${escapeHtml(r.override.comment)}</p>` : "")
      : `<p class="score">Score: <strong>${fmtPoints(r.total)} / ${fmtPoints(r.max)}</strong></p>`,
    testsTable(r),
  ];
  if (r.notes.length)
    sections.push(`<h2>Notes</h2><ul>${r.notes.map((n) => `<li class="reason">${escapeHtml(n)}</li>`).join("")}</ul>`);
  if (key && !r.ran)
    sections.push("<p>The worked solution for your numbers is shown once a notebook of yours has been graded.</p>");
  if (key && r.ran) {
    if (parts.networkCheckHtml) sections.push(`<h2>Your network answers, checked</h2>${parts.networkCheckHtml}`);
    const { network, graph } = key.params;
    const places = (d: number) => `${d} decimal place${d === 1 ? "" : "s"}`;
    if (network) {
      const d = key.decimals?.network ?? 4;
      sections.push(
        `<h2>Worked solution for your numbers</h2><p>Every quantity rounded to ${places(d)} as it is written down, with learning rate ${escapeHtml(String(network.learningRate))}.</p>${workedNetworkHtml(network, d)}`,
      );
    }
    if (parts.graphCheckHtml) sections.push(`<h2>Your computation-graph answers, checked</h2>${parts.graphCheckHtml}`);
    if (graph)
      sections.push(
        `<h2>Worked solution: the computation graph</h2><p>${escapeHtml(graph.assignments.join(", "))} with ${escapeHtml(
          Object.entries(graph.values)
            .map(([k, v]) => `${k} = ${v}`)
            .join(", "),
        )}.</p>${workedGraphHtml(graph, key.decimals?.graph ?? 4)}`,
      );
  }
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.assignment)}: ${escapeHtml(r.student)}</title>` +
    `<link rel="stylesheet" href="../assets/katex/katex.min.css"><style>${STYLE}</style></head><body>${sections.join("\n")}</body></html>\n`
  );
}

/** KaTeX's stylesheet and fonts beside the feedback pages, so they render offline. */
export async function copyKatexAssets(gradedDir: string): Promise<void> {
  const dest = join(gradedDir, "assets", "katex");
  await mkdir(dest, { recursive: true });
  const dist = join(ROOT, "node_modules", "katex", "dist");
  await cp(join(dist, "katex.min.css"), join(dest, "katex.min.css"));
  await cp(join(dist, "fonts"), join(dest, "fonts"), { recursive: true });
}
