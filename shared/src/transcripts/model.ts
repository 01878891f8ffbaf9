// The unified transcript model (one conversation, whatever agent recorded it) and what is derived from it: stats
// and the one-line summary `transcript list` shows. Parsers fill messages; `finishTranscript` sorts them by time
// (stable) and derives meta times and stats, so every transcript obeys the same invariants whichever parser built it.

import type { AgentKind } from "../events/edit-event";

export type TranscriptRole = "user" | "assistant" | "system";

export type FileOperationKind = "create" | "edit" | "delete" | "move";

export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; toolUseId: string; content: string; isError: boolean }
  | { type: "file_operation"; operation: FileOperationKind; filePath: string; toolUseId: string | null };

export interface TokenUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheCreationTokens: number | null;
}

export interface TranscriptMessage {
  id: string;
  role: TranscriptRole;
  /** ISO 8601 UTC. */
  timestamp: string;
  model: string | null;
  content: ContentBlock[];
  usage: TokenUsage | null;
}

export interface TranscriptMeta {
  /** For a Claude subagent: `<parent session>/agent-<agent id>` (as edit events name it). */
  sessionId: string;
  agent: AgentKind;
  agentVersion: string | null;
  cwd: string | null;
  gitBranch: string | null;
  slug: string | null;
  /** A title the agent recorded (Claude `summary` records), if any. */
  title: string | null;
  startTime: string | null;
  endTime: string | null;
  traceFile: string;
  parentSessionId: string | null;
  subagentId: string | null;
}

export interface TranscriptStats {
  messageCount: number;
  userMessageCount: number;
  assistantMessageCount: number;
  toolUseCount: number;
  /** Distinct paths of file operations. */
  filesTouched: number;
  totalInputTokens: number | null;
  totalOutputTokens: number | null;
}

export interface Transcript {
  meta: TranscriptMeta;
  messages: TranscriptMessage[];
  stats: TranscriptStats;
}

/** One row of `transcript list` (`--format json` prints these). */
export interface TranscriptSummary {
  sessionId: string;
  agent: AgentKind;
  slug: string | null;
  title: string | null;
  startTime: string | null;
  endTime: string | null;
  messageCount: number;
  filesTouched: number;
  /** The model of the first assistant message. */
  primaryModel: string | null;
  /** Distinct models, sorted. */
  models: string[];
  lastMessagePreview: string | null;
  traceFile: string;
  parentSessionId: string | null;
  subagentId: string | null;
}

export function emptyMeta(agent: AgentKind, traceFile: string, sessionId: string): TranscriptMeta {
  return {
    sessionId, agent, agentVersion: null, cwd: null, gitBranch: null, slug: null, title: null,
    startTime: null, endTime: null, traceFile, parentSessionId: null, subagentId: null,
  };
}

/** Sorts messages (stable), fixes start/end times and computes stats. */
export function finishTranscript(meta: TranscriptMeta, messages: TranscriptMessage[]): Transcript {
  const sorted = messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.timestamp < b.m.timestamp ? -1 : a.m.timestamp > b.m.timestamp ? 1 : a.i - b.i))
    .map((x) => x.m);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first && (meta.startTime === null || first.timestamp < meta.startTime)) meta.startTime = first.timestamp;
  if (last) meta.endTime = last.timestamp;
  const files = new Set<string>();
  let toolUses = 0;
  let input: number | null = null;
  let output: number | null = null;
  for (const m of sorted) {
    for (const b of m.content) {
      if (b.type === "tool_use") toolUses++;
      else if (b.type === "file_operation") files.add(b.filePath);
    }
    if (m.usage?.inputTokens != null) input = (input ?? 0) + m.usage.inputTokens;
    if (m.usage?.outputTokens != null) output = (output ?? 0) + m.usage.outputTokens;
  }
  return {
    meta,
    messages: sorted,
    stats: {
      messageCount: sorted.length,
      userMessageCount: sorted.filter((m) => m.role === "user").length,
      assistantMessageCount: sorted.filter((m) => m.role === "assistant").length,
      toolUseCount: toolUses,
      filesTouched: files.size,
      totalInputTokens: input,
      totalOutputTokens: output,
    },
  };
}

/** `s` cut to `max` characters with `...` when longer (the reference's safe_truncate). */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 3) return "...";
  return `${chars.slice(0, max - 3).join("")}...`;
}

export function summarize(t: Transcript): TranscriptSummary {
  const models = new Set<string>();
  let primary: string | null = null;
  let lastAssistant: TranscriptMessage | null = null;
  for (const m of t.messages) {
    if (m.model) {
      models.add(m.model);
      if (primary === null && m.role === "assistant") primary = m.model;
    }
    if (m.role === "assistant" && m.content.some((b) => b.type === "text")) lastAssistant = m;
  }
  const text = lastAssistant?.content.find((b) => b.type === "text");
  const preview = text && text.type === "text" ? truncate(text.text.replace(/\s+/g, " ").trim(), 80) : null;
  return {
    sessionId: t.meta.sessionId,
    agent: t.meta.agent,
    slug: t.meta.slug,
    title: t.meta.title,
    startTime: t.meta.startTime,
    endTime: t.meta.endTime,
    messageCount: t.stats.messageCount,
    filesTouched: t.stats.filesTouched,
    primaryModel: primary,
    models: [...models].sort(),
    lastMessagePreview: preview,
    traceFile: t.meta.traceFile,
    parentSessionId: t.meta.parentSessionId,
    subagentId: t.meta.subagentId,
  };
}
