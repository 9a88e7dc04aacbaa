// `assign`: one student notebook per roster row and the teacher's key for all of them.
//
//   OUT/release/<id>/<assignment>.ipynb   hand these out
//   OUT/key/key.json                      the key: variants, released and hidden tests (grading reads it)
//   OUT/key/answers.csv                   the key for people: student, quantity, value
//   OUT/key/secret.txt                    only when no secret was given (one is generated)
//
// Keep OUT/key away from students: it is written 0600 in a 0700 folder, and the grader never
// copies it into a kernel's reach. An existing key is replaced only when that changes nothing
// (same secret, source and students) or with --force, since students already hold notebooks
// with its numbers.
import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { TutorError } from "../engine/errors.js";
import { closest } from "../engine/suggest.js";
import { readNotebook, serialiseNotebook, sha256, sourceHash, metaOf, type Notebook } from "./notebook.js";
import { readRoster, csvField, type LmsIdentity, type Student } from "./roster.js";
import {
  readAuthoring,
  releasedTests,
  studentNotebook,
  paramsSource,
  type Authoring,
  type ReleasedTest,
} from "./source.js";
import { askedOf, CLASSIC_PROBLEM, drawVariant, type VariantParams } from "./variant.js";
import { readDeclaration, type Problem } from "./declaration.js";
import { declaredSource } from "./statement.js";
import { keyValues, problemKeys } from "./checking.js";

export const KEY_VERSION = 1;

export interface StudentKey {
  id: string;
  name: string;
  /** how the student's LMS knows them (a Canvas or Moodle roster's ids, section, email), for the gradebook files */
  lms?: LmsIdentity;
  params: VariantParams;
  /** hash of the params cell as released, to tell the teacher when a student edited it */
  paramsHash: string;
  /** graded quantities: network on the hand-calculation chain at the decimals asked, graph exact or rounded to them */
  answers: Record<string, string>;
  /** the decimal places of each part's worked solution */
  decimals?: { network?: number; graph?: number };
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
  /** replace an existing OUT/key even though its numbers would change (the old one is moved aside) */
  force?: boolean;
}

export interface AssignResult {
  key: AnswerKey;
  keyPath: string;
  notebooks: string[];
  generatedSecret: boolean;
  /** where --force moved the earlier key, if it did */
  replaced?: string;
  /** what the teacher should know, e.g. that a source notebook declared no problem of its own */
  notes: string[];
}

/** What assign works from: the notebook to release, the problem its numbers are drawn from, and the bytes that identify it. */
interface Source {
  notebook: Notebook;
  authoring: Authoring;
  problem: Problem;
  hash: string;
  notes: string[];
}

/** An assignment folder (its assignment.json, else its source.ipynb), an assignment.json, or a source notebook. */
async function readSource(path: string): Promise<Source> {
  const isDir = existsSync(path) && statSync(path).isDirectory();
  const file = isDir
    ? existsSync(join(path, "assignment.json"))
      ? join(path, "assignment.json")
      : join(path, "source.ipynb")
    : path;
  if (file.endsWith(".json")) {
    const { declaration, text } = await readDeclaration(file, basename(isDir ? path : dirname(file)));
    const problem: Problem = {
      network: declaration.network,
      graph: declaration.graph,
      questions: declaration.questions,
    };
    // the statement uses the shape and names of the problem, never a student's numbers
    const notebook = declaredSource(declaration, drawVariant("statement", declaration.assignment, "", problem));
    return {
      notebook,
      authoring: readAuthoring(notebook, declaration.assignment),
      problem,
      hash: sha256(text),
      notes: [],
    };
  }
  const notebook = await readNotebook(file, "source notebook");
  const authoring = readAuthoring(notebook, basename(file).replace(/\.ipynb$/, ""));
  const notes = [
    `${file} declares no problem of its own: every student gets the classic 2-2-2 sigmoid network and q = x + y, f = q·z, whatever its prose says (an assignment.json declares your own; see docs/exercises.md)`,
  ];
  return {
    notebook,
    authoring,
    problem: { ...CLASSIC_PROBLEM, questions: authoring.tests },
    hash: sha256(await readFile(file)),
    notes,
  };
}

/** Refuses a question whose quantity the problem does not have, listing the keys it has. */
function checkAskedKeys(problem: Problem, params: VariantParams): void {
  const keys = problemKeys(params);
  for (const q of problem.questions)
    for (const k of q.quantities) {
      const have = keys[q.part];
      if (have.includes(k)) continue;
      const near = closest(k, have);
      throw new TutorError(
        `question "${q.id}"`,
        `asks for ${k}, which the ${q.part} does not have${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}`,
        `its keys are: ${have.join(", ")}`,
        "exercise",
      );
    }
}

const fingerprint = (secret: string) => sha256(`backprop-tutor:${secret}`);

/** Why writing a new key into `keyDir` would change what students already have, or null if it would not. */
async function keyConflict(
  keyDir: string,
  secret: string | undefined,
  sourceHash: string,
  roster: readonly Student[],
): Promise<string | null> {
  const keyPath = join(keyDir, "key.json");
  if (!existsSync(keyPath))
    return existsSync(join(keyDir, "secret.txt")) ? `${keyDir} already holds a secret.txt` : null;
  let old: AnswerKey;
  try {
    old = await readKey(keyPath);
  } catch {
    return `${keyPath} exists and cannot be read as a key`;
  }
  if (secret === undefined)
    return `${keyPath} exists; without --secret a new secret would give every student new numbers`;
  if (old.secretFingerprint !== fingerprint(secret))
    return `${keyPath} was made with a different secret; every student would get new numbers`;
  if (old.sourceHash !== sourceHash) return `${keyPath} was made from a different version of the source notebook`;
  const gone = old.students.filter((s) => !roster.some((r) => r.id === s.id)).map((s) => s.id);
  if (gone.length) return `${keyPath} has students the roster no longer lists (${gone.join(", ")})`;
  return null;
}

export async function assign(opts: AssignOptions): Promise<AssignResult> {
  const roster: Student[] = await readRoster(opts.roster);
  if (roster.length === 0)
    throw new TutorError(opts.roster, "the roster has no students", "add one row per student", "exercise");
  const { notebook: src, authoring, problem, hash: srcHash, notes } = await readSource(opts.source);
  const asked = { network: askedOf(problem, "network"), graph: askedOf(problem, "graph") };
  const decimals = {
    ...(problem.network ? { network: problem.network.decimals } : {}),
    ...(problem.graph ? { graph: problem.graph.decimals } : {}),
  };
  const generatedSecret = opts.secret === undefined;
  const secret = opts.secret ?? randomBytes(24).toString("base64url");
  const paramsCell = src.cells.find((c) => metaOf(c)?.kind === "params")!;
  const notebookName = `${authoring.assignment}.ipynb`;
  const keyDir = join(opts.out, "key");
  const conflict = await keyConflict(keyDir, opts.secret, srcHash, roster);
  let replaced: string | undefined;
  if (conflict && !opts.force) {
    throw new TutorError(
      opts.out,
      `not replacing the answer key: ${conflict}`,
      `students may already have these notebooks: to reproduce the release pass ${existsSync(join(keyDir, "secret.txt")) ? `--secret-file ${join(keyDir, "secret.txt")}` : "the --secret used then"}, use another --out, or pass --force to replace it (the old key is kept)`,
      "exercise",
    );
  }
  if (conflict) {
    replaced = join(keyDir, `replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`);
    await mkdir(replaced, { recursive: true, mode: 0o700 });
    for (const f of ["key.json", "answers.csv", "secret.txt"])
      if (existsSync(join(keyDir, f))) await rename(join(keyDir, f), join(replaced, f));
  }
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  // only the teacher: the grading sandbox relies on the key being unreadable to other users
  await chmod(keyDir, 0o700);
  const students: StudentKey[] = [];
  const notebooks: string[] = [];
  const csv = ["student,quantity,value"];
  for (const s of roster) {
    const params = drawVariant(secret, authoring.assignment, s.id, problem);
    if (students.length === 0) checkAskedKeys(problem, params);
    const nb = studentNotebook(src, authoring, params);
    const dir = join(opts.out, "release", s.id);
    await mkdir(dir, { recursive: true });
    const path = join(dir, notebookName);
    await writeFile(path, serialiseNotebook(nb));
    notebooks.push(path);
    const all = keyValues(params, asked);
    const answers: Record<string, string> = {};
    for (const t of authoring.tests)
      for (const q of t.quantities) {
        answers[q] = all[t.part][q];
        csv.push([s.id, q, answers[q]].map(csvField).join(","));
      }
    students.push({
      id: s.id,
      name: s.name,
      ...(s.lms ? { lms: s.lms } : {}),
      params,
      paramsHash: sourceHash(paramsSource(params)),
      answers,
      decimals,
    });
  }
  const key: AnswerKey = {
    version: KEY_VERSION,
    assignment: authoring.assignment,
    notebookName,
    sourceHash: srcHash,
    secretFingerprint: fingerprint(secret),
    tests: releasedTests(authoring),
    paramsCellId: metaOf(paramsCell)!.id,
    students,
  };
  const keyPath = join(keyDir, "key.json");
  // `mode` applies only when a file is created: an existing file keeps its mode unless chmod'ed
  const writePrivate = async (path: string, text: string) => {
    await writeFile(path, text, { mode: 0o600 });
    await chmod(path, 0o600);
  };
  await writePrivate(keyPath, JSON.stringify(key, null, 1) + "\n");
  await writePrivate(join(keyDir, "answers.csv"), csv.join("\n") + "\n");
  if (generatedSecret) await writePrivate(join(keyDir, "secret.txt"), secret + "\n");
  return { key, keyPath, notebooks, generatedSecret, notes, ...(replaced ? { replaced } : {}) };
}

export async function readKey(path: string): Promise<AnswerKey> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new TutorError(
      path,
      "cannot read the answer key (missing file)",
      "pass --key OUT/key/key.json as written by assign",
      "exercise",
    );
  }
  let key: AnswerKey;
  try {
    key = JSON.parse(text) as AnswerKey;
  } catch (e) {
    throw new TutorError(
      path,
      `the answer key is not valid JSON (${(e as Error).message})`,
      "run assign again with the same roster and secret",
      "exercise",
    );
  }
  if (key.version !== KEY_VERSION || !Array.isArray(key.students) || !Array.isArray(key.tests))
    throw new TutorError(
      path,
      "is not an answer key of this version",
      "run assign again with the same roster and secret",
      "exercise",
    );
  return key;
}
