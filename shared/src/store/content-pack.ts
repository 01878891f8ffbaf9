// Pack files of the content store: compressed payloads appended to one temp file per writer, then an index of
// (key, offset, length) and a fixed trailer, renamed into place when complete. One file per run instead of one per
// text (an atomic small-file write costs ~200 µs here); readers only ever see whole packs.

import { closeSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

const MAGIC = "APK1";
/** Trailer: MAGIC + the index's byte length as 12 decimal digits. */
const TRAILER = 16;
export const PACK_EXT = ".pack";

export interface PackEntry {
  pack: string;
  offset: number;
  length: number;
}

interface PackIndex {
  v: 1;
  entries: [key: string, offset: number, length: number][];
}

let sequence = 0;

/** Appends payloads to a temp file; `finish` writes the index and renames it into place. */
export class PackWriter {
  private fd: number | null = null;
  private readonly temp: string;
  readonly name: string;
  private size = 0;
  readonly entries = new Map<string, { offset: number; length: number }>();

  constructor(private readonly dir: string) {
    sequence += 1;
    this.name = `${Date.now().toString(36)}-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}${PACK_EXT}`;
    this.temp = join(dir, `${this.name}.tmp`);
  }

  /** Throws on I/O errors (the store then keeps texts in memory). */
  append(key: string, payload: Uint8Array): void {
    // Read and write: `get` may read texts of the unfinished pack.
    if (this.fd === null) this.fd = openSync(this.temp, "w+");
    writeAll(this.fd, payload, this.size);
    this.entries.set(key, { offset: this.size, length: payload.length });
    this.size += payload.length;
  }

  /** Reads an entry of the unfinished pack (a `get` before the pack is complete). */
  read(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || this.fd === null) return undefined;
    const buffer = Buffer.alloc(entry.length);
    readSync(this.fd, buffer, 0, entry.length, entry.offset);
    return buffer;
  }

  /** Completes the pack (nothing is written when it is empty). Returns the final path, or null. */
  finish(): string | null {
    if (this.fd === null) return null;
    const index: PackIndex = { v: 1, entries: [...this.entries].map(([key, e]) => [key, e.offset, e.length]) };
    const json = Buffer.from(JSON.stringify(index));
    writeAll(this.fd, json, this.size);
    writeAll(this.fd, Buffer.from(`${MAGIC}${String(json.length).padStart(12, "0")}`), this.size + json.length);
    closeSync(this.fd);
    this.fd = null;
    const final = join(this.dir, this.name);
    renameSync(this.temp, final);
    return final;
  }

  /** Drops an unfinished pack (after a write failure). */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    rmSync(this.temp, { force: true });
  }
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
}

/** The entries of one complete pack, or null when it is unreadable or not a pack. */
export function readPackIndex(path: string): [key: string, offset: number, length: number][] | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = statSync(path).size;
    if (size < TRAILER) return null;
    const trailer = Buffer.alloc(TRAILER);
    readSync(fd, trailer, 0, TRAILER, size - TRAILER);
    const text = trailer.toString("latin1");
    const length = Number(text.slice(MAGIC.length));
    if (!text.startsWith(MAGIC) || !Number.isInteger(length) || length > size - TRAILER) return null;
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, size - TRAILER - length);
    const index = JSON.parse(json.toString("utf8")) as PackIndex;
    if (index.v !== 1 || !Array.isArray(index.entries)) return null;
    const dataEnd = size - TRAILER - length;
    const valid = index.entries.every(
      (e) => Array.isArray(e) && typeof e[0] === "string" && Number.isInteger(e[1]) && Number.isInteger(e[2]) && e[1] + e[2] <= dataEnd,
    );
    return valid ? index.entries : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Complete packs in `dir` with their sizes (temp files of writers still at work are not listed). */
export function listPacks(dir: string): { path: string; size: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const packs: { path: string; size: number }[] = [];
  for (const name of names) {
    if (!name.endsWith(PACK_EXT)) continue;
    try {
      packs.push({ path: join(dir, name), size: statSync(join(dir, name)).size });
    } catch {
      // Merged away by another process since the listing.
    }
  }
  return packs;
}

/** Reads one payload; throws ENOENT when the pack was merged away meanwhile (the caller reloads and retries). */
export function readPayload(entry: PackEntry): Buffer {
  const fd = openSync(entry.pack, "r");
  try {
    const buffer = Buffer.alloc(entry.length);
    readSync(fd, buffer, 0, entry.length, entry.offset);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/**
 * Merges `packs` into one new pack and removes them, so the number of packs stays small however many runs added
 * a few texts each. Safe with concurrent readers and mergers: the merged pack is complete before any old one goes,
 * a key may end up in two packs (harmless), and a pack already merged away by another process is skipped.
 */
export function mergePacks(dir: string, packs: { path: string }[]): void {
  const writer = new PackWriter(dir);
  const merged: string[] = [];
  try {
    for (const { path } of packs) {
      const entries = readPackIndex(path);
      if (entries === null) continue;
      try {
        for (const [key, offset, length] of entries) {
          if (!writer.entries.has(key)) writer.append(key, readPayload({ pack: path, offset, length }));
        }
      } catch {
        continue;
      }
      merged.push(path);
    }
    writer.finish();
  } catch (error) {
    writer.abandon();
    throw error;
  }
  for (const path of merged) rmSync(path, { force: true });
}
