// A ContentStore backed by one gzip blob per content hash under the index folder (`contents/<hash>.gz`), so whole
// file texts never sit in memory or in the event records. Blobs are content-addressed and written atomically, so
// concurrent processes writing the same text agree; reads are lazy and kept in a small size-bounded cache.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import type { Log } from "../util/log";
import { writeFileAtomic } from "./atomic-file";
import { type ContentStore, hashContent, MemoryContentStore } from "./content-store";

const KEY = /^[0-9a-f]{40}$/;
/** Level 1 compresses source text to ~25% at ~130 MB/s; higher levels gain a few percent at half the speed. */
const GZIP_LEVEL = 1;
/** Characters of decompressed text kept for repeated `get`s (replay asks for the same contents many times). */
const CACHE_CHARS = 16 * 1024 * 1024;

export class DiskContentStore implements ContentStore {
  /** Keys known to exist on disk (written or seen by this process). */
  private readonly known = new Set<string>();
  private readonly cache = new Map<string, string>();
  private cachedChars = 0;
  /** After a failed write the store keeps new texts in memory, so this run still works (reported once). */
  private fallback: MemoryContentStore | null = null;

  constructor(
    private readonly dir: string,
    private readonly log: Log,
    /** Called once when a write fails (the owner reports it); the store then keeps new texts in memory. */
    private readonly onWriteError: (error: Error) => void,
  ) {}

  put(text: string): string {
    const key = hashContent(text);
    if (this.known.has(key) || this.fallback?.get(key) !== undefined) return key;
    const file = join(this.dir, `${key}.gz`);
    if (this.fallback === null) {
      try {
        if (!existsSync(file)) writeFileAtomic(file, gzipSync(text, { level: GZIP_LEVEL, strategy: constants.Z_DEFAULT_STRATEGY }));
        this.known.add(key);
        return key;
      } catch (error) {
        this.onWriteError(error as Error);
        this.fallback = new MemoryContentStore();
      }
    }
    return this.fallback.put(text);
  }

  get(key: string): string | undefined {
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Map iteration order is insertion order: re-inserting marks the entry as recently used.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const inMemory = this.fallback?.get(key);
    if (inMemory !== undefined) return inMemory;
    if (!KEY.test(key)) return undefined;
    let text: string;
    try {
      text = gunzipSync(readFileSync(join(this.dir, `${key}.gz`))).toString("utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") this.log.warn(`index: content blob ${key} is unreadable (${(error as Error).message})`);
      return undefined;
    }
    this.known.add(key);
    this.remember(key, text);
    return text;
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
