// The discovery cwd cache as the index stores it (index/cwd-cache.json): per trace file its size, modification time
// and the working directory its head names, so discovery reads the heads only of traces that changed. Checksummed
// frames: the entries as last written whole, then one frame per save of the entries set since (a grown trace changes
// its entry: appending it is O(changed), where rewriting every trace's entry cost ~10 ms at 3 GB). Later frames win;
// past a bound of appended frames or bytes, or when another process wrote the file since, it is rewritten whole. A
// torn or damaged frame ends what is read (a cache: a lost entry costs one head read).

import type { TrackedCwdCache } from "../discovery/head";
import type { CwdCache } from "../discovery/types";
import { writeFileAtomic } from "../util/atomic-write";
import { readWithInode } from "../util/read-with-inode";
import { encodeFrame, readFrames } from "./frames";
import { GrowingFile } from "./growing-file";

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

type StoredEntry = [path: string, size: number, mtimeMs: number, cwd: string | null] | [path: string, size: number, mtimeMs: number, cwd: string | null, head: [number, number]];

const isHead = (x: unknown): x is [number, number] => Array.isArray(x) && x.length === 2 && isNum(x[0]) && isNum(x[1]);

const stored = (path: string, e: { size: number; mtimeMs: number; cwd: string | null; head?: [number, number] }): StoredEntry =>
  e.head === undefined ? [path, e.size, e.mtimeMs, e.cwd] : [path, e.size, e.mtimeMs, e.cwd, e.head];

/** Frames appended before the file is rewritten whole (64 frames in all). */
const MAX_APPENDED_FRAMES = 63;

export class CwdCacheFile {
  private readonly file: GrowingFile;

  constructor(
    file: string,
    private readonly version: number,
  ) {
    this.file = new GrowingFile(file, MAX_APPENDED_FRAMES);
  }

  /** The cache's entries (none when the file is missing, of another version or damaged from its first frame). */
  read(into: CwdCache): void {
    // Filled through Map's own `set`: a TrackedCwdCache's would note every entry as changed.
    const set = Map.prototype.set;
    const file = readWithInode(this.file.path);
    if (file === null) return;
    const read = readFrames(file.bytes);
    let frames = 0;
    for (const payload of read.frames) {
      let value: unknown;
      try {
        value = JSON.parse(payload.toString("utf8"));
      } catch {
        return;
      }
      const { v, entries } = (value ?? {}) as { v?: unknown; entries?: unknown };
      if (v !== this.version || !Array.isArray(entries)) return;
      for (const entry of entries) {
        if (!Array.isArray(entry)) continue;
        // Indexed, not destructured: once per trace file of the index, before the code is optimized.
        const path: unknown = entry[0];
        const size: unknown = entry[1];
        const mtimeMs: unknown = entry[2];
        const cwd: unknown = entry[3];
        const head: unknown = entry[4];
        if (typeof path !== "string" || !isNum(size) || !isNum(mtimeMs) || (typeof cwd !== "string" && cwd !== null)) continue;
        set.call(into, path, isHead(head) ? { size, mtimeMs, cwd, head } : { size, mtimeMs, cwd });
      }
      frames += 1;
    }
    const first = read.frames[0];
    if (read.end === "whole" && first !== undefined) this.file.wasRead(file.ino, file.bytes.length, frames - 1, first.length);
  }

  /** Writes the entries set since the cache was read or last saved (a frame appended), or the whole cache. */
  save(cache: TrackedCwdCache): void {
    const changed = cache.changedPaths();
    if (changed.length === 0) return;
    if (this.file.canAppend()) {
      const entries: StoredEntry[] = [];
      for (const path of changed) {
        const e = cache.get(path);
        if (e !== undefined) entries.push(stored(path, e));
      }
      if (this.file.append(encodeFrame(JSON.stringify({ v: this.version, entries })))) {
        cache.saved();
        return;
      }
    }
    const entries: StoredEntry[] = [...cache].map(([path, e]) => stored(path, e));
    const bytes = encodeFrame(JSON.stringify({ v: this.version, entries }));
    writeFileAtomic(this.file.path, bytes, { createParents: true, fsyncData: false, fsyncFolder: false });
    cache.saved();
    this.file.wroteWhole(bytes.length);
  }
}
