// The durable incremental trace index: remembers per trace file what was parsed (identity, size, offset, parser
// state, events, sessions) so a later run reads only new bytes, and keeps events after their trace is deleted.
// Scope invariant: `events()` answers only for traces this project's discovery returned — now, or before and gone.

import { statSync } from "node:fs";
import { join } from "node:path";
import type { DiscoveredTrace, CwdCache } from "../discovery/types";
import type { RefreshProgress } from "../engine-api";
import type { AgentKind, EditEvent, SessionInfo } from "../events/edit-event";
import type { ParseOutput, TraceParser } from "../traces/parser";
import { type Log, silentLog } from "../util/log";
import { type ContentStore, MemoryContentStore } from "./content-store";
import { DiskContentStore } from "./disk-content-store";
import { INDEX_VERSION, IndexFiles, type TraceRecord } from "./index-files";
import { buildView } from "./index-view";
import { mergeSessions, planRead, readTail, tailMatches } from "./read-plan";

export { defaultDataDir } from "./data-dir";

export type IndexMode = "on" | "off" | "rebuild";

export interface TraceIndexOptions {
  /** The user data folder (see defaultDataDir); null keeps everything in memory, as mode "off" does. */
  dataDir: string | null;
  /** "on": load and persist; "off": nothing read from or written to disk; "rebuild": re-read every existing trace. */
  mode: IndexMode;
  log?: Log;
  /** Identifies the project and its trace options (normalised project dir + trace dirs + agents). */
  projectKey?: string;
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
  readonly contents: ContentStore;
  /** Discovery's cache of trace heads' `cwd`, persisted with the index. */
  readonly cwdCache: CwdCache;
  readonly stats: TraceIndexStats;
  /**
   * Persists what changed: content blobs (compressed in the background during update), then the records and parser
   * states of the traces read, the project's trace list and the cwd cache. Records are written only after the
   * blobs they reference, so a crash never leaves a record pointing at missing contents.
   */
  flush(): Promise<void>;
}

interface View {
  events: EditEvent[];
  sessions: SessionInfo[];
  stats: TraceIndexStats;
}

/** Parser states kept in memory after a parse, so a watcher's next ingest of the same file skips a disk read. */
const STATES_IN_MEMORY = 32;

class TraceIndexImpl implements TraceIndex {
  readonly contents: ContentStore;
  readonly cwdCache: CwdCache;
  private readonly records = new Map<string, TraceRecord | null>();
  private readonly states = new Map<string, { offset: number; state: unknown }>();
  /** Traces read since the last flush: their records wait for the content blobs they reference. */
  private readonly dirty = new Set<string>();
  private readonly disk: DiskContentStore | null;
  private readonly seen: Set<string>;
  private projectDirty = false;
  /** Paths passed to the last update (null before the first: then every seen path is in scope). */
  private current: Set<string> | null = null;
  private gone = new Set<string>();
  private readonly rebuilt = new Set<string>();
  private view: View | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private cwdCacheText: string;
  private writesFailed = false;

  constructor(
    private readonly files: IndexFiles | null,
    private readonly mode: IndexMode,
    private readonly projectKey: string,
    private readonly log: Log,
  ) {
    this.disk = files === null ? null : new DiskContentStore(files.contentsDir, log, (error) => this.writeFailed(error));
    this.contents = this.disk ?? new MemoryContentStore();
    this.seen = new Set(this.loadProject());
    this.cwdCache = this.loadCwdCache();
    this.cwdCacheText = JSON.stringify([...this.cwdCache]);
    this.logNotices();
  }

  private loadProject(): string[] {
    if (this.files === null) return [];
    const read = this.files.readProject(this.projectKey);
    return read.kind === "ok" ? read.value.traces : [];
  }

  private loadCwdCache(): CwdCache {
    const cache: CwdCache = new Map();
    if (this.files === null || this.mode === "rebuild") return cache;
    const read = this.files.readCwdCache();
    if (read.kind !== "ok") return cache;
    for (const entry of read.value.entries) {
      if (!Array.isArray(entry)) continue;
      const [path, size, mtimeMs, cwd] = entry;
      if (typeof path === "string" && typeof size === "number" && typeof mtimeMs === "number" && (typeof cwd === "string" || cwd === null)) {
        cache.set(path, { size, mtimeMs, cwd });
      }
    }
    return cache;
  }

  private logNotices(): void {
    if (this.files === null) return;
    for (const notice of this.files.takeNotices()) this.log.warn(notice);
  }

  /** Runs a disk write; the first failure is reported once and turns further writes off for this run. */
  private write(action: (files: IndexFiles) => void): void {
    if (this.files === null || this.writesFailed) return;
    try {
      action(this.files);
    } catch (error) {
      this.writeFailed(error as Error);
    }
  }

  private writeFailed(error: Error): void {
    if (this.writesFailed || this.files === null) return;
    this.writesFailed = true;
    this.log.warn(`index: cannot write to ${this.files.root} (${error.message}); this run is not saved`);
  }

  private record(path: string): TraceRecord | undefined {
    const known = this.records.get(path);
    if (known !== undefined) return known ?? undefined;
    let loaded: TraceRecord | null = null;
    if (this.files !== null) {
      const read = this.files.readRecord(path);
      if (read.kind === "ok") loaded = read.value;
    }
    this.records.set(path, loaded);
    return loaded ?? undefined;
  }

  private state(path: string, offset: number): { ok: true; state: unknown } | { ok: false } {
    const inMemory = this.states.get(path);
    if (inMemory !== undefined && inMemory.offset === offset) return { ok: true, state: inMemory.state };
    if (this.files === null) return { ok: false };
    const read = this.files.readState(path);
    if (read.kind === "ok" && read.value.offset === offset) return { ok: true, state: read.value.state };
    return { ok: false };
  }

  private rememberState(path: string, offset: number, state: unknown): void {
    this.states.delete(path);
    this.states.set(path, { offset, state });
    for (const key of this.states.keys()) {
      if (this.states.size <= STATES_IN_MEMORY) break;
      this.states.delete(key);
    }
  }

  update(
    files: DiscoveredTrace[],
    parsers: Partial<Record<AgentKind, TraceParser>>,
    onProgress?: (progress: RefreshProgress) => void,
  ): Promise<IndexUpdateResult> {
    // Updates run one at a time (a watcher's ingest may arrive during a refresh); a flush waits for them too.
    const run = this.queue.then(() => this.runUpdate(files, parsers, onProgress));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runUpdate(
    files: DiscoveredTrace[],
    parsers: Partial<Record<AgentKind, TraceParser>>,
    onProgress?: (progress: RefreshProgress) => void,
  ): Promise<IndexUpdateResult> {
    const result: IndexUpdateResult = { filesRead: 0, bytesRead: 0, newEvents: 0, skippedLines: 0, unreadable: 0 };
    const byPath = new Map<string, DiscoveredTrace>();
    for (const file of files) byPath.set(file.path, file);
    this.view = null;
    this.current = new Set(byPath.keys());
    this.updateGone();
    for (const path of byPath.keys()) {
      if (!this.seen.has(path)) {
        this.seen.add(path);
        this.projectDirty = true;
      }
    }
    const work: { file: DiscoveredTrace; parser: TraceParser }[] = [];
    let bytesTotal = 0;
    for (const file of byPath.values()) {
      const parser = parsers[file.agent];
      if (parser === undefined) continue;
      const plan = planRead(this.record(file.path), file, this.mode === "rebuild" && !this.rebuilt.has(file.path));
      if (plan.kind === "skip") continue;
      work.push({ file, parser });
      bytesTotal += plan.kind === "resume" ? file.size - (this.record(file.path)?.offset ?? 0) : file.size;
    }
    const progress: RefreshProgress = { filesDone: 0, filesTotal: work.length, bytesDone: 0, bytesTotal };
    for (const { file, parser } of work) {
      await this.indexFile(file, parser, result);
      progress.filesDone += 1;
      progress.bytesDone = Math.min(bytesTotal, result.bytesRead);
      onProgress?.({ ...progress });
    }
    this.view = null;
    this.logNotices();
    return result;
  }

  /** Seen paths not passed now: gone ones stay in scope; existing ones are no longer this project's. */
  private updateGone(): void {
    this.gone = new Set();
    for (const path of this.seen) {
      if (this.current?.has(path) === true) continue;
      let exists = false;
      try {
        exists = statSync(path).isFile();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        exists = code !== "ENOENT" && code !== "ENOTDIR";
      }
      if (exists) {
        this.seen.delete(path);
        this.projectDirty = true;
      } else {
        this.gone.add(path);
      }
    }
  }

  private async indexFile(file: DiscoveredTrace, parser: TraceParser, result: IndexUpdateResult): Promise<void> {
    const old = this.record(file.path);
    let plan = planRead(old, file, this.mode === "rebuild" && !this.rebuilt.has(file.path));
    let fromOffset = 0;
    let state: unknown = null;
    if (plan.kind === "resume" && old !== undefined) {
      const stored = this.state(file.path, old.offset);
      if (stored.ok && tailMatches(file.path, old)) {
        fromOffset = old.offset;
        state = stored.state;
      } else {
        plan = { kind: "whole", reason: stored.ok ? "rewritten" : "no parser state" };
      }
    }
    if (plan.kind === "skip") return;
    let out: ParseOutput;
    try {
      out = await parser.parse({ path: file.path, fromOffset, state, contents: this.contents });
    } catch (error) {
      result.unreadable += 1;
      this.log.warn(`index: cannot read ${file.path} (${(error as Error).message}); kept what was indexed before`);
      return;
    }
    // A parser reports I/O trouble (vanished, permission denied, corrupt compression) as data, with what it read.
    let retry = false;
    if (out.error !== undefined) {
      result.unreadable += 1;
      this.log.warn(`index: ${out.error}; kept what was indexed before`);
      if (out.bytesRead === 0 && out.events.length === 0) return;
      retry = true;
    }
    this.rebuilt.add(file.path);
    const resumed = plan.kind === "resume" && old !== undefined;
    const known = new Set(resumed ? [] : (old?.events ?? []).map((e) => e.id));
    result.newEvents += out.events.filter((e) => !known.has(e.id)).length;
    result.filesRead += 1;
    result.bytesRead += out.bytesRead;
    result.skippedLines += out.skippedLines;
    this.log.debug(`index: ${file.path}: ${resumed ? `resumed at ${fromOffset}` : `read whole (${plan.kind === "whole" ? plan.reason : ""})`}, ${out.events.length} events`);
    const record: TraceRecord = {
      v: INDEX_VERSION,
      path: file.path,
      agent: file.agent,
      dev: file.dev,
      ino: file.ino,
      // After a partial read the size is unknowable (-1): the next update sees a change and reads on.
      size: retry ? -1 : file.size,
      mtimeMs: file.mtimeMs,
      compressed: file.compressed,
      offset: out.endOffset,
      tail: file.compressed ? "" : readTail(file.path, out.endOffset),
      skipped: (resumed ? old.skipped : 0) + out.skippedLines,
      events: resumed ? old.events.concat(out.events) : out.events,
      sessions: resumed ? mergeSessions(old.sessions, out.sessions) : mergeSessions([], out.sessions),
    };
    this.records.set(file.path, record);
    if (!file.compressed) {
      this.rememberState(file.path, out.endOffset, out.state);
      // States are written now, not held until flush (they are most of the index's bytes). A state newer than its
      // record (a crash before flush) fails the offset check on resume, and the trace is read whole.
      this.write((files) => files.writeState({ v: INDEX_VERSION, path: file.path, offset: out.endOffset, state: out.state }));
    }
    this.dirty.add(file.path);
  }

  private scope(): { path: string; live: boolean }[] {
    const paths = this.current === null ? [...this.seen] : [...this.current, ...this.gone];
    return paths.map((path) => ({ path, live: !this.gone.has(path) }));
  }

  private computeView(): View {
    if (this.view !== null) return this.view;
    const inScope: { record: TraceRecord; live: boolean }[] = [];
    for (const { path, live } of this.scope()) {
      const record = this.record(path);
      if (record !== undefined) inScope.push({ record, live });
    }
    const { events, sessions, skippedLines, eventsFromDeletedTraces } = buildView(inScope);
    const traceFiles = this.current === null ? 0 : this.current.size;
    this.view = { events, sessions, stats: { skippedLines, eventsFromDeletedTraces, traceFiles } };
    return this.view;
  }

  events(): EditEvent[] {
    return this.computeView().events;
  }

  sessions(): SessionInfo[] {
    return this.computeView().sessions;
  }

  get stats(): TraceIndexStats {
    return this.computeView().stats;
  }

  flush(): Promise<void> {
    const run = this.queue.then(() => this.runFlush());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runFlush(): Promise<void> {
    await this.disk?.drain();
    for (const path of this.dirty) {
      const record = this.records.get(path);
      if (record !== undefined && record !== null) this.write((files) => files.writeRecord(record));
    }
    this.dirty.clear();
    if (this.projectDirty) {
      const traces = [...this.seen].sort();
      this.write((files) => files.writeProject({ v: INDEX_VERSION, projectKey: this.projectKey, traces }));
      this.projectDirty = false;
    }
    const cwdText = JSON.stringify([...this.cwdCache]);
    if (cwdText !== this.cwdCacheText) {
      const entries = [...this.cwdCache].map(([path, e]) => [path, e.size, e.mtimeMs, e.cwd] as [string, number, number, string | null]);
      this.write((files) => files.writeCwdCache({ v: INDEX_VERSION, entries }));
      this.cwdCacheText = cwdText;
    }
  }
}

/** Opens (or starts) the index of one project in `dataDir`; reads only the small project and cwd-cache files. */
export async function openTraceIndex(options: TraceIndexOptions): Promise<TraceIndex> {
  const log = options.log ?? silentLog;
  const files = options.mode === "off" || options.dataDir === null ? null : new IndexFiles(join(options.dataDir, "index"), log);
  return new TraceIndexImpl(files, options.mode, options.projectKey ?? "", log);
}
