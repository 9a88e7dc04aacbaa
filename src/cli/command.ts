// The command registry's contract. Every subcommand of `backprop-tutor` is one object of type
// Command, listed in ./commands/index.ts. main.ts finds the command, handles --help, --version
// and --debug, parses the options the command declares, calls run(), and turns a thrown error
// into one line on stderr and an exit code:
//
//   0  done
//   1  the input is wrong: an unreadable or invalid file, a spec field, an expression, NaN/Infinity
//      in training (any TutorError whose kind is not "usage")
//   2  the command line is wrong: unknown command or option, missing argument, bad option value
//      (a TutorError of kind "usage"; throw it with usageError())
//   3  an internal error (a bug): everything that is not a TutorError
//
// A command returns its own exit code (e.g. check returns 1 when an answer is wrong).
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
  /** the arguments after the command name, untouched except that --debug is removed */
  argv: string[];
  debug: boolean;
}

/** Where a command writes. Output goes through here so that tests can capture it. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** show progress on stderr only when this is true */
  stderrIsTTY: boolean;
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
  /** further help text after the options (examples, exit codes); optional */
  details?: string;
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** A command-line mistake: exit code 2. `where` names the option or argument, e.g. "--epochs". */
export function usageError(where: string, problem: string, hint: string): TutorError {
  return new TutorError(where, problem, hint, "usage");
}

/** The help text of one command. */
export function commandHelp(c: Command): string {
  const rows: [string, string][] = Object.entries(c.options).map(([name, o]) => [`--${name}${o.value ? ` ${o.value}` : ""}`, o.help]);
  rows.push(["--debug", "show the stack trace of an error"], ["-h, --help", "show this help"]);
  const width = Math.max(...rows.map(([l]) => l.length));
  const lines = [`usage: ${c.usage}`, "", c.summary, "", "options:", ...rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`)];
  if (c.details) lines.push("", c.details.trimEnd());
  return lines.join("\n") + "\n";
}

/**
 * Parse a command's arguments against its declared options. `--name=value` and `--name value`
 * both work; `--` ends the options; an argument such as `-2` or `x=-2` is a positional.
 */
export function parseCommandArgs(c: Command, argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: {}, switches: new Set(), argv: [...argv], debug: false };
  const more = `run "backprop-tutor ${c.name} --help" for the options`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const spec = c.options[name];
      if (!spec) throw usageError(c.name, `unknown option --${name}`, more);
      if (spec.value === undefined) {
        if (eq > 0) throw usageError(`--${name}`, "takes no value", `write just --${name}`);
        out.switches.add(name);
      } else {
        const v = eq > 0 ? a.slice(eq + 1) : argv[i + 1];
        if (v === undefined || (eq < 0 && v.startsWith("--"))) throw usageError(`--${name}`, "is missing its value", `write --${name} ${spec.value}`);
        if (eq < 0) i++;
        out.values[name] = v;
      }
    } else if (/^-[A-Za-z]+$/.test(a)) {
      throw usageError(c.name, `unknown option ${a}`, more);
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

/** One of `allowed`, or a usage error naming the option. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = args.values[name];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw usageError(`--${name}`, `unknown value "${v}"${didYouMean(v, allowed)}`, `use one of ${allowed.join(", ")}`);
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
  if (got.length < what.length) throw usageError(c.name, `missing ${what.slice(got.length).join(" and ")}`, `write ${shortUsage(c)}`);
  if (got.length > what.length) throw usageError(c.name, `unexpected argument "${got[what.length]}"`, `write ${shortUsage(c)}`);
  return got;
}
