// opencode sessions → edit events, whichever storage they come from (the JSON files before 1.2 or the SQLite
// database after): sessions {id, directory, parentID}, their messages {role, modelID, providerID, time} in order, and
// each message's parts. A completed tool part is an edit when it is `write` (input.content), `edit`/`multiedit`
// (state.metadata.filediff before/after when recorded, else the old/new strings and the filediff's unified patch) or
// `apply_patch`/`patch` (metadata.files before/after, else the patch text). The model is the assistant message's, the
// prompt the text of the user message before it; a sub-session (parentID) carries its parent.

import { lineFingerprint } from "../../attribution/fingerprint";
import type { EditAction, EditChange, EditEvent, SessionInfo } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { parseApplyPatch, parseUnifiedDiff, sizeOf } from "../../traces/apply-patch";
import { addModel, asArray, asRecord, asString, eventId, newSession, promptSnippet, touchSession, type Json } from "../../traces/common";
import { resolveAgentPath } from "../../util/paths";

export interface OpencodeSession {
  id: string;
  directory: string | null;
  parentID: string | null;
  version: string | null;
  created: number | null;
  messages: { info: Json; parts: Json[] }[];
}

interface FileEdit {
  path: string;
  action: EditAction;
  change: EditChange;
  changeSize: number;
}

const iso = (ms: unknown): string | undefined => (typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? new Date(ms).toISOString() : undefined);

function whole(contents: ContentStore, before: string | null, after: string): EditChange {
  const change: EditChange = { after: contents.put(after), afterFp: lineFingerprint(after) };
  if (before !== null) {
    change.before = contents.put(before);
    change.beforeFp = lineFingerprint(before);
  }
  return change;
}

function toolEdits(tool: string, state: Json, contents: ContentStore): FileEdit[] | null {
  const input = asRecord(state.input) ?? {};
  const metadata = asRecord(state.metadata) ?? {};
  const filediff = asRecord(metadata.filediff);
  const path = asString(input.filePath) ?? asString(filediff?.file);
  if (tool === "write") {
    const content = asString(input.content);
    if (!path || content === undefined) return null;
    const created = metadata.exists === false;
    return [{ path, action: created ? "CREATED" : "EDITED", change: whole(contents, null, content), changeSize: content.length }];
  }
  if (tool === "edit" || tool === "multiedit") {
    if (!path) return null;
    const before = asString(filediff?.before);
    const after = asString(filediff?.after);
    if (after !== undefined) {
      const action = before === undefined || before === "" ? "CREATED" : "EDITED";
      return [{ path, action, change: whole(contents, before ?? null, after), changeSize: sizeOf(before ?? "", after) }];
    }
    const list = tool === "multiedit" ? (asArray(input.edits) ?? []).map(asRecord) : [input];
    const edits = list.flatMap((e) =>
      e && typeof e.oldString === "string" && typeof e.newString === "string"
        ? [{ oldString: e.oldString, newString: e.newString, replaceAll: e.replaceAll === true }]
        : [],
    );
    const patch = asString(filediff?.patch) ?? asString(metadata.diff);
    const hunks = patch ? parseUnifiedDiff(patch) : [];
    if (edits.length === 0 && hunks.length === 0) return null;
    const change: EditChange = {};
    if (edits.length > 0) change.edits = edits;
    if (hunks.length > 0) change.hunks = hunks;
    return [{ path, action: "EDITED", change, changeSize: edits.reduce((n, e) => n + sizeOf(e.oldString, e.newString), 0) }];
  }
  if (tool === "apply_patch" || tool === "patch") {
    const files = asArray(metadata.files);
    if (files && files.length > 0) {
      return files.flatMap((f) => {
        const file = asRecord(f);
        const filePath = asString(file?.filePath) ?? asString(file?.file);
        const after = asString(file?.after);
        if (!file || !filePath) return [];
        if (file.type === "delete" || (after === undefined && file.after === null)) return [{ path: filePath, action: "DELETED" as const, change: {}, changeSize: 0 }];
        if (after === undefined) return [];
        const before = asString(file.before);
        return [{ path: filePath, action: (before === undefined ? "CREATED" : "EDITED") as EditAction, change: whole(contents, before ?? null, after), changeSize: sizeOf(before ?? "", after) }];
      });
    }
    const text = asString(input.patchText) ?? asString(input.patch);
    const ops = text ? parseApplyPatch(text) : null;
    if (!ops) return null;
    return ops.map((op) =>
      op.kind === "add"
        ? { path: op.path, action: "CREATED" as const, change: whole(contents, null, op.content), changeSize: op.changeSize }
        : op.kind === "delete"
          ? { path: op.path, action: "DELETED" as const, change: {}, changeSize: op.changeSize }
          : { path: op.path, action: "EDITED" as const, change: { chunks: op.chunks }, changeSize: op.changeSize },
    );
  }
  return [];
}

/** The events and session info of one opencode session; `skipped` counts tool parts of an edit tool that could not be read. */
export function sessionEvents(s: OpencodeSession, traceFile: string, offset: number, contents: ContentStore): { events: EditEvent[]; session: SessionInfo; skipped: number } {
  const sessionId = s.parentID ?? s.id;
  const session: SessionInfo = { ...newSession(sessionId, "opencode", traceFile), agentVersion: s.version, cwd: s.directory, parentSessionId: s.parentID, subagentId: s.parentID ? s.id : null };
  touchSession(session, iso(s.created));
  const events: EditEvent[] = [];
  let skipped = 0;
  let prompt: string | null = null;
  for (const { info, parts } of s.messages) {
    const when = iso(asRecord(info.time)?.created);
    touchSession(session, when);
    if (info.role === "user") {
      const text = promptSnippet(parts.filter((p) => p.type === "text" && p.synthetic !== true).map((p) => asString(p.text) ?? "").join("\n"));
      if (text !== null) {
        prompt = text;
        session.firstPrompt ??= text;
      }
      continue;
    }
    const model = asString(info.modelID) ?? asString(asRecord(info.model)?.modelID) ?? null;
    addModel(session, model);
    for (const part of parts) {
      if (part.type !== "tool") continue;
      const state = asRecord(part.state);
      const tool = asString(part.tool) ?? "";
      if (state?.status !== "completed") continue;
      const edits = toolEdits(tool, state, contents);
      if (edits === null) {
        skipped++;
        continue;
      }
      const callId = asString(part.callID) ?? asString(part.id) ?? "";
      const timestamp = iso(asRecord(state.time)?.end) ?? iso(asRecord(state.time)?.start) ?? when ?? new Date(0).toISOString();
      touchSession(session, timestamp);
      for (const edit of edits) {
        const file = resolveAgentPath(edit.path, s.directory);
        if (file === null) {
          skipped++;
          continue;
        }
        events.push({
          id: eventId("opencode", sessionId, callId, file), file, action: edit.action, timestamp, model: model ?? "unknown",
          agent: "opencode", agentVersion: s.version, sessionId, parentSessionId: s.parentID, subagentId: s.parentID ? s.id : null,
          traceFile, traceOffset: offset + events.length, toolCallId: callId, toolName: tool, promptId: asString(info.parentID) ?? null,
          promptText: prompt, changeSize: edit.changeSize, change: edit.change,
        });
      }
    }
  }
  return { events, session, skipped };
}
