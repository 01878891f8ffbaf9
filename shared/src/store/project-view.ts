// A project's saved view: for each trace record in its scope, the segments' heads (events without their changes,
// sessions, metadata) and where each changes frame is, keyed by the record file's inode, size and mtime. A command
// whose traces are unchanged or grown then stats each record file and reads this one file instead of decoding every
// record; an entry whose key no longer matches its record file (another process appended or rewrote it, the index
// was repaired) is not used, and that record is read as before, so the view can be stale or lost, never wrong.
// The file is checksummed frames: a header, then one entry per frame; a grown record's frame holds only its new
// segments after the `from` it extends (valid only on top of the entry whose key is its `prev`), so an append costs
// O(new segments). Past a bound of appended frames or bytes the file is rewritten whole (atomically, not fsynced:
// a lost view costs one slower command). A path's frames are verified and parsed when its entry is first asked for
// (a blame asks for the few records that edited its file): a damaged frame costs only its own path's entry.

import type { Stats } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { inodeOf, readWithInode } from "../util/read-with-inode";
import { appendToEnd, appendWhere } from "../util/positioned-write";
import { encodeFrame, frameChunks, frameIntact, splitFrames } from "./frames";
import type { SegmentHead, TraceRecord } from "./record-codec";

/** Inode, size and mtime of a record file as its entry's heads were read from it or written to it. */
export type RecordKey = [ino: number, size: number, mtimeMs: number];

export interface ViewEntry {
  key: RecordKey;
  heads: SegmentHead[];
}

interface EntryFrame {
  path: string;
  key: RecordKey;
  from: number;
  prev?: RecordKey;
  heads: SegmentHead[];
}

/** Appended frames allowed per entry (plus this many) before the file is rewritten whole. */
const SLACK_FRAMES = 16;

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
export const isKey = (x: unknown): x is RecordKey => Array.isArray(x) && x.length === 3 && x.every(isNum);
export const sameKey = (a: RecordKey | undefined, b: RecordKey | undefined): boolean =>
  a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

function isEntryFrame(x: unknown): x is EntryFrame {
  if (typeof x !== "object" || x === null) return false;
  const f = x as Record<string, unknown>;
  const heads = f["heads"];
  return (
    typeof f["path"] === "string" && isKey(f["key"]) && isNum(f["from"]) && (f["prev"] === undefined || isKey(f["prev"])) &&
    Array.isArray(heads) &&
    heads.every((h) => {
      const at = (h as { at?: unknown }).at;
      return Array.isArray(at) && at.length === 3 && isNum(at[0]) && isNum(at[1]) && typeof at[2] === "string" && typeof (h as { head?: unknown }).head === "object";
    })
  );
}

/** The record file key of a record as read from or written to disk, or null when it has no heads to keep. */
export function recordKey(record: TraceRecord): RecordKey | null {
  const stored = record.stored;
  if (stored?.heads === undefined || stored.mtimeMs === undefined || stored.heads.length !== stored.segments) return null;
  return [stored.ino, stored.fileBytes, stored.mtimeMs];
}

export class ProjectView {
  private readonly entries = new Map<string, ViewEntry>();
  /**
   * Per path, its frames not verified nor parsed yet (in file order): a blame needs the entries of the few records
   * that edited its file, so each path's frames are checked and parsed when its entry is first asked for, not the
   * whole file's megabytes at load.
   */
  private readonly pending = new Map<string, Array<{ payload: Buffer; sum: number }>>();
  /** The file as read or last written (inode, size), so an append goes only to that file; null: rewrite whole. */
  private extent: { ino: number; bytes: number; frames: number; wholeBytes: number } | null = null;

  /** Read when first asked for: a command that needs no record's events (`stats`) never reads it. */
  private loaded = false;

  constructor(
    private readonly file: string,
    private readonly version: number,
    private readonly projectKey: string,
  ) {}

  entry(path: string): ViewEntry | undefined {
    if (!this.loaded) this.load();
    this.settle(path);
    return this.entries.get(path);
  }

  /** Applies the path's frames not parsed yet; a frame that is not a valid entry drops the path's entry. */
  private settle(path: string): void {
    const frames = this.pending.get(path);
    if (frames === undefined) return;
    this.pending.delete(path);
    for (const { payload, sum } of frames) {
      const frame = frameIntact(payload, sum) ? parseFrame(payload) : null;
      if (frame === null || frame.path !== path) {
        this.entries.delete(path);
        // Rewritten whole by the next save, without the bad frame.
        this.extent = null;
        return;
      }
      this.apply(frame);
    }
  }

  /** Every path's frames applied (before the entries are compared or written as a whole). */
  private settleAll(): void {
    for (const path of [...this.pending.keys()]) this.settle(path);
  }

  private load(): void {
    this.loaded = true;
    const file = readWithInode(this.file);
    if (file === null) return;
    const { bytes, ino } = file;
    const read = splitFrames(bytes);
    const [first, ...rest] = read.frames;
    const [firstSum, ...sums] = read.sums;
    let header: unknown;
    try {
      header = first === undefined || !frameIntact(first, firstSum ?? -1) ? null : JSON.parse(first.toString("utf8"));
    } catch {
      return;
    }
    const h = header as { v?: unknown; projectKey?: unknown; entries?: unknown } | null;
    if (h === null || h.v !== this.version || h.projectKey !== this.projectKey || !isNum(h.entries)) return;
    let wholeBytes = 0;
    let index = 0;
    for (const payload of rest) {
      const sum = sums[index] ?? -1;
      index += 1;
      const path = framePath(payload);
      if (path !== null) {
        const held = this.pending.get(path);
        if (held === undefined) this.pending.set(path, [{ payload, sum }]);
        else held.push({ payload, sum });
      } else {
        const frame = frameIntact(payload, sum) ? parseFrame(payload) : null;
        if (frame === null) {
          this.entries.clear();
          this.pending.clear();
          return;
        }
        this.settle(frame.path);
        this.apply(frame);
      }
      if (index === h.entries) wholeBytes = payload.byteOffset - bytes.byteOffset + payload.length + 1;
    }
    // A torn or corrupt tail (an interrupted append) keeps the frames before it; the next save rewrites the file, as it
    // does one grown past its bounds by frames appended without reading it (appendGrown).
    const bounded = rest.length <= 2 * h.entries + SLACK_FRAMES && bytes.length <= 2 * wholeBytes + 64 * 1024;
    if (read.end === "whole" && bounded) this.extent = { ino, bytes: bytes.length, frames: rest.length, wholeBytes };
  }

  private apply(frame: EntryFrame): void {
    if (frame.from === 0) {
      this.entries.set(frame.path, { key: frame.key, heads: frame.heads });
      return;
    }
    const held = this.entries.get(frame.path);
    if (held === undefined || !sameKey(held.key, frame.prev) || held.heads.length < frame.from) {
      this.entries.delete(frame.path);
      return;
    }
    this.entries.set(frame.path, { key: frame.key, heads: held.heads.slice(0, frame.from).concat(frame.heads) });
  }

  /**
   * Brings the file up to date with the records of the project's scope: `recordOf` gives a path's loaded record
   * (undefined when it was not loaded this run: its entry stays; null when it has none: its entry goes).
   */
  save(paths: Iterable<string>, recordOf: (path: string) => TraceRecord | null | undefined): void {
    // Not read this run: no record was loaded through it. A record grown by a segment appended here gets a frame
    // without the view being read (appendGrown); the entries of other records written since are stale (their keys no
    // longer match), so the next command that reads the view loads those records and brings it up to date.
    if (!this.loaded) {
      this.appendGrown(paths, recordOf);
      return;
    }
    const frames: EntryFrame[] = [];
    // Unread paths out of scope are dropped (a rewrite) without parsing their frames.
    const scope = new Set(paths);
    for (const path of this.pending.keys()) {
      if (!scope.has(path)) {
        this.pending.delete(path);
        this.entries.delete(path);
        this.extent = null;
      }
    }
    for (const path of scope) {
      const record = recordOf(path);
      if (record === undefined) continue;
      this.settle(path);
      const key = record === null ? null : recordKey(record);
      const held = this.entries.get(path);
      if (key === null || record === null) {
        if (held !== undefined) this.extent = null;
        this.entries.delete(path);
        continue;
      }
      if (sameKey(held?.key, key)) continue;
      const heads = record.stored?.heads ?? [];
      const from = held !== undefined && extends_(held.heads, heads) ? held.heads.length : 0;
      // A record rewritten whole (a whole re-read, a merge of its segments) replaces its entry: appending it would
      // leave the old one's bytes to be read and parsed by every later command, so the file is rewritten instead.
      if (held !== undefined && from === 0) this.extent = null;
      frames.push({ path, key, from, ...(from > 0 && held !== undefined ? { prev: held.key } : {}), heads: heads.slice(from) });
      this.entries.set(path, { key, heads });
    }
    for (const path of this.entries.keys()) {
      if (!scope.has(path)) {
        this.entries.delete(path);
        this.extent = null;
      }
    }
    const extent = this.extent;
    if (extent === null) {
      // Rewritten whole anyway (a cold index: every entry new), so the appended frames are never encoded at once.
      this.settleAll();
      this.writeWhole();
      return;
    }
    if (frames.length === 0) return;
    const appended = Buffer.concat(frames.map((frame) => encodeFrame(JSON.stringify(frame))));
    const bounded =
      extent.frames + frames.length <= 2 * this.entries.size + SLACK_FRAMES &&
      extent.bytes + appended.length <= 2 * extent.wholeBytes + 64 * 1024;
    if (bounded && this.append(extent, appended, frames.length)) return;
    this.settleAll();
    this.writeWhole();
  }

  /**
   * Appends, to the view as it is on disk, a frame per record grown by a segment this process appended to its file
   * (`stored.grown`): valid on top of an entry for the record file as it was before (its `prev` key), so a `stats`
   * after an append leaves the view current for the next blame. A view over its bounds is compacted by the next
   * command that reads it (load).
   */
  private appendGrown(paths: Iterable<string>, recordOf: (path: string) => TraceRecord | null | undefined): void {
    const frames: Buffer[] = [];
    for (const path of paths) {
      const stored = recordOf(path)?.stored;
      const grown = stored?.grown;
      if (stored?.mtimeMs === undefined || grown === undefined) continue;
      const frame: EntryFrame = { path, key: [stored.ino, stored.fileBytes, stored.mtimeMs], from: grown.from, prev: grown.prev, heads: grown.heads };
      frames.push(encodeFrame(JSON.stringify(frame)));
      // Once: a later save of this process (a server's) must not apply it again on top of itself.
      delete stored.grown;
    }
    if (frames.length === 0) return;
    // Onto the file whatever its size: each frame applies only on top of the entry it names.
    appendToEnd(this.file, Buffer.concat(frames));
  }

  private append(extent: NonNullable<ProjectView["extent"]>, bytes: Buffer, frames: number): boolean {
    // Only onto the file as read or last written (another process may have rewritten it); not flushed: a cache.
    const sameFile = (info: Stats): boolean => info.ino === extent.ino && info.size === extent.bytes;
    if (appendWhere(this.file, sameFile, extent.bytes, bytes, false) === null) return false;
    this.extent = { ...extent, bytes: extent.bytes + bytes.length, frames: extent.frames + frames };
    return true;
  }

  private writeWhole(): void {
    // Frame by frame to the file: the whole view (megabytes at 1 GB of traces) is never encoded at once.
    let bytes = 0;
    const { version, projectKey, entries } = this;
    function* payloads(): Generator<string> {
      yield JSON.stringify({ v: version, projectKey, entries: entries.size });
      for (const [path, { key, heads }] of entries) yield JSON.stringify({ path, key, from: 0, heads });
    }
    function* counted(): Generator<Uint8Array> {
      for (const chunk of frameChunks(payloads())) {
        bytes += chunk.length;
        yield chunk;
      }
    }
    writeFileAtomic(this.file, counted(), { createParents: true, fsyncData: false, fsyncFolder: false });
    let ino = -1;
    try {
      ino = inodeOf(this.file);
    } catch {
      this.extent = null;
      return;
    }
    this.extent = { ino, bytes, frames: this.entries.size, wholeBytes: bytes };
  }
}

/** A frame's entry, or null when it is not valid JSON of one. */
function parseFrame(payload: Buffer): EntryFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(payload.toString("utf8"));
  } catch {
    return null;
  }
  return isEntryFrame(frame) ? frame : null;
}

const PATH_FIELD = Buffer.from('{"path":"');

/**
 * The path a frame is for, read from its first field as writeWhole and save write it (`{"path":"…"`) without
 * parsing the rest; null for any other layout (then the frame is parsed at once).
 */
function framePath(payload: Buffer): string | null {
  if (payload.length < PATH_FIELD.length || payload.compare(PATH_FIELD, 0, PATH_FIELD.length, 0, PATH_FIELD.length) !== 0) return null;
  for (let i = PATH_FIELD.length; i < payload.length; i++) {
    const byte = payload[i];
    if (byte === 0x5c) i += 1;
    else if (byte === 0x22) {
      try {
        const path: unknown = JSON.parse(payload.toString("utf8", PATH_FIELD.length - 1, i + 1));
        return typeof path === "string" ? path : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Whether `heads` starts with the segments `held` (same changes frames at the same places). */
function extends_(held: SegmentHead[], heads: SegmentHead[]): boolean {
  if (held.length === 0 || heads.length < held.length) return false;
  for (let i = 0; i < held.length; i++) {
    const a = held[i]?.at;
    const b = heads[i]?.at;
    if (a === undefined || b === undefined || a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) return false;
  }
  return true;
}
