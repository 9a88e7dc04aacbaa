// Hoverable symbols: the view marks each known symbol in a formula so that hovering it can say
// where its value came from. Plain string work, tested in vitest; the DOM side is labextension/.

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Mark every known symbol in a formula with \htmlData{ref=N}: one left-to-right pass over the
 * longest symbols first, so ∂E/∂a_{o1} is one mark and the a_{o1} inside it is not marked again.
 * A symbol must not be part of a longer command or name (x in \exp, a in \max).
 */
export function markSymbols(tex: string, symbols: readonly string[]): string {
  if (symbols.length === 0) return tex;
  const alternatives = [...new Set(symbols)]
    .filter((s) => s !== "")
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\\\A-Za-z])(?:${alternatives.join("|")})(?![A-Za-z])`, "g");
  return tex.replace(pattern, (m) => `\\htmlData{ref=${symbols.indexOf(m)}}{${m}}`);
}
