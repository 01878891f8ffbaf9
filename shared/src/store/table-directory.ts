// The directory of a project's event table (views/<key>.dir, beside the table's views/<key>.rows): per entry what
// deciding to skip its trace needs (the trace's identity as indexed, the record file's key) and where its frames lie in
// the table, so a warm command neither reads nor decodes the table, and a grown trace's entry is read from its own
// frames; and, once a filter-free `stats` counted them, that command's counts with the hashes of every row's id and
// dedupe key (table-counts.ts), so an append updates the counts from its new rows alone. It describes one state of
// the table file (inode, size and the random generation its header carries): a table another process wrote since
// makes it unused, never wrong. Two checksummed frames: the JSON part, then the hashes (verified only when used).

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { writeFileAtomic } from "../util/atomic-write";
import { readWithInode } from "../util/read-with-inode";
import { encodeFrame, frameIntact, splitFrames } from "./frames";
import { isKey, type RecordKey } from "./project-view";

/** Format of the directory file within an INDEX_VERSION. */
const DIRECTORY_FORMAT = 1;

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
  /** Files of the counted events. */
  files: string[];
  /** Sessions counted, per agent. */
  sessions: [agent: string, ids: string[]][];
  byModel: [string, number][];
  byAgent: [string, number][];
}

export interface CountHashes {
  /** Every row's id hash, and every row's dedupe key hash, each sorted. */
  ids: Uint32Array;
  keys: Uint32Array;
}

export interface Directory {
  extent: TableExtent;
  entries: Map<string, DirEntry>;
  counts: SavedCounts | null;
  /** The counts' hashes, verified and decoded when first asked for (null when absent or damaged). */
  hashes: () => CountHashes | null;
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
  const sessions = c["sessions"];
  return (
    isStrings(c["roots"]) && typeof c["scope"] === "string" && isNum(c["events"]) && isNum(c["outside"]) && isNum(c["deleted"]) && isNum(c["skipped"]) &&
    isStrings(c["files"]) && Array.isArray(sessions) && sessions.every((s) => Array.isArray(s) && s.length === 2 && typeof s[0] === "string" && isStrings(s[1])) &&
    isTally(c["byModel"]) && isTally(c["byAgent"])
  );
}

/** One entry as stored: [path, key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames]. */
type StoredEntry = [string, RecordKey, string, string, number, number, number, number, number, number, number[]];

function entryIn(x: unknown): [string, DirEntry] | null {
  if (!Array.isArray(x) || x.length !== 11) return null;
  const [path, key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames] = x as unknown[];
  if (typeof path !== "string" || !isKey(key) || typeof name !== "string" || typeof agent !== "string" || !isNum(dev) || !isNum(ino) || !isNum(size) || !isNum(mtimeMs)) return null;
  if (!isNum(offset) || !isNum(skipped) || !Array.isArray(frames) || frames.length % 2 !== 0 || !frames.every(isNum)) return null;
  return [path, { key, name, agent, dev, ino, size, mtimeMs, offset, skipped, frames }];
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

/** The directory at `file` when it describes the table file at `table` as it is now; null otherwise. */
export function readDirectory(file: string, table: string, version: number, projectKey: string): Directory | null {
  const read = readWithInode(file);
  if (read === null) return null;
  const { frames, sums } = splitFrames(read.bytes);
  const [first, second] = frames;
  if (first === undefined || !frameIntact(first, sums[0] ?? -1)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(first.toString("utf8"));
  } catch {
    return null;
  }
  if (!isObj(parsed) || parsed["v"] !== version || parsed["format"] !== DIRECTORY_FORMAT || parsed["projectKey"] !== projectKey) return null;
  const extent = parsed["extent"];
  const stored = parsed["entries"];
  if (!validExtent(extent) || !Array.isArray(stored)) return null;
  if (!describes(table, extent)) return null;
  const entries = new Map<string, DirEntry>();
  for (const x of stored) {
    const entry = entryIn(x);
    if (entry === null) return null;
    entries.set(entry[0], entry[1]);
  }
  const counts = validCounts(parsed["counts"]) ? parsed["counts"] : null;
  let hashes: CountHashes | null | undefined;
  const decodeHashes = (): CountHashes | null => {
    if (counts === null || second === undefined || !frameIntact(second, sums[1] ?? -1) || second.length % 8 !== 0) return null;
    const copy = new Uint32Array(second.length / 4);
    Buffer.from(copy.buffer).set(second);
    const half = copy.length / 2;
    return { ids: copy.subarray(0, half), keys: copy.subarray(half) };
  };
  return { extent, entries, counts, hashes: () => (hashes === undefined ? (hashes = decodeHashes()) : hashes) };
}

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

/** Writes the directory (atomically, not fsynced: a lost directory costs one command that reads the table). */
export function writeDirectory(
  file: string,
  version: number,
  projectKey: string,
  extent: TableExtent,
  entries: ReadonlyMap<string, DirEntry>,
  counts: { saved: SavedCounts; hashes: CountHashes } | null,
): void {
  const stored: StoredEntry[] = [];
  for (const [path, e] of entries) stored.push([path, e.key, e.name, e.agent, e.dev, e.ino, e.size, e.mtimeMs, e.offset, e.skipped, e.frames]);
  const json = encodeFrame(JSON.stringify({ v: version, format: DIRECTORY_FORMAT, projectKey, extent, entries: stored, counts: counts?.saved ?? null }));
  const parts: Uint8Array[] = [json];
  if (counts !== null) {
    const both = new Uint32Array(counts.hashes.ids.length + counts.hashes.keys.length);
    both.set(counts.hashes.ids, 0);
    both.set(counts.hashes.keys, counts.hashes.ids.length);
    // Both halves hold one hash per row: the split is the middle.
    parts.push(encodeFrame(new Uint8Array(both.buffer)));
  }
  writeFileAtomic(file, parts, { createParents: true, fsyncData: false, fsyncFolder: false });
}
