// Checking a reference against a replayed text in bytes. A first blame checks each edit's pre-edit file (a JSON string
// token in the trace, hundreds of KB) against the text its replay reached: decoding every token costs most of that
// blame. Consecutive tokens of a file differ only where the edit between them changed lines, so once one token is
// known to spell the chain's text, the next is compared with it byte for byte: the same bytes before and after the
// replaced lines, and the new lines as JSON encodes them in between. Equal bytes decode to the text the replay
// reached (the kept bytes decode to the kept lines, cut at line boundaries); any other layout (escapes JSON.stringify
// does not write, a text without final newline, more than one step) is not an answer, and the caller decodes.

import type { LineReplacement } from "../attribution/chain";

/** A token known to spell a text of `starts.length - 1` lines with a final newline; `starts[i]` is where line i begins. */
export interface TokenAnchor {
  token: Buffer;
  /** Byte offset of each line in the token, and last the closing quote's. */
  starts: Int32Array;
}

const NEWLINE_ESCAPE = Buffer.from("\\n", "latin1");

/** Whether the backslash at `at` starts an escape: an even run of backslashes before it, back to `from` (a boundary). */
function startsEscape(token: Buffer, at: number, from: number): boolean {
  let run = 0;
  for (let i = at - 1; i >= from && token[i] === 0x5c; i--) run++;
  return run % 2 === 0;
}

/**
 * The anchor of a valid token (one that decodes) that spells a text of `lines` lines ending with a newline, each
 * line ended by a `\n` escape; null when its newlines are written otherwise.
 */
export function anchorOf(token: Buffer, lines: number): TokenAnchor | null {
  const starts = new Int32Array(lines + 1);
  let pos = 1;
  for (let i = 0; i < lines; i++) {
    starts[i] = pos;
    let found = token.indexOf(NEWLINE_ESCAPE, pos);
    while (found !== -1 && !startsEscape(token, found, pos)) found = token.indexOf(NEWLINE_ESCAPE, found + 1);
    if (found === -1) return null;
    pos = found + 2;
  }
  starts[lines] = pos;
  return pos === token.length - 1 && token[pos] === 0x22 ? { token, starts } : null;
}

/**
 * The anchor of `token` when it is the anchor's token with `replacements` (line indexes of the anchor's text, sorted,
 * not overlapping) applied, each new line written as JSON.stringify writes it and ended by `\n`; null otherwise.
 */
export function spellsReplaced(anchor: TokenAnchor, replacements: readonly LineReplacement[], token: Buffer): TokenAnchor | null {
  const { token: old, starts } = anchor;
  const lines = starts.length - 1;
  const encoded: Buffer[] = [];
  const lengths: number[][] = [];
  let size = old.length;
  let newLines = lines;
  let prev = 0;
  for (const r of replacements) {
    if (r.start < prev || r.length < 0 || r.start + r.length > lines) return null;
    const parts = r.lines.map((line) => `${JSON.stringify(line).slice(1, -1)}\\n`);
    const bytes = Buffer.from(parts.join(""), "utf8");
    encoded.push(bytes);
    lengths.push(parts.map((part) => Buffer.byteLength(part, "utf8")));
    size += bytes.length - ((starts[r.start + r.length] as number) - (starts[r.start] as number));
    newLines += r.lines.length - r.length;
    prev = r.start + r.length;
  }
  if (token.length !== size) return null;
  const next = new Int32Array(newLines + 1);
  let at = 0;
  let line = 0;
  let from = 0;
  /** The anchor's bytes [from, to) are the token's at `at`; their line starts (old lines from `first`) carried over. */
  const keep = (to: number, first: number, last: number): boolean => {
    if (token.compare(old, from, to, at, at + (to - from)) !== 0) return false;
    for (let i = first; i < last; i++) next[line++] = (starts[i] as number) - from + at;
    at += to - from;
    return true;
  };
  let oldLine = 0;
  for (let k = 0; k < replacements.length; k++) {
    const r = replacements[k] as LineReplacement;
    if (!keep(starts[r.start] as number, oldLine, r.start)) return null;
    const bytes = encoded[k] as Buffer;
    if (token.compare(bytes, 0, bytes.length, at, at + bytes.length) !== 0) return null;
    for (const length of lengths[k] as number[]) {
      next[line++] = at;
      at += length;
    }
    from = starts[r.start + r.length] as number;
    oldLine = r.start + r.length;
  }
  // The rest, closing quote included: its start is the last entry.
  if (!keep(old.length, oldLine, lines + 1)) return null;
  return line === newLines + 1 ? { token, starts: next } : null;
}
