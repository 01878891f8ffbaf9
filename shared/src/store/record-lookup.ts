// Where the index finds a trace's record, cheapest first: as read or updated in this process; for what needs no
// events (deciding to skip or resume a trace, `stats`), its event table entry while the record file is unchanged
// (event-table.ts); else its project view entry while that file is unchanged (project-view.ts); else the record
// file itself. At flush both saved files are brought up to date with the records this process holds.

import type { DiscoveredTrace } from "../discovery/types";
import type { Log } from "../util/log";
import type { RowBlock } from "./event-rows";
import type { ScopeSource } from "./index-view";
import { EventTable, type TableRecord } from "./event-table";
import { type RecordKey, sameKey } from "./project-view";
import type { IndexFiles } from "./index-files";
import { recordName } from "./record-names";
import { ProjectView } from "./project-view";
import { corruptRecordNotice } from "./read-plan";
import type { TraceRecord } from "./record-codec";
import { recordBlocks, recordFromEntry, tableKey } from "./table-records";
import { type PlainCounts, rowHashes, savedFrom, scopeHash } from "./table-counts";
import type { DirLookup } from "./directory-entries";
import type { CwdNote, SavedCounts } from "./table-directory";
import type { RecordMeta } from "./event-table";

/** A Map of records that counts its changes (a save with none since the last has nothing to write). */
class RecordMap extends Map<string, TraceRecord | null> {
  changes = 0;

  override set(path: string, record: TraceRecord | null): this {
    this.changes += 1;
    return super.set(path, record);
  }

  override delete(path: string): boolean {
    this.changes += 1;
    return super.delete(path);
  }

  override clear(): void {
    this.changes += 1;
    super.clear();
  }
}

export class RecordLookup {
  /** Records read or updated in this process (null: none on disk, or unreadable). */
  readonly records = new RecordMap();
  /** What the last save was made from: the records' change count, whether after a bulk read, the scope's paths. */
  private lastSave: { changes: number; bulk: boolean; paths: string[] } | null = null;
  /** Records made from table entries whose record file is unchanged (events loaded only when read). */
  private readonly fromTable = new Map<string, TraceRecord | null>();
  /** The keys of the table entries `fromTable` records were made from (checked against their record files). */
  private readonly tableKeys = new Map<string, RecordKey>();
  /** Records this lookup loaded from the index's files (a record updated since is another object). */
  private readonly loaded = new Map<string, TraceRecord>();
  /** Traces found to have no record on disk (loaded as none, not updated since). */
  private readonly loadedNone = new Set<string>();
  /** Traces whose record file was found to be the one the table's directory describes. */
  private readonly sameRecordFile = new Set<string>();
  /** Counts only: unchanged traces whose table entry stands for their record, the record file unchecked (`unchanged`). */
  private readonly trusted = new Set<string>();
  private readonly view: ProjectView | null;
  private readonly table: EventTable | null;

  constructor(
    private readonly files: IndexFiles | null,
    version: number,
    projectKey: string,
    /** A rebuild reads every trace again: the table's entries would only be replaced. */
    useTable: boolean,
    private readonly log: Log,
    /** Only counts are asked (EngineOptions.countsOnly): an unchanged trace is skipped without checking its record file. */
    private readonly countsOnly = false,
  ) {
    const viewPath = files?.viewPath(projectKey);
    this.view = viewPath === undefined ? null : new ProjectView(viewPath, version, projectKey);
    const table = viewPath?.replace(/\.json$/, ".rows");
    this.table = table === undefined || !useTable ? null : new EventTable(table, table.replace(/\.rows$/, ".dir"), version, projectKey);
  }

  /**
   * Whether the trace is the file its table entry was made from, unchanged, and its record file is still the one
   * the entry describes — known from the table's directory alone (the table itself is not read).
   *
   * When only counts are asked, the record file is not checked: the entry's rows were made from this trace's bytes up
   * to its offset while the trace had this identity (device, inode, size, mtime), and it still has, so they are its
   * rows now, whatever became of its record file since (another project's process re-writing it for the same bytes,
   * `gc` copying contents into it, a removal after contents were found missing, a crash leaving it short: a record
   * differs from its entry only by how it stores the same events). The table's rows are read from checksummed frames
   * of the one table file the directory describes (inode, size, generation), so they are the entry's or not used. A
   * command that reads events (blame, timeline) checks every record file it reads, as before: one that is missing,
   * damaged or another than its entry's makes its trace read again, never read as something else.
   */
  unchanged(file: DiscoveredTrace): boolean {
    const light = this.table?.light(file.path);
    if (light === undefined || this.files === null || this.records.has(file.path)) return false;
    if (light.agent !== file.agent || light.dev !== file.dev || light.ino !== file.ino || light.size !== file.size || light.mtimeMs !== file.mtimeMs) return false;
    if (this.countsOnly) {
      this.trusted.add(file.path);
      return true;
    }
    const same = sameKey(this.files.recordFileKey(file.path, light.name) ?? undefined, light.key);
    if (same) this.sameRecordFile.add(file.path);
    return same;
  }

  /**
   * The key of the trace's record file as found unchanged in this process (a record loaded and not updated, a table
   * entry, or the table's directory checked against the file), "none" when it has no record on disk; null otherwise.
   */
  scopeKey(path: string): RecordKey | "none" | null {
    const held = this.records.get(path);
    if (held === null) return this.loadedNone.has(path) ? "none" : null;
    if (held !== undefined) return this.loaded.get(path) === held ? tableKey(held) : null;
    const key = this.tableKeys.get(path);
    if (key !== undefined) return key;
    const light = this.table?.light(path);
    if (light === undefined || this.files === null) return null;
    if (!this.sameRecordFile.has(path)) {
      if (!sameKey(this.files.recordFileKey(path, light.name) ?? undefined, light.key)) return null;
      this.sameRecordFile.add(path);
    }
    return light.key;
  }

  /** What the table's directory notes of the trace's head, with the identity it was noted for (undefined: nothing). */
  notedHead(path: string): CwdNote | undefined {
    return this.table?.light(path)?.note;
  }

  /** Where the table's entries made this run take their cwd notes from (the index's cwd cache). */
  noteHeads(noteOf: (path: string, meta: RecordMeta) => CwdNote | undefined): void {
    if (this.table !== null) this.table.noteOf = noteOf;
  }

  /** The offset the table's directory says the trace was read to (undefined when it does not know the trace). */
  offsetOf(path: string): number | undefined {
    return this.records.get(path)?.offset ?? this.table?.light(path)?.offset;
  }

  /**
   * The counts a filter-free `stats` kept for exactly this scope and these project roots, when every record this
   * process holds is the one the table holds (else null: the rows are counted again).
   */
  savedCounts(scope: readonly { path: string; live: boolean }[], roots: readonly string[]): SavedCounts | null {
    const held = this.table?.savedCounts();
    if (held === null || held === undefined || !this.consistent(held.entries)) return null;
    const { saved } = held;
    if (saved.roots.length !== roots.length || saved.roots.some((root, i) => root !== roots[i]) || saved.scope !== scopeHash(scope)) return null;
    return saved;
  }

  /** Keeps a filter-free `stats`'s counts of `blocks` (the scope's rows) with the table, when it holds those rows. */
  keepCounts(scope: readonly { path: string; live: boolean }[], roots: readonly string[], counts: PlainCounts, blocks: () => Iterable<RowBlock>): void {
    const table = this.table;
    const held = table?.directory();
    if (table === null || table === undefined || held === null || held === undefined || !this.consistent(held)) return;
    try {
      const { saved, sets } = savedFrom(counts, roots, scopeHash(scope));
      table.keepCounts(saved, sets, rowHashes(blocks()));
    } catch {
      // A cache: when it cannot be written, the next `stats` counts again.
    }
  }

  /** The records of a scope view, and the counts kept with the table (kept through `write`, the index's writer). */
  scopeSource(write: (action: () => void) => void): ScopeSource {
    return {
      record: (path) => this.record(path),
      known: (path) => this.known(path),
      fileKey: (path) => this.fileKey(path),
      scopeKey: (path) => this.scopeKey(path),
      savedCounts: (scope, roots) => this.savedCounts(scope, roots),
      keepCounts: (scope, roots, counts, blocks) => write(() => this.keepCounts(scope, roots, counts, blocks)),
    };
  }

  /** Whether every record held in memory is the one the table's entry (as `entries` lists it) was made from. */
  private consistent(entries: DirLookup): boolean {
    for (const [path, record] of this.records) {
      const light = entries.get(path);
      if (record === null ? light !== undefined : !sameKey(tableKey(record) ?? undefined, light?.key)) return false;
    }
    return true;
  }

  /** The trace's record with its events: as updated or loaded in this process, else loaded now. */
  record(path: string): TraceRecord | undefined {
    const known = this.records.get(path);
    if (known !== undefined) return known ?? undefined;
    const loaded = this.load(path);
    this.records.set(path, loaded);
    if (loaded !== null) this.loaded.set(path, loaded);
    else this.loadedNone.add(path);
    return loaded ?? undefined;
  }

  /**
   * The key of the record file the trace's record as held is exactly: that of its table entry or of the file it was
   * loaded from; null for a record updated in this process (written or not, its events are not a file's as keyed).
   */
  fileKey(path: string): RecordKey | null {
    const held = this.records.get(path);
    if (held === undefined) return this.tableKeys.get(path) ?? null;
    return held !== null && this.loaded.get(path) === held ? tableKey(held) : null;
  }

  /**
   * The trace's record as cheaply as it is known: as updated or loaded in this process, else from its event table
   * entry while its record file is unchanged (its events then load when first read), else loaded.
   */
  known(path: string): TraceRecord | undefined {
    const held = this.records.get(path);
    if (held !== undefined) return held ?? undefined;
    let light = this.fromTable.get(path);
    if (light === undefined) {
      light = null;
      const entry = this.table?.entry(path);
      if (entry !== undefined && this.files !== null && this.trusted.has(path)) {
        // Its rows and metadata are the unchanged trace's (see `unchanged`); its key is not known to be its file's.
        light = recordFromEntry(entry, () => this.load(path)?.events ?? []);
      } else if (entry !== undefined && this.files !== null && sameKey(this.files.recordFileKey(path, entry.name) ?? undefined, entry.key)) {
        light = recordFromEntry(entry, () => this.load(path)?.events ?? []);
        this.tableKeys.set(path, entry.key);
      }
      this.fromTable.set(path, light);
    }
    return light ?? this.record(path);
  }

  /** The record from the project view while its record file is unchanged, else from the record file. */
  private load(path: string): TraceRecord | null {
    let loaded: TraceRecord | null = null;
    const saved = this.view?.entry(path);
    if (saved !== undefined && this.files !== null) loaded = this.files.recordFromView(path, saved.key, saved.heads);
    if (loaded === null && this.files !== null) {
      const read = this.files.readRecord(path);
      if (read.kind === "ok") loaded = read.value;
      else if (read.kind === "corrupt") this.log.warn(corruptRecordNotice(path));
    }
    return loaded;
  }

  /**
   * Brings the view (not after a bulk read: encoding every head at its peak added ~20 MiB of RSS at 1 GB; the next
   * command that reads the view writes it) and the event table (rows are small: written after a bulk read too, so
   * the next command counts them without loading a record) up to date with the records held for `paths`.
   * At the flush (`atFlush`) of a bulk read by a counts-only index the table's directory is not written: the `stats`
   * that follows writes it once, with its counts (keepCounts), or the command's end does (saveChanged); a cold `stats`
   * wrote it twice. A process stopped before then leaves none, and the next command reads the table whole once.
   */
  save(scope: readonly { path: string; live: boolean }[], bulk: boolean, write: (action: () => void) => void, atFlush = false): void {
    const paths = scope.map(({ path }) => path);
    if (!bulk) write(() => this.view?.save(paths, (path) => this.records.get(path)));
    write(() => this.table?.save(scope, (path) => this.tableRecord(path), !(atFlush && bulk && this.countsOnly)));
    this.lastSave = { changes: this.records.changes, bulk, paths };
  }

  /**
   * `save`, unless it would write nothing: no record was read or updated since the last save, over the same scope,
   * and the table has no change of its own pending (an entry dropped as damaged). A `stats` saves at its flush, and
   * the command's end saves again for what its queries read: with nothing read, that second pass over every trace
   * (~0.5 ms at 1,000 traces) is skipped.
   */
  saveChanged(scope: readonly { path: string; live: boolean }[], bulk: boolean, write: (action: () => void) => void): void {
    const last = this.lastSave;
    const same = last !== null && last.changes === this.records.changes && last.bulk === bulk && last.paths.length === scope.length;
    if (same && !(this.table?.unsaved ?? false) && scope.every(({ path }, i) => last.paths[i] === path)) return;
    this.save(scope, bulk, write);
  }

  /** What the event table keeps of a path's record in memory (undefined: none changed or loaded this run). */
  private tableRecord(path: string): TableRecord | null | undefined {
    const record = this.records.get(path);
    if (record === undefined || record === null) return record;
    const key = tableKey(record);
    if (key === null || this.files === null) return null;
    // The record file's name, as IndexFiles names it (the sha1 of the trace's path).
    return { key, name: recordName(path), record, blocks: () => recordBlocks(record) };
  }
}
