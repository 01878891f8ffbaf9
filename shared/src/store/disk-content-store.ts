// A ContentStore backed by pack files under the index folder (contents/*.pack: brotli payloads by content hash), so
// whole file texts never sit in the event records (a first index's as brotli's stored blocks: stored-brotli.ts). A version of a file is stored as a delta against a recently
// stored version, so compressing in place is cheap; `drain()` completes the run's pack on disk. It also takes
// references to texts left in their traces (content-ref.ts): the first `get` of one resolves it from the trace and
// copies it in (the text by its hash, and an alias entry under the reference's key, without payload, whose meta in
// the pack's index names that hash and the text's fingerprint). Blames keep their replays beside the packs
// (replay-cache.ts), as results derived from them.

import { mkdirSync, rmSync } from "node:fs";
import type { LineReplacement } from "../attribution/chain";
import type { KeptSessionIds, Replays } from "../attribution/kept-replays";
import { brotliDecompressSync } from "node:zlib";
import { Fingerprinter } from "../attribution/fingerprint";
import type { LineFingerprint } from "../events/edit-event";
import type { Log } from "../util/log";
import { type AliasMeta, listPacks, mergePacks, type PackEntry, PackWriter, PayloadChecksumError, readPackIndex, readPayload } from "./content-pack";
import { type ContentStore, hashContent } from "./content-store";
import { applyDelta, decodePayload, type DeltaBase, encodePayload, findDelta, MAX_DEPTH } from "./content-delta";
import { ReplayFiles } from "./replay-cache";
import { packPayload } from "./stored-brotli";
import { anchorOf, spellsReplaced, type TokenAnchor } from "./token-steps";
import { type ContentRef, decodeToken, parseRefKey, readToken, refKey, resolveRef } from "./content-ref";

const KEY = /^[0-9a-f]{40}$/;
/** The payload of an alias entry: its text is the one its meta names. */
const EMPTY = Buffer.alloc(0);
/** Characters of decompressed text kept for repeated `get`s (replay asks for consecutive versions). */
const CACHE_CHARS = 8 * 1024 * 1024;
/** Packs smaller than this are merged into one when there are more than MAX_SMALL_PACKS of them. */
const SMALL_PACK = 8 * 1024 * 1024;
const MAX_SMALL_PACKS = 16;
/**
 * Recently stored texts, compared before hashing and tried as delta bases. On the bench folders 8 catch ~90% of
 * repeated texts by size (1 catches half): parallel sessions interleave their edits of other files.
 */
const RECENT = 8;
/**
 * Characters of new texts a process stores without looking them up in the complete packs, as long as nothing else
 * made it load their keys: a warm command stores only an append's few new texts, and finding them among the packs
 * read every pack's index first (145 KB of JSON and a Map of every key at 3 GB, ~2-3 ms of each `stats` after an
 * append) to save at most this many characters of duplicates, which the next merge of small packs drops.
 */
const UNCHECKED_CHARS = 64 * 1024;

export class DiskContentStore implements ContentStore {
  /** Where each stored key is, from the complete packs (loaded on first use). */
  private packed: Map<string, PackEntry> | null = null;
  /** The pack this run appends to (complete, and visible to others, after `drain`). */
  private writer: PackWriter | null = null;
  /** The run's pack `settle` sealed, its fsync running on the thread pool: completed by `drain`, readable until then. */
  private sealed: PackWriter | null = null;
  /** Texts that could not be stored (after a write failure), kept in memory for the rest of the run. */
  private readonly pending = new Map<string, string>();
  private readonly recent: DeltaBase[] = [];
  private readonly cache = new Map<string, string>();
  private cachedChars = 0;
  private failed = false;
  private readonly replayFiles: ReplayFiles;
  /** Characters stored without a lookup in the complete packs (UNCHECKED_CHARS). */
  private unchecked = 0;
  /** New texts are stored as brotli's stored blocks until `settle` (a first index's: see stored-brotli.ts). */
  uncompressed = false;

  constructor(
    private readonly dir: string,
    private readonly log: Log,
    /** Called when a write fails (the owner reports it once); the store then keeps new texts in memory. */
    private readonly onWriteError: (error: Error) => void,
    /** Called once per key asked for but missing or corrupt on disk (the owner re-reads the traces that need it). */
    private readonly onLost: (key: string) => void = () => undefined,
  ) {
    this.replayFiles = new ReplayFiles(dir);
  }

  put(text: string): string {
    // The text before an edit is usually the text after the previous one, just put: comparing with the recent
    // texts (length first, then contents) is far cheaper than hashing it again.
    for (const r of this.recent) if (r.text.length === text.length && r.text === text) return r.key;
    const key = hashContent(text);
    if (this.pending.has(key) || this.unfinished(key) || this.inPacks(key, text.length)) return key;
    if (this.failed) {
      this.pending.set(key, text);
      return key;
    }
    const delta = findDelta(text, this.recent);
    this.recent.unshift({ key, text, depth: delta?.depth ?? 0 });
    if (this.recent.length > RECENT) this.recent.pop();
    // Compressed here rather than in the libuv pool: at 1 GB of traces the pool saved no time (deltas are small)
    // and cost ~35 MB of peak RSS in its threads' allocations and queued texts.
    this.append(key, text, () => packPayload(encodePayload(text, delta), !this.uncompressed));
    return key;
  }

  get(key: string): string | undefined {
    return this.load(key, 0);
  }

  /** Whether a complete pack holds `key`; not looked up for the first UNCHECKED_CHARS of new texts (stored again). */
  private inPacks(key: string, chars: number): boolean {
    if (this.packed === null && this.unchecked + chars <= UNCHECKED_CHARS) {
      this.unchecked += chars;
      return false;
    }
    return this.index().has(key);
  }

  putRef(ref: ContentRef): string {
    return refKey(ref);
  }

  known(key: string): { key: string; fp: LineFingerprint } | undefined {
    if (KEY.test(key)) return undefined;
    const meta = this.writer?.entries.get(key)?.meta ?? this.sealed?.entries.get(key)?.meta ?? this.index().get(key)?.meta;
    return meta === undefined ? undefined : { key: meta[0], fp: { lines: meta[1], sum: meta[2], pairs: meta[3] } };
  }

  putDerived(key: string, text: string): void {
    if (!this.hasCopy(key)) this.alias(key, text);
  }

  holdsText(key: string, text: string): boolean {
    const ref = parseRefKey(key);
    // Every character takes at least one byte of the token, besides its two quotes.
    if (ref === undefined || ref.length < text.length + 2 || this.hasCopy(key) || this.failedRefs.has(key)) return false;
    // Decoding the token costs less than encoding `text` as JSON to compare bytes (and any escaping compares equal).
    const token = readToken(ref);
    const decoded = typeof token === "string" ? undefined : decodeToken(token);
    // Unreadable: left to `get`, which reports it.
    if (decoded === undefined || "failure" in decoded) return false;
    const same = decoded.text === text;
    // Another text is copied now as `get` would, so the `get` that follows reads the trace no more.
    this.alias(key, same ? text : decoded.text);
    this.remember(key, same ? text : decoded.text);
    this.held = same && typeof token !== "string" ? { key, token } : null;
    return same;
  }

  /** The token `holdsText` last found to hold (for `anchorOfHeld`). */
  private held: { key: string; token: Buffer } | null = null;

  holdsStep(key: string, text: string, anchor: TokenAnchor, replacements: readonly LineReplacement[]): TokenAnchor | null {
    const ref = parseRefKey(key);
    if (ref === undefined || this.hasCopy(key) || this.failedRefs.has(key)) return null;
    const token = readToken(ref);
    const next = typeof token === "string" ? null : spellsReplaced(anchor, replacements, token);
    if (next === null) return null;
    this.alias(key, text);
    this.remember(key, text);
    return next;
  }

  anchorOfHeld(key: string, lines: number): TokenAnchor | null {
    const held = this.held;
    this.held = null;
    return held === null || held.key !== key ? null : anchorOf(held.token, lines);
  }

  replays(file: string, strictWhitespace: boolean): Replays {
    return this.replayFiles.of(file, strictWhitespace);
  }

  keptSessionIds(project: string): KeptSessionIds {
    return this.replayFiles.sessionIds(project);
  }

  /** Whether a reference's text is copied into the store (or held in memory after a write failure). */
  hasCopy(key: string): boolean {
    return this.pending.has(key) || this.unfinished(key) || this.index().has(key);
  }

  /**
   * Copies a reference's text into the store, resolving it from its trace; false when the trace no longer holds it
   * (logged once per trace).
   */
  secure(key: string): boolean {
    if (this.hasCopy(key)) return true;
    return this.load(key, 0) !== undefined;
  }

  /**
   * Starts completing the run's pack: its index is written and its fsync runs on the thread pool while the caller goes
   * on (an update makes its parser state and record meanwhile); `drain` waits for it, so what references these texts
   * is still written after they are durable (at 3 GB that fsync was ~2 ms of a `stats` after an append spent waiting).
   * Texts put after this go to a new pack, completed by `drain` too, and compressed.
   */
  settle(): void {
    this.uncompressed = false;
    if (this.failed || this.writer === null || this.sealed !== null) return;
    try {
      if (!this.writer.seal()) return;
    } catch (error) {
      this.fail(error as Error);
      return;
    }
    this.sealed = this.writer;
    this.writer = null;
  }

  /**
   * Resolves when every text put so far is in a complete pack on disk (or kept in memory after a write failure), and
   * the replays kept since are written (naming those packs).
   */
  async drain(): Promise<void> {
    const sealed = this.sealed;
    // Found by reads until it is complete; sealed before anything failed since, so completed unless its fsync failed.
    const fsyncError = sealed === null ? null : await sealed.durable;
    if (sealed !== null && this.sealed === sealed) {
      this.sealed = null;
      if (!this.complete(sealed, fsyncError)) return;
    }
    const writer = this.writer;
    this.writer = null;
    if (this.failed) return;
    if (writer !== null && !this.complete(writer)) return;
    this.replayFiles.flush();
  }

  /** Whether this run's pack not complete yet (the one appended to, or the one sealed) holds `key`. */
  private unfinished(key: string): boolean {
    return this.writer?.entries.has(key) === true || this.sealed?.entries.has(key) === true;
  }

  /** Completes one of the run's packs, a sealed one once durable (then merging small packs); false after a failure. */
  private complete(writer: PackWriter, fsyncError?: Error | null): boolean {
    try {
      if (fsyncError) throw fsyncError;
      const path = fsyncError === undefined ? writer.finish() : writer.finishSealed();
      if (path === null) return true;
      // Into the keys when loaded (not loaded for this: they are read with this pack when first needed).
      for (const [key, e] of writer.entries) this.packed?.set(key, { pack: path, offset: e.offset, length: e.length, crc: e.crc, ...(e.meta ? { meta: e.meta } : {}) });
      const small = listPacks(this.dir).filter((p) => p.size < SMALL_PACK);
      if (small.length > MAX_SMALL_PACKS) {
        mergePacks(this.dir, small);
        this.packed = null;
      }
      return true;
    } catch (error) {
      writer.abandon();
      this.fail(error as Error);
      return false;
    }
  }

  /**
   * Other writers (parse workers) completed packs in this folder since its keys were loaded: they are loaded again at
   * next use, so their texts are found (this store's own unfinished pack is not affected).
   */
  packsAdded(): void {
    this.packed = null;
  }

  /** Texts kept in memory because they could not be stored (after a write failure), for a worker to hand back. */
  unsaved(): [key: string, text: string][] {
    return [...this.pending];
  }

  /** The complete packs' keys, loaded on first use (a corrupt pack is skipped with a warning). */
  private index(): Map<string, PackEntry> {
    if (this.packed !== null) return this.packed;
    const packed = new Map<string, PackEntry>();
    for (const { path } of listPacks(this.dir)) {
      const entries = readPackIndex(path);
      if (entries === "old") {
        // Of an index version before checksums: no current record references it.
        rmSync(path, { force: true });
        continue;
      }
      if (entries === null) {
        // Its texts are unreachable: removed, so the traces that need them are re-read (see `lost`) and stored anew.
        this.log.warn(`index: content pack ${path} is unreadable, torn or fails its checksum; removed, its texts are re-read from their traces`);
        rmSync(path, { force: true });
        continue;
      }
      for (const [key, offset, length, crc, meta] of entries) packed.set(key, { pack: path, offset, length, crc, ...(meta ? { meta } : {}) });
    }
    this.packed = packed;
    return packed;
  }

  /** A stored payload: from this run's unfinished pack, or a complete one (reloading once if it was merged away). */
  private payload(key: string): Buffer | undefined {
    const own = this.writer?.read(key) ?? this.sealed?.read(key);
    if (own !== undefined) return own;
    for (let attempt = 0; attempt < 2; attempt++) {
      const entry = this.index().get(key);
      if (entry === undefined) return undefined;
      try {
        return readPayload(entry);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        this.packed = null;
      }
    }
    return undefined;
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
    const ref = parseRefKey(key);
    if ((ref === undefined && !KEY.test(key)) || hops > MAX_DEPTH) return undefined;
    // A reference's copy is an entry without payload naming the stored text it stands for.
    const alias = ref === undefined ? undefined : this.known(key);
    const copied = alias === undefined ? undefined : this.load(alias.key, hops + 1);
    if (copied !== undefined) return copied;
    // Never copied (or its copy was lost to a damaged pack): read from the trace.
    if (ref !== undefined) return this.resolve(key, ref);
    let text: string | undefined;
    try {
      text = this.decode(key, this.payload(key), hops);
    } catch (error) {
      this.log.warn(`index: content blob ${key} is unreadable (${(error as Error).message})`);
      if (error instanceof PayloadChecksumError) this.dropCorrupt(error.pack);
    }
    if (text === undefined) this.lost(key);
    else this.remember(key, text);
    return text;
  }

  /** The text of a stored payload (resolving a delta through its base); undefined, with a warning, when corrupt. */
  private decode(key: string, stored: Buffer | undefined, hops: number): string | undefined {
    if (stored === undefined) return undefined;
    const decoded = decodePayload(brotliDecompressSync(stored).toString("utf8"));
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
    return text;
  }

  private readonly lostKeys = new Set<string>();
  private readonly fingerprints = new Fingerprinter();
  /** Traces a reference failed to resolve from (each is logged once). */
  private readonly failedTraces = new Set<string>();
  /** References that failed to resolve in this process. */
  private readonly failedRefs = new Set<string>();

  /** Whether a reference already failed to resolve in this process (its trace no longer holds the text). */
  unresolvable(key: string): boolean {
    return this.failedRefs.has(key);
  }

  /** A reference's text read from its trace, copied in so it outlives the trace; undefined when it cannot be trusted. */
  private resolve(key: string, ref: ContentRef): string | undefined {
    const resolved = resolveRef(ref);
    if ("failure" in resolved) {
      this.failedRefs.add(key);
      if (!this.failedTraces.has(ref.path)) {
        this.failedTraces.add(ref.path);
        const why = resolved.failure === "unreadable" ? "cannot be read" : resolved.failure === "changed" ? "was rewritten" : "holds an invalid text";
        this.log.warn(`index: an edit's file contents in ${ref.path} are not available (the trace ${why} since it was indexed and they were not copied yet)`);
      }
      // Not `lost`: re-reading the trace cannot bring it back, and its record (its events) must stay.
      return undefined;
    }
    this.alias(key, resolved.text);
    this.remember(key, resolved.text);
    return resolved.text;
  }

  /** Stores `text` and an alias entry `key` for it, with its hash and fingerprint in the pack's index. */
  private alias(key: string, text: string): void {
    const sha1 = this.put(text);
    // Copies come in a file's version order (a blame's replay): each fingerprint is derived from the previous one.
    const fp = this.fingerprints.of(text, "copied");
    const meta: AliasMeta = [sha1, fp.lines, fp.sum, fp.pairs];
    if (this.failed) this.pending.set(key, text);
    else this.append(key, text, () => EMPTY, meta);
  }

  /**
   * Rewrites a pack without its corrupt payloads, so their keys read as missing and the texts are stored anew when
   * their traces are re-read (a key still listed would make `put` skip the text).
   */
  private dropCorrupt(pack: string): void {
    try {
      mergePacks(this.dir, [{ path: pack }]);
    } catch (error) {
      this.log.warn(`index: cannot rewrite the corrupt content pack ${pack} (${(error as Error).message})`);
    }
    this.packed = null;
  }

  private lost(key: string): void {
    if (this.lostKeys.has(key)) return;
    this.lostKeys.add(key);
    this.onLost(key);
  }

  private append(key: string, text: string, compress: () => Buffer, meta?: AliasMeta): void {
    try {
      if (this.writer === null) {
        mkdirSync(this.dir, { recursive: true });
        this.writer = new PackWriter(this.dir);
      }
      this.writer.append(key, compress(), meta);
    } catch (error) {
      this.fail(error as Error);
      this.pending.set(key, text);
    }
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    // The unfinished pack will not be completed: its texts move to memory for the rest of this run.
    const writer = this.writer;
    if (writer !== null) {
      // Still the writer while reading back, so deltas find their bases in it.
      for (const key of [...writer.entries.keys()]) {
        try {
          const text = this.decode(key, writer.read(key), 0);
          if (text !== undefined) this.pending.set(key, text);
        } catch {
          // Unreadable as well: this text is lost for this run (the failure was reported).
        }
      }
      this.writer = null;
      writer.abandon();
    }
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
