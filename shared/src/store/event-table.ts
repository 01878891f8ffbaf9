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

import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, type Stats } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { inodeOf, readWithInode } from "../util/read-with-inode";
import { appendWhere } from "../util/positioned-write";
import type { RowBlock } from "./event-rows";
import { encodeFrame, readFrames } from "./frames";
import { type RecordKey, sameKey } from "./project-view";
import type { StoredExtent, TraceRecord } from "./record-codec";
import { addGrown, type GrownRecord } from "./table-counts";
import type { CountSets } from "./count-sets";
import { type CountHashes, type CountsGrowth, type CwdNote, DirEntries, type DirEntry, DirectoryFile, type DirLookup, type SavedCounts, type TableExtent } from "./table-directory";
import { decodeBatch, encodeBatch, type EntryHead, metaOf } from "./table-frames";

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

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

/** What a record in memory gives the table: its key, metadata, extent and rows; null when it has none to keep. */
export interface TableRecord {
  key: RecordKey;
  name: string;
  record: TraceRecord;
  blocks: () => RowBlock[];
}

/** Format of the file within an INDEX_VERSION (a file of another is not read). 4: a generation in the header. */
const TABLE_FORMAT = 4;
/** Entries per frame of a whole rewrite: an entry read alone through the directory decodes its frame's entries. */
const BATCH = 16;
/** Appended frames allowed before the file is rewritten whole. */
const SLACK_FRAMES = 64;
/**
 * Frames read one by one through the directory before the table is read whole instead (a command that needs every
 * entry, as a blame does, reads a few frames twice at most; an append needs one).
 */
const LAZY_LIMIT = 2;

function dirEntryOf(key: RecordKey, name: string, meta: RecordMeta, frames: number[], note: CwdNote | undefined): DirEntry {
  const { agent, dev, ino, size, mtimeMs, offset, skipped } = meta;
  const entry: DirEntry = { key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames };
  if (note !== undefined) entry.note = note;
  return entry;
}

export class EventTable {
  /** Entries decoded so far (all of them once `loadedAll`). */
  private readonly entries = new Map<string, TableEntry>();
  /** Every entry's directory record, from the directory file or made by reading the table whole. */
  private dir = new DirEntries();
  private dirKnown = false;
  private readonly dirFile: DirectoryFile;
  /** The directory file must be rewritten whole (unknown at start, a whole read, a drop, new counts). */
  private dirStale = true;
  /** Changes since the directory file was last written, for a delta: entries, and what became of the counts. */
  private readonly dirChanged = new Set<string>();
  private countsChange: CountsGrowth | null | undefined = undefined;
  private loadedAll = false;
  private lazyLoads = 0;
  /** Where the last entry read alone began (its first frame decoded for it only). */
  private firstFrameRead = -1;
  /** Entries dropped this run (a later whole read must not bring them back), and whether the file must be rewritten. */
  private readonly dropped = new Set<string>();
  private rewrite = false;
  /** The file as read or last written, so an append goes only to that file; null: rewrite whole. */
  private extent: TableExtent | null = null;
  private counts: SavedCounts | null = null;
  private hashes: () => CountHashes | null = () => null;
  private sets: () => CountSets | null = () => null;
  /** The cwd note of a trace as `meta` describes it, for the entries made this run (the index's cwd cache answers). */
  noteOf: (path: string, meta: RecordMeta) => CwdNote | undefined = () => undefined;

  constructor(
    private readonly file: string,
    dirFile: string,
    private readonly version: number,
    private readonly projectKey: string,
  ) {
    this.dirFile = new DirectoryFile(dirFile, version, projectKey);
    const read = this.dirFile.read(file);
    if (read === null) return;
    this.dir = read.entries;
    this.dirKnown = true;
    this.dirStale = false;
    this.extent = read.extent;
    this.counts = read.counts;
    this.hashes = read.hashes;
    this.sets = read.sets;
  }

  /** What the directory says of the path's entry (only while the directory is known: else undefined). */
  light(path: string): DirEntry | undefined {
    return this.dirKnown ? this.dir.get(path) : undefined;
  }

  entry(path: string): TableEntry | undefined {
    const held = this.entries.get(path);
    if (held !== undefined || this.loadedAll || this.dropped.has(path)) return held;
    if (this.dirKnown && this.lazyLoads < LAZY_LIMIT) {
      const light = this.dir.get(path);
      if (light === undefined) return undefined;
      this.lazyLoads += 1;
      const entry = this.readEntry(path, light);
      if (entry === null) {
        // A damaged or foreign frame: the record is read from its file, and the table is rewritten at the next save.
        this.drop(path);
        return undefined;
      }
      this.entries.set(path, entry);
      return entry;
    }
    this.loadAll();
    return this.entries.get(path);
  }

  /** Whether a save would write something of the table's own (an entry dropped, the directory to write). */
  get unsaved(): boolean {
    return this.rewrite || this.dirStale || this.dirChanged.size > 0 || this.countsChange !== undefined;
  }

  /** The counts a filter-free `stats` kept, while every change since was an append of rows counted into them. */
  savedCounts(): { saved: SavedCounts; entries: DirLookup } | null {
    return this.counts === null || !this.dirKnown ? null : { saved: this.counts, entries: this.dir };
  }

  /** The directory of every entry (null until known: the table was not read and had no directory). */
  directory(): DirLookup | null {
    return this.dirKnown ? this.dir : null;
  }

  /** Keeps the counts of a filter-free `stats` over the table as it is now (written with the directory). */
  keepCounts(saved: SavedCounts, sets: CountSets, hashes: CountHashes): void {
    if (!this.dirKnown) return;
    this.counts = saved;
    this.hashes = () => hashes;
    this.sets = () => sets;
    this.dirStale = true;
    this.writeDir();
  }

  /** The entry's frames read from the table file at the directory's places, or null when they do not hold it. */
  private readEntry(path: string, light: DirEntry): TableEntry | null {
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch {
      return null;
    }
    try {
      let entry: TableEntry | null = null;
      for (let i = 0; i < light.frames.length; i += 2) {
        const bytes = Buffer.alloc(light.frames[i + 1] as number);
        if (readSync(fd, bytes, 0, bytes.length, light.frames[i] as number) !== bytes.length) return null;
        const read = readFrames(bytes);
        // A first frame is decoded whole (its neighbours kept) when a second of its entries is asked for.
        const whole = i === 0 && this.firstFrameRead === light.frames[0];
        if (i === 0) this.firstFrameRead = light.frames[0] as number;
        const batch = read.end === "whole" && read.frames.length === 1 ? decodeBatch(read.frames[0] as Buffer, whole ? undefined : path) : null;
        const part = batch?.find(({ head }) => head.path === path);
        if (part === undefined || batch === null || batch === undefined) return null;
        if (whole) this.keepNeighbours(batch, light.frames[0] as number);
        entry = extended(entry, part.head, part.blocks);
        if (entry === null) return null;
      }
      return entry !== null && sameKey(entry.key, light.key) ? entry : null;
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Keeps the other entries a first frame read for a second of its entries holds whole (their only frame, with the
   * key the directory gives), so the next of them costs no read.
   */
  private keepNeighbours(batch: { head: EntryHead; blocks: RowBlock[] }[], at: number): void {
    for (const { head, blocks } of batch) {
      const light = this.dir.get(head.path);
      if (head.from !== 0 || light === undefined || light.frames.length !== 2 || light.frames[0] !== at || this.entries.has(head.path)) continue;
      if (this.dropped.has(head.path) || !sameKey(head.key, light.key)) continue;
      const { key, name, meta, extent } = head;
      this.entries.set(head.path, { key, name, meta, extent, blocks });
    }
  }

  /** Reads the table whole: every entry not decoded yet, and the directory of all. */
  private loadAll(): void {
    // Entries decoded before (their rows may be in use, or this run's save set them) stay, with their records.
    const before = new Set(this.entries.keys());
    this.loadedAll = true;
    this.dirKnown = true;
    const scanned = new Map<string, DirEntry>();
    const decoded = new Map<string, TableEntry>();
    const file = readWithInode(this.file);
    this.extent = null;
    if (file !== null) this.scan(file, scanned, decoded);
    const dir = new DirEntries();
    for (const path of before) {
      const light = this.dir.get(path);
      if (light !== undefined) dir.set(path, light);
    }
    for (const [path, light] of scanned) {
      const entry = decoded.get(path);
      if (before.has(path) || this.dropped.has(path) || entry === undefined) continue;
      this.entries.set(path, entry);
      dir.set(path, light);
    }
    this.dir = dir;
    this.dirStale = true;
  }

  private scan(file: { bytes: Buffer; ino: number }, dir: Map<string, DirEntry>, entries: Map<string, TableEntry>): void {
    const { bytes, ino } = file;
    const read = readFrames(bytes);
    const [first, ...rest] = read.frames;
    let header: { v?: unknown; table?: unknown; projectKey?: unknown; frames?: unknown; gen?: unknown } | null = null;
    try {
      header = first === undefined ? null : JSON.parse(first.toString("utf8"));
    } catch {
      return;
    }
    const h = header;
    if (h === null || h.v !== this.version || h.table !== TABLE_FORMAT || h.projectKey !== this.projectKey || !isNum(h.frames) || typeof h.gen !== "string") return;
    let wholeBytes = 0;
    let index = 0;
    let end = first === undefined ? 0 : first.byteOffset - bytes.byteOffset + first.length + 1;
    for (const payload of rest) {
      index += 1;
      const start = end;
      end = payload.byteOffset - bytes.byteOffset + payload.length + 1;
      const batch = decodeBatch(payload);
      if (batch === null) {
        entries.clear();
        dir.clear();
        return;
      }
      for (const { head, blocks } of batch) {
        const entry = extended(head.from === 0 ? null : (entries.get(head.path) ?? null), head, blocks);
        const light = dir.get(head.path);
        if (entry === null) {
          entries.delete(head.path);
          dir.delete(head.path);
          continue;
        }
        entries.set(head.path, entry);
        const frames = head.from === 0 || light === undefined ? [start, end - start] : [...light.frames, start, end - start];
        dir.set(head.path, dirEntryOf(entry.key, entry.name, entry.meta, frames, this.noteOf(head.path, entry.meta)));
      }
      if (index === h.frames) wholeBytes = end;
    }
    // A torn or corrupt tail (an interrupted append) keeps the frames before it; the next save rewrites the file.
    if (read.end === "whole" && index >= h.frames) this.extent = { ino, bytes: bytes.length, frames: rest.length, wholeBytes, wholeFrames: h.frames, gen: h.gen };
  }

  /**
   * Brings the file up to date with the project's scope: `recordOf` gives what a path's record in memory holds
   * (undefined when none was loaded or changed this run: its entry stays; null when it has none: its entry goes).
   * The kept counts follow an append of new rows (table-counts.ts addGrown); any other change drops them. The directory is left to a later write when not `directory`.
   */
  save(scope: readonly { path: string; live: boolean }[], recordOf: (path: string) => TableRecord | null | undefined, directory = true): void {
    if (!this.dirKnown) this.loadAll();
    const added: { head: Omit<EntryHead, "blocks">; blocks: RowBlock[] }[] = [];
    const grown: GrownRecord[] = [];
    let countsKept = this.counts !== null;
    const inScope = new Set<string>();
    for (const { path } of scope) {
      inScope.add(path);
      const now = recordOf(path);
      if (now === undefined) continue;
      const light = this.dir.get(path);
      if (now === null) {
        if (light !== undefined) this.drop(path);
        countsKept &&= light === undefined;
        continue;
      }
      if (sameKey(light?.key, now.key)) continue;
      const held = light === undefined ? undefined : this.entry(path);
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
      if (from > 0 && held !== undefined) grown.push({ blocks: blocks.slice(from), sessions: meta.sessions, skippedBefore: held.meta.skipped, skippedNow: meta.skipped });
      else countsKept = false;
      added.push({ head: { path, key: now.key, name: now.name, from, ...(from > 0 && held !== undefined ? { prev: held.key } : {}), meta, extent }, blocks: blocks.slice(from) });
      this.entries.set(path, { key: now.key, name: now.name, meta, extent, blocks });
      this.dir.set(path, dirEntryOf(now.key, now.name, meta, from > 0 && light !== undefined ? light.frames : [], this.noteOf(path, meta)));
    }
    for (const path of [...this.dir.keys()]) {
      if (inScope.has(path)) continue;
      this.drop(path);
      countsKept = false;
    }
    const before = this.extent;
    this.keepGrown(countsKept, grown);
    if (this.extent === null || this.rewrite) this.writeWhole();
    else if (added.length > 0) this.appendFrame(this.extent, added);
    if (this.extent !== before && this.extent?.gen !== before?.gen) this.dirStale = true;
    for (const { head } of added) this.dirChanged.add(head.path);
    if (directory) this.writeDir();
  }

  /** The counts with the grown records' rows added, when they were kept and nothing else changed; else none. */
  private keepGrown(kept: boolean, grown: GrownRecord[]): void {
    if (this.counts === null) return;
    if (!kept) {
      this.counts = null;
      this.countsChange = null;
      return;
    }
    if (grown.length === 0) return;
    const hashes = this.hashes();
    const sets = this.sets();
    const next = hashes === null || sets === null ? null : addGrown(this.counts, sets, hashes, grown);
    this.counts = next?.saved ?? null;
    this.hashes = () => next?.hashes ?? null;
    this.sets = next === null ? () => null : next.sets;
    // Two growths before one write: the second's totals hold the first's, not its additions: written whole.
    if (this.countsChange !== undefined) this.dirStale = true;
    this.countsChange = next?.growth ?? null;
  }

  private drop(path: string): void {
    this.entries.delete(path);
    this.dir.delete(path);
    this.dropped.add(path);
    this.rewrite = true;
  }

  private appendFrame(extent: TableExtent, added: { head: Omit<EntryHead, "blocks">; blocks: RowBlock[] }[]): void {
    const frame = encodeBatch(added);
    const bounded = extent.frames + 1 <= extent.wholeFrames + SLACK_FRAMES && extent.bytes + frame.length <= 2 * extent.wholeBytes + 64 * 1024;
    // Only onto the file as read or last written (another process may have rewritten it); not flushed: a cache.
    const sameFile = (info: Stats): boolean => info.ino === extent.ino && info.size === extent.bytes;
    if (bounded && appendWhere(this.file, sameFile, extent.bytes, frame, false) !== null) {
      this.extent = { ...extent, bytes: extent.bytes + frame.length, frames: extent.frames + 1 };
      for (const { head } of added) this.dir.get(head.path)?.frames.push(extent.bytes, frame.length);
      return;
    }
    this.writeWhole();
  }

  private writeWhole(): void {
    // Every entry is needed: those not decoded yet are read now (the file is about to be replaced).
    if (!this.loadedAll) this.loadRest();
    let bytes = 0;
    const all = [...this.entries];
    const frames = Math.ceil(all.length / BATCH);
    const gen = randomBytes(8).toString("hex");
    const { version, projectKey, dir } = this;
    function* chunks(): Generator<Uint8Array> {
      const header = encodeFrame(JSON.stringify({ v: version, table: TABLE_FORMAT, projectKey, frames, gen }));
      bytes += header.length;
      yield header;
      for (let i = 0; i < all.length; i += BATCH) {
        const part = all.slice(i, i + BATCH);
        const frame = encodeBatch(part.map(([path, { key, name, meta, extent, blocks }]) => ({ head: { path, key, name, from: 0, meta, extent }, blocks })));
        for (const [path] of part) {
          const light = dir.get(path);
          if (light !== undefined) light.frames = [bytes, frame.length];
        }
        bytes += frame.length;
        yield frame;
      }
    }
    writeFileAtomic(this.file, chunks(), { createParents: true, fsyncData: false, fsyncFolder: false });
    try {
      this.extent = { ino: inodeOf(this.file), bytes, frames, wholeBytes: bytes, wholeFrames: frames, gen };
    } catch {
      this.extent = null;
    }
    this.rewrite = false;
    this.dirStale = true;
  }

  /** Decodes the entries the directory holds but this process has not read (before a whole rewrite). */
  private loadRest(): void {
    for (const path of [...this.dir.keys()]) {
      if (this.entries.has(path)) continue;
      const light = this.dir.get(path) as DirEntry;
      const entry = this.readEntry(path, light);
      if (entry === null) {
        this.dir.delete(path);
        this.dropped.add(path);
      } else this.entries.set(path, entry);
    }
    this.loadedAll = true;
  }

  private writeDir(): void {
    const extent = this.extent;
    if (extent === null || (!this.dirStale && this.dirChanged.size === 0 && this.countsChange === undefined)) return;
    const changed = [...this.dirChanged].flatMap((path): [string, DirEntry][] => {
      const light = this.dir.get(path);
      return light === undefined ? [] : [[path, light]];
    });
    if (this.dirStale || !this.dirFile.appendDelta(extent, changed, this.countsChange)) {
      const hashes = this.counts === null ? null : this.hashes();
      const sets = this.counts === null ? null : this.sets();
      this.dirFile.writeWhole(extent, this.dir, this.counts !== null && hashes !== null && sets !== null ? { saved: this.counts, hashes, sets } : null);
    }
    this.dirStale = false;
    this.dirChanged.clear();
    this.countsChange = undefined;
  }
}

/** `held` extended by a frame's part (a whole entry when `from` is 0), or null when the part does not apply to it. */
function extended(held: TableEntry | null, head: EntryHead, blocks: RowBlock[]): TableEntry | null {
  const { key, name, meta, extent } = head;
  if (head.from === 0) return { key, name, meta, extent, blocks };
  if (held === null || !sameKey(held.key, head.prev) || held.blocks.length !== head.from) return null;
  return { key, name, meta, extent, blocks: held.blocks.concat(blocks) };
}
