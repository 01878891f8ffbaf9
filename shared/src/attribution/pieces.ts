// A large text held as a short list of pieces (slices of recorded contents and small new strings), so replaying an
// edit on a 10,000-line file costs what the edit touches: slicing a flat string is free in V8, while building a new
// large string allocates and copies it whole. Invariant: the pieces, concatenated, are exactly the text.

/** More pieces than this are joined into one (once per many steps, so the cost stays amortised). */
const MAX_PIECES = 64;

export function piecesLength(pieces: readonly string[]): number {
  let n = 0;
  for (const p of pieces) n += p.length;
  return n;
}

/** The pieces covering characters [from, to) of the text. */
export function slicePieces(pieces: readonly string[], from: number, to: number, out: string[]): void {
  let at = 0;
  for (const p of pieces) {
    const end = at + p.length;
    if (end > from && at < to) out.push(from <= at && end <= to ? p : p.slice(Math.max(from - at, 0), Math.min(to - at, p.length)));
    if (end >= to) return;
    at = end;
  }
}

/** Whether the pieces spell `text`, compared piece by piece (substrings of flat strings are not copied). */
export function piecesEqual(pieces: readonly string[], text: string): boolean {
  if (piecesLength(pieces) !== text.length) return false;
  let at = 0;
  for (const p of pieces) {
    // Substring equality is a native comparison; `startsWith` at an offset is far slower on long strings.
    if (text.substring(at, at + p.length) !== p) return false;
    at += p.length;
  }
  return true;
}

/** The pieces with empty ones dropped, joined into one when there are too many. */
export function compactPieces(pieces: string[]): string[] {
  const kept = pieces.filter((p) => p !== "");
  return kept.length > MAX_PIECES ? [kept.join("")] : kept;
}

/** The text as one string (joining the pieces when there are several). */
export function joinPieces(pieces: readonly string[]): string {
  return pieces.length === 1 ? (pieces[0] as string) : pieces.join("");
}
