// The directory of a project's event table (views/<key>.dir, beside the table's views/<key>.rows): per entry what
// deciding to skip its trace needs (the trace's identity as indexed, the record file's key) and where its frames lie in
// the table, so a warm command neither reads nor decodes the table, and a grown trace's entry is read from its own
// frames; and, once a filter-free `stats` counted them, that command's counts with the hashes of every row's id and
// dedupe key (table-counts.ts), so an append updates the counts from its new rows alone. It describes one state of
// the table file (inode, size and the random generation its header carries): a table another process wrote since
// makes it unused, never wrong. Checksummed frames: the JSON part, the entries' numbers and strings (decoded when
// looked up: directory-entries.ts), the hashes, the counted files and sessions (one line each, searched by an append,
// never parsed: count-sets.ts), then deltas (an append's changes, JSON). An entry also
// notes the working directory its trace's head names (and the head's checksum), as the cwd cache has them for the
// trace as the entry describes it: discovery takes an unchanged trace's from here, and reads the cwd cache only for
// a trace the directory does not know (discovery/lazy-cwd-cache.ts).

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { readWithInode } from "../util/read-with-inode";
import { StringSlots } from "../util/string-slots";
import { CountSets } from "./count-sets";
import { DirEntries } from "./directory-entries";
import { encodeFrame, frameIntact, splitFrames } from "./frames";
import { GrowingFile } from "./growing-file";
import { isKey, type RecordKey } from "./project-view";

export { DirEntries, type DirLookup } from "./directory-entries";

/**
 * Format of the directory file within an INDEX_VERSION (another is not read: the table is read and the directory
 * written anew). 4: the entries' cwd notes. 5: a note as three numbers of its entry. 6: the entries as a frame of
 * numbers and one of strings, decoded when looked up.
 */
export const DIRECTORY_FORMAT = 6;

/** What the directory keeps of one table entry. */
export interface DirEntry {
  /** The record file's key the entry was made from. */
  key: RecordKey;
  /** The record file's name (the sha1 of the trace's path). */
  name: string;
  agent: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  skipped: number;
  /** Byte offset and length of each of the entry's frames in the table file, in order (its base, then its parts). */
  frames: number[];
  /** What the trace's head names, as the cwd cache had it for the trace's size and mtime above (absent: not known). */
  note?: CwdNote;
}

/**
 * The working directory a trace's head names, and the length and CRC-32 of its head through that cwd's end, for the
 * trace of the entry's agent, size and mtime (repeated: the note is a cwd cache entry as it is, head.ts).
 */
export interface CwdNote {
  size: number;
  mtimeMs: number;
  agent: string;
  cwd: string | null;
  head?: [bytes: number, sum: number];
}

/** The table file as written: its inode and size, its frames (of a whole write, and since), and its generation. */
export interface TableExtent {
  ino: number;
  bytes: number;
  frames: number;
  wholeBytes: number;
  wholeFrames: number;
  gen: string;
}

/** A filter-free `stats`'s counts over the table's entries (see table-counts.ts), for one scope and project root. */
export interface SavedCounts {
  /** The project's roots the counts' inside/outside split was made with. */
  roots: string[];
  /** Hash of the scope's paths and liveness (scopeHash). */
  scope: string;
  events: number;
  outside: number;
  deleted: number;
  skipped: number;
  /** How many files the counted events edited, and how many sessions count (the sets are CountSets). */
  files: number;
  sessions: number;
  byModel: [string, number][];
  byAgent: [string, number][];
}

export interface CountHashes {
  /** Every row's id hash, and every row's dedupe key hash, each sorted, as the directory was last written whole. */
  ids: Uint32Array;
  keys: Uint32Array;
  /**
   * Those of the rows appends counted since, kept apart: merging them into the sorted arrays took every append a pass
   * over every row's hashes (4 x 27,000 at 3 GB, ~4 ms before the code is optimized); merged when written whole.
   */
  addedIds: readonly number[];
  addedKeys: readonly number[];
}

export interface Directory {
  extent: TableExtent;
  entries: DirEntries;
  counts: SavedCounts | null;
  /** The counts' hashes and sets, decoded when first asked for (null when absent or damaged). */
  hashes: () => CountHashes | null;
  sets: () => CountSets | null;
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === "string");
const isTally = (x: unknown): x is [string, number][] => Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && isNum(p[1]));

function validExtent(e: unknown): e is TableExtent {
  return isObj(e) && isNum(e["ino"]) && isNum(e["bytes"]) && isNum(e["frames"]) && isNum(e["wholeBytes"]) && isNum(e["wholeFrames"]) && typeof e["gen"] === "string";
}

function validCounts(c: unknown): c is SavedCounts {
  if (!isObj(c)) return false;
  return (
    isStrings(c["roots"]) && typeof c["scope"] === "string" && isNum(c["events"]) && isNum(c["outside"]) && isNum(c["deleted"]) && isNum(c["skipped"]) &&
    isNum(c["files"]) && isNum(c["sessions"]) && isTally(c["byModel"]) && isTally(c["byAgent"])
  );
}

const isSessions = (x: unknown): x is [string, string[]][] =>
  Array.isArray(x) && x.every((s) => Array.isArray(s) && s.length === 2 && typeof s[0] === "string" && isStrings(s[1]));

/**
 * One entry as a delta stores it: [path, key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames, cwd slot,
 * head bytes, head sum], the note as its last three numbers (the slot indexes its frame's `cwds`, -1: no note; head
 * bytes 0: no head). A delta holds the few entries an append changed; the whole directory's are rows (DirEntries).
 */
type StoredEntry = [string, RecordKey, string, string, number, number, number, number, number, number, number[], slot: number, bytes: number, sum: number];

function noteIn(slot: unknown, bytes: unknown, sum: unknown, cwds: readonly (string | null)[], size: number, mtimeMs: number, agent: string): CwdNote | undefined {
  if (!isNum(slot) || slot < 0 || !isNum(bytes) || !isNum(sum)) return undefined;
  const cwd = cwds[slot];
  if (cwd === undefined) return undefined;
  return bytes > 0 ? { size, mtimeMs, agent, cwd, head: [bytes, sum] } : { size, mtimeMs, agent, cwd };
}

function entryIn(x: unknown, cwds: readonly (string | null)[]): [string, DirEntry] | null {
  if (!Array.isArray(x) || x.length !== 14) return null;
  // Indexed, not destructured: read once per trace by every warm command, before the code is optimized.
  const path: unknown = x[0];
  const key: unknown = x[1];
  const name: unknown = x[2];
  const agent: unknown = x[3];
  const dev: unknown = x[4];
  const ino: unknown = x[5];
  const size: unknown = x[6];
  const mtimeMs: unknown = x[7];
  const offset: unknown = x[8];
  const skipped: unknown = x[9];
  const frames: unknown = x[10];
  if (typeof path !== "string" || !isKey(key) || typeof name !== "string" || typeof agent !== "string" || !isNum(dev) || !isNum(ino) || !isNum(size) || !isNum(mtimeMs)) return null;
  if (!isNum(offset) || !isNum(skipped) || !Array.isArray(frames) || frames.length % 2 !== 0 || !frames.every(isNum)) return null;
  const note = noteIn(x[11], x[12], x[13], cwds, size, mtimeMs, agent);
  const entry: DirEntry = { key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames };
  if (note !== undefined) entry.note = note;
  return [path, entry];
}

/** The generation in the header frame of the table file open as `fd` (its first bytes), or null. */
function tableGeneration(fd: number): string | null {
  const head = Buffer.alloc(512);
  const n = readSync(fd, head, 0, head.length, 0);
  const newline = head.indexOf(10);
  if (newline <= 0 || newline >= n) return null;
  const length = Number(head.toString("latin1", 1, newline).split(" ")[0]);
  if (!(length > 0) || newline + 1 + length > n) return null;
  try {
    const header = JSON.parse(head.toString("utf8", newline + 1, newline + 1 + length)) as { gen?: unknown };
    return typeof header.gen === "string" ? header.gen : null;
  } catch {
    return null;
  }
}

/** What one append changed of the kept counts: the new totals and tallies, and the files, sessions and hashes added. */
export interface CountsGrowth {
  events: number;
  outside: number;
  deleted: number;
  skipped: number;
  byModel: [string, number][];
  byAgent: [string, number][];
  files: string[];
  sessions: [agent: string, ids: string[]][];
  ids: number[];
  keys: number[];
}

/** A change appended to the directory: the table's new extent, the entries changed, and what became of the counts. */
interface Delta {
  extent: TableExtent;
  entries: StoredEntry[];
  /** The working directories the entries' notes name. */
  cwds: (string | null)[];
  /** Absent: the counts stay; null: dropped; else grown. */
  counts?: CountsGrowth | null;
}

function validGrowth(g: unknown): g is CountsGrowth {
  if (!isObj(g)) return false;
  const sessions = g["sessions"];
  const nums = (x: unknown): boolean => Array.isArray(x) && x.every(isNum);
  return (
    isNum(g["events"]) && isNum(g["outside"]) && isNum(g["deleted"]) && isNum(g["skipped"]) && isTally(g["byModel"]) && isTally(g["byAgent"]) &&
    isStrings(g["files"]) && isSessions(sessions) && nums(g["ids"]) && nums(g["keys"])
  );
}

function grownCounts(saved: SavedCounts, g: CountsGrowth): SavedCounts {
  const { events, outside, deleted, skipped, byModel, byAgent } = g;
  let sessions = saved.sessions;
  for (const [, ids] of g.sessions) sessions += ids.length;
  return { roots: saved.roots, scope: saved.scope, events, outside, deleted, skipped, byModel, byAgent, files: saved.files + g.files.length, sessions };
}

/** `sorted` with `added` merged in, still sorted (one pass: the added few are sorted, not the whole). */
export function sortedWith(sorted: Uint32Array, added: readonly number[]): Uint32Array {
  if (added.length === 0) return sorted;
  const extra = Uint32Array.from(added).sort();
  const out = new Uint32Array(sorted.length + extra.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < sorted.length && j < extra.length) out[k++] = (sorted[i] as number) <= (extra[j] as number) ? (sorted[i++] as number) : (extra[j++] as number);
  out.set(sorted.subarray(i), k);
  out.set(extra.subarray(j), k + sorted.length - i);
  return out;
}

/** Appended deltas allowed before the directory is rewritten whole. */
const SLACK_DELTAS = 32;

/**
 * The directory file of one table: read, rewritten whole, or grown by a delta frame (an append changes a few entries
 * and the counts: O(change), not a rewrite of every entry), past a bound of deltas or bytes rewritten whole.
 */
export class DirectoryFile {
  private readonly file: GrowingFile;

  constructor(
    file: string,
    private readonly version: number,
    private readonly projectKey: string,
  ) {
    this.file = new GrowingFile(file, SLACK_DELTAS);
  }

  /** The directory when it describes the table file at `table` as it is now; null otherwise. */
  read(table: string): Directory | null {
    const read = readWithInode(this.file.path);
    if (read === null) return null;
    const { frames, sums, end } = splitFrames(read.bytes);
    const [first, numbers, strings, second, third, ...deltas] = frames;
    if (first === undefined || numbers === undefined || strings === undefined || second === undefined || third === undefined || end !== "whole") return null;
    if (!frames.every((f, i) => frameIntact(f, sums[i] ?? -1))) return null;
    let parsed: unknown;
    const parsedDeltas: unknown[] = [];
    try {
      parsed = JSON.parse(first.toString("utf8"));
      for (const delta of deltas) parsedDeltas.push(JSON.parse(delta.toString("utf8")));
    } catch {
      return null;
    }
    if (!isObj(parsed) || parsed["v"] !== this.version || parsed["format"] !== DIRECTORY_FORMAT || parsed["projectKey"] !== this.projectKey) return null;
    let extent = parsed["extent"];
    const agents = parsed["agents"];
    if (!validExtent(extent) || !isNum(parsed["count"]) || !isStrings(agents)) return null;
    const cwdsIn = (x: unknown): (string | null)[] | null => (Array.isArray(x) && x.every((c) => typeof c === "string" || c === null) ? x : null);
    const cwds = cwdsIn(parsed["cwds"]);
    const entries = cwds === null ? null : DirEntries.decode(numbers, strings, parsed["count"], agents, cwds);
    if (entries === null) return null;
    const enter = (list: unknown[], cwds: (string | null)[]): boolean => {
      for (const x of list) {
        const entry = entryIn(x, cwds);
        if (entry === null) return false;
        entries.set(entry[0], entry[1]);
      }
      return true;
    };
    let counts = validCounts(parsed["counts"]) ? parsed["counts"] : null;
    const ids: number[] = [];
    const keys: number[] = [];
    const growths: CountsGrowth[] = [];
    for (const d of parsedDeltas) {
      if (!isObj(d) || !validExtent(d["extent"]) || !Array.isArray(d["entries"]) || !enter(d["entries"], cwdsIn(d["cwds"]) ?? [])) return null;
      extent = d["extent"];
      const growth = d["counts"];
      if (growth === undefined) continue;
      if (growth === null || counts === null || !validGrowth(growth)) {
        counts = null;
        continue;
      }
      counts = grownCounts(counts, growth);
      growths.push(growth);
      for (const id of growth.ids) ids.push(id);
      for (const key of growth.keys) keys.push(key);
    }
    if (!validExtent(extent) || !describes(table, extent)) return null;
    this.file.wasRead(read.ino, read.bytes.length, deltas.length, first.length + numbers.length + strings.length + second.length + third.length);
    const kept = counts;
    let hashes: CountHashes | null | undefined;
    const decodeHashes = (): CountHashes | null => {
      if (kept === null || second.length % 8 !== 0) return null;
      const copy = new Uint32Array(second.length / 4);
      Buffer.from(copy.buffer).set(second);
      const half = copy.length / 2;
      return { ids: copy.subarray(0, half), keys: copy.subarray(half), addedIds: ids, addedKeys: keys };
    };
    let sets: CountSets | null | undefined;
    const decodeSets = (): CountSets | null => (kept === null ? null : (CountSets.decode(third)?.grown(growths) ?? null));
    return {
      extent,
      entries,
      counts: kept,
      hashes: () => (hashes === undefined ? (hashes = decodeHashes()) : hashes),
      sets: () => (sets === undefined ? (sets = decodeSets()) : sets),
    };
  }

  /** Writes the directory whole (atomically, not fsynced: a lost directory costs one command that reads the table). */
  writeWhole(extent: TableExtent, entries: Iterable<[string, DirEntry]>, counts: { saved: SavedCounts; hashes: CountHashes; sets: CountSets } | null): void {
    const rows = DirEntries.encode(entries);
    const { count, agents, cwds } = rows;
    const json = encodeFrame(JSON.stringify({ v: this.version, format: DIRECTORY_FORMAT, projectKey: this.projectKey, extent, count, agents, cwds, counts: counts?.saved ?? null }));
    const numbers = encodeFrame(rows.numbers);
    const strings = encodeFrame(rows.strings);
    const ids = counts === null ? new Uint32Array(0) : sortedWith(counts.hashes.ids, counts.hashes.addedIds);
    const keys = counts === null ? new Uint32Array(0) : sortedWith(counts.hashes.keys, counts.hashes.addedKeys);
    // Both halves hold one hash per row: the split is the middle.
    const both = new Uint32Array(ids.length + keys.length);
    both.set(ids, 0);
    both.set(keys, ids.length);
    const hashes = encodeFrame(new Uint8Array(both.buffer));
    const sets = encodeFrame(counts?.sets.encode() ?? "\n");
    writeFileAtomic(this.file.path, [json, numbers, strings, hashes, sets], { createParents: true, fsyncData: false, fsyncFolder: false });
    this.file.wroteWhole(json.length + numbers.length + strings.length + hashes.length + sets.length);
  }

  /**
   * Appends a delta (the table's extent, the changed entries, the counts' growth, or null when they were dropped);
   * false when the file is not the one last read or written, or has grown past its bound: then write it whole.
   */
  appendDelta(extent: TableExtent, changed: Iterable<[string, DirEntry]>, counts: CountsGrowth | null | undefined): boolean {
    if (!this.file.canAppend()) return false;
    const cwds = new StringSlots<string | null>();
    const delta: Delta = { extent, entries: [...changed].map(([path, e]) => storedEntry(path, e, cwds)), cwds: cwds.values };
    if (counts !== undefined) delta.counts = counts;
    return this.file.append(encodeFrame(JSON.stringify(delta)));
  }
}

const storedEntry = (path: string, e: DirEntry, cwds: StringSlots<string | null>): StoredEntry => {
  const { note } = e;
  if (note === undefined) return [path, e.key, e.name, e.agent, e.dev, e.ino, e.size, e.mtimeMs, e.offset, e.skipped, e.frames, -1, 0, 0];
  return [path, e.key, e.name, e.agent, e.dev, e.ino, e.size, e.mtimeMs, e.offset, e.skipped, e.frames, cwds.slot(note.cwd), note.head?.[0] ?? 0, note.head?.[1] ?? 0];
};

/** Whether the table file is the one `extent` describes (same inode, size and generation). */
function describes(table: string, extent: TableExtent): boolean {
  let fd: number;
  try {
    fd = openSync(table, "r");
  } catch {
    return false;
  }
  try {
    const info = fstatSync(fd);
    return info.ino === extent.ino && info.size === extent.bytes && tableGeneration(fd) === extent.gen;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
