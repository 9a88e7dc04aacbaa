// An assignment's declaration (`assignment.json`): the teacher's problem (a network spec and/or a
// graph of assignments), how each student's numbers are drawn, and the questions asked (which
// quantities, at what precision, for how many points). The notebook's statement, the variants and
// the key are all made from it, so what students read and what they are graded on cannot disagree.
import { readFile } from "node:fs/promises";
import { TutorError } from "../engine/errors.js";
import { CLASSIC_NAMES } from "./classic-names.js";

/** A number drawn uniformly from `from`, `from + step`, … `to`. */
export interface Range {
  from: number;
  to: number;
  step: number;
  /** biases only: one bias per layer (the classic b1, b2) instead of one per unit */
  shared?: boolean;
}

/** A fixed number, a list of choices (one is picked), or a range. */
export type Draw = number | number[] | Range;

/** A draw for every number of a field (one Draw), or one per element (nested arrays shaped like the field). */
export type DrawTree = Draw | DrawTree[];

export interface NetworkDeclaration {
  /** any spec fields the engine takes (layers, activations, loss, updateBiases, names, …); drawn fields are filled in */
  spec: Record<string, unknown>;
  /** how the numbers are drawn; a field given in `spec` and not here is the same for everyone */
  draw: {
    weights?: DrawTree;
    biases?: DrawTree;
    input?: DrawTree;
    /** "one-hot": a target with one 1 (softmax + cross-entropy) */
    target?: DrawTree | "one-hot";
    learningRate?: Draw;
  };
  /** the decimal places every written-down number keeps (default 4) */
  decimals: number;
}

export interface GraphDeclaration {
  /** in order, the last defines the output: ["s = w*x + b", "p = sigmoid(s)", "L = (p - t)^2"] */
  assignments: string[];
  /** one draw per input of the graph */
  draw: Record<string, Draw>;
  decimals: number;
}

export interface Question {
  id: string;
  part: "network" | "graph";
  points: number;
  quantities: string[];
  hidden?: boolean;
  /** decimal places asked (default: the part's) */
  decimals?: number;
}

export interface AssignmentDeclaration {
  assignment: string;
  title: string;
  /** an optional paragraph of the teacher's own, shown under the title */
  intro?: string;
  network?: NetworkDeclaration;
  graph?: GraphDeclaration;
  questions: Question[];
}

/** The problem a variant is drawn from: the declaration without its prose. */
export type Problem = Pick<AssignmentDeclaration, "network" | "graph" | "questions">;

const fail = (where: string, problem: string, hint: string) => new TutorError(where, problem, hint, "exercise");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function readDraw(v: unknown, where: string): Draw {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number" && Number.isFinite(x)))
    return v as number[];
  if (isObject(v)) {
    const { from, to, step, shared } = v;
    const known = new Set(["from", "to", "step", "shared"]);
    const extra = Object.keys(v).find((k) => !known.has(k));
    if (extra)
      throw fail(where, `has an unknown field "${extra}"`, 'a range is {"from": 0.1, "to": 0.9, "step": 0.05}');
    if (typeof from !== "number" || typeof to !== "number" || typeof step !== "number" || !(step > 0) || !(to >= from))
      throw fail(where, "is not a range", 'write {"from": 0.1, "to": 0.9, "step": 0.05} with from ≤ to and step > 0');
    return { from, to, step, ...(shared === true ? { shared } : {}) };
  }
  throw fail(
    where,
    `is not a draw: ${JSON.stringify(v)}`,
    'give a number, a list of choices [0.25, 0.5] or a range {"from": 0.1, "to": 0.9, "step": 0.05}',
  );
}

/** A Draw, or nested arrays of them (one per element of the field). */
function readDrawTree(v: unknown, where: string): DrawTree {
  // a list of numbers is a list of choices; a list holding a list or a range is per element
  if (Array.isArray(v) && v.some((x) => typeof x !== "number"))
    return v.map((x, i) => readDrawTree(x, `${where}[${i}]`));
  return readDraw(v, where);
}

function readDecimals(v: unknown, where: string): number {
  if (v === undefined) return 4;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 12)
    throw fail(
      where,
      `must be a whole number of decimal places (0 to 12), got ${JSON.stringify(v)}`,
      'e.g. "decimals": 4',
    );
  return v as number;
}

function readNetwork(v: unknown): NetworkDeclaration {
  if (!isObject(v)) throw fail("network", "is not an object", 'write {"spec": {...}, "draw": {...}, "decimals": 4}');
  if (!isObject(v.spec))
    throw fail("network.spec", "is missing", "give the fixed fields of the network spec: layers, activations, loss …");
  const draw = v.draw === undefined ? {} : v.draw;
  if (!isObject(draw))
    throw fail("network.draw", "is not an object", 'e.g. {"weights": {"from": 0.1, "to": 0.9, "step": 0.05}}');
  const fields = ["weights", "biases", "input", "target", "learningRate"] as const;
  const extra = Object.keys(draw).find((k) => !(fields as readonly string[]).includes(k));
  if (extra)
    throw fail(
      `network.draw.${extra}`,
      "is not a field that can be drawn",
      `draw one of ${fields.join(", ")}; fix other fields in network.spec`,
    );
  const out: NetworkDeclaration["draw"] = {};
  if (draw.weights !== undefined) out.weights = readDrawTree(draw.weights, "network.draw.weights");
  if (draw.biases !== undefined) out.biases = readDrawTree(draw.biases, "network.draw.biases");
  if (draw.input !== undefined) out.input = readDrawTree(draw.input, "network.draw.input");
  if (draw.target !== undefined)
    out.target = draw.target === "one-hot" ? "one-hot" : readDrawTree(draw.target, "network.draw.target");
  if (draw.learningRate !== undefined) out.learningRate = readDraw(draw.learningRate, "network.draw.learningRate");
  for (const f of fields)
    if (out[f] === undefined && v.spec[f] === undefined)
      throw fail(`network`, `has no ${f}`, `draw it in network.draw.${f} or fix it in network.spec.${f}`);
  return { spec: v.spec, draw: out, decimals: readDecimals(v.decimals, "network.decimals") };
}

function readGraph(v: unknown): GraphDeclaration {
  if (!isObject(v))
    throw fail("graph", "is not an object", 'write {"assignments": ["q = x + y", "f = q * z"], "draw": {...}}');
  const { assignments, draw } = v;
  if (
    !Array.isArray(assignments) ||
    assignments.length === 0 ||
    !assignments.every((a) => typeof a === "string" && a.includes("="))
  )
    throw fail(
      "graph.assignments",
      "must be a list of assignments",
      'e.g. ["s = w*x + b", "p = sigmoid(s)", "L = (p - t)^2"]',
    );
  if (!isObject(draw) || Object.keys(draw).length === 0)
    throw fail(
      "graph.draw",
      "must give every input a draw",
      'e.g. {"x": {"from": -2, "to": 2, "step": 0.5}, "t": [0, 1]}',
    );
  const draws = Object.fromEntries(Object.entries(draw).map(([k, d]) => [k, readDraw(d, `graph.draw.${k}`)]));
  return { assignments: assignments as string[], draw: draws, decimals: readDecimals(v.decimals, "graph.decimals") };
}

function readQuestion(v: unknown, i: number, parts: Set<string>): Question {
  const where = `questions[${i}]`;
  if (!isObject(v))
    throw fail(
      where,
      "is not an object",
      'write {"id": "forward", "part": "network", "points": 3, "quantities": ["z_h1"]}',
    );
  const { id, part, points, quantities, hidden, decimals } = v;
  if (typeof id !== "string" || !/^[A-Za-z][\w-]*$/.test(id))
    throw fail(where, "has no id (letters, digits, - and _)", 'e.g. "id": "forward"');
  if (part !== "network" && part !== "graph")
    throw fail(`question "${id}"`, `has part ${JSON.stringify(part)}`, 'set "part" to "network" or "graph"');
  if (!parts.has(part))
    throw fail(
      `question "${id}"`,
      `asks about the ${part}, which the assignment does not declare`,
      `add "${part}" to the assignment or change the part`,
    );
  if (typeof points !== "number" || !(points > 0))
    throw fail(`question "${id}"`, "has no positive points", 'e.g. "points": 3');
  if (
    !Array.isArray(quantities) ||
    quantities.length === 0 ||
    !quantities.every((q) => typeof q === "string" && q.trim() !== "")
  )
    throw fail(`question "${id}"`, "asks for no quantities", 'list them, e.g. "quantities": ["z_h1", "a_h1"]');
  return {
    id,
    part,
    points,
    quantities: quantities as string[],
    ...(hidden === true ? { hidden: true } : {}),
    ...(decimals !== undefined ? { decimals: readDecimals(decimals, `question "${id}".decimals`) } : {}),
  };
}

/** Checks the declaration's shape; the problem's own checks (keys, draws) are made when variants are drawn. */
export function parseDeclaration(json: unknown, fallbackName: string): AssignmentDeclaration {
  if (!isObject(json))
    throw fail("assignment.json", "is not a JSON object", "see docs/exercises.md, “Writing an assignment”");
  const known = new Set(["assignment", "title", "intro", "network", "graph", "questions"]);
  const extra = Object.keys(json).find((k) => !known.has(k));
  if (extra)
    throw fail(`assignment.json: "${extra}"`, "is not a field of an assignment", `use ${[...known].join(", ")}`);
  const assignment = json.assignment === undefined ? fallbackName : json.assignment;
  if (typeof assignment !== "string" || !/^[A-Za-z0-9][\w.-]*$/.test(assignment))
    throw fail("assignment", "must be a name of letters, digits, . _ -", 'e.g. "assignment": "backprop-2"');
  if (typeof json.title !== "string" || !json.title.trim())
    throw fail("title", "is missing", 'e.g. "title": "One training step of a 2-3-2 network"');
  if (json.intro !== undefined && typeof json.intro !== "string")
    throw fail("intro", "must be text (Markdown)", "or leave it out");
  const network = json.network === undefined ? undefined : readNetwork(json.network);
  const graph = json.graph === undefined ? undefined : readGraph(json.graph);
  if (!network && !graph)
    throw fail("assignment.json", "declares neither a network nor a graph", 'add "network" or "graph" (or both)');
  const parts = new Set([...(network ? ["network"] : []), ...(graph ? ["graph"] : [])]);
  if (!Array.isArray(json.questions) || json.questions.length === 0)
    throw fail("questions", "is empty", "ask at least one question");
  const questions = json.questions.map((q, i) => readQuestion(q, i, parts));
  const ids = new Set<string>();
  for (const q of questions) {
    if (ids.has(q.id)) throw fail(`question "${q.id}"`, "repeats an id", "give every question its own id");
    ids.add(q.id);
  }
  return {
    assignment,
    title: json.title,
    ...(json.intro ? { intro: json.intro } : {}),
    ...(network ? { network } : {}),
    ...(graph ? { graph } : {}),
    questions,
  };
}

export async function readDeclaration(
  path: string,
  fallbackName: string,
): Promise<{ declaration: AssignmentDeclaration; text: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(
      path,
      `cannot read the assignment${code === "ENOENT" ? " (missing file)" : ""}`,
      "give an assignment folder holding assignment.json, or a source notebook",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw fail(path, `is not valid JSON (${(e as Error).message})`, "check the commas and quotes");
  }
  return { declaration: parseDeclaration(json, fallbackName), text };
}

/** The classic problem: the 2-2-2 sigmoid network of the lecture and q = x + y, f = q·z (a source notebook that declares nothing gets it). */
export const CLASSIC: Pick<AssignmentDeclaration, "network" | "graph"> = {
  network: {
    spec: {
      layers: [2, 2, 2],
      activations: ["sigmoid", "sigmoid"],
      loss: "half_sse",
      updateBiases: false,
      names: CLASSIC_NAMES,
    },
    draw: {
      weights: { from: 0.1, to: 0.9, step: 0.05 },
      biases: { from: 0.2, to: 0.7, step: 0.05, shared: true },
      input: { from: 0.05, to: 0.95, step: 0.05 },
      target: [
        { from: 0.01, to: 0.2, step: 0.01 },
        { from: 0.8, to: 0.99, step: 0.01 },
      ],
      learningRate: [0.25, 0.5, 0.75, 1],
    },
    decimals: 4,
  },
  graph: {
    assignments: ["q = x + y", "f = q * z"],
    draw: { x: { from: -6, to: 6, step: 1 }, y: { from: -6, to: 6, step: 1 }, z: { from: -6, to: 6, step: 1 } },
    decimals: 4,
  },
};
