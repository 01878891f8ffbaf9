// A project's event table: for each trace record in its scope, the record's metadata and sessions (what deciding to
// skip or resume its trace needs), its record file's extent, and its events' rows (event-rows.ts), keyed like the
// project view (project-view.ts) by the record file's inode, size and mtime. A warm command reads this one file,
// not the view's event heads: `stats` counts rows, an unchanged trace is skipped, a grown one is resumed, and only
// a command that needs events (blame, timeline) loads records. An entry whose key no longer matches its record file
// is not used (the record is read as before): the table can be stale or lost, never wrong.
// The file is checksummed frames: a JSON header, then one frame per entry (a length-prefixed JSON part, then one
// row block per record segment); a grown record's frame holds only its new blocks after the `from` it extends
// (valid only on top of the entry whose key is its `prev`), so an append costs O(new events). Past a bound of
// appended frames or bytes, or when an entry is replaced, the file is rewritten whole (atomically, not fsynced).

import { closeSync, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { appendWhere } from "../util/positioned-write";
import { decodeBlock, type RowBlock } from "./event-rows";
import { encodeFrame, readFrames } from "./frames";
import type { RecordKey } from "./project-view";
import type { StoredExtent, TraceRecord } from "./record-codec";

/** A record without its events and stored extent: what its last segment's head says. */
export type RecordMeta = Omit<TraceRecord, "events" | "stored">;

export interface TableEntry {
  key: RecordKey;
  meta: RecordMeta;
  /** The record file's verified extent, so a resumed parse appends to it without reading it. */
  extent: Omit<StoredExtent, "heads">;
  /** One block per stored segment (or per appended part), in record order. */
  blocks: RowBlock[];
}

interface EntryHead {
  path: string;
  key: RecordKey;
  from: number;
  prev?: RecordKey;
  meta: RecordMeta;
  extent: TableEntry["extent"];
  blocks: number;
}

/** Appended frames allowed per entry (plus this many) before the file is rewritten whole. */
const SLACK_FRAMES = 16;

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isKey = (x: unknown): x is RecordKey => Array.isArray(x) && x.length === 3 && x.every(isNum);
export const sameKey = (a: RecordKey | undefined, b: RecordKey | undefined): boolean =>
  a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

function validMeta(m: unknown, path: string): m is RecordMeta {
  if (!isObj(m)) return false;
  return (
    m["path"] === path && typeof m["agent"] === "string" && isNum(m["v"]) && isNum(m["dev"]) && isNum(m["ino"]) && isNum(m["size"]) &&
    isNum(m["mtimeMs"]) && isNum(m["offset"]) && isNum(m["skipped"]) && typeof m["compressed"] === "boolean" && typeof m["tail"] === "string" &&
    Array.isArray(m["sessions"]) && m["sessions"].every((s) => isObj(s) && typeof s["sessionId"] === "string" && typeof s["agent"] === "string")
  );
}

/** The record's metadata, read field by field: its events (maybe not loaded yet) are not touched. */
function metaOf(r: TraceRecord): RecordMeta {
  const { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions } = r;
  return { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions };
}

function validExtent(e: unknown): e is TableEntry["extent"] {
  if (!isObj(e)) return false;
  const base = e["base"];
  return (
    isNum(e["ino"]) && isNum(e["fileBytes"]) && isNum(e["bytes"]) && isNum(e["segments"]) && isNum(e["events"]) &&
    (e["mtimeMs"] === undefined || isNum(e["mtimeMs"])) && isObj(base) && isNum(base["bytes"]) && isNum(base["events"])
  );
}

/** An entry frame's JSON part and blocks, or null when the payload is not one. */
function decodeEntry(payload: Buffer): { head: EntryHead; blocks: RowBlock[] } | null {
  if (payload.length < 4) return null;
  const jsonEnd = 4 + payload.readUInt32LE(0);
  if (jsonEnd > payload.length) return null;
  let head: unknown;
  try {
    head = JSON.parse(payload.toString("utf8", 4, jsonEnd));
  } catch {
    return null;
  }
  if (!isObj(head)) return null;
  const path = head["path"];
  if (typeof path !== "string" || !isKey(head["key"]) || !isNum(head["from"]) || (head["prev"] !== undefined && !isKey(head["prev"]))) return null;
  if (!validMeta(head["meta"], path) || !validExtent(head["extent"]) || !isNum(head["blocks"])) return null;
  const blocks: RowBlock[] = [];
  let at = jsonEnd;
  for (let i = 0; i < head["blocks"]; i++) {
    const decoded = decodeBlock(payload, at);
    if (decoded === null) return null;
    blocks.push(decoded.block);
    at = decoded.end;
  }
  return at === payload.length ? { head: head as unknown as EntryHead, blocks } : null;
}

function encodeEntry(head: EntryHead, blocks: RowBlock[]): Buffer {
  const json = Buffer.from(JSON.stringify(head), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  return encodeFrame(Buffer.concat([length, json, ...blocks.map((b) => b.encode())]));
}

/** What a record in memory gives the table: its key, metadata, extent and rows; null when it has none to keep. */
export interface TableRecord {
  key: RecordKey;
  record: TraceRecord;
  blocks: () => RowBlock[];
}

export class EventTable {
  private readonly entries = new Map<string, TableEntry>();
  /** The file as read or last written, so an append goes only to that file; null: rewrite whole. */
  private extent: { ino: number; bytes: number; frames: number; wholeBytes: number } | null = null;

  constructor(
    private readonly file: string,
    private readonly version: number,
    private readonly projectKey: string,
  ) {
    this.load();
  }

  entry(path: string): TableEntry | undefined {
    return this.entries.get(path);
  }

  private load(): void {
    let bytes: Buffer;
    let ino: number;
    try {
      const fd = openSync(this.file, "r");
      try {
        ino = fstatSync(fd).ino;
        bytes = readFileSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      return;
    }
    const read = readFrames(bytes);
    const [first, ...rest] = read.frames;
    let header: unknown;
    try {
      header = first === undefined ? null : JSON.parse(first.toString("utf8"));
    } catch {
      return;
    }
    const h = header as { v?: unknown; projectKey?: unknown; entries?: unknown } | null;
    if (h === null || h.v !== this.version || h.projectKey !== this.projectKey || !isNum(h.entries)) return;
    let wholeBytes = 0;
    let index = 0;
    for (const payload of rest) {
      index += 1;
      const frame = decodeEntry(payload);
      if (frame === null) {
        this.entries.clear();
        return;
      }
      this.apply(frame.head, frame.blocks);
      if (index === h.entries) wholeBytes = payload.byteOffset - bytes.byteOffset + payload.length + 1;
    }
    // A torn or corrupt tail (an interrupted append) keeps the frames before it; the next save rewrites the file.
    if (read.end === "whole") this.extent = { ino, bytes: bytes.length, frames: rest.length, wholeBytes };
  }

  private apply(head: EntryHead, blocks: RowBlock[]): void {
    const { path, key, meta, extent } = head;
    if (head.from === 0) {
      this.entries.set(path, { key, meta, extent, blocks });
      return;
    }
    const held = this.entries.get(path);
    if (held === undefined || !sameKey(held.key, head.prev) || held.blocks.length !== head.from) {
      this.entries.delete(path);
      return;
    }
    this.entries.set(path, { key, meta, extent, blocks: held.blocks.concat(blocks) });
  }

  /**
   * Brings the file up to date with the project's scope: `recordOf` gives what a path's record in memory holds
   * (undefined when none was loaded or changed this run: its entry stays; null when it has none: its entry goes).
   */
  save(paths: Iterable<string>, recordOf: (path: string) => TableRecord | null | undefined): void {
    const frames: Buffer[] = [];
    const inScope = new Set<string>();
    for (const path of paths) {
      inScope.add(path);
      const now = recordOf(path);
      if (now === undefined) continue;
      const held = this.entries.get(path);
      if (now === null) {
        if (held !== undefined) this.extent = null;
        this.entries.delete(path);
        continue;
      }
      if (sameKey(held?.key, now.key)) continue;
      const blocks = now.blocks();
      const meta = metaOf(now.record);
      const stored = now.record.stored;
      const extent = { ino: now.key[0], fileBytes: now.key[1], bytes: stored?.bytes ?? now.key[1], segments: stored?.segments ?? 1, events: stored?.events ?? 0, base: stored?.base ?? { bytes: 0, events: 0 }, mtimeMs: now.key[2] };
      // A record grown from its held entry shares that entry's blocks (event-table rows are made once).
      const from = held !== undefined && held.blocks.length <= blocks.length && held.blocks.every((b, i) => blocks[i] === b) ? held.blocks.length : 0;
      if (held !== undefined && from === 0) this.extent = null;
      const head: EntryHead = { path, key: now.key, from, ...(from > 0 && held !== undefined ? { prev: held.key } : {}), meta, extent, blocks: blocks.length - from };
      frames.push(encodeEntry(head, blocks.slice(from)));
      this.entries.set(path, { key: now.key, meta, extent, blocks });
    }
    for (const path of this.entries.keys()) {
      if (!inScope.has(path)) {
        this.entries.delete(path);
        this.extent = null;
      }
    }
    const extent = this.extent;
    if (extent === null) {
      this.writeWhole();
      return;
    }
    if (frames.length === 0) return;
    const appended = Buffer.concat(frames);
    const bounded =
      extent.frames + frames.length <= 2 * this.entries.size + SLACK_FRAMES &&
      extent.bytes + appended.length <= 2 * extent.wholeBytes + 64 * 1024;
    if (bounded && this.append(extent, appended, frames.length)) return;
    this.writeWhole();
  }

  private append(extent: NonNullable<EventTable["extent"]>, bytes: Buffer, frames: number): boolean {
    // Only onto the file as read or last written (another process may have rewritten it); not flushed: a cache.
    const sameFile = (info: Stats): boolean => info.ino === extent.ino && info.size === extent.bytes;
    if (appendWhere(this.file, sameFile, extent.bytes, bytes, false) === null) return false;
    this.extent = { ...extent, bytes: extent.bytes + bytes.length, frames: extent.frames + frames };
    return true;
  }

  private writeWhole(): void {
    let bytes = 0;
    const { version, projectKey, entries } = this;
    function* chunks(): Generator<Uint8Array> {
      const header = encodeFrame(JSON.stringify({ v: version, projectKey, entries: entries.size }));
      bytes += header.length;
      yield header;
      for (const [path, { key, meta, extent, blocks }] of entries) {
        const frame = encodeEntry({ path, key, from: 0, meta, extent, blocks: blocks.length }, blocks);
        bytes += frame.length;
        yield frame;
      }
    }
    writeFileAtomic(this.file, chunks(), { createParents: true, fsyncData: false, fsyncFolder: false });
    try {
      const fd = openSync(this.file, "r");
      try {
        this.extent = { ino: fstatSync(fd).ino, bytes, frames: this.entries.size, wholeBytes: bytes };
      } finally {
        closeSync(fd);
      }
    } catch {
      this.extent = null;
    }
  }
}
