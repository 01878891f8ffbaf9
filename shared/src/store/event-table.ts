// A project's event table: for each trace record in its scope, the record's metadata and sessions (what deciding to
// skip or resume its trace needs), its record file's extent, and its events' rows (event-rows.ts) with their counts,
// keyed like the project view (project-view.ts) by the record file's inode, size and mtime. A warm command reads
// this one file, not the view's event heads: `stats` adds up counts, an unchanged trace is skipped, a grown one is
// resumed, and only a command that needs events (blame, timeline) loads records. An entry whose key no longer
// matches its record file is not used (the record is read as before): the table can be stale or lost, never wrong.
// The file is checksummed frames: a header, then batches of entries, each frame one JSON part (the entries'
// metadata, their blocks' counts over one table of names) and the blocks' columns, 8-byte aligned, read in place.
// Few frames, as a frame's checksum costs a call (~20 µs before the code is optimized; 1,083 entries cost 27 ms).
// A grown record's entry holds only its new blocks after the `from` it extends (valid only on top of the entry
// whose key is its `prev`), so an append costs O(new events); past a bound of appended frames or bytes, or when an
// entry is replaced, the file is rewritten whole (atomically, not fsynced).

import type { Stats } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { inodeOf, readWithInode } from "../util/read-with-inode";
import { appendWhere } from "../util/positioned-write";
import { type BlockTally, decodeBlock, type RowBlock } from "./event-rows";
import { encodeFrame, readFrames } from "./frames";
import { isKey, type RecordKey, sameKey } from "./project-view";
import type { StoredExtent, TraceRecord } from "./record-codec";

/** A record without its events and stored extent: what its last segment's head says. */
export type RecordMeta = Omit<TraceRecord, "events" | "stored">;

export interface TableEntry {
  key: RecordKey;
  /** The record file's name in the index (the sha1 of the trace's path), so a check of it hashes nothing. */
  name: string;
  meta: RecordMeta;
  /** The record file's verified extent, so a resumed parse appends to it without reading it. */
  extent: Omit<StoredExtent, "heads">;
  /** One block per stored segment (or per appended part), in record order. */
  blocks: RowBlock[];
}

interface EntryHead {
  path: string;
  key: RecordKey;
  name: string;
  from: number;
  prev?: RecordKey;
  meta: RecordMeta;
  extent: TableEntry["extent"];
  /** Per new block: its counts as indexes into the batch's names and row counts (see tallyOut). */
  blocks: number[][][];
}

/** What a record in memory gives the table: its key, metadata, extent and rows; null when it has none to keep. */
export interface TableRecord {
  key: RecordKey;
  name: string;
  record: TraceRecord;
  blocks: () => RowBlock[];
}

/** Format of the file within an INDEX_VERSION (a file of another is not read). */
const TABLE_FORMAT = 3;
/** Entries per frame of a whole rewrite (bounds what one write encodes at once). */
const BATCH = 256;
/** Appended frames allowed before the file is rewritten whole. */
const SLACK_FRAMES = 64;

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function validMeta(m: unknown, path: string): m is RecordMeta {
  if (!isObj(m)) return false;
  return (
    m["path"] === path && typeof m["agent"] === "string" && isNum(m["v"]) && isNum(m["dev"]) && isNum(m["ino"]) && isNum(m["size"]) &&
    isNum(m["mtimeMs"]) && isNum(m["offset"]) && isNum(m["skipped"]) && typeof m["compressed"] === "boolean" && typeof m["tail"] === "string" &&
    Array.isArray(m["sessions"]) && m["sessions"].every((s) => isObj(s) && typeof s["sessionId"] === "string" && typeof s["agent"] === "string")
  );
}

function validExtent(e: unknown): e is TableEntry["extent"] {
  if (!isObj(e)) return false;
  const base = e["base"];
  return (
    isNum(e["ino"]) && isNum(e["fileBytes"]) && isNum(e["bytes"]) && isNum(e["segments"]) && isNum(e["events"]) &&
    (e["mtimeMs"] === undefined || isNum(e["mtimeMs"])) && isObj(base) && isNum(base["bytes"]) && isNum(base["events"])
  );
}

function validHead(h: unknown): h is EntryHead {
  if (!isObj(h) || typeof h["path"] !== "string") return false;
  return (
    isKey(h["key"]) && typeof h["name"] === "string" && /^[0-9a-f]{40}$/.test(h["name"]) && isNum(h["from"]) && (h["prev"] === undefined || isKey(h["prev"])) && validMeta(h["meta"], h["path"]) &&
    validExtent(h["extent"]) && Array.isArray(h["blocks"]) && h["blocks"].every((t) => Array.isArray(t) && t.length === 8 && t.every((a) => Array.isArray(a) && a.every(isNum)))
  );
}

/** A block's counts as the batch stores them: names as indexes into `name` (interned), row counts as they are. */
function tallyOut(t: BlockTally, name: (s: string) => number): number[][] {
  return [t.models.map(name), t.modelRows, t.agents.map(name), t.agentRows, t.files.map(name), t.fileRows, t.sessionAgents.map(name), t.sessionIds.map(name)];
}

function tallyIn(t: number[][], names: string[]): BlockTally {
  const at = (i: number): string[] => (t[i] ?? []).map((k) => names[k] ?? "");
  return { models: at(0), modelRows: t[1] ?? [], agents: at(2), agentRows: t[3] ?? [], files: at(4), fileRows: t[5] ?? [], sessionAgents: at(6), sessionIds: at(7) };
}

/** One frame holding `entries` (each with the blocks it adds). */
function encodeBatch(entries: { head: Omit<EntryHead, "blocks">; blocks: RowBlock[] }[]): Buffer {
  const names: string[] = [];
  const slots = new Map<string, number>();
  const name = (s: string): number => {
    let slot = slots.get(s);
    if (slot === undefined) {
      slot = names.length;
      names.push(s);
      slots.set(s, slot);
    }
    return slot;
  };
  const heads = entries.map(({ head, blocks }) => ({ ...head, blocks: blocks.map((b) => tallyOut(b.tally, name)) }));
  const json = Buffer.from(JSON.stringify({ names, entries: heads }), "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(json.length, 0);
  const pad = Buffer.alloc((8 - (json.length % 8)) % 8);
  return encodeFrame(Buffer.concat([prefix, json, pad, ...entries.flatMap(({ blocks }) => blocks.map((b) => b.encode()))]));
}

/** A batch frame's entries and their blocks, or null when the payload is not one. */
function decodeBatch(payload: Buffer): { head: EntryHead; blocks: RowBlock[] }[] | null {
  if (payload.length < 8) return null;
  const jsonEnd = 8 + payload.readUInt32LE(0);
  if (jsonEnd > payload.length) return null;
  let batch: unknown;
  try {
    batch = JSON.parse(payload.toString("utf8", 8, jsonEnd));
  } catch {
    return null;
  }
  if (!isObj(batch) || !Array.isArray(batch["names"]) || !batch["names"].every((n) => typeof n === "string") || !Array.isArray(batch["entries"])) return null;
  const names = batch["names"] as string[];
  // The columns are read in place: copied once into memory of their own, whose offset is 8-byte aligned.
  const start = jsonEnd + ((8 - (jsonEnd % 8)) % 8);
  const region = Buffer.from(new ArrayBuffer(Math.max(0, payload.length - start)));
  region.set(payload.subarray(start));
  const out: { head: EntryHead; blocks: RowBlock[] }[] = [];
  let at = 0;
  for (const head of batch["entries"] as unknown[]) {
    if (!validHead(head)) return null;
    const blocks: RowBlock[] = [];
    for (const tally of head.blocks) {
      const decoded = decodeBlock(region, at, tallyIn(tally, names));
      if (decoded === null) return null;
      blocks.push(decoded.block);
      at = decoded.end;
    }
    out.push({ head, blocks });
  }
  return at === region.length ? out : null;
}

/** The record's metadata, read field by field: its events (maybe not loaded yet) are not touched. */
function metaOf(r: TraceRecord): RecordMeta {
  const { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions } = r;
  return { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions };
}

export class EventTable {
  private readonly entries = new Map<string, TableEntry>();
  /** The file as read or last written, so an append goes only to that file; null: rewrite whole. */
  private extent: { ino: number; bytes: number; frames: number; wholeBytes: number; wholeFrames: number } | null = null;

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
    const file = readWithInode(this.file);
    if (file === null) return;
    const { bytes, ino } = file;
    const read = readFrames(bytes);
    const [first, ...rest] = read.frames;
    let header: unknown;
    try {
      header = first === undefined ? null : JSON.parse(first.toString("utf8"));
    } catch {
      return;
    }
    const h = header as { v?: unknown; table?: unknown; projectKey?: unknown; frames?: unknown } | null;
    if (h === null || h.v !== this.version || h.table !== TABLE_FORMAT || h.projectKey !== this.projectKey || !isNum(h.frames)) return;
    let wholeBytes = 0;
    let index = 0;
    for (const payload of rest) {
      index += 1;
      const batch = decodeBatch(payload);
      if (batch === null) {
        this.entries.clear();
        return;
      }
      for (const { head, blocks } of batch) this.apply(head, blocks);
      if (index === h.frames) wholeBytes = payload.byteOffset - bytes.byteOffset + payload.length + 1;
    }
    // A torn or corrupt tail (an interrupted append) keeps the frames before it; the next save rewrites the file.
    if (read.end === "whole" && index >= h.frames) this.extent = { ino, bytes: bytes.length, frames: rest.length, wholeBytes, wholeFrames: h.frames };
  }

  private apply(head: EntryHead, blocks: RowBlock[]): void {
    const { path, key, name, meta, extent } = head;
    if (head.from === 0) {
      this.entries.set(path, { key, name, meta, extent, blocks });
      return;
    }
    const held = this.entries.get(path);
    if (held === undefined || !sameKey(held.key, head.prev) || held.blocks.length !== head.from) {
      this.entries.delete(path);
      return;
    }
    this.entries.set(path, { key, name, meta, extent, blocks: held.blocks.concat(blocks) });
  }

  /**
   * Brings the file up to date with the project's scope: `recordOf` gives what a path's record in memory holds
   * (undefined when none was loaded or changed this run: its entry stays; null when it has none: its entry goes).
   */
  save(paths: Iterable<string>, recordOf: (path: string) => TableRecord | null | undefined): void {
    const added: { head: Omit<EntryHead, "blocks">; blocks: RowBlock[] }[] = [];
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
      const extent = {
        ino: now.key[0],
        fileBytes: now.key[1],
        bytes: stored?.bytes ?? now.key[1],
        segments: stored?.segments ?? 1,
        events: stored?.events ?? 0,
        base: stored?.base ?? { bytes: 0, events: 0 },
        mtimeMs: now.key[2],
      };
      // A record grown from its held entry shares that entry's blocks (rows are made once).
      const from = held !== undefined && held.blocks.length <= blocks.length && held.blocks.every((b, i) => blocks[i] === b) ? held.blocks.length : 0;
      if (held !== undefined && from === 0) this.extent = null;
      added.push({ head: { path, key: now.key, name: now.name, from, ...(from > 0 && held !== undefined ? { prev: held.key } : {}), meta, extent }, blocks: blocks.slice(from) });
      this.entries.set(path, { key: now.key, name: now.name, meta, extent, blocks });
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
    if (added.length === 0) return;
    const frame = encodeBatch(added);
    const bounded = extent.frames + 1 <= extent.wholeFrames + SLACK_FRAMES && extent.bytes + frame.length <= 2 * extent.wholeBytes + 64 * 1024;
    if (bounded && this.append(extent, frame)) return;
    this.writeWhole();
  }

  private append(extent: NonNullable<EventTable["extent"]>, bytes: Buffer): boolean {
    // Only onto the file as read or last written (another process may have rewritten it); not flushed: a cache.
    const sameFile = (info: Stats): boolean => info.ino === extent.ino && info.size === extent.bytes;
    if (appendWhere(this.file, sameFile, extent.bytes, bytes, false) === null) return false;
    this.extent = { ...extent, bytes: extent.bytes + bytes.length, frames: extent.frames + 1 };
    return true;
  }

  private writeWhole(): void {
    let bytes = 0;
    const all = [...this.entries];
    const frames = Math.ceil(all.length / BATCH);
    const { version, projectKey } = this;
    function* chunks(): Generator<Uint8Array> {
      const header = encodeFrame(JSON.stringify({ v: version, table: TABLE_FORMAT, projectKey, frames }));
      bytes += header.length;
      yield header;
      for (let i = 0; i < all.length; i += BATCH) {
        const batch = all.slice(i, i + BATCH).map(([path, { key, name, meta, extent, blocks }]) => ({ head: { path, key, name, from: 0, meta, extent }, blocks }));
        const frame = encodeBatch(batch);
        bytes += frame.length;
        yield frame;
      }
    }
    writeFileAtomic(this.file, chunks(), { createParents: true, fsyncData: false, fsyncFolder: false });
    try {
      this.extent = { ino: inodeOf(this.file), bytes, frames, wholeBytes: bytes, wholeFrames: frames };
    } catch {
      this.extent = null;
    }
  }
}
