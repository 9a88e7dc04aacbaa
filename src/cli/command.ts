// The command registry's contract. Every subcommand of `backprop-tutor` is one object of type
// Command, listed in ./commands/index.ts. program.ts finds the command, parses the options it
// declares (Node's util.parseArgs), shows --help, calls run(), and turns a thrown error into one
// line on stderr and an exit code:
//
//   0  done
//   1  the input is wrong: an unreadable or invalid file, a spec field, an expression, NaN/Infinity
//      in training, a wrong answer in check (any TutorError whose kind is not "usage")
//   2  the command line is wrong: unknown command or option, missing argument, bad option value
//      (a TutorError of kind "usage"; throw it with usageError())
//   3  an internal error (a bug): everything that is not a TutorError
//
// A command returns its own exit code (e.g. check returns 1 when an answer is wrong).
import { parseArgs } from "node:util";
import { TutorError } from "../engine/errors.js";
import { didYouMean } from "../engine/suggest.js";

/** An option a command accepts, written `--name VALUE` / `--name=VALUE`, or `--name` for a switch. */
export interface OptionSpec {
  /** placeholder for the value in help, e.g. "N" or "float|exact|dp:N"; absent for a switch */
  value?: string;
  /** one line for --help */
  help: string;
}

export interface ParsedArgs {
  /** the arguments that are not options, in order */
  positionals: string[];
  /** options that take a value, by name without the dashes (the last one given wins) */
  values: Record<string, string>;
  /** switches given, by name without the dashes */
  switches: Set<string>;
  /** -h or --help was given (it wins over any other mistake on the line) */
  help: boolean;
  debug: boolean;
}

/** Where a command writes. Output goes through here so that tests can capture it. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** show progress on stderr only when this is true */
  stderrIsTTY: boolean;
  /** standard output is a terminal: `check` prints plain symbols rather than Markdown (absent: false) */
  stdoutIsTTY?: boolean;
}

export interface Command {
  /** the subcommand, e.g. "trace" */
  name: string;
  /** one line for `backprop-tutor --help` */
  summary: string;
  /** the synopsis without "usage: ", e.g. "backprop-tutor trace SPEC.json [options]" */
  usage: string;
  /** options besides --help and --debug (which every command has) */
  options: Record<string, OptionSpec>;
  /** further help text after the options (examples, notes); optional */
  details?: string;
  /** what exit codes 0 and 1 mean for this command, where it says more than EXIT_CODES */
  exitCodes?: ExitCodes;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

export type ExitCodes = Partial<Record<0 | 1 | 2 | 3, string>>;

/** The exit codes of every command; a command may say more about 0 and 1 (Command.exitCodes). */
export const EXIT_CODES: Required<ExitCodes> = {
  0: "done",
  1: "the input is wrong: a file cannot be read or is invalid, or a spec field, expression or value is wrong (one line on stderr says where)",
  2: "the command line is wrong: unknown command or option, missing argument or value, bad option value",
  3: "an internal error (a bug in backprop-tutor)",
};

/** A command-line mistake: exit code 2. `where` names the option or argument, e.g. "--epochs". */
export function usageError(where: string, problem: string, hint: string): TutorError {
  return new TutorError(where, problem, hint, "usage");
}

/** The help text of one command. */
export function commandHelp(c: Command): string {
  const rows: [string, string][] = Object.entries(c.options).map(([name, o]) => [
    `--${name}${o.value ? ` ${o.value}` : ""}`,
    o.help,
  ]);
  rows.push(["--debug", "show the stack trace of an error"], ["-h, --help", "show this help"]);
  const width = Math.max(...rows.map(([l]) => l.length));
  const lines = [
    `usage: ${c.usage}`,
    "",
    c.summary,
    "",
    "options:",
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`),
  ];
  if (c.details) lines.push("", c.details.trimEnd());
  const codes = { ...EXIT_CODES, ...c.exitCodes };
  lines.push("", "exit codes:", ...([0, 1, 2, 3] as const).map((code) => `  ${code}  ${codes[code]}`));
  return lines.join("\n") + "\n";
}

/** An argument such as `-2` or `-x*2` (a value or an expression) is a positional, not a group of short options. */
const looksLikeShortOption = (arg: string) => /^-[A-Za-z]+$/.test(arg);

/**
 * Parse a command's arguments against its declared options with util.parseArgs. `--name=value`
 * and `--name value` both work; `--` ends the options. parseArgs runs non-strict so that each
 * mistake can be reported here as one line naming the option, in the words of the other errors.
 */
export function parseCommandArgs(c: Command, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries([
    ["help", { type: "boolean", short: "h" }],
    ["debug", { type: "boolean" }],
    ...Object.entries(c.options).map(
      ([name, o]) => [name, { type: o.value === undefined ? "boolean" : "string" }] as const,
    ),
  ]) as Record<string, { type: "boolean" | "string"; short?: string }>;
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const out: ParsedArgs = { positionals: [], values: {}, switches: new Set(), help: false, debug: false };
  const positionalAt = new Map<number, string>(); // by index in argv, so that `-2` keeps its place
  const more = `run "backprop-tutor ${c.name} --help" for the options`;
  const mistakes: TutorError[] = [];
  for (const t of tokens) {
    if (t.kind === "positional") positionalAt.set(t.index, t.value);
    if (t.kind !== "option") continue;
    if (t.rawName.length === 2 && !looksLikeShortOption(argv[t.index])) {
      positionalAt.set(t.index, argv[t.index]);
      continue;
    }
    if (t.name === "help") out.help = true;
    else if (t.name === "debug") out.debug = true;
    const spec: OptionSpec | undefined =
      t.name === "help" || t.name === "debug"
        ? { help: "" }
        : Object.hasOwn(c.options, t.name)
          ? c.options[t.name]
          : undefined;
    if (!spec)
      mistakes.push(usageError(c.name, `unknown option ${t.rawName.length === 2 ? argv[t.index] : t.rawName}`, more));
    else if (spec.value === undefined) {
      if (t.inlineValue) mistakes.push(usageError(t.rawName, "takes no value", `write just ${t.rawName}`));
      else out.switches.add(t.name);
    } else if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--"))) {
      mistakes.push(usageError(t.rawName, "is missing its value", `write ${t.rawName} ${spec.value}`));
    } else out.values[t.name] = t.value;
  }
  if (mistakes.length > 0 && !out.help) throw mistakes[0];
  out.positionals = [...positionalAt.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
  return out;
}

/** One of `allowed`, or a usage error naming the option. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = args.values[name];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw usageError(`--${name}`, `unknown value "${v}"${didYouMean(v, allowed)}`, `use one of ${allowed.join(", ")}`);
  return v as T;
}

/** A whole number ≥ min from an option, or a usage error naming the option. */
export function wholeNumber(args: ParsedArgs, name: string, min: number, example: string): number | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(Number(v)) || Number(v) < min) {
    throw usageError(`--${name}`, `expected a whole number ≥ ${min}, got "${v}"`, `e.g. --${name} ${example}`);
  }
  return Number(v);
}

/** The usage line with the options abbreviated: "backprop-tutor trace SPEC.json [options]". */
export function shortUsage(c: Command): string {
  const i = c.usage.indexOf(" [--");
  return i < 0 ? c.usage : `${c.usage.slice(0, i)} [options]`;
}

/** Exactly `count` positionals (named in `what`), or a usage error. */
export function expectPositionals(c: Command, args: ParsedArgs, what: string[]): string[] {
  const got = args.positionals;
  if (got.length < what.length)
    throw usageError(c.name, `missing ${what.slice(got.length).join(" and ")}`, `write ${shortUsage(c)}`);
  if (got.length > what.length)
    throw usageError(c.name, `unexpected argument "${got[what.length]}"`, `write ${shortUsage(c)}`);
  return got;
}
