// The edit event model: one event per file per successful AI edit, as every parser emits it and every
// consumer (attribution, annotate, stats, the LSP server) reads it. Events are plain JSON-serialisable data so the
// durable index can store them; large file contents are referenced by hash (see ContentStore), never inlined twice.

export type EditAction = "CREATED" | "EDITED" | "DELETED";

import type { AgentKind } from "../agents/registry";

/** Agents we parse: the ids of the registry (agents/registry.ts). */
export type { AgentKind };

/** A hunk of Claude's `structuredPatch`: line numbers into the content before/after the edit. */
export interface StructuredHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** One old→new replacement of Claude's Edit/MultiEdit (applied in order, each to the previous result). */
export interface StringEdit {
  oldString: string;
  newString: string;
  replaceAll: boolean;
}

/**
 * A chunk of a Codex `*** Update File` hunk. Codex hunks carry no line numbers: `context` is the text after `@@`
 * (a line to seek first), `oldLines`/`newLines` the ` `/`-` and ` `/`+` lines, `endOfFile` the
 * `*** End of File` anchor.
 */
export interface PatchChunk {
  context: string | null;
  oldLines: string[];
  newLines: string[];
  endOfFile: boolean;
}

/**
 * A content's lines in brief, so replay can tell whether the content it reconstructed is a recorded one without
 * loading it (attribution/fingerprint.ts computes and maintains these): the line count (lines split at LF, a final
 * newline starting no line), the sum mod 2^32 of each line's 32-bit hash, and the sum of a hash of each pair of
 * neighbouring lines (with a start and an end pseudo-line, the end one telling whether the text ends with a newline).
 */
export interface LineFingerprint {
  lines: number;
  sum: number;
  pairs: number;
}

/**
 * How the content changed, for replay. `before`/`after` are content hashes in the ContentStore (whole file text,
 * exactly as the agent recorded or as the parser computed it). Which fields exist depends on what the trace holds:
 * - Claude Write: after (+ before = originalFile on overwrite)
 * - Claude Edit/MultiEdit: before (originalFile), edits, hunks, and after computed by the parser when it applies
 * - Codex Add File / heredoc write: after;  Codex Update File: chunks (applied to the reconstructed content);
 *   Codex Delete File / rm: nothing (action DELETED)
 */
export interface EditChange {
  before?: string;
  after?: string;
  edits?: StringEdit[];
  hunks?: StructuredHunk[];
  chunks?: PatchChunk[];
  /** Fingerprints of the `before`/`after` contents, set by the parsers along with them (absent in older indexes). */
  beforeFp?: LineFingerprint;
  afterFp?: LineFingerprint;
  /** Codex `*** Move to:` — the file this content moved to (an event with action CREATED is emitted there too). */
  movedTo?: string;
  /** The file this one was renamed from (Codex `*** Move to:`, a shell `mv`): its history is this file's history. */
  movedFrom?: string;
}

export interface EditEvent {
  /** Stable: agent + session + tool-call id + file; identical across forked/resumed copies of the same call. */
  id: string;
  /** Absolute, normalized path (forward slashes on POSIX, no trailing slash, `..` resolved). */
  file: string;
  action: EditAction;
  /** ISO 8601 UTC, as recorded. */
  timestamp: string;
  model: string;
  agent: AgentKind;
  agentVersion: string | null;
  sessionId: string;
  /** For subagent (sidechain) events: the session that spawned the subagent. */
  parentSessionId: string | null;
  /** Claude subagent id (`agentId`) when the edit was made inside a subagent. */
  subagentId: string | null;
  traceFile: string;
  /** Byte offset of the trace line that carries the edit's result. */
  traceOffset: number;
  toolCallId: string;
  /** The tool that made the edit: Write, Edit, MultiEdit, NotebookEdit, apply_patch, shell. */
  toolName: string;
  promptId: string | null;
  /** The first lines of the human prompt that led to the edit (trimmed, ≤ 500 chars). */
  promptText: string | null;
  /** Characters changed (|len(new) − len(old)| + max(len(old), len(new)) summed over the edit's parts). */
  changeSize: number;
  change: EditChange;
}

/** Session metadata a parser collects alongside events (for transcripts, stats and hover text). */
export interface SessionInfo {
  sessionId: string;
  agent: AgentKind;
  agentVersion: string | null;
  cwd: string | null;
  gitBranch: string | null;
  slug: string | null;
  traceFile: string;
  startTime: string | null;
  endTime: string | null;
  models: string[];
  parentSessionId: string | null;
  subagentId: string | null;
  firstPrompt: string | null;
}

/** Orders events by time, ties by trace file then byte offset (trace order). */
export function compareEvents(a: EditEvent, b: EditEvent): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.traceFile !== b.traceFile) return a.traceFile < b.traceFile ? -1 : 1;
  return a.traceOffset - b.traceOffset;
}
