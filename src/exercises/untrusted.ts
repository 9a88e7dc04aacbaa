// Bounds on what a student controls before the grader's own process parses or formats it, and
// the escaping of what a student wrote before it reaches a file or a terminal the teacher reads.
// The grader runs outside every student's cgroup: a typed number whose exponent asks for a
// hundred million decimals, or JSON nested 200,000 deep, must cost a note, not the class.

/** The most decimals (or whole-number digits) a typed answer is judged to: the checker works to 50, shows 40. */
export const MAX_ANSWER_DIGITS = 40;
/** The longest typed answer read at all. */
export const MAX_ANSWER_CHARS = 100;
/** The deepest nesting of a submitted notebook's JSON (a released one nests 6 deep). */
export const MAX_NOTEBOOK_DEPTH = 64;

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Why a typed answer is too big to judge, or undefined when it is within the bounds (or is not
 * a number at all: the checker says so itself). Counts what the checker would: decimals are the
 * digits after the point minus the exponent, whole digits those before it plus the exponent.
 */
export function answerTooBig(typed: string): string | undefined {
  if (typed.length > MAX_ANSWER_CHARS)
    return `is ${typed.length} characters long (at most ${MAX_ANSWER_CHARS} are read)`;
  const m = NUMBER.exec(typed.trim().replace(/[−–]/g, "-"));
  if (!m) return undefined;
  // an exponent of many digits is not even turned into a number
  if ((m[4] ?? "").replace(/^[+-]?0*/, "").length > 4)
    return `has an exponent too large to judge (${MAX_ANSWER_DIGITS} digits at most)`;
  const exp = Number(m[4] ?? 0),
    frac = (m[3] ?? "").length,
    whole = (m[2] ?? "").replace(/^0+/, "").length;
  if (frac - exp > MAX_ANSWER_DIGITS)
    return `asks for ${frac - exp} decimals (answers are judged to ${MAX_ANSWER_DIGITS} at most)`;
  if (whole + exp > MAX_ANSWER_DIGITS)
    return `has ${whole + exp} digits before the point (${MAX_ANSWER_DIGITS} at most)`;
  return undefined;
}

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text a student wrote, as it may be put in a CSV or on a terminal: every control character as \u{..}, visible and inert. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/** `text` cut to `max` characters, saying so. */
export function clipped(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * How deep JSON text nests, counted without parsing it (so a hostile depth never reaches a
 * recursive parser or serialiser); stops counting past `limit`.
 */
export function jsonDepth(text: string, limit = MAX_NOTEBOOK_DEPTH): number {
  let depth = 0,
    max = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
