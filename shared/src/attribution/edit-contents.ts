// The whole content of a file just before and just after one AI edit, for an editor's "show the change" diff. A
// Claude Write or Edit records them (content-store hashes); otherwise they are rebuilt by replaying the file's
// earlier events in order: the content before an edit is the one after the previous edit (the traces know no
// other), string edits and Codex chunks are applied to it, a deletion leaves nothing.

import type { EditEvent } from "../events/edit-event";
import { applyStringEdits } from "./claude-edits";
import { chunkReplacements } from "./codex-chunks";
import { normalizeEol } from "./text";

export interface EditContents {
  /** "" when the edit created the file. */
  before: string;
  /** "" when the edit deleted the file. */
  after: string;
}

function applyChunks(base: string, event: EditEvent): string | null {
  const chunks = event.change.chunks;
  if (!chunks) return null;
  const lines = normalizeEol(base).split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const replacements = chunkReplacements(lines, chunks);
  if (!replacements) return null;
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) lines.splice(r.start, r.length, ...r.lines);
  return `${lines.join("\n")}\n`;
}

function contentAfter(event: EditEvent, before: string | null, content: (key: string) => string | undefined): string | null {
  const change = event.change;
  if (change.after !== undefined) return content(change.after) ?? null;
  if (event.action === "DELETED") return "";
  if (before === null) return null;
  if (change.edits) return applyStringEdits(normalizeEol(before), change.edits, change.hunks)?.text ?? null;
  return applyChunks(before, event);
}

/**
 * The contents around `target`, one of `fileEvents` (all events of its file, oldest first); null when the traces
 * cannot tell them (an edit of a file whose earlier content no trace recorded).
 */
export function editContents(
  target: EditEvent,
  fileEvents: readonly EditEvent[],
  content: (key: string) => string | undefined,
): EditContents | null {
  let current: string | null = null;
  for (const event of fileEvents) {
    const recorded = event.change.before !== undefined ? (content(event.change.before) ?? null) : null;
    const before = recorded ?? (event.action === "CREATED" && event.change.before === undefined ? "" : current);
    const after = contentAfter(event, before, content);
    if (event.id === target.id) return before === null || after === null ? null : { before, after };
    current = after;
  }
  return null;
}
