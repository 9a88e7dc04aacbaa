// `assign`: one student notebook per roster row and the teacher's key for all of them.
//
//   OUT/release/<id>/<assignment>.ipynb   hand these out
//   OUT/key/key.json                      the key: variants, released and hidden tests (grading reads it)
//   OUT/key/answers.csv                   the key for people: student, quantity, value
//   OUT/key/secret.txt                    only when no secret was given (one is generated)
//
// Keep OUT/key away from students: it is never copied into a kernel's reach by the grader.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, join } from "node:path";
import { TutorError } from "../engine/errors.js";
import { readNotebook, serialiseNotebook, sha256, sourceHash, metaOf } from "./notebook.js";
import { readRoster, csvField, type Student } from "./roster.js";
import { readAuthoring, releasedTests, studentNotebook, paramsSource, type ReleasedTest } from "./source.js";
import { drawVariant, type VariantParams } from "./variant.js";
import { keyValues } from "./checking.js";

export const KEY_VERSION = 1;

export interface StudentKey {
  id: string;
  name: string;
  params: VariantParams;
  /** hash of the params cell as released, to tell the teacher when a student edited it */
  paramsHash: string;
  /** graded quantities: network at 4 dp (the hand-calculation chain), graph exact */
  answers: Record<string, string>;
}

export interface AnswerKey {
  version: typeof KEY_VERSION;
  assignment: string;
  /** the released notebook's file name, e.g. backprop-1.ipynb */
  notebookName: string;
  sourceHash: string;
  /** sha256 of the secret, so a re-run with a different secret is noticed; not the secret */
  secretFingerprint: string;
  tests: ReleasedTest[];
  paramsCellId: string;
  students: StudentKey[];
}

export interface AssignOptions {
  source: string;
  roster: string;
  out: string;
  /** the assignment secret; without it one is generated and written to OUT/key/secret.txt */
  secret?: string;
}

export interface AssignResult {
  key: AnswerKey;
  keyPath: string;
  notebooks: string[];
  generatedSecret: boolean;
}

export async function assign(opts: AssignOptions): Promise<AssignResult> {
  const roster: Student[] = await readRoster(opts.roster);
  if (roster.length === 0) throw new TutorError(opts.roster, "the roster has no students", "add one row per student", "exercise");
  const src = await readNotebook(opts.source, "source notebook");
  const authoring = readAuthoring(src, basename(opts.source).replace(/\.ipynb$/, ""));
  const generatedSecret = opts.secret === undefined;
  const secret = opts.secret ?? randomBytes(24).toString("base64url");
  const paramsCell = src.cells.find((c) => metaOf(c)?.kind === "params")!;
  const notebookName = `${authoring.assignment}.ipynb`;
  const keyDir = join(opts.out, "key");
  await mkdir(keyDir, { recursive: true });
  const students: StudentKey[] = [];
  const notebooks: string[] = [];
  const csv = ["student,quantity,value"];
  for (const s of roster) {
    const params = drawVariant(secret, authoring.assignment, s.id);
    const nb = studentNotebook(src, authoring, params);
    const dir = join(opts.out, "release", s.id);
    await mkdir(dir, { recursive: true });
    const path = join(dir, notebookName);
    await writeFile(path, serialiseNotebook(nb));
    notebooks.push(path);
    const all = keyValues(params.network, params.graph);
    const answers: Record<string, string> = {};
    for (const t of authoring.tests) for (const q of t.quantities) {
      const v = t.part === "network" ? all.network[q] : all.graph[q];
      if (v === undefined) throw new TutorError(`test "${t.id}"`, `grades ${q}, which the ${t.part} question does not have`, t.part === "network" ? "use keys such as z_h1, a_o1, E_total, dE/dw5, w5+" : "use the names of the assignments (q, f) and df/dx", "exercise");
      answers[q] = v;
      csv.push([s.id, q, v].map(csvField).join(","));
    }
    students.push({ id: s.id, name: s.name, params, paramsHash: sourceHash(paramsSource(params)), answers });
  }
  const key: AnswerKey = {
    version: KEY_VERSION,
    assignment: authoring.assignment,
    notebookName,
    sourceHash: sha256(await readFile(opts.source)),
    secretFingerprint: sha256(`backprop-tutor:${secret}`),
    tests: releasedTests(authoring),
    paramsCellId: metaOf(paramsCell)!.id,
    students,
  };
  const keyPath = join(keyDir, "key.json");
  await writeFile(keyPath, JSON.stringify(key, null, 1) + "\n", { mode: 0o600 });
  await writeFile(join(keyDir, "answers.csv"), csv.join("\n") + "\n", { mode: 0o600 });
  if (generatedSecret) await writeFile(join(keyDir, "secret.txt"), secret + "\n", { mode: 0o600 });
  return { key, keyPath, notebooks, generatedSecret };
}

export async function readKey(path: string): Promise<AnswerKey> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new TutorError(path, "cannot read the answer key (missing file)", "pass --key OUT/key/key.json as written by assign", "exercise");
  }
  let key: AnswerKey;
  try {
    key = JSON.parse(text) as AnswerKey;
  } catch (e) {
    throw new TutorError(path, `the answer key is not valid JSON (${(e as Error).message})`, "run assign again with the same roster and secret", "exercise");
  }
  if (key.version !== KEY_VERSION || !Array.isArray(key.students) || !Array.isArray(key.tests)) throw new TutorError(path, "is not an answer key of this version", "run assign again with the same roster and secret", "exercise");
  return key;
}
