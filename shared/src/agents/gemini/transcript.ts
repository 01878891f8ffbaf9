// Gemini CLI sessions → transcripts: user messages as the human's, `gemini` messages as the assistant's with their
// model, thoughts, token counts and tool calls (call, result, and a file operation for each file change); info,
// warning and error messages as system text. Either layout: one `.json` record, or the `.jsonl` records folded
// like the parser folds them (last write of a message wins, rewound messages are left out).

import { basename, dirname } from "node:path";
import { asArray, asRecord, asString, type Json } from "../../traces/common";
import { emptyMeta, finishTranscript, type ContentBlock, type Transcript, type TranscriptMessage } from "../../transcripts/model";
import { conversationFromRecord, contentText, JsonlConversation, type GeminiConversation } from "./session";

/** A Gemini session: its first record names the session and the project hash (header line or whole record). */
export function looksLikeGemini(records: readonly Json[]): boolean {
  const first = records[0];
  return first !== undefined && typeof first.sessionId === "string" && typeof first.projectHash === "string";
}

function isoOf(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function conversationOf(records: Json[]): GeminiConversation {
  if (records.length === 1 && Array.isArray(records[0]!.messages)) {
    const whole = conversationFromRecord(records[0]);
    if (whole) return whole;
  }
  const folded = new JsonlConversation();
  for (const r of records) folded.record(r, 0);
  return folded.finish();
}

/** What a tool call returned: its display string, else the `output`/`error` of its functionResponse parts. */
function resultText(call: Json): string {
  if (typeof call.resultDisplay === "string") return call.resultDisplay;
  const parts = Array.isArray(call.result) ? call.result : call.result === undefined || call.result === null ? [] : [call.result];
  return parts
    .map((p) => {
      const response = asRecord(asRecord(asRecord(p)?.functionResponse)?.response);
      return asString(response?.output) ?? asString(response?.error) ?? asString(asRecord(p)?.text) ?? "";
    })
    .filter((t) => t !== "")
    .join("\n");
}

function toolBlocks(call: Json): ContentBlock[] {
  const id = asString(call.id) ?? "";
  const name = asString(call.name) ?? "tool";
  const blocks: ContentBlock[] = [{ type: "tool_use", id, name, input: call.args ?? null }];
  const display = asRecord(call.resultDisplay);
  blocks.push({ type: "tool_result", toolUseId: id, content: resultText(call), isError: call.status === "error" });
  const filePath = asString(display?.filePath) ?? (name === "write_file" || name === "replace" ? asString(asRecord(call.args)?.file_path) : undefined);
  if (filePath && call.status === "success" && (typeof display?.newContent === "string" || name === "write_file" || name === "replace")) {
    const created = display?.isNewFile === true || (display !== undefined && display.originalContent === null);
    blocks.push({ type: "file_operation", operation: created ? "create" : "edit", filePath, toolUseId: id });
  }
  return blocks;
}

export function parseGeminiTranscript(records: Json[], path: string): Transcript {
  const c = conversationOf(records);
  const parentDir = basename(dirname(path));
  const parent = c.kind === "subagent" && parentDir !== "chats" ? parentDir : null;
  const ownId = c.sessionId ?? basename(path);
  const meta = emptyMeta("gemini-cli", path, parent ? `${parent}/${ownId}` : ownId);
  meta.title = c.summary;
  meta.startTime = isoOf(c.startTime) ?? null;
  meta.cwd = c.directories[0] ?? null;
  meta.parentSessionId = parent;
  meta.subagentId = parent ? ownId : null;
  const messages: TranscriptMessage[] = [];
  for (const { message } of c.messages) {
    const type = asString(message.type);
    const timestamp = isoOf(message.timestamp) ?? meta.startTime ?? new Date(0).toISOString();
    const id = asString(message.id) ?? "";
    const text = contentText(message.content);
    if (type === "user") {
      messages.push({ id, role: "user", timestamp, model: null, content: text ? [{ type: "text", text }] : [], usage: null });
    } else if (type === "gemini") {
      const content: ContentBlock[] = [];
      for (const t of asArray(message.thoughts) ?? []) {
        const thought = asRecord(t);
        const body = [asString(thought?.subject), asString(thought?.description)].filter((x) => x).join(": ");
        if (body) content.push({ type: "thinking", thinking: body });
      }
      if (text) content.push({ type: "text", text });
      for (const call of asArray(message.toolCalls) ?? []) {
        const record = asRecord(call);
        if (record) content.push(...toolBlocks(record));
      }
      const tokens = asRecord(message.tokens);
      const usage = tokens ? { inputTokens: num(tokens.input), outputTokens: num(tokens.output), cacheReadTokens: num(tokens.cached), cacheCreationTokens: null } : null;
      messages.push({ id, role: "assistant", timestamp, model: asString(message.model) ?? null, content, usage });
    } else if (text) {
      messages.push({ id, role: "system", timestamp, model: null, content: [{ type: "text", text: `${type ?? "info"}: ${text}` }], usage: null });
    }
  }
  return finishTranscript(meta, messages);
}
