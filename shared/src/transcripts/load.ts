// Reads whole trace files into transcripts (streaming lines, plain or `.jsonl.zst`), lists them as summaries with
// subagents grouped under their parent session, and finds the session a user names by id, subagent id, slug or
// path — preferring the main session over its subagents, then the most recent.

import { appendAll } from "../util/arrays";
import { readFileSync, statSync } from "node:fs";
import type { RefreshProgress } from "../engine-api";
import type { SessionInfo } from "../events/edit-event";
import { parseJsonObject, readLines } from "../traces/jsonl-reader";
import { AiBlameError } from "../util/errors";
import { agentModules } from "../agents/registry";
import { summarize, type Transcript, type TranscriptSummary } from "./model";

/** A whole-record session (Gemini CLI's `.json`): one JSON value over many lines; nothing when it does not parse. */
function readWholeRecord(path: string): Record<string, unknown>[] {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
  } catch {
    return [];
  }
}

async function readRecordLines(path: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  const read = await readLines(path, {
    fromOffset: 0,
    compressed: path.endsWith(".zst"),
    onLine: (line) => {
      const value = parseJsonObject(line);
      if (value) records.push(value);
    },
  });
  if (read.error !== undefined && records.length === 0) throw new AiBlameError("io", read.error);
  return records;
}

/** Parses one trace file into a transcript; throws AiBlameError `not-found` or `usage` (unknown format). */
export async function loadTranscript(path: string): Promise<Transcript> {
  try {
    if (!statSync(path).isFile()) throw new AiBlameError("usage", `not a trace file: ${path}`);
  } catch (error) {
    if (error instanceof AiBlameError) throw error;
    throw new AiBlameError("not-found", `trace file not found: ${path}`);
  }
  const records = path.endsWith(".json") ? readWholeRecord(path) : await readRecordLines(path);
  const agent = agentModules.find((m) => m.transcripts.looksLike(records));
  if (agent) return agent.transcripts.parse(records, path);
  throw new AiBlameError("usage", `unknown transcript format: ${path}`);
}

const byStartDesc = (a: TranscriptSummary, b: TranscriptSummary): number => {
  const x = a.startTime ?? "";
  const y = b.startTime ?? "";
  return x < y ? 1 : x > y ? -1 : a.traceFile < b.traceFile ? -1 : a.traceFile > b.traceFile ? 1 : 0;
};

/** Newest sessions first; each session's subagents follow it, oldest first. Orphan subagents stand on their own. */
export function orderSummaries(summaries: readonly TranscriptSummary[]): TranscriptSummary[] {
  const mains = new Set(summaries.filter((s) => s.subagentId === null).map((s) => s.sessionId));
  const children = new Map<string, TranscriptSummary[]>();
  const top: TranscriptSummary[] = [];
  for (const s of summaries) {
    if (s.parentSessionId !== null && mains.has(s.parentSessionId)) {
      const list = children.get(s.parentSessionId) ?? [];
      list.push(s);
      children.set(s.parentSessionId, list);
    } else top.push(s);
  }
  const out: TranscriptSummary[] = [];
  for (const s of top.sort(byStartDesc)) {
    out.push(s);
    const kids = children.get(s.sessionId);
    if (kids && s.subagentId === null) {
      appendAll(out, kids.sort((a, b) => -byStartDesc(a, b)));
      children.delete(s.sessionId);
    }
  }
  // Subagents of a session id that several files share end up here once their first parent took the others.
  for (const kids of children.values()) appendAll(out, kids.sort(byStartDesc));
  return out;
}

export interface TranscriptListing {
  summaries: TranscriptSummary[];
  /** Files that could not be read or are in no known format. */
  unreadable: number;
}

/** Summaries of the given trace files (each parsed whole), ordered as `transcript list` shows them. */
export async function listTranscripts(
  traceFiles: readonly string[],
  onProgress?: (p: RefreshProgress) => void,
): Promise<TranscriptListing> {
  const summaries: TranscriptSummary[] = [];
  let unreadable = 0;
  const files = [...new Set(traceFiles)].filter((file) => !agentModules.some((m) => m.hasNoTranscript?.(file))).sort();
  // Every transcript is read whole, so report progress by bytes: a long history takes seconds.
  const sizes = files.map((file) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  });
  const progress: RefreshProgress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0) };
  for (const [i, file] of files.entries()) {
    try {
      summaries.push(summarize(await loadTranscript(file)));
    } catch {
      unreadable++;
    }
    progress.filesDone++;
    progress.bytesDone += sizes[i] ?? 0;
    onProgress?.(progress);
  }
  return { summaries: orderSummaries(summaries), unreadable };
}

/**
 * Every session a query names, best first: sessions whose id (subagent ids included), slug or trace file path
 * contains it. An exact id comes first, then ids that start with it, main sessions before subagents, then the most
 * recent start.
 */
export function matchSessions(sessions: readonly SessionInfo[], query: string): SessionInfo[] {
  const q = query.trim();
  if (q === "") return [];
  const candidates = sessions.filter(
    (s) => s.sessionId.includes(q) || s.slug?.includes(q) || s.traceFile.includes(q),
  );
  // An exact id, then ids starting with the query (what the blame and timeline tables print), main sessions before
  // subagents, then any other match.
  const rank = (s: SessionInfo): number =>
    s.sessionId === q ? 0 : (s.sessionId.startsWith(q) ? 1 : 3) + (s.subagentId === null ? 0 : 1);
  candidates.sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const x = a.startTime ?? "";
    const y = b.startTime ?? "";
    return x < y ? 1 : x > y ? -1 : a.traceFile < b.traceFile ? -1 : a.traceFile > b.traceFile ? 1 : 0;
  });
  return candidates;
}

/** The session a query names (the first of `matchSessions`), or null. */
export function findSession(sessions: readonly SessionInfo[], query: string): SessionInfo | null {
  return matchSessions(sessions, query)[0] ?? null;
}
