// The durable incremental trace index: remembers per trace file what was parsed (identity, size, offset, parser
// state, events, sessions) so a later run reads only new bytes, and keeps events after their trace is deleted.
// Scope invariant: `events()` answers only for traces this project's discovery returned — now, or before and gone.

import { statSync } from "node:fs";
import { join } from "node:path";
import type { DiscoveredTrace } from "../discovery/types";
import { LazyCwdCache, noteOf } from "../discovery/lazy-cwd-cache";
import type { RefreshProgress } from "../engine-api";
import type { AgentKind, EditEvent, SessionInfo } from "../events/edit-event";
import { parsersByAgent, useBlockingReads } from "../traces";
import type { ParseOutput, TraceParser } from "../traces/parser";
import { type Log, silentLog } from "../util/log";
import { boundYoungGeneration, startBulkIndex } from "../util/young-generation";
import { type ContentStore, MemoryContentStore } from "./content-store";
import { ContentKeeper, emptyKeepResult, type KeepContentsResult } from "./content-keeper";
import { DiskContentStore } from "./disk-content-store";
import { INDEX_VERSION, IndexFiles, type TraceRecord } from "./index-files";
import { CwdCacheFile } from "./cwd-cache-file";
import { StagedRecords } from "./staged-records";
import { ScopeView } from "./index-view";
import { RecordLookup } from "./record-lookup";
import { eventCount } from "./table-records";
import { bundledWorkerSource, MIN_POOL_BYTES, MIN_STEAL_BYTES, parseInPool, startWorkers, stopWorkers, workerCount } from "./parse-pool";
import { StandbyWorkers } from "./standby-workers";
import { encodeStateFrame, ParserStates, STATES_IN_MEMORY } from "./parser-states";
import { nextRecord, placeable, planRead, type PreparedRead, tailMatches } from "./read-plan";
import type { IndexMode, IndexScope, IndexUpdateResult, TraceIndex, TraceIndexOptions, TraceIndexStats } from "./trace-index-api";

export { defaultDataDir } from "./data-dir";

export type { IndexMode, IndexScope, IndexUpdateResult, TraceIndex, TraceIndexOptions, TraceIndexStats } from "./trace-index-api";

class TraceIndexImpl implements TraceIndex {
  readonly contents: ContentStore;
  readonly cwdCache: LazyCwdCache;
  private readonly cwdFile: CwdCacheFile | null;
  private readonly states: ParserStates;
  /** Traces read since the last flush: their records wait for the content blobs they reference. */
  private readonly dirty = new Set<string>();
  private readonly staged = new StagedRecords();
  private readonly disk: DiskContentStore | null;
  /** Copies contents left in traces into the packs (none for an index in memory). */
  private readonly keeper: ContentKeeper | null;
  private readonly seen: Set<string>;
  /** Records as read or updated in this process, and the saved view and event table read instead of record files. */
  private readonly lookup: RecordLookup;
  private projectDirty = false;
  /** Paths passed to the last update, with their files (null before the first: then every seen path is in scope). */
  private current: ReadonlyMap<string, DiscoveredTrace> | null = null;
  private gone = new Set<string>();
  private readonly rebuilt = new Set<string>();
  /** Traces whose records hold events their file no longer yields: written with a second copy. */
  private readonly onlyCopies = new Set<string>();
  /** Traces to read whole at the next update (their stored contents were found missing or corrupt). */
  private readonly forceWhole = new Set<string>();
  private view: ScopeView | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private writesFailed = false;
  /** The running update reads more than STATES_IN_MEMORY traces. */
  private bulkRead = false;
  /** Parse workers a first index starts while discovery runs, for its first update (or stopped by it). */
  private readonly standby: StandbyWorkers;
  readonly traceFound = (bytes: number): void => this.standby.traceFound(bytes);

  constructor(
    private readonly files: IndexFiles | null,
    private readonly mode: IndexMode,
    private readonly projectKey: string,
    private readonly log: Log,
    private readonly workerSource: string | null,
    private readonly pool: { minBytes: number; minStealBytes: number; blockingReads: boolean },
    { keepAgeMs, countsOnly }: { keepAgeMs: number | undefined; countsOnly: boolean },
  ) {
    const lost = (key: string): void => this.contentLost(key);
    this.disk = files === null ? null : new DiskContentStore(files.contentsDir, log, (error) => this.writeFailed(error), lost);
    this.contents = this.disk ?? new MemoryContentStore();
    this.states = new ParserStates(files);
    this.keeper = this.disk === null || files === null ? null : new ContentKeeper(this.disk, files.contentsDir, keepAgeMs);
    const stale = files?.removeStaleTempFiles() ?? 0;
    if (stale > 0) log.debug(`index: removed ${stale} temp file(s) left by interrupted writers`);
    this.seen = new Set(this.loadProject());
    this.lookup = new RecordLookup(files, INDEX_VERSION, projectKey, mode !== "rebuild", log, countsOnly);
    this.cwdFile = files === null ? null : new CwdCacheFile(join(files.root, "cwd-cache.json"), INDEX_VERSION);
    // Read when discovery asks about a trace the table's directory does not note; the directory notes those made now.
    this.cwdCache = new LazyCwdCache((into) => (mode === "rebuild" ? undefined : this.cwdFile?.read(into)), (path) => this.lookup.notedHead(path));
    this.lookup.noteHeads((path, meta) => noteOf(this.cwdCache.held(path), meta));
    this.logNotices();
    // A first index (nothing seen for this project yet) or a rebuild reads every trace: heap bounded, inlining capped, texts stored uncompressed.
    const bulk = this.seen.size === 0 || mode === "rebuild";
    if (bulk) startBulkIndex();
    if (bulk && this.disk !== null) this.disk.uncompressed = true;
    this.standby = new StandbyWorkers(workerSource, pool.minBytes, bulk);
  }

  private loadProject(): string[] {
    if (this.files === null) return [];
    const read = this.files.readProject(this.projectKey);
    return read.kind === "ok" ? read.value.traces : [];
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

  /**
   * Runs a write of one trace's files. An I/O error (full disk, permissions) turns writes off as `write` does; any
   * other failure (a state that cannot be serialised or is too large) concerns this trace only: it is reported and
   * the trace is read again next time, while everything else is still saved.
   */
  private writeForTrace(trace: string, action: (files: IndexFiles) => void): void {
    if (this.files === null || this.writesFailed) return;
    try {
      action(this.files);
    } catch (error) {
      if (typeof (error as NodeJS.ErrnoException).syscall === "string") this.writeFailed(error as Error);
      else this.log.warn(`index: cannot save what was read of ${trace} (${(error as Error).message}); it is read again next time`);
    }
  }

  private writeFailed(error: Error): void {
    if (this.writesFailed || this.files === null) return;
    this.writesFailed = true;
    this.log.warn(`index: cannot write to ${this.files.root} (${error.message}); this run is not saved`);
  }

  /**
   * A text some event needs is missing or corrupt on disk: the traces whose loaded records reference it are read
   * whole at the next update (their records are removed, so the next process does the same), which stores it anew.
   */
  private contentLost(key: string): void {
    for (const [path, record] of this.records) {
      if (record === null || !record.events.some((e) => e.change.before === key || e.change.after === key)) continue;
      let exists = false;
      try {
        exists = statSync(path).isFile();
      } catch {
        exists = false;
      }
      if (!exists) {
        this.log.warn(`index: stored contents of edits from ${path} are missing or corrupt and the trace no longer exists; blame of those edits is approximate`);
        continue;
      }
      this.log.warn(`index: stored contents of edits from ${path} are missing or corrupt; the trace is re-read at the next refresh`);
      this.forceWhole.add(path);
      this.write((files) => files.removeRecord(path));
    }
  }

  private get records(): Map<string, TraceRecord | null> {
    return this.lookup.records;
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
    for (const file of files) {
      // Emptied after it was indexed (truncated to 0 bytes): like a deleted trace, its events are kept.
      if (file.size === 0 && (this.lookup.known(file.path)?.size ?? 0) > 0) continue;
      byPath.set(file.path, file);
    }
    this.view = null;
    this.current = byPath;
    const seenBefore = this.seen.size;
    for (const path of byPath.keys()) this.seen.add(path);
    const added = this.seen.size - seenBefore;
    if (added > 0) this.projectDirty = true;
    // Every path seen before is passed now when those passed are they and the new ones: then none is gone (no second
    // pass over the seen list).
    if (byPath.size - added === seenBefore) this.gone = new Set();
    else await this.updateGone();
    const work: PreparedRead[] = [];
    for (const file of byPath.values()) {
      const parser = parsers[file.agent];
      const read = parser === undefined ? null : this.prepare(file, parser);
      if (read !== null) work.push(read);
    }
    const bytesTotal = work.reduce((sum, r) => sum + r.bytes, 0);
    this.bulkRead = work.length > STATES_IN_MEMORY;
    const progress: RefreshProgress = { filesDone: 0, filesTotal: work.length, bytesDone: 0, bytesTotal };
    const done = (read: PreparedRead, out: ParseOutput | Error): void => {
      // The last parse is in with the update's new texts: their pack is fsynced on the thread pool meanwhile (drain waits).
      if (progress.filesDone === work.length - 1) this.disk?.settle();
      this.apply(read, out, result);
      boundYoungGeneration();
      progress.filesDone += 1;
      progress.bytesDone = Math.min(bytesTotal, result.bytesRead);
      onProgress?.({ ...progress });
    };
    for (const read of await this.parseOnWorkers(work, bytesTotal, done)) done(read, await this.parseHere(read));
    this.keeper?.keepAged(byPath.values(), (path) => this.lookup.known(path), (path) => this.lookup.offsetOf(path));
    this.view = null;
    this.logNotices();
    return result;
  }

  /**
   * Parses `work` on worker threads when that pays (a built worker, registry parsers, enough bytes) and returns the
   * reads left for the caller to parse in-process: all of them when no pool runs, or those a dead worker dropped.
   */
  private async parseOnWorkers(
    work: PreparedRead[],
    bytesTotal: number,
    done: (read: PreparedRead, out: ParseOutput | Error) => void,
  ): Promise<PreparedRead[]> {
    const standby = this.standby.take();
    const registry = work.every((r) => r.parser === parsersByAgent[r.file.agent]);
    const size = workerCount(work.length);
    const here = this.workerSource === null || !registry || size < 1 || bytesTotal < this.pool.minBytes;
    useBlockingReads(here && this.pool.blockingReads);
    if (here) {
      void stopWorkers(standby);
      return work;
    }
    void stopWorkers(standby.slice(size));
    const workers = [...standby.slice(0, size), ...startWorkers(this.workerSource, size - Math.min(size, standby.length))];
    let onWorkers = 0;
    const keep = (texts: string[]): void => {
      for (const text of texts) this.contents.put(text);
    };
    const left = await parseInPool(
      workers,
      work,
      this.files?.contentsDir ?? null,
      (read) => this.parseHere(read),
      (read, out, texts, onWorker) => {
        keep(texts);
        if (onWorker) onWorkers += 1;
        done(read, out);
      },
      keep,
      this.pool.minStealBytes,
    );
    // The workers' packs are complete now; keys loaded before (this thread's own puts load them) would miss them.
    this.disk?.packsAdded();
    this.log.debug(`index: ${onWorkers} of ${work.length} trace files parsed on ${size} worker thread${size === 1 ? "" : "s"}`);
    return left;
  }

  /**
   * Seen paths not passed now: gone ones stay in scope; existing ones are no longer this project's. A trace whose
   * head no longer names a working directory (permission denied, emptied to 0 bytes, a truncated `.jsonl.zst`, any
   * read error) counts as gone, not as moved away: discovery could not place it, and its indexed events must not be
   * dropped for that.
   */
  private async updateGone(): Promise<void> {
    this.gone = new Set();
    for (const path of this.seen) {
      if (this.current?.has(path) === true) continue;
      if (await placeable(path)) {
        this.seen.delete(path);
        this.projectDirty = true;
      } else {
        this.gone.add(path);
        // The list was written without fsync while every trace in it was on disk: now that it keeps a gone trace's
        // edits in scope, it is written again, durably.
        this.write((files) => {
          if (files.keepRecordCopy(path)) this.projectDirty = true;
        });
      }
    }
  }

  /** What to read of `file`, or null when it is unchanged. */
  private prepare(file: DiscoveredTrace, parser: TraceParser): PreparedRead | null {
    // Unchanged by the table's directory: the record (and the table) need not be read at all.
    if (this.mode !== "rebuild" && !this.forceWhole.has(file.path) && this.lookup.unchanged(file)) return null;
    const old = this.lookup.known(file.path);
    const plan = planRead(old, file, (this.mode === "rebuild" && !this.rebuilt.has(file.path)) || this.forceWhole.delete(file.path));
    if (plan.kind === "skip") return null;
    if (plan.kind === "resume" && old !== undefined && parser.readsWhole !== true) {
      const stored = this.states.get(file.path, old.offset, this.staged.fileOf(file.path));
      if (stored.ok && tailMatches(file.path, old)) {
        return { file, parser, old, fromOffset: old.offset, state: stored.state, reason: `resumed at ${old.offset}`, bytes: file.size - old.offset };
      }
      return { file, parser, old, fromOffset: 0, state: null, reason: stored.ok ? "rewritten" : "no parser state", bytes: file.size };
    }
    return { file, parser, old, fromOffset: 0, state: null, reason: plan.kind === "whole" ? plan.reason : "changed (read whole)", bytes: file.size };
  }

  private async parseHere(read: PreparedRead): Promise<ParseOutput | Error> {
    try {
      const scope = read.file.scope ? { scope: read.file.scope } : {};
      return await read.parser.parse({ path: read.file.path, fromOffset: read.fromOffset, state: read.state, contents: this.contents, ...scope });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Merges one parse into the file's record (the record is written at flush, after the blobs it references). */
  private apply(read: PreparedRead, out: ParseOutput | Error, result: IndexUpdateResult): void {
    const { file, old } = read;
    if (out instanceof Error) {
      result.unreadable += 1;
      this.log.warn(`index: cannot read ${file.path} (${out.message}); kept what was indexed before`);
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
    const resumed = read.fromOffset > 0 && old !== undefined;
    const known = new Set(resumed ? [] : (old?.events ?? []).map((e) => e.id));
    result.newEvents += out.events.filter((e) => !known.has(e.id)).length;
    result.filesRead += 1;
    result.bytesRead += out.bytesRead;
    result.skippedLines += out.skippedLines;
    this.log.debug(`index: ${file.path}: ${resumed ? read.reason : `read whole (${read.reason})`}, ${out.events.length} events`);
    // A whole re-read (the file shrank, was rewritten or replaced, lost its parser state, or a read failed midway)
    // keeps the indexed events the file no longer yields, as the index keeps those of a deleted trace: agents only
    // append, so a trace that lost lines was damaged (a crash, a full disk, a careless tool). Only an explicit
    // rebuild starts over.
    const keep = !resumed && this.mode !== "rebuild" ? old : undefined;
    let record = nextRecord(file, resumed ? old : undefined, out, retry, keep);
    // States are written now, not held until flush (they are most of the index's bytes): a whole read's first in its
    // staged record file, a resumed one's in a state file. A state newer than its record (a crash before flush) fails
    // the offset check on resume, and the trace is read whole.
    const state = file.compressed ? undefined : { v: INDEX_VERSION, path: file.path, offset: out.endOffset, state: out.state };
    if (!resumed) {
      // A record read whole is staged until flush (its changes are read back when used); a resumed one is appended.
      let frame: Buffer | null = null;
      if (state !== undefined) this.writeForTrace(file.path, () => (frame = encodeStateFrame(state)));
      record = this.staged.stage(this.writesFailed ? null : this.files, record, frame, (error) => this.writeFailed(error), !this.bulkRead);
    } else if (state !== undefined) {
      this.writeForTrace(file.path, (files) => files.writeState(state));
    }
    // Kept events are in no trace any more: their record gets a second copy.
    if (keep !== undefined && eventCount(record) > out.events.length) {
      this.onlyCopies.add(file.path);
      // The project's list now keeps edits no trace yields: written again, durably (see runFlush).
      this.projectDirty = true;
    }
    this.records.set(file.path, record);
    if (state !== undefined && (!this.bulkRead || this.files === null || this.writesFailed)) this.states.remember(file.path, out.endOffset, out.state);
    this.dirty.add(file.path);
  }

  private scope(): { path: string; live: boolean }[] {
    const paths = this.current === null ? [...this.seen] : [...this.current.keys(), ...this.gone];
    return paths.map((path) => ({ path, live: !this.gone.has(path) }));
  }

  private computeView(): ScopeView {
    if (this.view !== null) return this.view;
    const source = this.lookup.scopeSource((action) => this.write(action));
    this.view = new ScopeView(this.scope(), source, this.current === null ? 0 : this.current.size);
    return this.view;
  }

  currentScope(): IndexScope {
    return this.computeView();
  }

  events(): EditEvent[] {
    return this.computeView().events();
  }

  sessions(): SessionInfo[] {
    return this.computeView().sessions();
  }

  get stats(): TraceIndexStats {
    return this.computeView().stats;
  }

  flush(): Promise<void> {
    const run = this.queue.then(() => this.runFlush());
    this.queue = run.catch(() => undefined);
    return run;
  }

  keepContents(limit: number): Promise<KeepContentsResult> {
    const run = this.queue.then(async () => {
      if (limit === 0) {
        // Only the copies this process made (a blame's): no record changed. Records its queries read from their files
        // (their view entries were stale: a command that read no events wrote them) go into the view now.
        await this.disk?.drain();
        this.lookup.saveChanged(this.scope(), this.bulkRead, (action) => this.write(action));
        return emptyKeepResult();
      }
      const result = this.keeper?.keep(this.scope().map(({ path }) => this.lookup.record(path)), limit) ?? emptyKeepResult();
      await this.runFlush();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runFlush(): Promise<void> {
    await this.disk?.drain();
    this.write(() => this.keeper?.save());
    for (const path of this.dirty) {
      const record = this.records.get(path);
      if (record !== undefined && record !== null) this.writeForTrace(path, (files) => this.staged.write(files, record, this.onlyCopies.has(path)));
    }
    this.dirty.clear();
    // Not after a bulk read (a first index): encoding every head at its peak added ~20 MiB of RSS at 1 GB; the next
    // command, which reads the records it left, writes the view.
    this.lookup.save(this.scope(), this.bulkRead, (action) => this.write(action), true);
    if (this.projectDirty) {
      const traces = [...this.seen].sort();
      const durable = this.gone.size > 0 || this.onlyCopies.size > 0;
      this.write((files) => files.writeProject({ v: INDEX_VERSION, projectKey: this.projectKey, traces }, durable));
      this.projectDirty = false;
    }
    if (this.cwdCache.changed) this.write(() => this.cwdFile?.save(this.cwdCache));
    this.write((files) => files.syncFolders());
  }
}

/** Opens (or starts) the index of one project in `dataDir`; reads only the small project and cwd-cache files. */
export async function openTraceIndex(options: TraceIndexOptions): Promise<TraceIndex> {
  const log = options.log ?? silentLog;
  const files = options.mode === "off" || options.dataDir === null ? null : new IndexFiles(join(options.dataDir, "index"), log);
  const workerSource = options.parseWorkerSource === undefined ? bundledWorkerSource() : options.parseWorkerSource;
  const { projectKey = "", poolMinBytes = MIN_POOL_BYTES, poolMinStealBytes = MIN_STEAL_BYTES, blockingReads = false, keepAgeMs, countsOnly = false } = options;
  return new TraceIndexImpl(files, options.mode, projectKey, log, workerSource, { minBytes: poolMinBytes, minStealBytes: poolMinStealBytes, blockingReads }, { keepAgeMs, countsOnly });
}
