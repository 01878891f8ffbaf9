// Applies the chunks of a Codex `*** Update File` section to a known content the way Codex itself does: chunks carry
// no line numbers, so each is sought forward from the previous one's end (context line first), matching exactly,
// then ignoring trailing whitespace, then ignoring surrounding whitespace, then with Unicode punctuation folded to
// ASCII. Any chunk that cannot be placed makes the whole application fail (Codex would have rejected the patch).

import type { PatchChunk } from "../events/edit-event";
import { splitLines } from "./text";

/** The content after applying `chunks` to `text` (LF-normalised), or null when a chunk cannot be placed. */
export function applyChunks(text: string, chunks: readonly PatchChunk[]): string | null {
  const lines = splitLines(text);
  const replacements: Array<{ start: number; length: number; lines: string[] }> = [];
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
      const at = lines.length > 0 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
      replacements.push({ start: at, length: 0, lines: newLines });
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
  const out: string[] = [];
  let at = 0;
  for (const r of replacements) {
    if (r.start < at) return null;
    for (let i = at; i < r.start; i++) out.push(lines[i] as string);
    for (const line of r.lines) out.push(line);
    at = r.start + r.length;
  }
  for (let i = at; i < lines.length; i++) out.push(lines[i] as string);
  // Codex always ends the file with a newline.
  return out.length === 0 ? "" : out.join("\n") + "\n";
}

type LineEq = (line: string, pattern: string) => boolean;

const passes: LineEq[] = [
  (l, p) => l === p,
  (l, p) => l.trimEnd() === p.trimEnd(),
  (l, p) => l.trim() === p.trim(),
  (l, p) => foldPunctuation(l.trim()) === foldPunctuation(p.trim()),
];

/**
 * Start index of `pattern` in `lines` at or after `start` (with `eof`, first tried at the very end), using the four
 * passes of decreasing strictness; null when absent.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, eof: boolean): number | null {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return null;
  const last = lines.length - pattern.length;
  const from = eof ? last : start;
  for (const eq of passes) {
    for (let i = from; i <= last; i++) {
      let ok = true;
      for (let k = 0; k < pattern.length; k++) {
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
