// The program: finds the command, handles --help, --version and --debug, and turns an error
// into one line on stderr and an exit code (see ./command.ts for the codes).
import { readFileSync } from "node:fs";
import { isTutorError } from "../engine/errors.js";
import { commandHelp, parseCommandArgs, usageError, type Command, type Io } from "./command.js";
import { COMMANDS } from "./commands/index.js";

export const PROGRAM = "backprop-tutor";

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function programHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} COMMAND [arguments] [options]`,
    "",
    "A step-by-step backpropagation tutor: every z, a, delta and gradient, in float, exact and hand-rounded arithmetic.",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "options:",
    "  -h, --help     show this help (or a command's help: backprop-tutor COMMAND --help)",
    "  --version      show the version",
    "  --debug        show the stack trace of an error",
    "",
    "exit codes: 0 done, 1 the input is wrong (file, spec, expression, training), 2 the command line is wrong, 3 an internal error.",
    "",
  ].join("\n");
}

const beforeDashDash = (argv: readonly string[]) => (argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv);

/** Run the program on argv (without "node" and the script) and return the exit code. */
export async function runProgram(
  argv: readonly string[],
  io: Io,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  // known before anything is parsed, so that a mistake anywhere still gets its stack trace
  const debug = beforeDashDash(argv).includes("--debug");
  const stackFrames = Error.stackTraceLimit;
  // --debug shows the whole stack: the default 10 frames can stop inside the spec reader's helpers
  if (debug) Error.stackTraceLimit = 100;
  try {
    const [first, ...rest] = argv[0] === "--debug" ? argv.slice(1) : argv; // after the command, parseArgs reads it
    if (first === undefined) {
      io.stderr(programHelp(commands));
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      const topic = rest[0] && commands.find((c) => c.name === rest[0]);
      io.stdout(topic ? commandHelp(topic) : programHelp(commands));
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout(`${version()}\n`);
      return 0;
    }
    const command = commands.find((c) => c.name === first);
    if (!command) {
      if (first.startsWith("-"))
        throw usageError(first, "unknown option", `run "${PROGRAM} --help" for the commands and options`);
      throw usageError(first, "unknown command", `use one of ${commands.map((c) => c.name).join(", ")}`);
    }
    const args = parseCommandArgs(command, rest);
    if (args.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run({ ...args, debug }, io);
  } catch (e) {
    if (isTutorError(e)) {
      io.stderr(`${PROGRAM}: ${e.message}\n`);
      if (debug && e.stack) io.stderr(`${e.stack}\n`);
      return e.kind === "usage" ? 2 : 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(
      `${PROGRAM}: internal error (this is a bug in backprop-tutor, please report it): ${firstLine(err.message)}${debug ? "" : "; run with --debug for details"}\n`,
    );
    if (debug) io.stderr(`${err.stack ?? err.message}\n`);
    return 3;
  } finally {
    Error.stackTraceLimit = stackFrames;
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0];
}

/** Run the program and collect what it printed (tests, benchmarks, scripts). */
export async function runCli(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "",
    stderr = "";
  const code = await runProgram(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}
