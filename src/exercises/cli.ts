// The `assign` and `grade` commands, for the command registry in src/cli/commands/ to wire:
//
//   backprop-tutor assign SOURCE.ipynb --roster roster.csv --out DIR [--secret S | --secret-file F]
//   backprop-tutor grade SUBMISSIONS --key DIR/key/key.json --out DIR/graded [--jobs N] [--force]
//                        [--cell-timeout S] [--timeout S] [--max-output CHARS]
//
// Exit codes: 0 done; 1 grade ran but some submissions were stale (changed since graded; use
// --force); 2 the command could not run (usage, missing roster/key/folder, bad source notebook).
import { readFile } from "node:fs/promises";
import { isTutorError, TutorError } from "../engine/errors.js";
import { assign } from "./assign.js";
import { grade } from "./grade.js";
import type { CommandResult } from "../cli/command.js";

export type { CommandResult };

export const ASSIGN_USAGE = "usage: backprop-tutor assign SOURCE.ipynb --roster roster.csv --out DIR [--secret S | --secret-file FILE]";
export const GRADE_USAGE = "usage: backprop-tutor grade SUBMISSIONS --key DIR/key/key.json --out DIR/graded [--jobs N] [--force] [--cell-timeout S] [--timeout S] [--max-output CHARS]";

interface Parsed {
  positional: string[];
  flags: Map<string, string>;
  switches: Set<string>;
}

function parse(argv: readonly string[], withValue: readonly string[], switches: readonly string[], usage: string, command: string): Parsed {
  const out: Parsed = { positional: [], flags: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (switches.includes(flag)) out.switches.add(flag);
    else if (withValue.includes(flag)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new TutorError(command, `${flag} needs a value`, usage, "usage");
      out.flags.set(flag, v);
    } else if (a.startsWith("--")) throw new TutorError(command, `unknown option ${a}`, usage, "usage");
    else out.positional.push(a);
  }
  return out;
}

function need(p: Parsed, flag: string, command: string, usage: string): string {
  const v = p.flags.get(flag);
  if (!v) throw new TutorError(command, `${flag} is required`, usage, "usage");
  return v;
}

function positiveNumber(p: Parsed, flag: string, usage: string): number | undefined {
  const v = p.flags.get(flag);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new TutorError(flag, `must be a positive number, got ${JSON.stringify(v)}`, usage, "usage");
  return n;
}

export async function runAssign(argv: readonly string[]): Promise<CommandResult> {
  try {
    const p = parse(argv, ["--roster", "--out", "--secret", "--secret-file"], [], ASSIGN_USAGE, "assign");
    if (p.positional.length !== 1) throw new TutorError("assign", `expected one source notebook, got ${p.positional.length}`, ASSIGN_USAGE, "usage");
    let secret = p.flags.get("--secret");
    const secretFile = p.flags.get("--secret-file");
    if (secret && secretFile) throw new TutorError("assign", "give --secret or --secret-file, not both", ASSIGN_USAGE, "usage");
    if (secretFile) secret = (await readFile(secretFile, "utf8").catch(() => { throw new TutorError(secretFile, "cannot read the secret file", "check the path", "usage"); })).trim();
    const r = await assign({ source: p.positional[0], roster: need(p, "--roster", "assign", ASSIGN_USAGE), out: need(p, "--out", "assign", ASSIGN_USAGE), ...(secret ? { secret } : {}) });
    const lines = [`${r.notebooks.length} student notebooks written (${r.key.assignment}).`, `answer key: ${r.keyPath}`];
    if (r.generatedSecret) lines.push("no --secret given: a new secret was written next to the key (secret.txt); keep it to reproduce these variants.");
    return { code: 0, stdout: lines.join("\n") + "\n", stderr: "" };
  } catch (e) {
    if (isTutorError(e)) return { code: 2, stdout: "", stderr: e.message + "\n" };
    throw e;
  }
}

export async function runGrade(argv: readonly string[]): Promise<CommandResult> {
  try {
    const p = parse(argv, ["--key", "--out", "--jobs", "--cell-timeout", "--timeout", "--max-output"], ["--force", "--quiet"], GRADE_USAGE, "grade");
    if (p.positional.length !== 1) throw new TutorError("grade", `expected one submissions folder, got ${p.positional.length}`, GRADE_USAGE, "usage");
    const jobs = positiveNumber(p, "--jobs", GRADE_USAGE);
    if (jobs !== undefined && !Number.isInteger(jobs)) throw new TutorError("--jobs", "must be a whole number", GRADE_USAGE, "usage");
    const cell = positiveNumber(p, "--cell-timeout", GRADE_USAGE), total = positiveNumber(p, "--timeout", GRADE_USAGE), maxOut = positiveNumber(p, "--max-output", GRADE_USAGE);
    const s = await grade({
      submissions: p.positional[0],
      key: need(p, "--key", "grade", GRADE_USAGE),
      out: need(p, "--out", "grade", GRADE_USAGE),
      ...(jobs !== undefined ? { jobs } : {}),
      force: p.switches.has("--force"),
      progress: !p.switches.has("--quiet"),
      limits: { ...(cell ? { cellTimeoutSeconds: cell } : {}), ...(total ? { totalTimeoutSeconds: total } : {}), ...(maxOut ? { maxOutputChars: maxOut } : {}) },
    });
    const out = [`graded ${s.graded.length}, skipped ${s.skipped.length} (already graded; --force to re-grade).`, `grades: ${s.csvPath}`];
    const err = [
      ...s.stale.map((id) => `${id}: the submission changed since it was graded; not re-graded (use --force).`),
      ...s.history.map((h) => `kept the earlier result: ${h}`),
    ];
    return { code: s.stale.length ? 1 : 0, stdout: out.join("\n") + "\n", stderr: err.length ? err.join("\n") + "\n" : "" };
  } catch (e) {
    if (isTutorError(e)) return { code: 2, stdout: "", stderr: e.message + "\n" };
    throw e;
  }
}
