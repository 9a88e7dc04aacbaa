// docs/lecture-topics.md maps every topic and worked example of the lecture notes to a notebook
// and a section; this fails when a notebook named there has no section of that title (a section
// renamed or removed, a topic moved), so the map and the notebooks cannot drift apart silently.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../", import.meta.url);
const doc = readFileSync(new URL("docs/lecture-topics.md", root), "utf8");
const notebookFiles = readdirSync(new URL("notebooks/md/", root)).filter((f) => /^\d\d-.*\.md$/.test(f));

interface Row {
  topic: string;
  notebook: string;
  section: string;
  convention: string;
}

/** The rows of the topic table: | topic | notes | notebook | section | convention |. */
function tableRows(markdown: string): Row[] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| Topic or worked example"));
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .slice(1, -1)
      .split(" | ")
      .map((c) => c.trim());
    rows.push({ topic: cells[0], notebook: cells[2], section: cells[3], convention: cells[4] });
  }
  return rows;
}

/** The notebook's headings (any level), without the leading #s. */
function headings(notebook: string): string[] {
  const file = notebookFiles.find((f) => f.startsWith(`${notebook}-`));
  if (!file) return [];
  return readFileSync(new URL(`notebooks/md/${file}`, root), "utf8")
    .split("\n")
    .filter((l) => /^#{1,4} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());
}

const rows = tableRows(doc);

describe("the lecture-topic map (docs/lecture-topics.md)", () => {
  it("has a row per topic, each naming a notebook, a section and a convention note", () => {
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) {
      expect(r.notebook, r.topic).toMatch(/^\d\d$/);
      expect(r.section, r.topic).not.toBe("");
      expect(r.convention, r.topic).not.toBe("");
    }
  });

  it.each(rows.map((r) => [r.notebook, r.section, r.topic]))(
    "notebook %s has the section “%s” (for: %s)",
    (notebook, section) => {
      expect(headings(notebook)).toContain(section);
    },
  );

  it("names the conventions the notes disagree on, with the notebook's choice", () => {
    const conventions = rows.map((r) => r.convention).join("\n");
    // the threshold at 0, Adam's bias correction, dropout's p, AdaDelta, ReLU'(0), the 0.01 initialisation
    for (const needle of ["$z \\ge 0$", "bias correction", "keep probability", "Zeiler", "disagree", "shallow example"])
      expect(conventions).toContain(needle);
  });

  it("fails for a section that is not there (the check itself can fail)", () => {
    expect(headings("01")).not.toContain("A section no notebook has");
    expect(headings("99")).toEqual([]);
  });
});
