// What the index answers from the trace records in a project's scope: events de-duplicated by id (forks and resumes
// copy a tool call into several files), sessions, and the counts `stats` reports. Pure: the same records in any
// order give the same view, so runs and processes agree. A ScopeView builds the whole view only when asked; a blame
// asks for the events of a few files, which decode only those (a tool call's copies share its file: the canonical
// id names it); `stats` counts the records' event rows (scope-rows.ts) and needs no record's events at all.

import { createHash } from "node:crypto";
import { compareEvents, type EditEvent, type SessionInfo } from "../events/edit-event";
import { eventsOfRecord, type TraceRecord } from "./record-codec";
import { chooseRows, type ScopeRows } from "./scope-rows";
import { recordBlocks } from "./table-records";
import type { RowBlock } from "./event-rows";
import type { IndexScope, TraceIndexStats } from "./trace-index-api";
import type { RecordKey } from "./project-view";
import type { PlainCounts } from "./table-counts";
import type { SavedCounts } from "./table-directory";

export interface IndexView {
  /** Oldest first. */
  events: EditEvent[];
  sessions: SessionInfo[];
  skippedLines: number;
  /** Events whose only copies are in trace files that no longer exist. */
  eventsFromDeletedTraces: number;
}

/** `live` is false for a record whose trace file is gone (its events are kept: the index is durable). */
export type ScopedRecord = { record: TraceRecord; live: boolean };

export function buildView(records: Iterable<ScopedRecord>): IndexView {
  const sessions: SessionInfo[] = [];
  let skippedLines = 0;
  const copies: { events: EditEvent[]; live: boolean }[] = [];
  for (const { record, live } of records) {
    skippedLines += record.skipped;
    for (const session of record.sessions) sessions.push(session);
    copies.push({ events: record.events, live });
  }
  return { ...chooseCopies(copies), sessions, skippedLines };
}

/** One copy per event id, oldest first: preferably one whose trace still exists, then the earliest in trace order. */
function chooseCopies(copies: Iterable<{ events: EditEvent[]; live: boolean }>): { events: EditEvent[]; eventsFromDeletedTraces: number } {
  const chosen = new Map<string, { event: EditEvent; live: boolean }>();
  for (const { events, live } of copies) {
    for (const event of events) {
      const prior = chosen.get(event.id);
      if (prior === undefined || (live && !prior.live) || (live === prior.live && compareEvents(event, prior.event) < 0)) {
        chosen.set(event.id, { event, live });
      }
    }
  }
  const events: EditEvent[] = [];
  let eventsFromDeletedTraces = 0;
  for (const { event, live } of chosen.values()) {
    events.push(event);
    if (!live) eventsFromDeletedTraces += 1;
  }
  events.sort(compareEvents);
  return { events, eventsFromDeletedTraces };
}

/** Where a scope's records come from: each with its events (loaded when first needed), or as cheaply as known. */
export interface ScopeSource {
  /** The record with its events. */
  record(path: string): TraceRecord | undefined;
  /** The record's metadata, sessions and rows (its events may be loaded only when read). */
  known(path: string): TraceRecord | undefined;
  /** The key of the record file the record held is exactly (read from it, unchanged since), or null. */
  fileKey(path: string): RecordKey | null;
  /**
   * The key of the trace's record file as this process found it unchanged, without reading the record or its
   * table entry ("none": it has none on disk); null when not known so cheaply, or the record was updated here.
   */
  scopeKey(path: string): RecordKey | "none" | null;
  /** The counts kept for exactly this scope and these roots (table-counts.ts), or null. */
  savedCounts?(scope: readonly { path: string; live: boolean }[], roots: readonly string[]): SavedCounts | null;
  keepCounts?(scope: readonly { path: string; live: boolean }[], roots: readonly string[], counts: PlainCounts, blocks: () => Iterable<RowBlock>): void;
}

/** The view of a fixed set of records, built whole on first need; a few files' events are answered without it. */
export class ScopeView implements IndexScope {
  private built: IndexView | null = null;
  private full: ScopedRecord[] | null = null;
  private light: ScopedRecord[] | null = null;
  private chosen: ScopeRows | null = null;

  constructor(
    private readonly scoped: readonly { path: string; live: boolean }[],
    private readonly source: ScopeSource,
    private readonly traceFiles: number,
  ) {}

  /** The records with their events. */
  private records(): ScopedRecord[] {
    this.full ??= this.collect((path) => this.source.record(path));
    return this.full;
  }

  /** The records as cheaply as known (for sessions, counts and rows). */
  private known(): ScopedRecord[] {
    this.light ??= this.full ?? this.collect((path) => this.source.known(path));
    return this.light;
  }

  private collect(get: (path: string) => TraceRecord | undefined): ScopedRecord[] {
    const out: ScopedRecord[] = [];
    for (const { path, live } of this.scoped) {
      const record = get(path);
      if (record !== undefined) out.push({ record, live });
    }
    return out;
  }

  private view(): IndexView {
    this.built ??= buildView(this.records());
    return this.built;
  }

  events(): EditEvent[] {
    return this.view().events;
  }

  /** The records' sessions in scope order, as the whole view lists them (without decoding any event). */
  sessions(): SessionInfo[] {
    if (this.built !== null) return this.built.sessions;
    return this.known().flatMap(({ record }) => record.sessions);
  }

  get stats(): TraceIndexStats {
    let skippedLines = 0;
    for (const { record } of this.known()) skippedLines += record.skipped;
    const rows = (): ScopeRows => this.rows();
    return {
      skippedLines,
      traceFiles: this.traceFiles,
      // Settled only when read (plain `stats` counts its own from rowCopies).
      get eventsFromDeletedTraces(): number {
        return rows().eventsFromDeletedTraces;
      },
    };
  }

  rows(): ScopeRows {
    this.chosen ??= chooseRows(this.rowCopies());
    return this.chosen;
  }

  plainCounts(roots: readonly string[]): SavedCounts | null {
    return this.source.savedCounts?.(this.scoped, roots) ?? null;
  }

  keepPlainCounts(roots: readonly string[], counts: PlainCounts): void {
    this.source.keepCounts?.(this.scoped, roots, counts, () => this.rowCopies().flatMap(({ blocks }) => blocks));
  }

  rowCopies(): { blocks: RowBlock[]; live: boolean }[] {
    return this.known().map(({ record, live }) => ({ blocks: recordBlocks(record), live }));
  }

  /** The view's events whose file passes `only`, oldest first (the same as filtering view().events). */
  eventsOfFiles(only: (file: string) => boolean): EditEvent[] {
    if (this.built !== null) return this.built.events.filter((e) => only(e.file));
    return chooseCopies(this.recordsWithFiles(only).map(({ record, live }) => ({ events: eventsOfRecord(record, only), live }))).events;
  }

  /**
   * The records some of whose events' files pass `only`, with their events: their rows (the event table's, while
   * the record file is unchanged) name their files, so a blame loads and decodes only the few records that edited
   * its file (a record without such an event adds no copy to choose from).
   */
  private recordsWithFiles(only: (file: string) => boolean): ScopedRecord[] {
    if (this.full !== null) return this.full;
    const out: ScopedRecord[] = [];
    for (const { path, live } of this.scoped) {
      const light = this.source.known(path);
      if (light === undefined || !recordBlocks(light).some((block) => block.tally.files.some(only))) continue;
      const full = this.source.record(path);
      if (full !== undefined) out.push({ record: full, live });
    }
    return out;
  }

  /**
   * A digest of where `eventsOfFiles(only)` takes its events from: each record some of whose events' files pass
   * (path, record file key, whether its trace exists), in scope order. Equal digests give equal events: a record file
   * with the same key holds the same events. Null when such a record is not known to be its file as is (updated in
   * this process), or the whole view was built (its records may have been updated since).
   */
  sourcesOf(only: (file: string) => boolean): string | null {
    if (this.full !== null) return null;
    const sources: (string | boolean | RecordKey)[] = [];
    for (const { path, live } of this.scoped) {
      const light = this.source.known(path);
      if (light === undefined || !recordBlocks(light).some((block) => block.tally.files.some(only))) continue;
      const key = this.source.fileKey(path);
      if (key === null) return null;
      sources.push(path, key, live);
    }
    return createHash("sha1").update(JSON.stringify(sources)).digest("hex");
  }

  /**
   * A digest of every record in scope (path, record file key, whether its trace exists), made without reading any
   * record or table entry: equal digests, equal events everywhere. Null when a record's key is not known so.
   */
  scopeDigest(): string | null {
    const keys: (string | boolean | RecordKey)[] = [];
    for (const { path, live } of this.scoped) {
      const key = this.source.scopeKey(path);
      if (key === null) return null;
      keys.push(path, key, live);
    }
    return createHash("sha1").update(JSON.stringify(keys)).digest("hex");
  }

  /** Every file some event in scope edited (those of copies included): the records' rows name them. */
  eventFiles(): Set<string> {
    const files = new Set<string>();
    if (this.built !== null) for (const e of this.built.events) files.add(e.file);
    else for (const { record } of this.known()) for (const block of recordBlocks(record)) for (const file of block.tally.files) files.add(file);
    return files;
  }
}
