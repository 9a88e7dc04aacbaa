// Option readers shared by the commands.
import { parsePrecision, precisionName, type Precision } from "../../engine/numeric.js";
import { isTutorError } from "../../engine/errors.js";
import { usageError, type ParsedArgs } from "../command.js";

export const FORMATS = ["json", "markdown"] as const;

/** What each --notation writes, for the help of trace and check. */
export const NOTATION_HELP = [
  "notations:",
  "  names    the spec's own names: z_h1, a_h1, w5, E_total (as in the classic 0.05/0.10 worked example)",
  "  bracket  z^[l]_j, a^[l]_j, W^[l]_jk, b^[l]_j, layers counted from the input as layer 0",
  "  paren    w_jk^(l), b_j^(l), z_j^(l): the same with parenthesised layer numbers",
  "  paren1   the matrix-form notes' notation: the input is layer 1, biases are w_j0, delta = -dJ/dz",
  "  aima     the AIMA textbook's in_i, a_j, W_j,i, units numbered through the network, Delta_i = -dE/din_i",
].join("\n");

/**
 * --precision, read once here (the engine takes the parsed precision), so that a bad value is a
 * usage error naming the option. Without the option, the command's default (DEFAULT_PRECISION).
 */
export function precisionOption(args: ParsedArgs, fallback: Precision): Precision {
  const v = args.values.precision;
  if (v === undefined) return fallback;
  try {
    return parsePrecision(v);
  } catch (e) {
    if (isTutorError(e))
      throw usageError(
        "--precision",
        `unknown precision "${v}"`,
        "use float, exact or dp:N with N a whole number of decimal places, e.g. dp:4",
      );
    throw e;
  }
}

/** "(default exact)": a command's default precision, as its help says it. */
export const defaultPrecisionHelp = (p: Precision): string => `(default ${precisionName(p)})`;

export { isNumberText } from "../../engine/numeric.js";
