// Authoring: the teacher's source notebook and the student version made from it.
//
//   params    a cell whose source is replaced per student by `const params = {...};`
//   answer    the cell where students write `const answers = {...}`; the lines between
//             `// BEGIN SOLUTION` and `// END SOLUTION` are replaced by a template of the keys
//   solution  any code cell with solution regions; each region becomes the stub
//   test      graded: points, part, quantities, hidden. Its source is generated here (it only
//             reports the student's `answers` on a marker line); the grader compares them with
//             the key outside the kernel, so the key never enters a student's kernel.
import { TutorError } from "../engine/errors.js";
import {
  codeCell,
  metaOf,
  sourceHash,
  sourceOf,
  toLines,
  KERNELSPEC,
  LANGUAGE_INFO,
  type Cell,
  type ExerciseCellMeta,
  type Notebook,
  type Part,
} from "./notebook.js";
import type { VariantParams } from "./variant.js";

export const BEGIN = "// BEGIN SOLUTION";
export const END = "// END SOLUTION";
export const MARKER = "@@backprop-tutor-result@@";
export const DEFAULT_STUB = "// YOUR CODE HERE";

export interface TestSpec {
  id: string;
  points: number;
  hidden: boolean;
  part: Part;
  quantities: string[];
  /** the decimal places asked (absent: the part's) */
  decimals?: number;
}

/** What assign records about the release, so grading can restore and verify cells. */
export interface ReleasedTest extends TestSpec {
  /** the test cell's source as released (hidden tests: as restored) */
  source: string;
  hash: string;
}

export interface Authoring {
  assignment: string;
  tests: TestSpec[];
}

const fail = (where: string, problem: string, hint: string) => new TutorError(where, problem, hint, "exercise");

/** Reads the exercise cells of a source notebook and checks that they make an exercise. */
export function readAuthoring(nb: Notebook, fallbackName: string): Authoring {
  const ids = new Set<string>();
  const tests: TestSpec[] = [];
  let params = 0,
    answers = 0;
  nb.cells.forEach((cell, i) => {
    const m = metaOf(cell);
    if (!m) return;
    const where = `cell ${i} (${m.kind}${m.id ? ` "${m.id}"` : ""})`;
    if (!m.id) throw fail(where, "has no id", "give every exercise cell a unique metadata.backprop_tutor.id");
    if (ids.has(m.id)) throw fail(where, `repeats the id "${m.id}"`, "give every exercise cell a unique id");
    ids.add(m.id);
    if (cell.cell_type !== "code") throw fail(where, "is not a code cell", "exercise cells are code cells");
    if (m.kind === "params") params++;
    else if (m.kind === "answer") answers++;
    else if (m.kind === "test") {
      if (typeof m.points !== "number" || !(m.points > 0))
        throw fail(where, "has no positive points", 'set "points", e.g. 3');
      if (m.part !== "network" && m.part !== "graph")
        throw fail(where, `has part ${JSON.stringify(m.part)}`, 'set "part" to "network" or "graph"');
      if (
        !Array.isArray(m.quantities) ||
        m.quantities.length === 0 ||
        !m.quantities.every((q) => typeof q === "string")
      )
        throw fail(where, "grades no quantities", 'list them in "quantities", e.g. ["z_h1", "a_h1"]');
      if (m.decimals !== undefined && !(Number.isInteger(m.decimals) && m.decimals >= 0 && m.decimals <= 12))
        throw fail(
          where,
          `has decimals ${JSON.stringify(m.decimals)}`,
          'set "decimals" to a whole number of places, e.g. 4',
        );
      tests.push({
        id: m.id,
        points: m.points,
        hidden: m.hidden === true,
        part: m.part,
        quantities: m.quantities,
        ...(m.decimals !== undefined ? { decimals: m.decimals } : {}),
      });
    } else if (m.kind !== "solution")
      throw fail(where, `has an unknown kind "${String(m.kind)}"`, "use params, answer, solution or test");
  });
  if (params !== 1) throw fail("source notebook", `has ${params} params cells`, "mark exactly one cell as kind params");
  if (answers < 1)
    throw fail("source notebook", "has no answer cell", "mark the cell defining `answers` as kind answer");
  if (tests.length === 0) throw fail("source notebook", "has no test cells", "add at least one cell of kind test");
  const meta = nb.metadata.backprop_tutor as { assignment?: unknown } | undefined;
  const assignment = typeof meta?.assignment === "string" && meta.assignment ? meta.assignment : fallbackName;
  return { assignment, tests };
}

/** The source of a test cell: reports the answers; shows students what is still missing. */
export function testSource(t: TestSpec): string {
  const keys = JSON.stringify(t.quantities);
  return [
    `// Test "${t.id}": ${t.points} point${t.points === 1 ? "" : "s"} for ${t.quantities.join(", ")}.`,
    "// Graded against your own numbers when you submit. Do not edit this cell: an edited test scores 0.",
    "{",
    `  const keys: string[] = ${keys};`,
    '  const given: Record<string, unknown> = typeof answers === "object" && answers !== null ? { ...answers } : {};',
    '  const missing = keys.filter((k) => given[k] === undefined || given[k] === null || String(given[k]).trim() === "");',
    `  console.log(missing.length ? \`Not answered yet: \${missing.join(", ")}\` : \`All \${keys.length} answers given.\`);`,
    '  // a decimal comma ("0,0190") or a word is not a number: say so before it is graded as one',
    "  const notNumbers = keys.filter((k) => !missing.includes(k) && !/^\\s*[-+−]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$/.test(String(given[k])));",
    '  if (notNumbers.length) console.log(`Not a number (write decimals with a point, "0.0190"): ${notNumbers.map((k) => `${k} = ${JSON.stringify(given[k])}`).join(", ")}`);',
    `  console.log(${JSON.stringify(MARKER)} + JSON.stringify({ test: ${JSON.stringify(t.id)}, answers: given }));`,
    "}",
  ].join("\n");
}

/** JSON indented by object, with arrays of numbers/strings kept on one line, as a worksheet lists them. */
function compactJson(v: unknown): string {
  return JSON.stringify(v, null, 2).replace(
    /\[\s*([^[\]{}]*?)\s*\]/g,
    (_m, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`,
  );
}

export function paramsSource(p: VariantParams): string {
  return [
    "// Your own numbers, generated for you. Do not edit this cell: you are graded on these numbers.",
    `const params = ${compactJson(p)};`,
  ].join("\n");
}

/** Replaces every `// BEGIN SOLUTION` … `// END SOLUTION` region (markers included) by `stub`. */
export function stripSolutions(source: string, stub: string, where: string): string {
  const out: string[] = [];
  let inside = false,
    indent = "";
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (t === BEGIN) {
      if (inside) throw fail(where, "opens a solution region inside another", `close it with ${END}`);
      inside = true;
      indent = line.slice(0, line.indexOf("/"));
      out.push(...stub.split("\n").map((s) => indent + s));
    } else if (t === END) {
      if (!inside) throw fail(where, `has ${END} without ${BEGIN}`, "pair the markers");
      inside = false;
    } else if (!inside) out.push(line);
  }
  if (inside) throw fail(where, `has ${BEGIN} without ${END}`, "close the region");
  return out.join("\n");
}

/** The stub of an answer region: every graded key, empty, so students see what to write. */
export function answerStub(tests: readonly TestSpec[]): string {
  const keys = [...new Set(tests.flatMap((t) => t.quantities))];
  return keys.map((k) => `${JSON.stringify(k)}: "",`).join("\n");
}

/** The released test cells (the same for every student); hidden ones are recorded, not released. */
export function releasedTests(a: Authoring): ReleasedTest[] {
  return a.tests.map((t) => {
    const source = testSource(t);
    return { ...t, source, hash: sourceHash(source) };
  });
}

export function testMeta(t: TestSpec): ExerciseCellMeta {
  return {
    kind: "test",
    id: t.id,
    points: t.points,
    hidden: t.hidden,
    part: t.part,
    quantities: t.quantities,
    ...(t.decimals !== undefined ? { decimals: t.decimals } : {}),
  };
}

export function testCell(t: ReleasedTest): Cell {
  return codeCell(t.source, testMeta(t), `test-${t.id}`);
}

/** The student version of the source for one student's numbers. */
export function studentNotebook(src: Notebook, a: Authoring, params: VariantParams): Notebook {
  const tests = new Map(releasedTests(a).map((t) => [t.id, t]));
  const cells: Cell[] = [];
  src.cells.forEach((cell, i) => {
    const m = metaOf(cell);
    const where = `cell ${i}`;
    const copy: Cell = { ...cell, metadata: { ...cell.metadata }, source: cell.source };
    if (cell.cell_type === "code") {
      copy.outputs = [];
      copy.execution_count = null;
    }
    if (!m) {
      // solution regions are allowed in unmarked cells too; nbgrader would require metadata
      if (cell.cell_type === "code" && sourceOf(cell).includes(BEGIN))
        copy.source = toLines(stripSolutions(sourceOf(cell), DEFAULT_STUB, where));
      cells.push(copy);
      return;
    }
    switch (m.kind) {
      case "params":
        copy.source = toLines(paramsSource(params));
        break;
      case "answer":
        copy.source = toLines(stripSolutions(sourceOf(cell), m.stub ?? answerStub(a.tests), where));
        break;
      case "solution":
        copy.source = toLines(stripSolutions(sourceOf(cell), m.stub ?? DEFAULT_STUB, where));
        break;
      case "test": {
        const t = tests.get(m.id)!;
        if (t.hidden) return; // restored at grading
        cells.push(testCell(t));
        return;
      }
    }
    cells.push(copy);
  });
  const metadata = {
    ...src.metadata,
    kernelspec: KERNELSPEC,
    language_info: LANGUAGE_INFO,
    backprop_tutor: { assignment: a.assignment },
  };
  return { cells, metadata, nbformat: 4, nbformat_minor: 5 };
}
