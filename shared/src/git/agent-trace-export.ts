// `export --format agent-trace`: the AI attribution of commits as Agent Trace records (one per commit with AI lines),
// so tools that read that format can use ours. A record's line ranges refer to the files at `vcs.revision`, exactly
// what our notes hold, so the records come from the same per-commit attribution as `log` (note, else local traces).
// The record types are the engine's one definition of the format (agents/agent-trace/record.ts), shared with the
// reader of `.agent-trace/traces.jsonl`.

import { createHash } from "node:crypto";
import type { AgentTraceConversation, AgentTraceFile, AgentTraceRecord } from "../agents/agent-trace/record";
import type { CommitAttribution } from "./commit-attribution";
import type { NoteEdit } from "./note-format";

export const AGENT_TRACE_VERSION = "0.1.0";

/** `provider/model` as the spec asks (`anthropic/claude-opus-4-5-20251101`); unknown families stay as recorded. */
export function providerModelId(model: string): string {
  if (model.includes("/")) return model;
  if (/^claude/i.test(model)) return `anthropic/${model}`;
  if (/^(gpt|o\d|codex|chatgpt)/i.test(model)) return `openai/${model}`;
  if (/^gemini/i.test(model)) return `google/${model}`;
  return model;
}

/** A stable UUID (version 4 layout) from a name: the same commit exports the same record id every time. */
function stableUuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  const variant = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface SessionMeta {
  agent: string;
  agentVersion: string | null;
  sessionId: string;
  toolCallIds: string[];
}

/** The Agent Trace record of one commit's attribution, or null when it has no AI line. */
export function agentTraceRecord(attribution: CommitAttribution, toolVersion: string): AgentTraceRecord | null {
  const files: AgentTraceFile[] = [];
  const sessions = new Map<string, SessionMeta>();
  for (const file of attribution.files) {
    if (file.owned.length === 0) continue;
    // One conversation per session and model: the spec's unit of "who contributed these ranges".
    const conversations = new Map<string, AgentTraceConversation>();
    for (const r of file.owned) {
      const key = `${r.edit.agent}\u0000${r.edit.sessionId}\u0000${r.edit.model}`;
      let conversation = conversations.get(key);
      if (!conversation) {
        conversation = { contributor: { type: "ai", model_id: providerModelId(r.edit.model) }, ranges: [] };
        conversations.set(key, conversation);
      }
      const last = conversation.ranges[conversation.ranges.length - 1];
      if (last && last.end_line === r.start - 1) last.end_line = r.end;
      else conversation.ranges.push({ start_line: r.start, end_line: r.end });
      noteSession(sessions, r.edit);
    }
    files.push({ path: file.path, conversations: [...conversations.values()] });
  }
  if (files.length === 0) return null;
  return {
    version: AGENT_TRACE_VERSION,
    id: stableUuid(`ai-blame:${attribution.commit.sha}`),
    timestamp: attribution.commit.authorTime,
    vcs: { type: "git", revision: attribution.commit.sha },
    tool: { name: "ai-blame", version: toolVersion },
    files,
    metadata: { "ai-blame": { source: attribution.source, sessions: [...sessions.values()] } },
  };
}

function noteSession(sessions: Map<string, SessionMeta>, edit: NoteEdit): void {
  const key = `${edit.agent}\u0000${edit.sessionId}`;
  const known = sessions.get(key) ?? { agent: edit.agent, agentVersion: edit.agentVersion, sessionId: edit.sessionId, toolCallIds: [] };
  if (!known.toolCallIds.includes(edit.toolCallId)) known.toolCallIds.push(edit.toolCallId);
  sessions.set(key, known);
}

/** Records of commits with AI lines, newest first, as JSON Lines (`.agent-trace/traces.jsonl` layout). */
export function agentTraceJsonl(attributions: CommitAttribution[], toolVersion: string): string {
  const lines: string[] = [];
  for (const a of attributions) {
    const record = agentTraceRecord(a, toolVersion);
    if (record) lines.push(JSON.stringify(record));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
