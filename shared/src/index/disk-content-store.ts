// A ContentStore backed by one brotli blob per content hash under the index folder (`contents/<hash>.br`), so whole
// file texts never sit in the event records. A version of a file is stored as a delta against a recently stored
// version when they share most text; compression runs off the main thread and `drain()` waits for the disk.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompress, brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import type { Log } from "../util/log";
import { writeFileAtomic } from "./atomic-file";
import { type ContentStore, hashContent } from "./content-store";
import { applyDelta, decodePayload, type DeltaBase, encodePayload, findDelta, MAX_DEPTH } from "./content-delta";

const KEY = /^[0-9a-f]{40}$/;
/** Brotli quality 0 compresses source text to ~40% at ~2× the speed of gzip level 1 (measured on bench contents). */
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_LGWIN]: 20 },
};
/** Payloads at least this long are compressed in the libuv pool; smaller ones right away (cheaper than a hop). */
const ASYNC_PAYLOAD = 64 * 1024;
/** Compressions in flight; the libuv pool has 4 threads and trace reads need the others. */
const IN_FLIGHT = 2;
/** Characters queued for compression before `put` compresses synchronously instead (bounds memory). */
const PENDING_CHARS = 8 * 1024 * 1024;
/** Characters of decompressed text kept for repeated `get`s (replay asks for consecutive versions). */
const CACHE_CHARS = 8 * 1024 * 1024;
/**
 * Recently stored texts, compared before hashing and tried as delta bases. On the bench folders 8 catch ~90% of
 * repeated texts by size (1 catches half): parallel sessions interleave their edits of other files.
 */
const RECENT = 8;

export class DiskContentStore implements ContentStore {
  /** Keys known to exist on disk (written or seen by this process). */
  private readonly known = new Set<string>();
  /** Texts not yet on disk, by key; served by `get` meanwhile (and for the rest of the run after a write failure). */
  private readonly pending = new Map<string, string>();
  private readonly queue: { key: string; payload: string }[] = [];
  private queuedChars = 0;
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private readonly recent: DeltaBase[] = [];
  private readonly cache = new Map<string, string>();
  private cachedChars = 0;
  private failed = false;

  constructor(
    private readonly dir: string,
    private readonly log: Log,
    /** Called when a write fails (the owner reports it once); the store then keeps new texts in memory. */
    private readonly onWriteError: (error: Error) => void,
  ) {}

  put(text: string): string {
    // The text before an edit is usually the text after the previous one, just put: comparing with the recent
    // texts (length first, then contents) is far cheaper than hashing it again.
    for (const r of this.recent) if (r.text.length === text.length && r.text === text) return r.key;
    const key = hashContent(text);
    if (this.known.has(key) || this.pending.has(key)) return key;
    if (!this.failed && existsSync(this.file(key))) {
      this.known.add(key);
      return key;
    }
    this.pending.set(key, text);
    if (this.failed) return key;
    const delta = findDelta(text, this.recent);
    this.recent.unshift({ key, text, depth: delta?.depth ?? 0 });
    if (this.recent.length > RECENT) this.recent.pop();
    const payload = encodePayload(text, delta);
    if (payload.length < ASYNC_PAYLOAD || this.queuedChars + payload.length > PENDING_CHARS) {
      // Small, or parsing outruns compression: compress here, which also paces parsing to the disk.
      this.write(key, () => brotliCompressSync(payload, BROTLI));
      return key;
    }
    this.queuedChars += payload.length;
    this.queue.push({ key, payload });
    this.pump();
    return key;
  }

  get(key: string): string | undefined {
    return this.load(key, 0);
  }

  /** Resolves when every text put so far is on disk (or kept in memory after a write failure). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private file(key: string): string {
    return join(this.dir, `${key}.br`);
  }

  private load(key: string, hops: number): string | undefined {
    const waiting = this.pending.get(key);
    if (waiting !== undefined) return waiting;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Map iteration order is insertion order: re-inserting marks the entry as recently used.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    if (!KEY.test(key) || hops > MAX_DEPTH) return undefined;
    let payload: string;
    try {
      payload = brotliDecompressSync(readFileSync(this.file(key))).toString("utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") this.log.warn(`index: content blob ${key} is unreadable (${(error as Error).message})`);
      return undefined;
    }
    const decoded = decodePayload(payload);
    let text: string | undefined;
    if (decoded.kind === "whole") text = decoded.text;
    else if (decoded.kind === "delta") {
      const base = this.load(decoded.base, hops + 1);
      text = base === undefined ? undefined : applyDelta(base, decoded);
    }
    if (text === undefined || decoded.kind === "bad" || text.length !== decoded.length) {
      this.log.warn(`index: content blob ${key} is corrupt or its base is missing`);
      return undefined;
    }
    this.known.add(key);
    this.remember(key, text);
    return text;
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.queue.length > 0) {
      const job = this.queue.shift();
      if (job === undefined) break;
      this.inFlight += 1;
      brotliCompress(job.payload, BROTLI, (error, compressed) => {
        this.inFlight -= 1;
        this.queuedChars -= job.payload.length;
        if (error !== null) this.fail(error);
        else this.write(job.key, () => compressed);
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    }
  }

  private write(key: string, compress: () => Buffer): void {
    if (this.failed) return;
    try {
      writeFileAtomic(this.file(key), compress());
      this.pending.delete(key);
      this.known.add(key);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.queue.length = 0;
    this.recent.length = 0;
    this.onWriteError(error);
  }

  private remember(key: string, text: string): void {
    if (text.length > CACHE_CHARS / 4) return;
    this.cache.set(key, text);
    this.cachedChars += text.length;
    for (const [oldKey, oldText] of this.cache) {
      if (this.cachedChars <= CACHE_CHARS) break;
      this.cache.delete(oldKey);
      this.cachedChars -= oldText.length;
    }
  }
}
