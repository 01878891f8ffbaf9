// The contract every agent parser implements. A parser reads one trace file from a byte offset to its end,
// streaming, and returns the edit events and session metadata found, plus a JSON-serialisable state that lets a
// later call resume exactly where this one stopped (trace files are append-only), and counts of what it skipped.

import type { AgentKind, EditEvent, SessionInfo } from "../events/edit-event";
import type { ContentStore } from "../store/content-store";

export interface ParseInput {
  /** Absolute path of the trace file. */
  path: string;
  /** Byte offset to start at (0, or the `endOffset` of the previous call). */
  fromOffset: number;
  /** The `state` returned by the previous call for this file, or null when starting at 0. */
  state: unknown;
  /**
   * For a trace shared by every project (opencode's database): the project folders to read it for; the parser then
   * keeps only sessions recorded in one of them. Absent for a trace discovery already chose for the project.
   */
  scope?: readonly string[];
  /** Where whole-file contents (before/after) are put; events reference them by hash. */
  contents: ContentStore;
}

export interface ParseOutput {
  events: EditEvent[];
  /** Sessions seen in this file (usually one; merged with earlier output by sessionId + traceFile). */
  sessions: SessionInfo[];
  /** Offset just after the last complete line consumed; an incomplete last line is left for the next call. */
  endOffset: number;
  state: unknown;
  /** Lines that could not be used: not JSON, wrong shape, too large, invalid UTF-8. */
  skippedLines: number;
  /** Bytes read from disk by this call. */
  bytesRead: number;
  /**
   * One-line reason when the file could not be read (vanished, permission denied, corrupt compression). Never
   * thrown: the output then holds whatever was read before the problem, and `endOffset` where reading stopped.
   */
  error?: string;
}

export interface TraceParser {
  agent: AgentKind;
  /**
   * Set for formats whose files are rewritten rather than only appended (a Gemini `.json` session, a message
   * written again under its id, an SQLite database): a changed file is then always parsed whole, from offset 0.
   */
  readonly readsWhole?: boolean;
  parse(input: ParseInput): Promise<ParseOutput>;
}
