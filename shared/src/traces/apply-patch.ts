// Parser for Codex's `apply_patch` format (`*** Begin Patch` … `*** End Patch`): Add/Delete/Update File sections,
// `*** Move to:`, `@@ [context]` chunks and `*** End of File`. It is lenient like Codex (a missing first `@@`, blank
// lines as empty context, stray whitespace on markers) and never throws: text that is not a patch yields null.

import type { PatchChunk, StructuredHunk } from "../events/edit-event";

export type PatchOp =
  | { kind: "add"; path: string; content: string; changeSize: number }
  | { kind: "delete"; path: string; changeSize: number }
  | { kind: "update"; path: string; moveTo: string | null; chunks: PatchChunk[]; changeSize: number };

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const DELETE = "*** Delete File: ";
const UPDATE = "*** Update File: ";
const MOVE = "*** Move to: ";
const EOF_MARK = "*** End of File";

/** Parses a patch; null when the text holds no `*** Begin Patch` or no file section. */
export function parseApplyPatch(text: string): PatchOp[] | null {
  const lines = text.split("\n");
  if (text.includes("\r")) for (let k = 0; k < lines.length; k++) if (lines[k]!.endsWith("\r")) lines[k] = lines[k]!.slice(0, -1);
  let i = 0;
  while (i < lines.length && lines[i]!.trim() !== BEGIN) i++;
  if (i === lines.length) return null;
  i++;
  const ops: PatchOp[] = [];
  while (i < lines.length) {
    const line = lines[i]!;
    const marker = line.trim();
    if (marker === END) break;
    if (marker.startsWith(ADD)) {
      const path = marker.slice(ADD.length).trim();
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i]!.startsWith("+")) body.push(lines[i++]!.slice(1));
      const content = body.length > 0 ? `${body.join("\n")}\n` : "";
      if (path !== "") ops.push({ kind: "add", path, content, changeSize: content.length });
      continue;
    }
    if (marker.startsWith(DELETE)) {
      const path = marker.slice(DELETE.length).trim();
      if (path !== "") ops.push({ kind: "delete", path, changeSize: 0 });
      i++;
      continue;
    }
    if (marker.startsWith(UPDATE)) {
      const path = marker.slice(UPDATE.length).trim();
      i++;
      let moveTo: string | null = null;
      if (i < lines.length && lines[i]!.trim().startsWith(MOVE)) {
        moveTo = lines[i]!.trim().slice(MOVE.length).trim() || null;
        i++;
      }
      const parsed = parseChunks(lines, i);
      i = parsed.next;
      if (path !== "") ops.push({ kind: "update", path, moveTo, chunks: parsed.chunks, changeSize: parsed.changeSize });
      continue;
    }
    // Anything else between sections (blank lines, stray text) is ignored, as Codex's lenient mode does.
    i++;
  }
  return ops.length > 0 ? ops : null;
}

function isSectionMarker(line: string): boolean {
  const t = line.trim();
  return t === END || t.startsWith(ADD) || t.startsWith(DELETE) || t.startsWith(UPDATE);
}

function parseChunks(lines: string[], from: number): { chunks: PatchChunk[]; next: number; changeSize: number } {
  const chunks: PatchChunk[] = [];
  let current: PatchChunk | null = null;
  // The removed and added sides of the current chunk, as the lengths of their lines joined by newlines (+1 each).
  let removed = 0;
  let added = 0;
  let changeSize = 0;
  const close = (): void => {
    if (current && (current.oldLines.length > 0 || current.newLines.length > 0 || current.context !== null)) {
      chunks.push(current);
      const oldLength = Math.max(removed - 1, 0);
      const newLength = Math.max(added - 1, 0);
      changeSize += Math.abs(newLength - oldLength) + Math.max(oldLength, newLength);
    }
    current = null;
    removed = 0;
    added = 0;
  };
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (isSectionMarker(line)) break;
    if (line.trim() === EOF_MARK) {
      if (current) current.endOfFile = true;
      continue;
    }
    if (line.startsWith("@@")) {
      close();
      const context = line.slice(2).trim();
      current = { context: context === "" ? null : context, oldLines: [], newLines: [], endOfFile: false };
      continue;
    }
    // Codex accepts the first chunk of a section without its `@@` line.
    current ??= { context: null, oldLines: [], newLines: [], endOfFile: false };
    const tag = line[0];
    const rest = line.slice(1);
    if (tag === "+") {
      current.newLines.push(rest);
      added += rest.length + 1;
    } else if (tag === "-") {
      current.oldLines.push(rest);
      removed += rest.length + 1;
    } else if (tag === " " || line === "") {
      current.oldLines.push(rest);
      current.newLines.push(rest);
    } else {
      // A line without a diff prefix ends the section (Codex would reject the patch; we keep what parsed).
      break;
    }
  }
  close();
  return { chunks, next: i, changeSize };
}

/** Characters changed by replacing `oldText` with `newText` (the EditEvent `changeSize` rule). */
export function sizeOf(oldText: string, newText: string): number {
  return Math.abs(newText.length - oldText.length) + Math.max(oldText.length, newText.length);
}

/**
 * `sizeOf` of a hunk's removed (`-`) and added (`+`) lines, each side without its tags and joined by newlines: worked
 * out from the lines' lengths, without building either text.
 */
export function hunkLinesSize(lines: readonly string[]): number {
  let removed = 0;
  let removedLines = 0;
  let added = 0;
  let addedLines = 0;
  for (const line of lines) {
    const tag = line.charCodeAt(0);
    if (tag === 0x2d) {
      removed += line.length - 1;
      removedLines++;
    } else if (tag === 0x2b) {
      added += line.length - 1;
      addedLines++;
    }
  }
  const oldLength = removedLines > 0 ? removed + removedLines - 1 : 0;
  const newLength = addedLines > 0 ? added + addedLines - 1 : 0;
  return Math.abs(newLength - oldLength) + Math.max(oldLength, newLength);
}

/**
 * The patch text inside a shell command that runs `apply_patch` (a heredoc, a quoted argument, or the bare text
 * after `apply_patch`); null when the command does not invoke it.
 */
export function extractPatchFromScript(script: string): string | null {
  if (!/\bapply_?patch\b/.test(script)) return null;
  const begin = script.indexOf(BEGIN);
  if (begin === -1) return null;
  const end = script.indexOf(END, begin);
  return end === -1 ? script.slice(begin) : script.slice(begin, end + END.length);
}

/** Hunks of a unified diff (`@@ -a,b +c,d @@` headers), as Codex's `patch_apply_end` records them for updates. */
export function parseUnifiedDiff(diff: string): StructuredHunk[] {
  const hunks: StructuredHunk[] = [];
  let current: StructuredHunk | null = null;
  for (const raw of diff.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      current = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        lines: [],
      };
      hunks.push(current);
      continue;
    }
    if (!current) continue;
    const tag = line[0];
    if (tag === " " || tag === "-" || tag === "+" || tag === "\\") current.lines.push(line);
  }
  return hunks;
}
