// How owners survive the edits nobody traced (a person, a formatter, an untraced tool), between two AI edits and
// after the last one. Beyond the exact line diff: a line whose only difference is whitespace keeps its owner, lines a
// formatter split or joined keep the owners of the text they consist of (both flagged reformatted), and a block cut
// and pasted elsewhere in the file keeps its owner (flagged moved, like git blame -M). Flags ride in the owner code's
// high bits, so every step that carries owners carries them too; a later AI write of the line gives a fresh code.

import { type Chain, chainOf, textOf } from "./chain";
import { matchLines } from "./line-diff";
import { piecesEqual } from "./pieces";

/** Owner-code flag: the line differs from what its owner wrote only in whitespace (or layout: split, joined). */
export const REFORMATTED = 1 << 28;
/** Owner-code flag: the line was moved within the file since its owner wrote it. */
export const MOVED = 1 << 29;
/** The event index of a non-negative owner code. */
export const EVENT_INDEX = REFORMATTED - 1;

/** git's threshold for a moved block (-M): at least this many alphanumeric characters. */
const MOVE_MIN_ALNUM = 20;
/** Candidate old positions tried per moved-line start (repeated lines such as `}` would otherwise be quadratic). */
const MOVE_CANDIDATES = 8;
/** How far past the expected place a split or joined line's text is looked for, beyond its own length. */
const LAYOUT_WINDOW = 64;

export interface PersonEditOptions {
  /** Today's exact behaviour for whitespace: any difference makes the line the person's. */
  strictWhitespace: boolean;
}

/** Line text without any whitespace: what a formatter cannot change. */
function squeeze(line: string): string {
  return line.replace(/\s+/g, "");
}

/**
 * The chain moved to `next` (any line endings) by an untraced edit: lines kept exactly keep their owner code, lines
 * recognised as reformatted or moved keep it with a flag, the others get `fill`. Returns a new chain.
 */
export function advanceByPerson(chain: Chain, next: string, fill: number, options: PersonEditOptions): Chain {
  if (chain.textStale) textOf(chain);
  if (piecesEqual(chain.pieces, next)) return chain;
  const result = chainOf(next, fill);
  const oldLines = chain.lines;
  const newLines = result.lines;
  const oldOwners = chain.owners;
  const owners = result.owners;
  const match = matchLines(oldLines, newLines);
  const p: Pairing = { oldOwners, owners, usedOld: new Uint8Array(oldLines.length), match };
  for (let j = 0; j < match.length; j++) {
    const i = match[j] as number;
    if (i >= 0) {
      owners[j] = oldOwners[i] as number;
      p.usedOld[i] = 1;
    }
  }
  if (!options.strictWhitespace) {
    // Every matcher below reads only the keys of lines the exact diff left unpaired (in its gaps, or still unused).
    const oldKeys = oldLines.map((line, i) => (p.usedOld[i] === 1 ? "" : squeeze(line)));
    const newKeys = newLines.map((line, j) => ((match[j] as number) >= 0 ? "" : squeeze(line)));
    forEachGap(match, oldLines.length, (a0, a1, b0, b1) => matchWhitespace(oldKeys, newKeys, oldLines, newLines, p, a0, a1, b0, b1));
    forEachGap(match, oldLines.length, (a0, a1, b0, b1) => matchLayout(oldKeys, newKeys, p, a0, a1, b0, b1));
    matchMoves(oldKeys, newKeys, p);
  } else {
    matchMoves(oldLines, newLines, p);
  }
  return result;
}

/**
 * What every matcher reads and extends: the old lines' owner codes, the new lines' owners being filled in, which old
 * lines are already taken, and for each new line its old line (or -1).
 */
interface Pairing {
  oldOwners: readonly number[];
  owners: number[];
  usedOld: Uint8Array;
  match: Int32Array;
}

/** Calls `visit` for each region between kept pairs (old a0..a1, new b0..b1, ends exclusive) with lines on both sides. */
function forEachGap(match: Int32Array, oldCount: number, visit: (a0: number, a1: number, b0: number, b1: number) => void): void {
  let a0 = 0;
  let b0 = 0;
  for (let j = 0; j <= match.length; j++) {
    const i = j < match.length ? (match[j] as number) : oldCount;
    if (i < 0) continue;
    if (j > b0 && i > a0) visit(a0, i, b0, j);
    a0 = i + 1;
    b0 = j + 1;
  }
}

/** The owner code a line keeps with `flag`: unattributed lines keep their reason as it is. */
function flagged(code: number, flag: number): number {
  return code < 0 ? code : code | flag;
}

/** Inside one gap: a line diff on whitespace-free text; a pair kept that way keeps its owner, flagged reformatted. */
function matchWhitespace(
  oldKeys: readonly string[],
  newKeys: readonly string[],
  oldLines: readonly string[],
  newLines: readonly string[],
  { oldOwners, owners, usedOld, match }: Pairing,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): void {
  const inner = matchLines(oldKeys.slice(a0, a1), newKeys.slice(b0, b1));
  for (let k = 0; k < inner.length; k++) {
    const at = inner[k] as number;
    if (at < 0) continue;
    const i = a0 + at;
    const j = b0 + k;
    // Blank lines carry no text of their owner: a formatter adding or removing one does not make it anyone's.
    if (newKeys[j] === "") continue;
    const code = oldOwners[i] as number;
    owners[j] = oldLines[i] === newLines[j] ? code : flagged(code, REFORMATTED);
    usedOld[i] = 1;
    match[j] = i;
  }
}

/**
 * Inside one gap left by the whitespace diff: lines split or joined by a formatter. The whitespace-free text of the
 * gap's old lines is one string; each new line is looked for in it, in order, near where the previous one ended, and
 * keeps the owner of most of the characters it consists of (flagged reformatted).
 */
function matchLayout(
  oldKeys: readonly string[],
  newKeys: readonly string[],
  { oldOwners, owners, usedOld, match }: Pairing,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
): void {
  const parts: string[] = [];
  const ends: number[] = [];
  const lineAt: number[] = [];
  let length = 0;
  for (let i = a0; i < a1; i++) {
    const key = oldKeys[i] as string;
    if (key === "" || usedOld[i] === 1) continue;
    parts.push(key);
    length += key.length;
    ends.push(length);
    lineAt.push(i);
  }
  if (parts.length === 0) return;
  const text = parts.join("");
  let from = 0;
  for (let j = b0; j < b1; j++) {
    const key = newKeys[j] as string;
    if (key === "" || (match[j] as number) >= 0) continue;
    // Searched only near `from`, so a region rewritten whole costs linear time, not a search of it per line.
    const near = text.substring(from, from + 2 * key.length + LAYOUT_WINDOW).indexOf(key);
    if (near < 0) continue;
    const at = from + near;
    const code = majorityOwner(at, at + key.length, ends, lineAt, oldOwners);
    owners[j] = flagged(code, REFORMATTED);
    from = at + key.length;
  }
  for (const i of lineAt) usedOld[i] = 1;
}

/** The owner code holding most characters of text[start, end), given each old line's end offset (ties: the later). */
function majorityOwner(start: number, end: number, ends: readonly number[], lineAt: readonly number[], oldOwners: readonly number[]): number {
  let best = 0;
  let bestCode = 0;
  let lineStart = 0;
  for (let k = 0; k < ends.length; k++) {
    const lineEnd = ends[k] as number;
    const overlap = Math.min(end, lineEnd) - Math.max(start, lineStart);
    lineStart = lineEnd;
    if (overlap <= 0) continue;
    const code = oldOwners[lineAt[k] as number] as number;
    if (overlap >= best) {
      best = overlap;
      bestCode = code;
    }
  }
  return bestCode;
}

/**
 * Blocks moved within the file: runs of new lines still unexplained that equal (by `oldKeys`/`newKeys`) a run of old
 * lines still unused, with at least MOVE_MIN_ALNUM alphanumeric characters, keep those lines' owners, flagged moved.
 */
function matchMoves(oldKeys: readonly string[], newKeys: readonly string[], { oldOwners, owners, usedOld, match }: Pairing): void {
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < oldKeys.length; i++) {
    const key = oldKeys[i] as string;
    if (usedOld[i] === 1 || key.trim() === "") continue;
    const at = byKey.get(key);
    if (at === undefined) byKey.set(key, [i]);
    else if (at.length < MOVE_CANDIDATES) at.push(i);
  }
  if (byKey.size === 0) return;
  let j = 0;
  while (j < newKeys.length) {
    const starts = (match[j] as number) < 0 ? byKey.get(newKeys[j] as string) : undefined;
    let bestStart = -1;
    let bestLength = 0;
    for (const i of starts ?? []) {
      let k = 0;
      while (
        j + k < newKeys.length &&
        i + k < oldKeys.length &&
        (match[j + k] as number) < 0 &&
        usedOld[i + k] === 0 &&
        newKeys[j + k] === oldKeys[i + k]
      ) {
        k++;
      }
      if (k > bestLength) {
        bestLength = k;
        bestStart = i;
      }
    }
    if (bestStart < 0 || alnumCount(newKeys, j, j + bestLength) < MOVE_MIN_ALNUM) {
      j++;
      continue;
    }
    for (let k = 0; k < bestLength; k++) {
      owners[j + k] = flagged(oldOwners[bestStart + k] as number, MOVED);
      usedOld[bestStart + k] = 1;
      match[j + k] = bestStart + k;
    }
    j += bestLength;
  }
}

function alnumCount(lines: readonly string[], from: number, to: number): number {
  let count = 0;
  for (let j = from; j < to; j++) {
    const line = lines[j] as string;
    for (let c = 0; c < line.length; c++) {
      const ch = line.charCodeAt(c);
      if ((ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch > 127) count++;
    }
  }
  return count;
}
