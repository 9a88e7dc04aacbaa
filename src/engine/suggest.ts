// "Did you mean …?" for names a person typed: activation and loss names, spec fields, answer keys.

/** Levenshtein distance (insertions, deletions and substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * The known names nearest the typed one (up to three, all at the smallest distance), within an
 * edit distance that grows with the name's length; `normalise` maps both sides to a common form.
 */
export function closest(
  typed: string,
  known: readonly string[],
  normalise: (s: string) => string = (s) => s.toLowerCase(),
): string[] {
  const norm = normalise(typed);
  const limit = Math.max(1, Math.min(3, Math.floor(norm.length / 3)));
  const scored = known.map((k) => ({ k, d: editDistance(norm, normalise(k)) })).filter((x) => x.d <= limit);
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((x) => x.d));
  // only the nearest: "dE/dww5" suggests dE/dw5, not every weight
  return scored
    .filter((x) => x.d === best)
    .slice(0, 3)
    .map((x) => x.k);
}

/** " (did you mean "softmax"?)" or "" — to append to a problem description. */
export function didYouMean(typed: string, known: readonly string[]): string {
  // a one-letter name is near every other one-letter name: no suggestion is better than a guess
  const near = typed.length < 2 ? [] : closest(typed, known);
  return near.length ? ` (did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}?)` : "";
}
