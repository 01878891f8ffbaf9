// Pack files of the content store: compressed payloads appended to one temp file per writer, then an index of
// (key, offset, length, CRC-32 of the payload) and a fixed trailer with the index's own CRC-32, fsync'd and renamed
// into place when complete. One file per run instead of one per text (an atomic small-file write costs ~200 µs
// here); readers only ever see whole packs, and every payload read is verified (a flipped bit is an error, never
// a silently different text).

import { closeSync, fsync, fsyncSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fsyncFolder } from "../util/atomic-write";
import { writeAllAt } from "../util/positioned-write";
import { crc32 } from "./frames";

const MAGIC = "APK2";
/** Trailer: MAGIC + the index's byte length as 12 decimal digits + the index's CRC-32 as 8 hex digits. */
const TRAILER = 24;
export const PACK_EXT = ".pack";

export interface PackEntry {
  pack: string;
  offset: number;
  length: number;
  crc: number;
  meta?: AliasMeta;
}

/**
 * What an alias entry (a reference's copy, keyed by its reference key) knows without reading its payload: the
 * content hash it stands for and that content's line fingerprint (lines, sum, pairs).
 */
export type AliasMeta = [sha1: string, lines: number, sum: number, pairs: number];

type IndexEntry = [key: string, offset: number, length: number, crc: number, meta?: AliasMeta];

interface PackIndex {
  v: 2;
  entries: IndexEntry[];
}

/** A payload whose bytes do not match the checksum recorded when it was written. */
export class PayloadChecksumError extends Error {
  constructor(readonly pack: string) {
    super(`checksum mismatch in ${pack}`);
  }
}

let sequence = 0;

/**
 * Payload bytes a writer holds before writing them in one call: a first index stores a few hundred texts (a write
 * each cost ~30 us, ~6 ms of a 200 MB cold index), and a pack's bytes count only once it is complete anyway.
 */
const WRITE_BATCH = 256 * 1024;

/** Appends payloads to a temp file; `finish` writes the index and renames it into place. */
export class PackWriter {
  private fd: number | null = null;
  private readonly temp: string;
  readonly name: string;
  private size = 0;
  /**
   * Bytes of the file written so far; the payloads appended since wait in `batch` (copied: a payload from zlib may be
   * a view of a far larger buffer, which holding it would keep; 1 GB cold stats peaked ~8 MiB higher that way).
   */
  private written = 0;
  private batch: Buffer | null = null;
  private batchBytes = 0;
  readonly entries = new Map<string, { offset: number; length: number; crc: number; meta?: AliasMeta }>();

  constructor(private readonly dir: string) {
    sequence += 1;
    this.name = `${Date.now().toString(36)}-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}${PACK_EXT}`;
    this.temp = join(dir, `${this.name}.tmp`);
  }

  /** Throws on I/O errors (the store then keeps texts in memory, reading back every entry: held ones from memory). */
  append(key: string, payload: Uint8Array, meta?: AliasMeta): void {
    // Read and write: `get` may read texts of the unfinished pack.
    if (this.fd === null) this.fd = openSync(this.temp, "w+");
    if (this.batchBytes + payload.length > WRITE_BATCH) this.writeBatch();
    const offset = this.size;
    if (payload.length >= WRITE_BATCH) {
      writeAllAt(this.fd, payload, offset);
      this.written = offset + payload.length;
    } else {
      this.batch ??= Buffer.allocUnsafe(WRITE_BATCH);
      this.batch.set(payload, this.batchBytes);
      this.batchBytes += payload.length;
    }
    this.entries.set(key, { offset, length: payload.length, crc: crc32(payload), ...(meta ? { meta } : {}) });
    this.size += payload.length;
  }

  /** Writes the payloads held so far, in one call. */
  private writeBatch(): void {
    if (this.fd === null || this.batch === null || this.batchBytes === 0) return;
    writeAllAt(this.fd, this.batch.subarray(0, this.batchBytes), this.written);
    this.written += this.batchBytes;
    this.batchBytes = 0;
  }

  /** Reads an entry of the unfinished pack (a `get` before the pack is complete). */
  read(key: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || this.fd === null) return undefined;
    if (entry.offset >= this.written && this.batch !== null) {
      const at = entry.offset - this.written;
      return Buffer.from(this.batch.subarray(at, at + entry.length));
    }
    const buffer = Buffer.alloc(entry.length);
    readSync(this.fd, buffer, 0, entry.length, entry.offset);
    return buffer;
  }

  /** Completes the pack (nothing is written when it is empty). Returns the final path, or null. */
  finish(): string | null {
    if (this.fd === null) return null;
    this.writeIndex(this.fd);
    // Durable before it is visible: records that reference these texts are written after this returns.
    fsyncSync(this.fd);
    return this.finishSealed();
  }

  /** Once sealed: settles when its fsync is done, with the fsync's error if it failed (it never rejects). */
  durable: Promise<Error | null> | null = null;

  /**
   * `finish` in two steps: writes the index and trailer and starts the file's fsync on the thread pool (`durable`);
   * false when the pack is empty (nothing to complete). Its entries stay readable; it takes no more. Once `durable`
   * settled, `finishSealed` makes it visible (or `abandon` drops it); the fd stays open until then.
   */
  seal(): boolean {
    const fd = this.fd;
    if (fd === null) return false;
    this.writeIndex(fd);
    this.durable = new Promise((resolve) => fsync(fd, (error) => resolve(error)));
    return true;
  }

  /** After `durable` settled without an error: renames the pack into place (its folder fsync'd too); its final path. */
  finishSealed(): string {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    const final = join(this.dir, this.name);
    renameSync(this.temp, final);
    fsyncFolder(this.dir);
    return final;
  }

  /** Writes the held payloads, the index and the trailer. */
  private writeIndex(fd: number): void {
    this.writeBatch();
    const index: PackIndex = { v: 2, entries: [...this.entries].map(([key, e]): IndexEntry => (e.meta ? [key, e.offset, e.length, e.crc, e.meta] : [key, e.offset, e.length, e.crc])) };
    const json = Buffer.from(JSON.stringify(index));
    writeAllAt(fd, json, this.size);
    const trailer = `${MAGIC}${String(json.length).padStart(12, "0")}${crc32(json).toString(16).padStart(8, "0")}`;
    writeAllAt(fd, Buffer.from(trailer, "latin1"), this.size + json.length);
  }

  /** Drops an unfinished pack (after a write failure). */
  abandon(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.batch = null;
    this.batchBytes = 0;
    rmSync(this.temp, { force: true });
  }
}

/**
 * The entries of one complete pack; null when it is unreadable, torn or fails its checksum; "old" for a pack of an
 * older format (no record of this index version references it).
 */
export function readPackIndex(path: string): IndexEntry[] | null | "old" {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = statSync(path).size;
    if (size < TRAILER) return null;
    const trailer = Buffer.alloc(TRAILER);
    readSync(fd, trailer, 0, TRAILER, size - TRAILER);
    const text = trailer.toString("latin1");
    if (text.startsWith("APK1", TRAILER - 16)) return "old";
    const length = Number(text.slice(MAGIC.length, MAGIC.length + 12));
    if (!text.startsWith(MAGIC) || !Number.isInteger(length) || length > size - TRAILER) return null;
    const json = Buffer.alloc(length);
    readSync(fd, json, 0, length, size - TRAILER - length);
    if (crc32(json) !== Number.parseInt(text.slice(MAGIC.length + 12), 16)) return null;
    const index = JSON.parse(json.toString("utf8")) as PackIndex;
    if (index.v !== 2 || !Array.isArray(index.entries)) return null;
    const dataEnd = size - TRAILER - length;
    const valid = index.entries.every(
      (e) =>
        Array.isArray(e) && typeof e[0] === "string" && Number.isInteger(e[1]) && Number.isInteger(e[2]) && Number.isInteger(e[3]) &&
        e[1] + e[2] <= dataEnd && (e[4] === undefined || validMeta(e[4])),
    );
    return valid ? index.entries : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function validMeta(meta: unknown): boolean {
  return Array.isArray(meta) && meta.length === 4 && typeof meta[0] === "string" && meta.slice(1).every((n) => Number.isInteger(n));
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

/**
 * Reads and verifies one payload; throws ENOENT when the pack was merged away meanwhile (the caller reloads and
 * retries), PayloadChecksumError when its bytes changed on disk.
 */
export function readPayload(entry: PackEntry): Buffer {
  const fd = openSync(entry.pack, "r");
  try {
    const buffer = Buffer.alloc(entry.length);
    const n = readSync(fd, buffer, 0, entry.length, entry.offset);
    if (n !== entry.length || crc32(buffer) !== entry.crc) throw new PayloadChecksumError(entry.pack);
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
      if (entries === null || entries === "old") continue;
      try {
        for (const [key, offset, length, crc, meta] of entries) {
          if (writer.entries.has(key)) continue;
          try {
            writer.append(key, readPayload({ pack: path, offset, length, crc }), meta);
          } catch (error) {
            // A corrupt payload is not carried into the merged pack: its key reads as missing, and heals.
            if (!(error instanceof PayloadChecksumError)) throw error;
          }
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
