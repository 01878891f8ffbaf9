// Claude Code session files → transcripts. Every `user`/`assistant` record with a message becomes a message
// (duplicated uuids from forks once); tool results keep array content as text; successful file tools add file
// operations; a subagent file is named `<parent>/agent-<id>` and linked to its parent session, as edit events are.

import { basename } from "node:path";
import { emptyMeta, finishTranscript, type ContentBlock, type TokenUsage, type Transcript, type TranscriptMessage } from "../../transcripts/model";

type Json = Record<string, unknown>;

const rec = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function isoOf(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Whether records look like Claude Code's (a uuid with a type or message, and a sessionId). */
export function looksLikeClaude(records: readonly Json[]): boolean {
  return records.slice(0, 50).some((r) => typeof r.uuid === "string" && (r.type !== undefined || r.message !== undefined) && "sessionId" in r);
}

/** Text of tool_result content: a string, or an array of text/image blocks. */
export function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? "" : JSON.stringify(content);
  return content
    .map((item) => {
      const r = rec(item);
      if (!r) return "";
      if (r.type === "text") return str(r.text) ?? "";
      if (r.type === "image") return "[image]";
      return "";
    })
    .filter((s) => s !== "")
    .join("\n");
}

function usageOf(message: Json): TokenUsage | null {
  const u = rec(message.usage);
  if (!u) return null;
  return {
    inputTokens: num(u.input_tokens),
    outputTokens: num(u.output_tokens),
    cacheReadTokens: num(u.cache_read_input_tokens),
    cacheCreationTokens: num(u.cache_creation_input_tokens),
  };
}

function blocksOf(content: unknown): ContentBlock[] {
  if (typeof content === "string") return content.trim() === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  const out: ContentBlock[] = [];
  for (const item of content) {
    const b = rec(item);
    if (!b) continue;
    if (b.type === "text" && typeof b.text === "string") out.push({ type: "text", text: b.text });
    else if (b.type === "thinking" && typeof b.thinking === "string") out.push({ type: "thinking", thinking: b.thinking });
    else if (b.type === "tool_use" && typeof b.id === "string") {
      out.push({ type: "tool_use", id: b.id, name: str(b.name) ?? "unknown", input: b.input ?? null });
    } else if (b.type === "tool_result" && typeof b.tool_use_id === "string") {
      out.push({ type: "tool_result", toolUseId: b.tool_use_id, content: resultText(b.content), isError: b.is_error === true });
    }
  }
  return out;
}

/** The file operation a successful Write/Edit/MultiEdit result records (a failed call has a string result). */
function fileOperation(result: Json, toolUseId: string | null): ContentBlock | null {
  const filePath = str(result.filePath);
  if (!filePath) return null;
  if (result.type === "create") return { type: "file_operation", operation: "create", filePath, toolUseId };
  const edited =
    result.type === "update" || "structuredPatch" in result || ("oldString" in result && "newString" in result) || Array.isArray(result.edits);
  return edited ? { type: "file_operation", operation: "edit", filePath, toolUseId } : null;
}

export function parseClaudeTranscript(records: readonly Json[], traceFile: string): Transcript {
  const fileName = basename(traceFile);
  const meta = emptyMeta("claude-code", traceFile, fileName.replace(/\.jsonl(\.zst)?$/, ""));
  const fromName = /^agent-(.+?)\.jsonl(\.zst)?$/.exec(fileName)?.[1];
  const seen = new Set<string>();
  const messages: TranscriptMessage[] = [];
  let parentId: string | null = null;
  let agentId: string | null = fromName ?? null;
  let sidechain = fromName !== undefined;
  // One API message is split over several records that repeat its usage: count it once, on the last record.
  const byApiMessage = new Map<string, TranscriptMessage>();
  for (const r of records) {
    if (r.type === "summary" && typeof r.summary === "string" && meta.title === null) meta.title = r.summary;
    const sessionId = str(r.sessionId);
    if (sessionId && parentId === null) parentId = sessionId;
    if (sessionId) {
      meta.agentVersion ??= str(r.version) ?? null;
      meta.cwd ??= str(r.cwd) ?? null;
      if (meta.gitBranch === null && str(r.gitBranch)) meta.gitBranch = str(r.gitBranch) ?? null;
      meta.slug ??= str(r.slug) || null;
      if (r.isSidechain === true) sidechain = true;
      if (typeof r.agentId === "string") agentId ??= r.agentId;
    }
    if (r.type !== "user" && r.type !== "assistant") continue;
    const uuid = str(r.uuid);
    const timestamp = isoOf(r.timestamp);
    const message = rec(r.message);
    if (!uuid || !timestamp || !message || seen.has(uuid)) continue;
    seen.add(uuid);
    const content = blocksOf(message.content);
    const result = rec(r.toolUseResult);
    if (result) {
      const toolUse = content.find((b) => b.type === "tool_result");
      const op = fileOperation(result, toolUse && toolUse.type === "tool_result" ? toolUse.toolUseId : null);
      if (op) content.push(op);
    }
    if (content.length === 0) continue;
    const model = str(message.model);
    const entry: TranscriptMessage = {
      id: uuid,
      role: r.type === "assistant" ? "assistant" : r.isMeta === true ? "system" : "user",
      timestamp,
      model: model && model !== "<synthetic>" ? model : null,
      content,
      usage: r.type === "assistant" ? usageOf(message) : null,
    };
    const apiId = r.type === "assistant" ? str(message.id) : undefined;
    if (apiId !== undefined) {
      const previous = byApiMessage.get(apiId);
      if (previous) previous.usage = null;
      byApiMessage.set(apiId, entry);
    }
    messages.push(entry);
  }
  if (parentId !== null) meta.sessionId = parentId;
  if (sidechain && agentId !== null && parentId !== null) {
    meta.sessionId = `${parentId}/agent-${agentId}`;
    meta.parentSessionId = parentId;
    meta.subagentId = agentId;
  }
  const times = records.map((r) => isoOf(r.timestamp)).filter((t): t is string => t !== undefined).sort();
  meta.startTime = times[0] ?? null;
  return finishTranscript(meta, messages);
}
