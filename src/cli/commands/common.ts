// Option readers shared by the commands.
import { parsePrecision, precisionName } from "../../engine/numeric.js";
import { isTutorError } from "../../engine/errors.js";
import { usageError, type ParsedArgs } from "../command.js";

export const FORMATS = ["json", "markdown"] as const;

/** --precision, checked here so that a bad value is a usage error naming the option. */
export function precisionOption(args: ParsedArgs, fallback: string): string {
  const v = args.values.precision ?? fallback;
  try {
    return precisionName(parsePrecision(v));
  } catch (e) {
    if (isTutorError(e)) throw usageError("--precision", `unknown precision "${v}"`, 'use float, exact or dp:N with N a whole number of decimal places, e.g. dp:4');
    throw e;
  }
}

export { isNumberText } from "../../engine/numeric.js";
