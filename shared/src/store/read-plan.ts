// Decides how much of a trace file must be read given what the index remembers of it, whether a trace that left
// discovery is gone (unplaceable) or moved away, and merges a resumed parse into the stored record. Invariant: a
// file is resumed from its offset only when it is provably the same file, grown (same device and inode, not shrunk,
// the bytes before the offset unchanged); anything else is re-read whole.

import { closeSync, openSync, readSync, statSync } from "node:fs";
import { readHeadInfo } from "../discovery/head";
import type { SessionInfo } from "../events/edit-event";
import type { DiscoveredTrace } from "../discovery/types";
import type { ParseOutput, TraceParser } from "../traces/parser";
import { INDEX_VERSION, type TraceRecord } from "./index-files";
import { growEvents } from "./table-records";

/** A planned read of one trace file. */
export interface PreparedRead {
  file: DiscoveredTrace;
  parser: TraceParser;
  old: TraceRecord | undefined;
  fromOffset: number;
  state: unknown;
  /** Why it is read whole, or where it resumes (for the debug log). */
  reason: string;
  /** Bytes this read will cover (for progress and for deciding whether workers pay). */
  bytes: number;
}

export type ReadPlan = { kind: "skip" } | { kind: "whole"; reason: string } | { kind: "resume" };

/** Bytes before the parsed offset compared on resume; enough to catch a rewrite, cheap to read. */
const TAIL_BYTES = 48;

export function planRead(record: TraceRecord | undefined, file: DiscoveredTrace, forceWhole: boolean): ReadPlan {
  if (record === undefined) return { kind: "whole", reason: "new" };
  if (forceWhole) return { kind: "whole", reason: "rebuild" };
  if (record.agent !== file.agent) return { kind: "whole", reason: "agent changed" };
  if (record.dev !== file.dev || record.ino !== file.ino) return { kind: "whole", reason: "replaced" };
  const unchanged = record.size === file.size && record.mtimeMs === file.mtimeMs;
  if (unchanged) return { kind: "skip" };
  // Compressed rollouts cannot be read from an offset; a changed one is read again.
  if (file.compressed || record.compressed) return { kind: "whole", reason: "compressed file changed" };
  if (file.size < record.size || file.size < record.offset) return { kind: "whole", reason: "shrunk" };
  // Same size, new mtime: rewritten in place (appends change the size).
  if (file.size === record.size) return { kind: "whole", reason: "rewritten" };
  return { kind: "resume" };
}

/** Base64 of the bytes just before `offset` ("" at 0 or when unreadable). */
export function readTail(path: string, offset: number): string {
  const length = Math.min(TAIL_BYTES, offset);
  if (length <= 0) return "";
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, offset - length);
    return buffer.subarray(0, n).toString("base64");
  } catch {
    return "";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether the file still holds the bytes recorded before the offset (false = it was rewritten: read it whole). */
export function tailMatches(path: string, record: TraceRecord): boolean {
  if (record.offset === 0) return true;
  return record.tail !== "" && readTail(path, record.offset) === record.tail;
}

function minIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

function maxIso(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

/** Merges sessions of a resumed parse into the stored ones (same sessionId + traceFile → one session). */
export function mergeSessions(stored: SessionInfo[], added: SessionInfo[]): SessionInfo[] {
  const merged = stored.map((s) => ({ ...s, models: [...s.models] }));
  for (const s of added) {
    const same = merged.find((m) => m.sessionId === s.sessionId && m.traceFile === s.traceFile);
    if (same === undefined) {
      merged.push({ ...s, models: [...s.models] });
      continue;
    }
    // What was seen first stays (the session's head); later parts only fill gaps and extend the time range.
    same.agentVersion ??= s.agentVersion;
    same.cwd ??= s.cwd;
    same.gitBranch ??= s.gitBranch;
    same.slug ??= s.slug;
    same.parentSessionId ??= s.parentSessionId;
    same.subagentId ??= s.subagentId;
    same.firstPrompt ??= s.firstPrompt;
    same.startTime = minIso(same.startTime, s.startTime);
    same.endTime = maxIso(same.endTime, s.endTime);
    for (const model of s.models) if (!same.models.includes(model)) same.models.push(model);
  }
  return merged;
}

/**
 * The record after a parse: `resumedFrom` is the stored record the parse continued (events and sessions append),
 * undefined for a whole read. After a partial read (`retry`) the size is unknowable (-1), so the next update sees
 * a change and reads on from where this one stopped; a resumed record keeps its stored extent, so only the new
 * events are written (appended). `keep` is the record a whole re-read replaces: its events
 * the new read did not yield (by id) and its sessions stay.
 */
export function nextRecord(
  file: DiscoveredTrace,
  resumedFrom: TraceRecord | undefined,
  out: ParseOutput,
  retry: boolean,
  keep?: TraceRecord,
): TraceRecord {
  const base = resumedFrom ?? keep;
  let events = out.events;
  if (keep !== undefined && resumedFrom === undefined) {
    const read = new Set(out.events.map((e) => e.id));
    const kept = keep.events.filter((e) => !read.has(e.id));
    if (kept.length > 0) events = kept.concat(out.events);
  }
  const record: TraceRecord = {
    v: INDEX_VERSION,
    path: file.path,
    agent: file.agent,
    dev: file.dev,
    ino: file.ino,
    size: retry ? -1 : file.size,
    mtimeMs: file.mtimeMs,
    compressed: file.compressed,
    offset: out.endOffset,
    tail: file.compressed ? "" : readTail(file.path, out.endOffset),
    skipped: (resumedFrom?.skipped ?? 0) + out.skippedLines,
    events,
    sessions: mergeSessions(base?.sessions ?? [], out.sessions),
    // A resumed record only grew: its stored part stays, the new events are appended after it.
    ...(resumedFrom?.stored !== undefined ? { stored: resumedFrom.stored } : {}),
  };
  // The events it held are not decoded for this: a resumed record's new segment holds only the parse's events.
  if (resumedFrom !== undefined) growEvents(record, resumedFrom, out.events);
  return record;
}

/** Whether `path` is still a file whose head names a working directory (so discovery could place it). */
export async function placeable(path: string): Promise<boolean> {
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size === 0) return false;
    const head = await readHeadInfo({ path, compressed: path.endsWith(".zst"), size: info.size, mtimeMs: info.mtimeMs, needAgent: false });
    return head.cwd !== null;
  } catch {
    return false;
  }
}

export function corruptRecordNotice(trace: string): string {
  let exists = true;
  try {
    statSync(trace);
  } catch {
    exists = false;
  }
  return exists
    ? `index: the stored record of ${trace} is torn or corrupt; re-reading the trace`
    : `index: the stored record of ${trace} is torn or corrupt and the trace no longer exists; its edits cannot be recovered`;
}
