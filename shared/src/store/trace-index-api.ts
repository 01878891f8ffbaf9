// The public shape of the durable trace index (implemented in trace-index.ts): options, the update result, the
// stats it reports and the TraceIndex interface the engine drives. Types only, so readers find the API in one place.

import type { CwdCache, DiscoveredTrace } from "../discovery/types";
import type { RefreshProgress } from "../engine-api";
import type { AgentKind, EditEvent, SessionInfo } from "../events/edit-event";
import type { TraceParser } from "../traces/parser";
import type { Log } from "../util/log";
import type { KeepContentsResult } from "./content-keeper";
import type { ContentStore } from "./content-store";
import type { ScopeRows } from "./scope-rows";
import type { RowBlock } from "./event-rows";
import type { PlainCounts } from "./table-counts";
import type { SavedCounts } from "./table-directory";

export type IndexMode = "on" | "off" | "rebuild";

export interface TraceIndexOptions {
  /** The user data folder (see defaultDataDir); null keeps everything in memory, as mode "off" does. */
  dataDir: string | null;
  /** "on": load and persist; "off": nothing read from or written to disk; "rebuild": re-read every existing trace. */
  mode: IndexMode;
  log?: Log;
  /** Identifies the project and its trace options (normalized project dir + trace dirs + agents). */
  projectKey?: string;
  /**
   * Source of the bundled parse worker for multi-core cold indexing; default: the one the build embeds, if any.
   * null parses in-process only.
   */
  parseWorkerSource?: string | null;
  /** Bytes to read from which an update starts workers (default MIN_POOL_BYTES, 256 MiB); tests set it low. */
  poolMinBytes?: number;
  /**
   * Bytes the workers must still have queued for the main thread, done with its own traces, to take some of theirs
   * (default MIN_STEAL_BYTES, 64 MiB); tests set it low.
   */
  poolMinStealBytes?: number;
  /**
   * Nothing else waits for this thread while it indexes (the CLI): traces parsed on it while no pool runs are read
   * with blocking reads (jsonl-reader.ts useBlockingReads): at 200 MB a cold `stats` took ~10% less wall time. Not
   * while a pool runs (a read blocking this thread holds up the workers' next jobs: 1 GB took longer), nor in a
   * server, whose thread keeps answering requests while it indexes.
   */
  blockingReads?: boolean;
  /**
   * Trace age (modification time) from which every update copies the trace's referenced contents into the index
   * (content-keeper.ts copyAgeMs); undefined: copied only by `keepContents` and when a blame first loads them.
   */
  keepAgeMs?: number;
  /** Only counts will be asked of this index's scope (EngineOptions.countsOnly): unchanged traces' record files are not checked. */
  countsOnly?: boolean;
}

export interface IndexUpdateResult {
  /** Trace files read (whole or from their offset). */
  filesRead: number;
  bytesRead: number;
  /** Events not known before this update. */
  newEvents: number;
  /** Lines skipped by the parses of this update. */
  skippedLines: number;
  /** Files that could not be read (vanished or unreadable since discovery); their stored events are kept. */
  unreadable: number;
}

export interface TraceIndexStats {
  /** Skipped lines over the traces in scope (every parse of each file so far). */
  skippedLines: number;
  /** De-duplicated events whose only copies are in trace files that no longer exist. */
  eventsFromDeletedTraces: number;
  /** Existing trace files in scope (those passed to the last update). */
  traceFiles: number;
}

/**
 * What the index answers for the traces in scope as of its last update (a later update does not change it). The
 * whole view is built on first need; `eventsOfFiles` and `eventFiles` do not need it (a blame decodes only the
 * events of its file's history).
 */
export interface IndexScope {
  /** De-duplicated events (by id), oldest first. The array is shared: do not mutate. */
  events(): EditEvent[];
  sessions(): SessionInfo[];
  readonly stats: TraceIndexStats;
  /** The events of `events()` whose file passes `only`, oldest first. */
  eventsOfFiles(only: (file: string) => boolean): EditEvent[];
  /** A set holding every file of `events()` (and possibly files of their other copies). */
  eventFiles(): Set<string>;
  /**
   * A digest of the records `eventsOfFiles(only)` reads (equal digests: equal events), or null when one cannot be
   * named by its file (updated in this process) or the scope has none on disk.
   */
  sourcesOf(only: (file: string) => boolean): string | null;
  /** A digest of every record in scope, made without reading any (equal digests: equal events); null if unknown. */
  scopeDigest(): string | null;
  /** The rows of `events()` (one per event id, in no particular order), for counting without decoding events. */
  rows(): ScopeRows;
  /** The records' rows as stored, with whether each record's trace exists (copies not settled yet). */
  rowCopies(): { blocks: RowBlock[]; live: boolean }[];
  /** The counts of a filter-free `stats` kept with the index for these project roots, or null (count the rows). */
  plainCounts?(roots: readonly string[]): SavedCounts | null;
  /** Keeps a filter-free `stats`'s counts for these roots, so the next one (or one after an append) reads them. */
  keepPlainCounts?(roots: readonly string[], counts: PlainCounts): void;
}

export interface TraceIndex {
  /**
   * Brings the index up to date with `files`, the project's COMPLETE list of trace files from discovery (unchanged
   * files cost one comparison). Files seen before under this project and now missing keep their events.
   */
  update(
    files: DiscoveredTrace[],
    parsers: Partial<Record<AgentKind, TraceParser>>,
    onProgress?: (progress: RefreshProgress) => void,
  ): Promise<IndexUpdateResult>;
  /** De-duplicated events (by id) of the traces in scope, oldest first. The array is shared: do not mutate. */
  events(): EditEvent[];
  sessions(): SessionInfo[];
  /** The answers as of the last update, the whole view built only when first needed (see IndexScope). */
  currentScope(): IndexScope;
  readonly contents: ContentStore;
  /**
   * Discovery found a trace of `bytes`: a first index (or a rebuild) starts its parse workers as soon as the traces
   * found reach the size from which its first update parses on them, beside the rest of discovery.
   */
  traceFound(bytes: number): void;
  /** Discovery's cache of trace heads' `cwd`, persisted with the index. */
  readonly cwdCache: CwdCache;
  readonly stats: TraceIndexStats;
  /**
   * Persists what changed: content blobs (compressed in the background during update), then the records and parser
   * states of the traces read, the project's trace list and the cwd cache. Records are written only after the
   * blobs they reference, so a crash never leaves a record pointing at missing contents.
   */
  flush(): Promise<void>;
  /**
   * Copies into the index up to `limit` contents its events still reference in their traces (0: none, only what this
   * process already resolved is made durable), then flushes.
   */
  keepContents(limit: number): Promise<KeepContentsResult>;
}
