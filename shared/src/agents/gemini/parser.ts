// Gemini CLI session files → edit events. Both layouts change in place (a `.json` is rewritten whole, a `.jsonl`
// message is written again under its id, `$rewindTo` undoes messages), so the file is always read whole
// (`readsWhole`) and the events replace the previous ones. Each successful tool call with a file change becomes an
// event carrying the model of its message and the nearest user prompt before it. Edits of rewound messages are kept:
// replay measures them against the file on disk, so their lines count only where the file still holds them. A
// `.json` that does not parse (caught mid-write, truncated) is reported as unreadable and the index keeps what it had.

import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { EditEvent, SessionInfo } from "../../events/edit-event";
import { addModel, asArray, asRecord, asString, eventId, newSession, normalizeTimestamp, promptSnippet, touchSession, type Json } from "../../traces/common";
import { parseJsonObject, readLines } from "../../traces/jsonl-reader";
import type { ParseInput, ParseOutput, TraceParser } from "../../traces/parser";
import { resolveAgentPath } from "../../util/paths";
import type { ContentStore } from "../../store/content-store";
import { geminiEdit, type GeminiEdit } from "./edits";
import { conversationFromJson, contentText, JsonlConversation, type GeminiConversation } from "./session";

/** Whole `.json` sessions above this size are not read (a real one stays far below: tool outputs are capped). */
const MAX_JSON_BYTES = 512 * 1024 * 1024;

/**
 * The project folder a session was recorded for: the `.project_root` marker of its `tmp/<slug>/` folder (newer
 * Gemini CLI), else the first workspace directory the session names. Null for hash folders without a marker.
 */
async function projectRootOf(path: string, conversation: GeminiConversation): Promise<string | null> {
  let dir = dirname(path);
  for (let depth = 0; depth < 3 && basename(dir) !== "chats"; depth++) dir = dirname(dir);
  if (basename(dir) === "chats") {
    try {
      const marker = (await readFile(join(dirname(dir), ".project_root"), "utf8")).trim();
      if (marker !== "" && !marker.includes("\0")) return marker;
    } catch {
      // No marker: a hash-named folder of an older Gemini CLI.
    }
  }
  return conversation.directories[0] ?? null;
}

/** A subagent's session file sits in `chats/<parent session id>/`. */
function parentOf(path: string, conversation: GeminiConversation): string | null {
  if (conversation.kind !== "subagent") return null;
  const parent = basename(dirname(path));
  return parent === "chats" ? null : parent;
}

export class GeminiTraceParser implements TraceParser {
  readonly agent = "gemini-cli" as const;
  readonly readsWhole = true;

  async parse(input: ParseInput): Promise<ParseOutput> {
    const { path } = input;
    if (path.endsWith(".json")) {
      let text: string;
      try {
        const buffer = await readFile(path);
        if (buffer.length > MAX_JSON_BYTES) return failed(`${path}: session file too large to read`);
        text = buffer.toString("utf8");
      } catch (error) {
        return failed(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const conversation = conversationFromJson(text);
      if (conversation === null) return failed(`${path}: not a complete Gemini session (being written, or truncated)`);
      return this.output(path, conversation, input.contents, Buffer.byteLength(text), Buffer.byteLength(text));
    }
    const folded = new JsonlConversation();
    const read = await readLines(path, { fromOffset: 0, onLine: (line, offset) => folded.record(parseJsonObject(line) ?? null, offset) });
    const out = await this.output(path, folded.finish(), input.contents, read.endOffset, read.bytesRead, read.skippedLines);
    if (read.error !== undefined) out.error = read.error;
    return out;
  }

  private async output(path: string, c: GeminiConversation, contents: ContentStore, endOffset: number, bytesRead: number, extraSkipped = 0): Promise<ParseOutput> {
    const root = await projectRootOf(path, c);
    const parent = parentOf(path, c);
    const ownId = c.sessionId ?? basename(path).replace(/\.jsonl?$/, "");
    // As for Claude subagents: events carry the parent session and the subagent's own id.
    const sessionId = parent ?? ownId;
    const session: SessionInfo = { ...newSession(sessionId, this.agent, path), cwd: root, parentSessionId: parent, subagentId: parent ? ownId : null };
    touchSession(session, normalizeTimestamp(c.startTime));
    touchSession(session, normalizeTimestamp(c.lastUpdated));
    const events: EditEvent[] = [];
    let skipped = c.skipped + extraSkipped;
    let prompt: string | null = null;
    const all = [...c.rewound, ...c.messages].sort((a, b) => a.offset - b.offset);
    let order = 0;
    for (const { message, offset } of all) {
      const type = asString(message.type);
      const when = normalizeTimestamp(message.timestamp);
      touchSession(session, when);
      if (type === "user") {
        const text = promptSnippet(contentText(message.content));
        if (text !== null) {
          prompt = text;
          session.firstPrompt ??= text;
        }
        continue;
      }
      if (type !== "gemini") continue;
      const model = asString(message.model) ?? null;
      addModel(session, model);
      for (const raw of asArray(message.toolCalls) ?? []) {
        const call = asRecord(raw);
        order++;
        if (!call || typeof call.id !== "string") {
          skipped++;
          continue;
        }
        if (call.status !== "success") continue;
        const found = geminiEdit(call, contents);
        if (found.kind === "unprovable") skipped++;
        if (found.kind !== "edit") continue;
        const file = resolveAgentPath(found.edit.path, root);
        if (file === null) {
          skipped++;
          continue;
        }
        events.push(this.event(call as Json & { id: string }, found.edit, file, { session, model, when, prompt, path, offset: offset > 0 ? offset : order }));
      }
    }
    return { events, sessions: [session], endOffset, state: null, skippedLines: skipped, bytesRead };
  }

  private event(
    call: Json & { id: string },
    edit: GeminiEdit,
    file: string,
    at: { session: SessionInfo; model: string | null; when: string | undefined; prompt: string | null; path: string; offset: number },
  ): EditEvent {
    const timestamp = normalizeTimestamp(call.timestamp) ?? at.when ?? at.session.startTime ?? new Date(0).toISOString();
    return {
      id: eventId(this.agent, at.session.sessionId, call.id, file),
      file,
      action: edit.action,
      timestamp,
      model: at.model ?? "unknown",
      agent: this.agent,
      agentVersion: null,
      sessionId: at.session.sessionId,
      parentSessionId: at.session.parentSessionId,
      subagentId: at.session.subagentId,
      traceFile: at.path,
      traceOffset: at.offset,
      toolCallId: call.id,
      toolName: asString(call.name) ?? "unknown",
      promptId: null,
      promptText: at.prompt,
      changeSize: edit.changeSize,
      change: edit.change,
    };
  }
}

function failed(reason: string): ParseOutput {
  return { events: [], sessions: [], endOffset: 0, state: null, skippedLines: 0, bytesRead: 0, error: reason };
}
