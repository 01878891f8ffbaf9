// Line fingerprints (see LineFingerprint): parsers record one for each content they store, and the replay chain keeps
// its own up to date per step, so "is the replayed content the recorded one" costs what changed instead of loading the
// recorded text. Lines are split at LF only and hashed raw, so a text with CRs never matches the chain's LF lines (it
// is loaded and diffed, as without fingerprints); the neighbour-pair sum makes moved or swapped lines count as changes.

import type { LineFingerprint } from "../events/edit-event";
import { commonPrefixLength, commonSuffixLength } from "../util/common-affix";

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Pseudo-lines before the first line and after the last one (two kinds: with and without a final newline). */
const START = 0x3c6ef372;
const END_NEWLINE = 0x7f4a7c15;
const END_BARE = 0x2545f491;

// Arithmetic stays in int32 (small integers for V8, no heap numbers); fingerprints store the sums unsigned.

/** FNV-1a (32 bits) of one line's UTF-16 code units, without its terminator. */
function lineHash(line: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < line.length; i++) h = Math.imul(h ^ line.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

/** Hash of neighbouring (pseudo-)lines: asymmetric, so the pair (b, a) hashes apart from (a, b). */
function pairHash(a: number, b: number): number {
  let x = Math.imul(a, 0x85ebca6b) ^ Math.imul(b ^ (b >>> 15), 0xc2b2ae35);
  x ^= x >>> 13;
  x = Math.imul(x, 0x27d4eb2f);
  return x ^ (x >>> 16);
}

/** The end pseudo-line of a content of `lines` lines (the empty content counts as ending with a newline). */
function endOf(lines: number, finalNewline: boolean): number {
  return lines === 0 || finalNewline ? END_NEWLINE : END_BARE;
}

/**
 * The fingerprint of a whole text. Lines are found with the native `indexOf` and hashed by `hashRange`, a small loop
 * called once per line: it is optimized after a few lines, where one loop over every character ran unoptimized
 * through the first long texts of a cold index (and was deoptimized once more at its end).
 */
export function lineFingerprint(text: string): LineFingerprint {
  let lines = 0;
  let sum = 0;
  let pairs = 0;
  let prev = START;
  const n = text.length;
  let start = 0;
  for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
    const v = hashRange(text, start, nl);
    sum = (sum + v) | 0;
    pairs = (pairs + pairHash(prev, v)) | 0;
    prev = v;
    lines++;
    start = nl + 1;
  }
  const bare = start < n;
  if (bare) {
    const v = hashRange(text, start, n);
    sum = (sum + v) | 0;
    pairs = (pairs + pairHash(prev, v)) | 0;
    prev = v;
    lines++;
  }
  pairs = (pairs + pairHash(prev, endOf(lines, !bare))) | 0;
  return { lines, sum: sum >>> 0, pairs: pairs >>> 0 };
}

/** The fingerprint of a content given as lines (without terminators) and whether it ends with a newline. */
export function linesFingerprint(lines: readonly string[], finalNewline: boolean): LineFingerprint {
  const hashes = lines.map(lineHash);
  const { sum, pairs } = run(START, hashes, endOf(lines.length, finalNewline));
  return { lines: lines.length, sum: sum >>> 0, pairs: pairs >>> 0 };
}

export function sameFingerprint(a: LineFingerprint, b: LineFingerprint): boolean {
  return a.lines === b.lines && a.sum === b.sum && a.pairs === b.pairs;
}

/** The line-hash sum of `hashes` and the pair sum of the sequence prev, ...hashes, next. */
function run(prev: number, hashes: readonly number[], next: number): { sum: number; pairs: number } {
  let sum = 0;
  let pairs = 0;
  let last = prev;
  for (const v of hashes) {
    sum = (sum + v) | 0;
    pairs = (pairs + pairHash(last, v)) | 0;
    last = v;
  }
  return { sum, pairs: (pairs + pairHash(last, next)) | 0 };
}

/**
 * `fp` after the lines `removed` (hashes), which sat between `prev` and `nextOld`, became `added`, followed by
 * `nextNew` (the same line, or the end pseudo-line of the new content).
 */
function splice(
  fp: LineFingerprint,
  prev: number,
  removed: readonly number[],
  nextOld: number,
  added: readonly number[],
  nextNew: number,
): LineFingerprint {
  const out = run(prev, removed, nextOld);
  const into = run(prev, added, nextNew);
  return {
    lines: fp.lines - removed.length + added.length,
    sum: ((fp.sum | 0) - out.sum + into.sum) >>> 0,
    pairs: ((fp.pairs | 0) - out.pairs + into.pairs) >>> 0,
  };
}

/** Replaced line ranges, as chain.ts's LineReplacement (kept structural to avoid an import cycle). */
interface Replacement {
  start: number;
  length: number;
  lines: readonly string[];
}

/**
 * The fingerprint of `lines` (fingerprint `fp`, final newline `finalNewline`) after the sorted, non-overlapping
 * replacements, ending with a newline or not as `nextFinalNewline` says. Null when the result would end in an empty
 * line without newline, which the chain folds into the line before (callers then fall back to a full computation).
 * Costs the replaced and inserted lines plus the lines around them.
 */
export function fingerprintAfter(
  fp: LineFingerprint,
  lines: readonly string[],
  finalNewline: boolean,
  replacements: readonly Replacement[],
  nextFinalNewline: boolean,
): LineFingerprint | null {
  const n = lines.length;
  let count = n;
  for (const r of replacements) count += r.lines.length - r.length;
  const endOld = endOf(n, finalNewline);
  const endNew = endOf(count, nextFinalNewline);
  let out = fp;
  let lastLine: string | undefined = n > 0 ? lines[n - 1] : undefined;
  let touchesEnd = false;
  for (let i = 0; i < replacements.length; ) {
    // Adjacent replacements form one run, so the line between two runs is always a kept one.
    const first = replacements[i] as Replacement;
    let end = first.start + first.length;
    const added: number[] = first.lines.map(lineHash);
    let j = i + 1;
    for (let r = replacements[j]; r !== undefined && r.start === end; r = replacements[++j]) {
      end += r.length;
      for (const line of r.lines) added.push(lineHash(line));
    }
    const removed: number[] = [];
    for (let k = first.start; k < end; k++) removed.push(lineHash(lines[k] as string));
    const prev = first.start === 0 ? START : lineHash(lines[first.start - 1] as string);
    if (end >= n) {
      touchesEnd = true;
      out = splice(out, prev, removed, endOld, added, endNew);
      lastLine = lastAdded(replacements, i, j) ?? (first.start > 0 ? lines[first.start - 1] : undefined);
    } else {
      const next = lineHash(lines[end] as string);
      out = splice(out, prev, removed, next, added, next);
    }
    i = j;
  }
  if (!touchesEnd && endOld !== endNew && n > 0) {
    // Only the end pseudo-line changed (the last line is kept).
    const last = lineHash(lines[n - 1] as string);
    out = splice(out, last, [], endOld, [], endNew);
  }
  if (!nextFinalNewline && count > 0 && lastLine === "") return null;
  return out;
}

/** The last line inserted by replacements [from, to), if any. */
function lastAdded(replacements: readonly Replacement[], from: number, to: number): string | undefined {
  for (let k = to - 1; k >= from; k--) {
    const r = replacements[k] as Replacement;
    if (r.lines.length > 0) return r.lines[r.lines.length - 1];
  }
  return undefined;
}

/**
 * The fingerprint of `b` from that of `a`: only the lines between their common head and tail (whole lines) are
 * hashed. `known` may give a common head and tail already established (lower bounds are enough).
 */
export function fingerprintEdited(a: string, fp: LineFingerprint, b: string, known?: { prefix: number; suffix: number }): LineFingerprint {
  const la = a.length;
  const lb = b.length;
  const prefix = Math.min(known?.prefix ?? commonPrefixLength(a, b), la, lb);
  const limit = Math.min(la, lb) - prefix;
  const suffix = Math.min(known?.suffix ?? commonSuffixLength(a, b, limit), limit);
  const start = prefix === 0 ? 0 : a.lastIndexOf("\n", prefix - 1) + 1;
  let endA = la - suffix;
  let endB = lb - suffix;
  if (!(atLineStart(a, endA) && atLineStart(b, endB))) {
    // Move the end to the next line start inside the common tail (same distance from the end in both).
    const nl = a.indexOf("\n", endA);
    endA = nl === -1 ? la : nl + 1;
    endB = nl === -1 ? lb : nl + 1 + (lb - la);
  }
  const prev = start === 0 ? START : hashRange(a, start < 2 ? 0 : a.lastIndexOf("\n", start - 2) + 1, start - 1);
  const removed = rangeHashes(a, start, endA);
  const added = rangeHashes(b, start, endB);
  if (endA < la) {
    const next = hashRange(a, endA, lineEnd(a, endA));
    return splice(fp, prev, removed, next, added, next);
  }
  const endOfA = endOf(fp.lines, la === 0 || a.charCodeAt(la - 1) === 10);
  const endOfB = endOf(fp.lines - removed.length + added.length, lb === 0 || b.charCodeAt(lb - 1) === 10);
  return splice(fp, prev, removed, endOfA, added, endOfB);
}

function atLineStart(text: string, at: number): boolean {
  return at === 0 || text.charCodeAt(at - 1) === 10;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf("\n", from);
  return nl === -1 ? text.length : nl;
}

function hashRange(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h | 0;
}

/** Hashes of the lines in [from, to) of `text`, where `from` is a line start and `to` a line start or the end. */
function rangeHashes(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  let at = from;
  while (at < to) {
    const end = Math.min(lineEnd(text, at), to);
    out.push(hashRange(text, at, end));
    at = end + 1;
  }
  return out;
}

/** Texts shorter than this are fingerprinted whole: deriving saves nothing. */
const DERIVE_MIN = 4096;
/** Characters of last versions kept (least recently used files go first). */
const KEEP_CHARS = 8 * 1024 * 1024;

/**
 * Fingerprints for a parser, which keeps one for all the traces it reads: the last version of each file is kept, and
 * a file's next version that shares most of its characters (as successive edits do, also across sessions) is
 * derived from it, costing the changed lines instead of a pass over the whole text.
 */
export class Fingerprinter {
  private readonly last = new Map<string, { text: string; fp: LineFingerprint }>();
  private chars = 0;

  /** The fingerprint of `text`, a version of `file` (any stable name of it). */
  of(text: string, file: string): LineFingerprint {
    const prev = this.last.get(file);
    let fp: LineFingerprint | null = null;
    if (prev !== undefined) {
      if (prev.text === text) fp = prev.fp;
      else if (text.length >= DERIVE_MIN) {
        const prefix = commonPrefixLength(prev.text, text);
        const suffix = commonSuffixLength(prev.text, text, Math.min(prev.text.length, text.length) - prefix);
        if (2 * (prefix + suffix) >= text.length) fp = fingerprintEdited(prev.text, prev.fp, text, { prefix, suffix });
      }
      this.last.delete(file);
      this.chars -= prev.text.length;
    }
    fp ??= lineFingerprint(text);
    this.last.set(file, { text, fp });
    this.chars += text.length;
    for (const [name, kept] of this.last) {
      if (this.chars <= KEEP_CHARS || name === file) break;
      this.last.delete(name);
      this.chars -= kept.text.length;
    }
    return fp;
  }
}
