// Codex file operations with resolved paths, from a parsed `apply_patch` or from the `changes` map of
// `patch_apply_end`, and their conversion to per-file event parts. A move becomes two parts sharing the call id:
// DELETED at the old path (with `movedTo`) and CREATED at the new one, both carrying the update's chunks. Whole
// contents (Add File, heredoc writes) carry their line fingerprint beside their key.

import { lineFingerprint } from "../../attribution/fingerprint";
import type { EditAction, EditChange, PatchChunk, StructuredHunk } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { resolveAgentPath } from "../../util/paths";
import { hunkLinesSize, parseUnifiedDiff, type PatchOp } from "../../traces/apply-patch";
import { asRecord, asString, type Json } from "../../traces/common";

export type ResolvedOp =
  | { kind: "add"; path: string; content: string }
  | { kind: "delete"; path: string; before?: string }
  | { kind: "update"; path: string; moveTo: string | null; chunks: PatchChunk[]; hunks?: StructuredHunk[]; changeSize: number }
  | { kind: "write"; path: string; content: string };

export interface EventPart {
  file: string;
  action: EditAction;
  change: EditChange;
  changeSize: number;
  /** Overrides the call's tool name (heredoc writes are `shell`). */
  toolName?: string;
}

/** Resolves the paths of parsed patch operations against the call's directory; unresolvable ones are dropped. */
export function codexOpEdits(ops: PatchOp[], cwd: string | null): ResolvedOp[] {
  const out: ResolvedOp[] = [];
  for (const op of ops) {
    const path = resolveAgentPath(op.path, cwd);
    if (path === null) continue;
    if (op.kind === "add") out.push({ kind: "add", path, content: op.content });
    else if (op.kind === "delete") out.push({ kind: "delete", path });
    else {
      const moveTo = op.moveTo !== null ? resolveAgentPath(op.moveTo, cwd) : null;
      out.push({ kind: "update", path, moveTo, chunks: op.chunks, changeSize: op.changeSize });
    }
  }
  return out;
}

/** Operations from `patch_apply_end.changes` (`{type:"add",content}` or `{add:{content}}` per path, etc.). */
export function codexChangeOps(changes: Json | undefined, cwd: string | null): ResolvedOp[] {
  if (!changes) return [];
  const out: ResolvedOp[] = [];
  for (const [rawPath, value] of Object.entries(changes)) {
    const path = resolveAgentPath(rawPath, cwd);
    const change = asRecord(value);
    if (path === null || !change) continue;
    const tagged = asString(change.type);
    const kind = tagged ?? ["add", "delete", "update"].find((k) => asRecord(change[k]) !== undefined);
    const body = tagged ? change : asRecord(change[kind ?? ""]);
    if (!kind || !body) continue;
    if (kind === "add") {
      const content = asString(body.content);
      if (content !== undefined) out.push({ kind: "add", path, content });
    } else if (kind === "delete") {
      const before = asString(body.content);
      out.push(before !== undefined ? { kind: "delete", path, before } : { kind: "delete", path });
    } else if (kind === "update") {
      const diff = asString(body.unified_diff) ?? "";
      const hunks = parseUnifiedDiff(diff);
      const movePath = asString(body.move_path);
      const moveTo = movePath ? resolveAgentPath(movePath, cwd) : null;
      let changeSize = 0;
      for (const h of hunks) changeSize += hunkLinesSize(h.lines);
      const op: ResolvedOp = { kind: "update", path, moveTo, chunks: [], changeSize };
      if (hunks.length > 0) op.hunks = hunks;
      out.push(op);
    }
  }
  return out;
}

/** The per-file parts of a call's operations (a move yields two). */
export function codexEventsOf(ops: ResolvedOp[], contents: ContentStore): EventPart[] {
  const parts: EventPart[] = [];
  for (const op of ops) {
    if (op.kind === "add") {
      const change: EditChange = { after: contents.put(op.content), afterFp: lineFingerprint(op.content) };
      parts.push({ file: op.path, action: "CREATED", change, changeSize: op.content.length });
    } else if (op.kind === "write") {
      parts.push({
        file: op.path,
        action: "EDITED",
        change: { after: contents.put(op.content), afterFp: lineFingerprint(op.content) },
        changeSize: op.content.length,
        toolName: "shell",
      });
    } else if (op.kind === "delete") {
      const change: EditChange = op.before !== undefined ? { before: contents.put(op.before) } : {};
      parts.push({ file: op.path, action: "DELETED", change, changeSize: op.before?.length ?? 0 });
    } else {
      const change: EditChange = { chunks: op.chunks };
      if (op.hunks) change.hunks = op.hunks;
      if (op.moveTo !== null && op.moveTo !== op.path) {
        parts.push({ file: op.path, action: "DELETED", change: { ...change, movedTo: op.moveTo }, changeSize: op.changeSize });
        parts.push({ file: op.moveTo, action: "CREATED", change: { ...change, movedFrom: op.path }, changeSize: op.changeSize });
      } else {
        parts.push({ file: op.path, action: "EDITED", change, changeSize: op.changeSize });
      }
    }
  }
  return parts;
}
