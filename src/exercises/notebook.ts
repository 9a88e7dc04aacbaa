// Notebooks as the exercise tools see them: nbformat 4 JSON with our cell metadata
// (`metadata.backprop_tutor`, modelled on nbgrader's `metadata.nbgrader`).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";

export type CellKind = "params" | "answer" | "solution" | "test";
export type Part = "network" | "graph";

/** Metadata of an exercise cell. Test cells also say what they grade and how much it is worth. */
export interface ExerciseCellMeta {
  kind: CellKind;
  id: string;
  /** tests: points for the test; spread evenly over its quantities */
  points?: number;
  /** tests: removed from the student version, restored at grading */
  hidden?: boolean;
  /** tests: which part of the exercise the quantities belong to */
  part?: Part;
  /** tests: the keys of the quantities graded (z_h1, dE/dw5, w5+, df/dx ...) */
  quantities?: string[];
  /** tests: the decimal places asked (default: the part's, 4) */
  decimals?: number;
  /** solution/answer cells: what replaces a solution region (default: see source.ts) */
  stub?: string;
}

export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  metadata: Record<string, unknown> & { backprop_tutor?: ExerciseCellMeta };
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export { KERNELSPEC, LANGUAGE_INFO } from "./notebook-kernel.js";

export function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** nbformat's list-of-lines form, each line but the last ending in "\n". */
export function toLines(text: string): string[] {
  return text.split("\n").map((l, i, all) => (i < all.length - 1 ? l + "\n" : l));
}

/**
 * A cell's fingerprint: its source with line endings and trailing blanks normalised, so that a
 * notebook saved on Windows or by a different front end does not count as an edited test.
 */
export function sourceHash(source: string): string {
  const norm = source
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .trim();
  return createHash("sha256").update(norm).digest("hex");
}

export function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

export function metaOf(cell: Cell): ExerciseCellMeta | undefined {
  const m = cell.metadata?.backprop_tutor;
  return m && typeof m === "object" && typeof m.kind === "string" ? m : undefined;
}

/** Structural check of parsed JSON: enough to execute and grade it, with a reason otherwise. */
export function asNotebook(json: unknown, where: string): Notebook {
  const bad = (problem: string) =>
    new TutorError(where, problem, "submit the .ipynb file saved by JupyterLab", "exercise");
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw bad("is not a notebook (not a JSON object)");
  const nb = json as Partial<Notebook>;
  if (!Array.isArray(nb.cells)) throw bad("is not a notebook (no cells)");
  if (nb.nbformat !== 4) throw bad(`has nbformat ${String(nb.nbformat)}, expected 4`);
  for (const [i, c] of nb.cells.entries()) {
    if (typeof c !== "object" || c === null) throw bad(`cell ${i} is not an object`);
    if (c.cell_type !== "code" && c.cell_type !== "markdown" && c.cell_type !== "raw")
      throw bad(`cell ${i} has an unknown type`);
    if (typeof c.source !== "string" && !(Array.isArray(c.source) && c.source.every((l) => typeof l === "string")))
      throw bad(`cell ${i} has no readable source`);
    if (typeof c.metadata !== "object" || c.metadata === null) c.metadata = {};
  }
  return { cells: nb.cells, metadata: nb.metadata ?? {}, nbformat: 4, nbformat_minor: nb.nbformat_minor ?? 5 };
}

/** Reads and checks a notebook; TutorError "missing file" / "not valid JSON" / "not a notebook". */
export async function readNotebook(path: string, what = "notebook"): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TutorError(
      path,
      `cannot read the ${what}${code === "ENOENT" ? " (missing file)" : code ? ` (${code})` : ""}`,
      "check the path",
      "exercise",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TutorError(
      path,
      `the ${what} is not valid JSON (${(e as Error).message})`,
      "open and save it again in JupyterLab",
      "exercise",
    );
  }
  return asNotebook(json, path);
}

export function codeCell(source: string, meta?: ExerciseCellMeta, id?: string): Cell {
  const cell: Cell = {
    cell_type: "code",
    execution_count: null,
    metadata: meta ? { backprop_tutor: meta } : {},
    outputs: [],
    source: toLines(source),
  };
  if (id) cell.id = id;
  return cell;
}

export function serialiseNotebook(nb: Notebook): string {
  return JSON.stringify(nb, null, 1) + "\n";
}
