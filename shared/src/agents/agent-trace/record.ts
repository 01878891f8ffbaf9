// The Agent Trace record (agent-trace.dev, spec 0.1/1.0): one JSON object per line of `.agent-trace/traces.jsonl`
// — {version, id, timestamp, vcs?{type, revision}, tool?{name, version}, files[{path, conversations[{url?,
// contributor?{type, model_id?}, ranges[{start_line, end_line, content_hash?, contributor?}], related?}]}],
// metadata?}. Line numbers are 1-based and inclusive and refer to the file at `vcs.revision`; paths are relative to
// the repository root. This is the one definition of the format in the engine: readers validate against it here.

import { asArray, asRecord, asString, type Json } from "../../traces/common";

export type ContributorType = "human" | "ai" | "mixed" | "unknown";

export interface AgentTraceContributor {
  type: ContributorType;
  model_id?: string;
}

export interface AgentTraceRange {
  start_line: number;
  end_line: number;
  content_hash?: string;
  contributor?: AgentTraceContributor;
}

export interface AgentTraceConversation {
  url?: string;
  contributor?: AgentTraceContributor;
  ranges: AgentTraceRange[];
  related?: { type: string; url: string }[];
}

export interface AgentTraceFile {
  path: string;
  conversations: AgentTraceConversation[];
}

export interface AgentTraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs?: { type: "git" | "jj" | "hg" | "svn"; revision: string };
  tool?: { name: string; version?: string };
  files: AgentTraceFile[];
  metadata?: Record<string, unknown>;
}

const CONTRIBUTORS = new Set(["human", "ai", "mixed", "unknown"]);
const VCS = new Set(["git", "jj", "hg", "svn"]);

function contributor(value: unknown): AgentTraceContributor | undefined {
  const r = asRecord(value);
  const type = asString(r?.type);
  if (!r || type === undefined || !CONTRIBUTORS.has(type)) return undefined;
  const model = asString(r.model_id);
  return model === undefined ? { type: type as ContributorType } : { type: type as ContributorType, model_id: model };
}

function range(value: unknown): AgentTraceRange | null {
  const r = asRecord(value);
  const start = r?.start_line;
  const end = r?.end_line;
  if (!r || !Number.isInteger(start) || !Number.isInteger(end) || (start as number) < 1 || (end as number) < (start as number)) return null;
  const out: AgentTraceRange = { start_line: start as number, end_line: end as number };
  const hash = asString(r.content_hash);
  if (hash !== undefined) out.content_hash = hash;
  const who = contributor(r.contributor);
  if (who) out.contributor = who;
  return out;
}

/** The record a line holds, or null when it is not one (wrong shape, bad ranges: counted as skipped by the parser). */
export function readAgentTraceRecord(value: Json): AgentTraceRecord | null {
  const version = asString(value.version);
  const id = asString(value.id);
  const timestamp = asString(value.timestamp);
  const files = asArray(value.files);
  if (version === undefined || id === undefined || timestamp === undefined || files === undefined) return null;
  const record: AgentTraceRecord = { version, id, timestamp, files: [] };
  const vcs = asRecord(value.vcs);
  if (vcs && VCS.has(asString(vcs.type) ?? "") && typeof vcs.revision === "string") record.vcs = { type: vcs.type as "git", revision: vcs.revision };
  const tool = asRecord(value.tool);
  if (tool && typeof tool.name === "string") record.tool = typeof tool.version === "string" ? { name: tool.name, version: tool.version } : { name: tool.name };
  const metadata = asRecord(value.metadata);
  if (metadata) record.metadata = metadata;
  for (const f of files) {
    const file = asRecord(f);
    const path = asString(file?.path);
    if (!file || !path) return null;
    const conversations: AgentTraceConversation[] = [];
    for (const c of asArray(file.conversations) ?? []) {
      const conv = asRecord(c);
      if (!conv) return null;
      const ranges = (asArray(conv.ranges) ?? []).map(range);
      if (ranges.some((r) => r === null)) return null;
      const out: AgentTraceConversation = { ranges: ranges as AgentTraceRange[] };
      const url = asString(conv.url);
      if (url !== undefined) out.url = url;
      const who = contributor(conv.contributor);
      if (who) out.contributor = who;
      conversations.push(out);
    }
    record.files.push({ path, conversations });
  }
  return record;
}

/** Whether a head record looks like an Agent Trace record (for `--trace-dir` detection). */
export function looksLikeAgentTrace(value: Json): boolean {
  return typeof value.version === "string" && typeof value.id === "string" && Array.isArray(value.files) && "timestamp" in value;
}

/** `anthropic/claude-opus-4-5` → `claude-opus-4-5`: models show as the other agents record them. */
export function modelOf(modelId: string | undefined): string {
  if (!modelId) return "unknown";
  const slash = modelId.indexOf("/");
  return slash > 0 && slash === modelId.lastIndexOf("/") ? modelId.slice(slash + 1) : modelId;
}
