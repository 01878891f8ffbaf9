// `transcript search`: finds the sessions whose conversation contains a text or matches a regular expression, with
// up to three snippets per session (one per matching block, 60 characters of context each side), after filters on
// session id, agent, model and start time — the reference's semantics. A plain query first looks for its bytes in
// the raw trace, so files that cannot contain it are never parsed. A regular expression is the user's, but the text
// it runs on is trace text: it is matched line by line over windows of bounded length, so a pattern that backtracks
// badly meets short inputs only (a match longer than a window's overlap, or across lines, is not found).

import { type FileHandle, open, stat } from "node:fs/promises";
import type { RefreshProgress } from "../engine-api";
import { AiBlameError } from "../util/errors";
import { loadTranscript, orderSummaries } from "./load";
import { summarize, type ContentBlock, type Transcript, type TranscriptRole, type TranscriptSummary } from "./model";

export interface TranscriptSearchOptions {
  query: string;
  /** `-e`: the query is a regular expression (JavaScript syntax). */
  regex?: boolean;
  /** `-s`: match case. */
  caseSensitive?: boolean;
  /** Substring of the session id (case-sensitive). */
  session?: string;
  /** Substring of the agent, any case. */
  agent?: string;
  /** Substring of any message's model, any case. */
  model?: string;
  /** Sessions that started at or after this date (YYYY-MM-DD, whole day) or ISO date-time. */
  since?: string;
  /** Sessions that started at or before this date (YYYY-MM-DD, whole day) or ISO date-time. */
  until?: string;
}

export type SearchBlockType = "text" | "thinking" | "tool" | "file" | "result";

export interface TranscriptSearchMatch {
  role: TranscriptRole;
  timestamp: string;
  blockType: SearchBlockType;
  snippet: string;
}

export interface TranscriptSearchHit {
  transcript: TranscriptSummary;
  matches: TranscriptSearchMatch[];
}

export interface TranscriptSearchResult {
  /** Every matching session, ordered as `transcript list` orders them. */
  matchingTranscripts: TranscriptSearchHit[];
  totalMatches: number;
  /** Trace files that could not be read or are in no known format. */
  unreadable: number;
}

const MAX_SNIPPETS = 3;
const CONTEXT = 60;
/** Longest stretch of one line a regular expression runs on at once, and how much consecutive windows overlap. */
const WINDOW = 1024;
const OVERLAP = 256;

/** Finds the first match in a text: its start and length, or null. */
type Matcher = (text: string) => { at: number; length: number } | null;

function substringMatcher(query: string, caseSensitive: boolean): Matcher {
  const needle = caseSensitive ? query : query.toLowerCase();
  return (text) => {
    const at = (caseSensitive ? text : text.toLowerCase()).indexOf(needle);
    return at < 0 ? null : { at, length: needle.length };
  };
}

function regexMatcher(pattern: string, caseSensitive: boolean): Matcher {
  let re: RegExp;
  try {
    re = new RegExp(pattern, caseSensitive ? "" : "i");
  } catch (error) {
    throw new AiBlameError("usage", `invalid regex pattern: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (text) => {
    let lineStart = 0;
    for (const line of text.split("\n")) {
      for (let from = 0; from < Math.max(line.length, 1); from += WINDOW - OVERLAP) {
        const m = re.exec(line.slice(from, from + WINDOW));
        if (m) return { at: lineStart + from + m.index, length: m[0].length };
        if (from + WINDOW >= line.length) break;
      }
      lineStart += line.length + 1;
    }
    return null;
  };
}

/** Whether a plain query's bytes must appear in the raw JSONL of any text it matches (see `mayContain`). */
function rawCheckable(query: string): boolean {
  // Printable ASCII that JSON writers never escape, and no JSON punctuation (a compact re-encoding of a tool input
  // may differ from the trace's own spacing around it).
  return /^[\x20-\x7e]+$/.test(query) && !/["\\/{}[\],:]/.test(query);
}

/** Bytes of a trace read at once by the raw check. */
const CHUNK = 4 * 1024 * 1024;

/** False only when the trace file surely holds no text the plain query matches (its bytes are nowhere in it). */
async function mayContain(file: string, query: string, caseSensitive: boolean): Promise<boolean> {
  if (file.endsWith(".zst") || !rawCheckable(query)) return true;
  // ASCII query: lower-casing raw bytes read as Latin-1 keeps every ASCII byte where it was and folds its case.
  const needle = caseSensitive ? query : query.toLowerCase();
  let handle: FileHandle | null = null;
  try {
    handle = await open(file, "r");
    const buffer = Buffer.alloc(CHUNK + needle.length);
    let carry = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carry, CHUNK, position);
      if (bytesRead === 0) return false;
      position += bytesRead;
      const text = buffer.toString("latin1", 0, carry + bytesRead);
      if ((caseSensitive ? text : text.toLowerCase()).includes(needle)) return true;
      // Keep the last needle-length-minus-one bytes, so a match across two chunks is found.
      const total = carry + bytesRead;
      carry = Math.min(needle.length - 1, total);
      buffer.copy(buffer, 0, total - carry, total);
    }
  } catch {
    return true; // Let the transcript reader count it as unreadable.
  } finally {
    await handle?.close();
  }
}

/** What a block offers to the query, and the name its matches are reported under. */
function searchable(block: ContentBlock, match: Matcher): { type: SearchBlockType; text: string } | null {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "thinking":
      return { type: "thinking", text: block.thinking };
    case "tool_use":
      return { type: "tool", text: match(block.name) ? block.name : (JSON.stringify(block.input) ?? "") };
    case "file_operation":
      return { type: "file", text: block.filePath };
    case "tool_result":
      return { type: "result", text: block.content };
    default:
      return null;
  }
}

/** Up to CONTEXT characters each side of the match, trimmed, with `...` where the text was cut. */
function snippetOf(text: string, at: number, length: number): string {
  const start = Math.max(0, at - CONTEXT);
  const end = Math.min(text.length, at + length + CONTEXT);
  return `${start > 0 ? "..." : ""}${text.slice(start, end).trim()}${end < text.length ? "..." : ""}`;
}

function matchesIn(t: Transcript, match: Matcher): TranscriptSearchMatch[] {
  const out: TranscriptSearchMatch[] = [];
  for (const message of t.messages) {
    for (const block of message.content) {
      const s = searchable(block, match);
      const found = s ? match(s.text) : null;
      if (!s || !found) continue;
      out.push({ role: message.role, timestamp: message.timestamp, blockType: s.type, snippet: snippetOf(s.text, found.at, found.length) });
      if (out.length === MAX_SNIPPETS) return out;
    }
  }
  return out;
}

/** A date bound as an ISO instant: a bare date is the start (since) or the end (until) of that UTC day. */
function bound(value: string | undefined, end: boolean, flag: string): string | null {
  if (value === undefined || value === "") return null;
  const v = value.trim();
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T${end ? "23:59:59.999" : "00:00:00.000"}Z` : v;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new AiBlameError("usage", `invalid ${flag} date '${value}'`);
  return new Date(ms).toISOString();
}

/** The filters that need the parsed transcript (session, agent, model, start time). */
function keeps(t: Transcript, options: TranscriptSearchOptions, since: string | null, until: string | null): boolean {
  if (options.session && !t.meta.sessionId.includes(options.session)) return false;
  if (options.agent && !t.meta.agent.toLowerCase().includes(options.agent.toLowerCase())) return false;
  if (options.model) {
    const wanted = options.model.toLowerCase();
    if (!t.messages.some((m) => m.model?.toLowerCase().includes(wanted))) return false;
  }
  const start = t.meta.startTime;
  if (since !== null && (start === null || start < since)) return false;
  if (until !== null && (start === null || start > until)) return false;
  return true;
}

/** Searches the given trace files' transcripts; `onProgress` reports files and bytes as they are read. */
export async function searchTranscripts(
  traceFiles: readonly string[],
  options: TranscriptSearchOptions,
  onProgress?: (p: RefreshProgress) => void,
): Promise<TranscriptSearchResult> {
  if (options.query === "") throw new AiBlameError("usage", "the search query is empty");
  const caseSensitive = options.caseSensitive === true;
  const match = options.regex ? regexMatcher(options.query, caseSensitive) : substringMatcher(options.query, caseSensitive);
  const since = bound(options.since, false, "--since");
  const until = bound(options.until, true, "--until");
  const files = await Promise.all(
    [...new Set(traceFiles)].sort().map(async (path) => ({ path, size: await stat(path).then((s) => s.size, () => 0) })),
  );
  const progress: RefreshProgress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal: files.reduce((n, f) => n + f.size, 0) };
  const hits = new Map<string, TranscriptSearchHit>();
  let unreadable = 0;
  for (const file of files) {
    if (options.regex || (await mayContain(file.path, options.query, caseSensitive))) {
      try {
        const t = await loadTranscript(file.path);
        const matches = keeps(t, options, since, until) ? matchesIn(t, match) : [];
        if (matches.length > 0) hits.set(file.path, { transcript: summarize(t), matches });
      } catch {
        unreadable++;
      }
    }
    progress.filesDone++;
    progress.bytesDone += file.size;
    onProgress?.(progress);
  }
  const ordered = orderSummaries([...hits.values()].map((h) => h.transcript));
  const matchingTranscripts = ordered.map((s) => hits.get(s.traceFile) as TranscriptSearchHit);
  return { matchingTranscripts, totalMatches: matchingTranscripts.length, unreadable };
}
