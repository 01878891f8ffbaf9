// Places the chunks of a Codex `*** Update File` section on a known content the way Codex itself does: chunks carry
// no line numbers, so each is sought forward from the previous one's end (context line first), matching exactly,
// then ignoring trailing whitespace, then ignoring surrounding whitespace, then with Unicode punctuation folded to
// ASCII. Any chunk that cannot be placed makes the whole step fail (Codex would have rejected the patch).

import type { PatchChunk } from "../events/edit-event";
import type { LineReplacement } from "./chain";

/**
 * The line replacements that `chunks` make on `lines` (LF content), sorted; null when a chunk cannot be placed.
 * Like Codex, the result always ends with a newline (the caller records that).
 */
export function chunkReplacements(lines: readonly string[], chunks: readonly PatchChunk[]): LineReplacement[] | null {
  const replacements: LineReplacement[] = [];
  let cursor = 0;
  for (const chunk of chunks) {
    if (chunk.context !== null && chunk.context !== "") {
      const at = seekSequence(lines, [stripCr(chunk.context)], cursor, false);
      if (at === null) return null;
      cursor = at + 1;
    }
    let oldLines = chunk.oldLines.map(stripCr);
    let newLines = chunk.newLines.map(stripCr);
    if (oldLines.length === 0) {
      // Codex appends a pure addition at the end of the file (before a final blank line, if any).
      const n = lines.length;
      replacements.push({ start: n > 0 && lines[n - 1] === "" ? n - 1 : n, length: 0, lines: newLines });
      continue;
    }
    let found = seekSequence(lines, oldLines, cursor, chunk.endOfFile);
    if (found === null && oldLines[oldLines.length - 1] === "") {
      // A trailing empty line in the pattern often stands for the final newline: retry without it.
      oldLines = oldLines.slice(0, -1);
      if (newLines[newLines.length - 1] === "") newLines = newLines.slice(0, -1);
      found = seekSequence(lines, oldLines, cursor, chunk.endOfFile);
    }
    if (found === null) return null;
    replacements.push({ start: found, length: oldLines.length, lines: newLines });
    cursor = found + oldLines.length;
  }
  replacements.sort((p, q) => p.start - q.start);
  for (let i = 1; i < replacements.length; i++) {
    const prev = replacements[i - 1] as LineReplacement;
    if ((replacements[i] as LineReplacement).start < prev.start + prev.length) return null;
  }
  return replacements;
}

type LineEq = (line: string, pattern: string) => boolean;

const lenientPasses: LineEq[] = [
  (l, p) => l.trimEnd() === p.trimEnd(),
  (l, p) => l.trim() === p.trim(),
  (l, p) => foldPunctuation(l.trim()) === foldPunctuation(p.trim()),
];

/**
 * Start index of `pattern` in `lines` at or after `start` (with `eof`, first tried at the very end), using four
 * passes of decreasing strictness: exact, trailing whitespace ignored, surrounding whitespace ignored, Unicode
 * punctuation folded; null when absent.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, eof: boolean): number | null {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return null;
  const last = lines.length - pattern.length;
  const from = eof ? last : start;
  const head = pattern[0] as string;
  // The exact pass is the common case and runs over every line: keep it free of indirect calls.
  for (let i = from; i <= last; i++) {
    if (lines[i] !== head) continue;
    let k = 1;
    while (k < pattern.length && lines[i + k] === pattern[k]) k++;
    if (k === pattern.length) return i;
  }
  for (const eq of lenientPasses) {
    for (let i = from; i <= last; i++) {
      if (!eq(lines[i] as string, head)) continue;
      let ok = true;
      for (let k = 1; k < pattern.length; k++) {
        if (!eq(lines[i + k] as string, pattern[k] as string)) {
          ok = false;
          break;
        }
      }
      if (ok) return i;
    }
  }
  if (eof && start < from) return seekSequence(lines, pattern, start, false);
  return null;
}

const punctuation: Record<string, string> = {
  "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
  "\u2018": "'", "\u2019": "'", "\u201A": "'", "\u201B": "'",
  "\u201C": '"', "\u201D": '"', "\u201E": '"', "\u201F": '"',
  "\u00A0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ",
  "\u2008": " ", "\u2009": " ", "\u200A": " ", "\u202F": " ", "\u205F": " ", "\u3000": " ",
};
const punctuationPattern = /[\u2010-\u2015\u2212\u2018-\u201F\u00A0\u2002-\u200A\u202F\u205F\u3000]/g;

/** Typographic dashes, quotes and odd spaces folded to their ASCII look-alikes. */
export function foldPunctuation(text: string): string {
  return text.replace(punctuationPattern, (c) => punctuation[c] ?? c);
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
