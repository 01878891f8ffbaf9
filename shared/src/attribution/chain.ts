// The replay chain: the content after the events so far, as lines with one owner code each. A step either replaces
// known line ranges (replayed hunks and Codex chunks) or moves to a whole new text (recorded contents), diffing only
// the region between the common prefix and suffix. Kept lines keep their owner; the rest get the step's code.
// Steps update the chain in place (the replay owns it), so a step costs what changed, not the file's size; the
// chain's line fingerprint, once computed, is kept up to date by every step at the same cost.

import type { LineFingerprint } from "../events/edit-event";
import { fingerprintAfter, linesFingerprint } from "./fingerprint";
import { matchLines } from "./line-diff";
import { compactPieces, joinPieces, piecesEqual, piecesLength, slicePieces } from "./pieces";
import { commonPrefixLength, commonSuffixLength } from "../util/common-affix";
import { lowerBound } from "../util/arrays";
import { normalizeEol, splitLines } from "./text";

/** Owner codes: an index into the replayed events (>= 0), or one of these reasons for an unattributed line. */
export const NOT_IN_TRACES = -1;
export const CHANGED_AFTER_AI = -2;
export const CHANGED_OUTSIDE_TRACES = -3;

/** `length` lines from `start` (indices into the content replayed on) become `lines`. */
export interface LineReplacement {
  start: number;
  length: number;
  lines: readonly string[];
}

/**
 * A content with its owners. The text is kept as pieces (see pieces.ts) so replays need not build large strings;
 * `starts` caches the offset of each line. Steps checked by fingerprint need neither: they drop the text
 * (`textStale`), and it is joined from the lines again when something asks for it.
 */
export interface Chain {
  lines: string[];
  /** Whether the content ends with a newline (meaningless without lines). */
  finalNewline: boolean;
  owners: number[];
  /** The text, unless `textStale`. */
  pieces: string[];
  starts: Int32Array | null;
  /** The pieces no longer spell the content (and `starts` is null): textOf rebuilds them from the lines. */
  textStale: boolean;
  /** The fingerprint of the content (see fingerprint.ts), computed on first use. */
  fp: LineFingerprint | null;
}

export function emptyChain(): Chain {
  return { lines: [], finalNewline: true, owners: [], pieces: [], starts: new Int32Array(0), textStale: false, fp: null };
}

/** A chain holding `text` (any line endings) whose every line has the owner code `owner`. */
export function chainOf(text: string, owner: number): Chain {
  const normal = normalizeEol(text);
  const lines = splitLines(normal);
  return {
    lines,
    finalNewline: normal === "" || normal.endsWith("\n"),
    owners: new Array<number>(lines.length).fill(owner),
    pieces: normal === "" ? [] : [normal],
    starts: null,
    textStale: false,
    fp: null,
  };
}

/** Drops the chain's text until it is next needed, so that the following steps cost only the lines they touch. */
export function dropText(chain: Chain): void {
  chain.pieces = [];
  chain.starts = null;
  chain.textStale = true;
}

/** Takes `text`, known to be the chain's content, as its text. */
export function adoptText(chain: Chain, text: string): void {
  chain.pieces = text === "" ? [] : [text];
  chain.textStale = false;
}

/** The chain's fingerprint (hashing every line the first time; steps keep it up to date after that). */
export function chainFingerprint(chain: Chain): LineFingerprint {
  chain.fp ??= linesFingerprint(chain.lines, chain.finalNewline);
  return chain.fp;
}

/** The chain's content as one LF string (joined once, then kept as the single piece). */
export function textOf(chain: Chain): string {
  if (chain.textStale) {
    const n = chain.lines.length;
    const text = n === 0 ? "" : chain.lines.join("\n") + (chain.finalNewline ? "\n" : "");
    chain.pieces = text === "" ? [] : [text];
    chain.textStale = false;
    return text;
  }
  const text = joinPieces(chain.pieces);
  if (chain.pieces.length > 1) chain.pieces = [text];
  return text;
}

function startsOf(chain: Chain): Int32Array {
  if (chain.starts === null) {
    const starts = new Int32Array(chain.lines.length);
    let at = 0;
    for (let i = 0; i < chain.lines.length; i++) {
      starts[i] = at;
      at += (chain.lines[i] as string).length + 1;
    }
    chain.starts = starts;
  }
  return chain.starts;
}

/**
 * The chain moved to the text `next` (any line endings): kept lines keep their owners, the others get `fill`.
 * `known`, from a replay on this chain's text, bounds the unchanged head and tail so they need not be compared.
 * Line endings are normalized lazily: the shared head and tail equal the chain's LF text, so only the changed region
 * is checked for CR. The chain is updated in place (the replay owns it) and returned, or a new one when it was empty.
 */
export function advance(chain: Chain, next: string, fill: number, known?: { prefix: number; suffix: number }): Chain {
  const b = next;
  if (chain.textStale) textOf(chain);
  if (known === undefined && piecesEqual(chain.pieces, b)) {
    // Same content: keep the recorded string, which is one flat piece.
    if (b !== "") chain.pieces = [b];
    return chain;
  }
  const a = textOf(chain);
  if (a === "") return chainOf(b, fill);
  const la = a.length;
  const lb = b.length;
  const prefix = known === undefined ? commonPrefixLength(a, b) : Math.min(known.prefix, la, lb);
  const limit = Math.min(la, lb) - prefix;
  const suffix = known === undefined ? commonSuffixLength(a, b, limit) : Math.min(known.suffix, limit);

  // Widen the changed region to whole lines. The start is a line start in both texts because they share the
  // prefix; the end is moved to the next line boundary inside the shared suffix, which is at the same distance
  // from the end of both texts.
  const start = prefix === 0 ? 0 : a.lastIndexOf("\n", prefix - 1) + 1;
  let endA = la - suffix;
  let endB = lb - suffix;
  if (!(atLineStart(a, endA) && atLineStart(b, endB))) {
    const nl = a.indexOf("\n", endA);
    if (nl === -1) {
      endA = la;
      endB = lb;
    } else {
      endA = nl + 1;
      endB = nl + 1 + (lb - la);
    }
  }
  const newRegion = b.slice(start, endB);
  if (newRegion.indexOf("\r") !== -1) return advance(chain, normalizeEol(b), fill);
  const starts = startsOf(chain);
  const lo = lowerBound(starts, start);
  const hi = lowerBound(starts, endA);
  replaceLines(chain, [{ start: lo, length: hi - lo, lines: splitLines(newRegion) }], fill, b.endsWith("\n"));
  if (b !== "") chain.pieces = [b];
  return chain;
}

/**
 * Applies sorted, non-overlapping line replacements to the chain in place (returned for convenience); each replaced
 * range is diffed against its replacement so that lines the step kept keep their owners. `fp`, when the caller
 * already computed it with fingerprintAfter, is the fingerprint of the result.
 */
export function replaceLines(
  chain: Chain,
  replacements: readonly LineReplacement[],
  fill: number,
  finalNewline: boolean,
  fp?: LineFingerprint,
): Chain {
  const nextFp =
    fp ?? (chain.fp === null ? null : fingerprintAfter(chain.fp, chain.lines, chain.finalNewline, replacements, finalNewline));
  let starts: Int32Array | null = null;
  if (!chain.textStale) {
    chain.pieces = splicePieces(chain, replacements, finalNewline);
    starts = spliceStarts(startsOf(chain), chain.lines, replacements);
  }
  for (let i = replacements.length - 1; i >= 0; i--) {
    const r = replacements[i] as LineReplacement;
    const match = matchLines(chain.lines.slice(r.start, r.start + r.length), r.lines);
    const owners = Array.from(match, (kept) => (kept >= 0 ? (chain.owners[r.start + kept] as number) : fill));
    spliceInto(chain.lines, r.start, r.length, r.lines);
    spliceInto(chain.owners, r.start, r.length, owners);
  }
  chain.finalNewline = finalNewline;
  chain.starts = starts;
  // Null when the result folds an empty last line (fingerprintAfter does not follow that): recomputed on next use.
  chain.fp = nextFp;
  if (!finalNewline && chain.lines[chain.lines.length - 1] === "") {
    // "…\n" plus an empty last line without newline is the text "…\n": keep the form splitLines gives.
    chain.lines.pop();
    chain.owners.pop();
    chain.starts = starts === null ? null : starts.subarray(0, starts.length - 1);
    chain.finalNewline = true;
  }
  return chain;
}

/** Line starts after the replacements, from the current ones (typed-array copies, not a walk over every line). */
function spliceStarts(old: Int32Array, lines: readonly string[], replacements: readonly LineReplacement[]): Int32Array {
  const n = lines.length;
  // Offsets as if every line had a terminator: line n "starts" right after the last one.
  const end = n === 0 ? 0 : (old[n - 1] as number) + (lines[n - 1] as string).length + 1;
  const offset = (i: number) => (i < n ? (old[i] as number) : end);
  let count = n;
  for (const r of replacements) count += r.lines.length - r.length;
  const out = new Int32Array(count);
  let w = 0;
  let at = 0;
  let shift = 0;
  const copy = (from: number, to: number) => {
    out.set(old.subarray(from, to), w);
    if (shift !== 0) for (let i = w; i < w + (to - from); i++) out[i] = (out[i] as number) + shift;
    w += to - from;
  };
  for (const r of replacements) {
    copy(at, r.start);
    let pos = offset(r.start) + shift;
    for (const line of r.lines) {
      out[w++] = pos;
      pos += line.length + 1;
    }
    shift = pos - offset(r.start + r.length);
    at = r.start + r.length;
  }
  copy(at, n);
  return out;
}

/** The pieces of the chain's text after the replacements: slices of the current pieces and the new lines. */
function splicePieces(chain: Chain, replacements: readonly LineReplacement[], finalNewline: boolean): string[] {
  const starts = startsOf(chain);
  const n = chain.lines.length;
  const total = piecesLength(chain.pieces);
  const offset = (i: number) => (i < n ? (starts[i] as number) : total);
  const out: string[] = [];
  // Only a piece reaching the end of a text without final newline can lack its terminator.
  const terminate = () => {
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith("\n")) out.push("\n");
  };
  let at = 0;
  for (const r of replacements) {
    slicePieces(chain.pieces, offset(at), offset(r.start), out);
    if (r.lines.length > 0) {
      terminate();
      out.push(`${r.lines.join("\n")}\n`);
    }
    at = r.start + r.length;
  }
  if (offset(at) < total) {
    terminate();
    slicePieces(chain.pieces, offset(at), total, out);
  }
  const last = out[out.length - 1];
  if (last !== undefined && finalNewline && !last.endsWith("\n")) out.push("\n");
  if (last !== undefined && !finalNewline && last.endsWith("\n")) out[out.length - 1] = last.slice(0, -1);
  return compactPieces(out);
}

/** `Array.splice` without spreading more arguments than the engine accepts. */
function spliceInto<T>(target: T[], start: number, remove: number, items: readonly T[]): void {
  const batch = 8192;
  if (items.length <= batch) {
    target.splice(start, remove, ...items);
    return;
  }
  target.splice(start, remove);
  for (let k = 0; k < items.length; k += batch) target.splice(start + k, 0, ...items.slice(k, k + batch));
}

/**
 * Whether `recorded` is what the replacements make of the chain: the right length, and each replacement's lines at
 * the place the replay puts them. The untouched lines are taken as unchanged, which is what the hunks assert.
 */
export function replayMatches(
  chain: Chain,
  replacements: readonly LineReplacement[],
  finalNewline: boolean,
  recorded: string,
): boolean {
  const starts = startsOf(chain);
  const n = chain.lines.length;
  // Every line counted with a terminator; the last one loses it when the content has no final newline.
  let oldChars = n === 0 ? 0 : (starts[n - 1] as number) + (chain.lines[n - 1] as string).length + 1;
  let shift = 0;
  let count = n;
  for (const r of replacements) {
    const offset = (r.start < n ? (starts[r.start] as number) : oldChars) + shift;
    const expected = r.lines.join("\n");
    if (r.lines.length > 0) {
      if (recorded.substr(offset, expected.length) !== expected) return false;
      const after = offset + expected.length;
      if (after < recorded.length && recorded.charCodeAt(after) !== 10) return false;
    }
    let removed = 0;
    for (let i = r.start; i < r.start + r.length; i++) removed += (chain.lines[i] as string).length + 1;
    shift += (r.lines.length > 0 ? expected.length + 1 : 0) - removed;
    count += r.lines.length - r.length;
  }
  oldChars += shift;
  const length = count === 0 ? 0 : oldChars - (finalNewline ? 0 : 1);
  return recorded.length === length;
}

function atLineStart(text: string, at: number): boolean {
  return at === 0 || text.charCodeAt(at - 1) === 10;
}
