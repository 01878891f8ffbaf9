// Replays Claude's Edit/MultiEdit string replacements and structuredPatch hunks on a known content. Replacements
// apply in order, each to the previous result; an old string that occurs several times is placed by the hunks' line
// numbers; curly quotes are matched like Claude does. Anything that cannot be placed fails the whole step (null).

import type { StringEdit, StructuredHunk } from "../events/edit-event";
import type { LineReplacement } from "./chain";
import { normalizeEol } from "./text";

/** The content after the string edits (on LF-normalized text, with LF), or null when one cannot be applied. */
export function applyStringEdits(
  text: string,
  edits: readonly StringEdit[],
  hunks: readonly StructuredHunk[] | undefined,
): { prefix: number; suffix: number; text: string } | null {
  let out = text;
  // Unchanged head and tail so far: an edit at [p, p + old) keeps at most p characters in front and what follows it.
  let prefix = text.length;
  let suffix = text.length;
  for (const edit of edits) {
    const oldString = normalizeEol(edit.oldString);
    const newString = normalizeEol(edit.newString);
    if (oldString === "") {
      // Claude accepts an empty old string only to fill an empty (or new) file.
      if (out !== "") return null;
      out = newString;
      prefix = 0;
      suffix = 0;
      continue;
    }
    let positions = findAll(out, oldString);
    if (positions.length === 0) positions = findAll(foldQuotes(out), foldQuotes(oldString));
    if (positions.length === 0) return null;
    const chosen = edit.replaceAll ? positions : [pickOccurrence(out, positions, hunks)];
    prefix = Math.min(prefix, chosen[0] as number);
    suffix = Math.min(suffix, out.length - ((chosen[chosen.length - 1] as number) + oldString.length));
    let next = "";
    let at = 0;
    for (const p of chosen) {
      next += out.slice(at, p) + newString;
      at = p + oldString.length;
    }
    out = next + out.slice(at);
  }
  return { prefix, suffix, text: out };
}

/**
 * The line replacements of structuredPatch hunks on `lines`: each hunk's old side (context and removed lines) is
 * sought at its recorded line first, then at the nearest place after the previous hunk; null when it is absent.
 */
export function hunkReplacements(lines: readonly string[], hunks: readonly StructuredHunk[]): LineReplacement[] | null {
  const replacements: LineReplacement[] = [];
  let cursor = 0;
  for (const hunk of [...hunks].sort((p, q) => p.oldStart - q.oldStart)) {
    const { oldSide, newSide } = hunkSides(hunk);
    const expected = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    const at = locate(lines, oldSide, cursor, expected);
    if (at === null) return null;
    replacements.push({ start: at, length: oldSide.length, lines: newSide });
    cursor = at + oldSide.length;
  }
  return replacements;
}

/** Whether each of `hunkReplacements`' results sits at its hunk's recorded line (not at a nearer match found later). */
export function atRecordedLines(replacements: readonly LineReplacement[], hunks: readonly StructuredHunk[]): boolean {
  const sorted = [...hunks].sort((p, q) => p.oldStart - q.oldStart);
  return sorted.every((hunk, i) => replacements[i]?.start === (hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1));
}

/** The old side (` ` and `-` lines) and new side (` ` and `+` lines) of a hunk, without markers or CRs. */
export function hunkSides(hunk: StructuredHunk): { oldSide: string[]; newSide: string[]; added: boolean[] } {
  const oldSide: string[] = [];
  const newSide: string[] = [];
  const added: boolean[] = [];
  for (const raw of hunk.lines) {
    const marker = raw.charAt(0);
    const line = raw.endsWith("\r") ? raw.slice(1, -1) : raw.slice(1);
    if (marker === " " || marker === "-") oldSide.push(line);
    if (marker === " " || marker === "+") {
      newSide.push(line);
      added.push(marker === "+");
    }
  }
  return { oldSide, newSide, added };
}

/** Where `run` occurs in the view at or after `from`: at `expected` when it matches there, else the nearest place. */
function locate(lines: readonly string[], run: readonly string[], from: number, expected: number): number | null {
  const last = lines.length - run.length;
  if (run.length === 0) return Math.min(Math.max(expected, from), lines.length);
  if (expected >= from && expected <= last && matchesAt(lines, run, expected)) return expected;
  let best: number | null = null;
  for (let i = from; i <= last; i++) {
    let ok = true;
    for (let k = 0; k < run.length; k++) {
      if (lines[i + k] !== run[k]) {
        ok = false;
        break;
      }
    }
    if (ok && (best === null || Math.abs(i - expected) < Math.abs(best - expected))) best = i;
    if (best !== null && i > expected) break;
  }
  return best;
}

function matchesAt(lines: readonly string[], run: readonly string[], at: number): boolean {
  for (let k = 0; k < run.length; k++) if (lines[at + k] !== run[k]) return false;
  return true;
}

/** Non-overlapping occurrences of `needle` in `hay`, left to right. */
function findAll(hay: string, needle: string): number[] {
  const found: number[] = [];
  let at = hay.indexOf(needle);
  while (at !== -1) {
    found.push(at);
    at = hay.indexOf(needle, at + needle.length);
  }
  return found;
}

/**
 * Of several occurrences, the one whose line lies in (or nearest to) a hunk's old range; the first one when there
 * are no hunks. Hunk ranges include Claude's context lines, so an occurrence inside a range is a sure pick.
 */
function pickOccurrence(text: string, positions: readonly number[], hunks: readonly StructuredHunk[] | undefined): number {
  const first = positions[0] as number;
  if (positions.length === 1 || hunks === undefined || hunks.length === 0) return first;
  let best = first;
  let bestDistance = Infinity;
  let line = 1;
  let scanned = 0;
  for (const p of positions) {
    for (let nl = text.indexOf("\n", scanned); nl !== -1 && nl < p; nl = text.indexOf("\n", nl + 1)) line++;
    scanned = p;
    let distance = Infinity;
    for (const h of hunks) {
      const lo = h.oldStart;
      const hi = h.oldStart + Math.max(h.oldLines, 1) - 1;
      distance = Math.min(distance, line < lo ? lo - line : line > hi ? line - hi : 0);
    }
    if (distance < bestDistance) {
      best = p;
      bestDistance = distance;
    }
  }
  return best;
}

/** Curly quotes folded to straight ones, one character for one so positions stay valid. */
function foldQuotes(text: string): string {
  return text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201C\u201D]/g, '"');
}
