// The on-disk layout of the durable index and its versioned, checksummed, validated files. Every file is made of
// checksummed frames (frames.ts) and carries the format version; a file of another version, or one that is torn,
// fails its checksum, or fails to parse or validate reads as absent (its trace is re-read) and is counted for one
// notice. Writes go through writeFileAtomic (temp file, rename; fsync only where the index keeps what no trace can give
// back: see writeRecord), so a reader never sees a torn file.

import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import type { Log } from "../util/log";
import { fsyncFolder, writeFileAtomic } from "../util/atomic-write";
import { encodeFrame, readFrames } from "./frames";
import { recordName, sha1 } from "./record-names";
import { encodeStateFrame, readStateFrame } from "./parser-states";
import { encodeStaged } from "./record-stage";
import { readQuietly, unlinkQuietly } from "./quiet-fs";
import { removeStaleTempFilesSince } from "./stale-temp";
import { decodeRecord, encodeRecord, encodeSegment, recordFile, recordFromHeads, type SegmentHead, segmentHeads, type TraceRecord } from "./record-codec";
import type { RecordKey } from "./project-view";
import { appendCopy, appendSegment, commitStaged, type StagedRecord, stageFile } from "./record-writes";
import { eventCount, eventsFrom, stagedRecord } from "./table-records";
import type { EditEvent } from "../events/edit-event";

export type { TraceRecord } from "./record-codec";

/** Bump when the meaning or shape of any stored file changes: older files are then discarded and re-read.
 * 2: events carry line fingerprints (EditChange.beforeFp/afterFp). 3: every file is checksummed frames (packs: per payload, index).
 * 4: a record is one or more segments (a resumed parse appends one); the previous parser state is kept.
 * 5: a change's before/after may be a reference into its trace (store/content-ref.ts), an Edit's after left to replay.
 * 6: a record's changes frame holds one change per line (a JSON array before), so a blame parses only its lines; a
 *    record file written by a whole read starts with the trace's parser state (parser-states.ts).
 * 7: the Claude parser's state keeps its uuid chain's [prompt, model] pairs once (agents/claude/state.ts). */
export const INDEX_VERSION = 7;

/**
 * Segments a record file may reach by appends (each costs a parse on load) before the appended ones are merged into
 * one after the first, or, when they outgrew half of the first, the record is rewritten as one.
 */
export const MAX_SEGMENTS = 16;

/** The parser state to resume a trace from `offset`; kept apart from the record so warm loads never read it. */
export interface StateFile {
  v: number;
  path: string;
  offset: number;
  state: unknown;
}

/** The trace paths a project's discovery has ever returned (its events outlive their trace files). */
export interface ProjectFile {
  v: number;
  projectKey: string;
  traces: string[];
}

export type ReadResult<T> = { kind: "ok"; value: T } | { kind: "missing" } | { kind: "corrupt" } | { kind: "old-version" };

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** A record file read: when ok, `whole` is false if bytes after its verified segments are torn or corrupt. */
type RecordRead = { kind: "ok"; value: TraceRecord; whole: boolean } | Exclude<ReadResult<never>, { kind: "ok" }>;

export class IndexFiles {
  /** Files found corrupt / of another version since the last `takeNotices`. */
  private corrupt = 0;
  private oldVersion = 0;
  private unreadable = 0;

  /** The record files' folder and a separator (recordFileKey is asked per trace of a warm command). */
  private readonly tracesPrefix: string;

  /**
   * No index folder when this was made, and its first flush not ended (syncFolders): no record, state or second copy is
   * here but those this process writes, so a first index looks none up (a failed open, access and stat per trace: ~3
   * ms of a 200 MB cold `stats`). A process writing records meanwhile races as two that both found none before either
   * wrote do: the last rename wins, each from a whole read.
   */
  private fresh: boolean;

  constructor(
    readonly root: string,
    private readonly log: Log,
  ) {
    this.tracesPrefix = join(root, "traces") + sep;
    this.fresh = !existsSync(root);
  }

  get contentsDir(): string {
    return join(this.root, "contents");
  }

  private projectPath(key: string): string {
    return join(this.root, "projects", `${sha1(key)}.json`);
  }
  private recordPath(trace: string): string {
    return join(this.root, "traces", `${recordName(trace)}.json`);
  }
  private statePath(trace: string): string {
    return join(this.root, "states", `${recordName(trace)}.json`);
  }
  /** The saved view of a project (project-view.ts). */
  viewPath(key: string): string {
    return join(this.root, "views", `${sha1(key)}.json`);
  }
  /** Inode, size and mtime of a trace's record file (`name`: its sha1, when known), or null when it has none. */
  recordFileKey(trace: string, name = recordName(trace)): RecordKey | null {
    try {
      const info = statSync(`${this.tracesPrefix}${name}.json`);
      return [info.ino, info.size, info.mtimeMs];
    } catch {
      return null;
    }
  }

  /** The file's bytes, or the read result to return when there are none. */
  private bytes(file: string): Buffer | ReadResult<never> {
    try {
      return readFileSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
      this.unreadable += 1;
      return { kind: "corrupt" };
    }
  }

  private read<T>(file: string, valid: (x: Record<string, unknown>) => boolean): ReadResult<T> {
    const bytes = this.bytes(file);
    if (!Buffer.isBuffer(bytes)) return bytes;
    // Files of versions before 3 are one unframed JSON value: parsed only to recognise their version.
    const framed = bytes[0] === 0x7b ? null : readFrames(bytes);
    const payload = framed === null ? bytes : framed.end === "whole" && framed.frames.length === 1 ? framed.frames[0] : undefined;
    let value: unknown;
    try {
      if (payload === undefined) throw new Error("torn or corrupt frame");
      value = JSON.parse(payload.toString("utf8"));
      if (framed === null && isObj(value) && value["v"] === INDEX_VERSION) throw new Error("unframed file of this version");
    } catch {
      this.corrupt += 1;
      return { kind: "corrupt" };
    }
    if (isObj(value) && value["v"] !== INDEX_VERSION && isNum(value["v"])) {
      this.oldVersion += 1;
      return { kind: "old-version" };
    }
    if (!isObj(value) || !valid(value)) {
      this.corrupt += 1;
      return { kind: "corrupt" };
    }
    return { kind: "ok", value: value as T };
  }

  /**
   * The project's trace list, from its second copy when the first is torn or corrupt: once a trace in it is gone, the
   * list is the only thing keeping that trace's edits in the project's scope, so it is written twice (writeProject).
   */
  readProject(key: string): ReadResult<ProjectFile> {
    const valid = (x: Record<string, unknown>): boolean =>
      x["projectKey"] === key && Array.isArray(x["traces"]) && x["traces"].every((t) => typeof t === "string");
    const first = this.read<ProjectFile>(this.projectPath(key), valid);
    if (first.kind !== "corrupt") return first;
    const second = this.read<ProjectFile>(`${this.projectPath(key)}.copy`, valid);
    if (second.kind === "ok") this.repair(this.projectPath(key), encodeFrame(JSON.stringify(second.value)));
    return second.kind === "ok" ? second : first;
  }
  /**
   * Writes the project's trace list twice; fsync'd when `durable`: when it names a trace whose edits are only in the
   * index (gone or shrunk). Any other list is what discovery finds again if a power cut loses or tears both copies.
   */
  writeProject(file: ProjectFile, durable: boolean): void {
    const bytes = encodeFrame(JSON.stringify(file));
    this.write(this.projectPath(file.projectKey), bytes, durable);
    this.write(`${this.projectPath(file.projectKey)}.copy`, bytes, durable);
  }

  /**
   * A trace's record. Its first copy is used unless it is corrupt or its last append was interrupted (then the
   * verified segments before it serve, and the next append replaces the torn bytes) and a second copy holds more.
   */
  readRecord(trace: string): ReadResult<TraceRecord> {
    if (this.fresh) return { kind: "missing" };
    const file = this.recordPath(trace);
    const first = this.decodeRecordFile(file, trace);
    if (first.kind === "ok" && first.whole) return { kind: "ok", value: first.value };
    if (first.kind === "missing" || first.kind === "old-version") return first;
    // A deleted trace's record is the only copy of its edits: it has a second one (see keepRecordCopy).
    const second = this.decodeRecordFile(`${file}.copy`, trace, false);
    if (second.kind === "ok" && (first.kind !== "ok" || second.value.events.length > first.value.events.length)) {
      const bytes = readQuietly(`${file}.copy`);
      if (bytes !== null) this.repair(file, bytes.subarray(0, second.value.stored?.bytes ?? bytes.length));
      // The extent read is the copy's: the next write of this record rewrites it whole.
      delete second.value.stored;
      return { kind: "ok", value: second.value };
    }
    if (first.kind !== "ok") return first;
    this.log.debug(`index: the record of ${trace} ends in an interrupted append; its verified part is kept`);
    return { kind: "ok", value: first.value };
  }

  /** Rewrites a damaged first copy from the good second one, so one more flipped bit cannot lose both. */
  private repair(file: string, bytes: Buffer): void {
    try {
      this.write(file, bytes);
    } catch {
      // A read-only index: the second copy still serves.
    }
  }

  private decodeRecordFile(file: string, trace: string, count = true): RecordRead {
    let fd: number;
    try {
      fd = openSync(file, "r");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR" || !count) return { kind: "missing" };
      this.unreadable += 1;
      return { kind: "corrupt" };
    }
    let bytes: Buffer;
    let ino: number;
    let mtimeMs: number;
    try {
      ({ ino, mtimeMs } = fstatSync(fd));
      bytes = readFileSync(fd);
    } catch {
      if (count) this.unreadable += 1;
      return { kind: "corrupt" };
    } finally {
      closeSync(fd);
    }
    const decoded = decodeRecord(bytes, trace, INDEX_VERSION, this.changesCorruptOf(trace), recordFile(file, trace, INDEX_VERSION));
    if (decoded.kind === "ok") {
      decoded.record.stored = { ino, fileBytes: bytes.length, mtimeMs, ...decoded.extent };
      return { kind: "ok", value: decoded.record, whole: decoded.whole };
    }
    if (!count) return { kind: decoded.kind };
    if (decoded.kind === "old-version") this.oldVersion += 1;
    else this.corrupt += 1;
    return { kind: decoded.kind };
  }

  /**
   * A trace's record from a project view's entry, when its record file is still the one the entry was read from or
   * written as (same inode, size and mtime); null otherwise (the record is then read from its file).
   */
  recordFromView(trace: string, key: RecordKey, heads: SegmentHead[]): TraceRecord | null {
    const file = this.recordPath(trace);
    let info;
    try {
      info = statSync(file);
    } catch {
      return null;
    }
    if (info.ino !== key[0] || info.size !== key[1] || info.mtimeMs !== key[2]) return null;
    const record = recordFromHeads(heads, trace, INDEX_VERSION, this.changesCorruptOf(trace), recordFile(file, trace, INDEX_VERSION));
    if (record?.stored === undefined) return null;
    record.stored = { ...record.stored, ino: key[0], fileBytes: key[1], mtimeMs: key[2] };
    return record;
  }

  private changesCorruptOf(trace: string): () => void {
    return () => this.log.warn(`index: the stored changes of ${trace} are corrupt; blame of its edits may be incomplete until the index is rebuilt`);
  }

  /**
   * A record read whole, written now to a temp file of its own (not flushed) and read back with its changes left
   * there: a cold index holds its records' heads, not their changes, until the flush renames them into place.
   * `state` (encodeStateFrame) is written first in the same file; the trace's state files, which a state written
   * there supersedes, are removed (a first index has none to remove: see `fresh`; elsewhere, without a states folder, one
   * stat finds there are none).
   */
  stageRecord(record: TraceRecord, state: Buffer | null, keepHeads = true): { record: TraceRecord; staged: StagedRecord } {
    const trace = record.path;
    if (state !== null && !this.fresh && existsSync(join(this.root, "states"))) for (const path of [this.statePath(trace), `${this.statePath(trace)}.prev`]) unlinkQuietly(path);
    const file = recordFile("", trace, INDEX_VERSION);
    const onCorrupt = this.changesCorruptOf(trace);
    const encoded = encodeStaged(record, state?.length ?? 0);
    const staged = stageFile(this.recordPath(trace), state === null ? encoded.pieces : [state, ...encoded.pieces], file);
    if (keepHeads) staged.heads = encoded.extent.heads;
    // Held as rows, events decoded from the file when read; `reread` must not capture `record` (its parsed changes).
    const reread = (): EditEvent[] => {
      const bytes = readQuietly(staged.file.path);
      const decoded = bytes !== null ? decodeRecord(bytes, trace, INDEX_VERSION, onCorrupt, staged.file) : null;
      return decoded?.kind === "ok" ? decoded.record.events : [];
    };
    return { record: stagedRecord({ ...encoded.meta, events: [] }, encoded.extent.heads ?? [], reread), staged };
  }

  /** Removes a staged record that was replaced before it was written; its changes are read from the record file. */
  dropStaged(staged: StagedRecord, trace: string): void {
    rmSync(staged.temp, { force: true });
    staged.file.path = this.recordPath(trace);
  }

  /**
   * Writes a trace's record: a record read from (or written to) this index and grown by a resumed parse gets its new
   * events appended as a segment, O(new events) instead of O(record) (see MAX_SEGMENTS for merging); any other one
   * is rewritten whole (atomically; a `staged` one is flushed and renamed into place). `withCopy` (or a copy made
   * before) keeps its second copy in step: a record that holds edits its trace no longer yields is their only copy
   * (see keepRecordCopy).
   * Only such a record is fsync'd: any other one holds what its trace, still on disk, yields again, and one lost or
   * torn by a power cut fails its checksum and its trace is re-read. A cold index wrote ~75 files with an fsync each
   * (measured ~220 ms of a 200 MB cold `stats` under load), for nothing a re-read cannot give back.
   */
  writeRecord(record: TraceRecord, withCopy = false, staged?: StagedRecord): void {
    const file = this.recordPath(record.path);
    const copy = `${file}.copy`;
    const keepCopy = withCopy || (!this.fresh && existsSync(copy));
    const stored = record.stored;
    const count = eventCount(record);
    if (stored !== undefined && stored.events <= count) {
      // At MAX_SEGMENTS the appended segments are merged into one after the first (O(bytes appended since it was
      // written)); once they would outgrow half of it, the record is rewritten whole instead.
      const merge = stored.segments >= MAX_SEGMENTS;
      if (!merge || (stored.segments > 1 && 2 * (stored.bytes - stored.base.bytes) < stored.base.bytes)) {
        const from = merge ? stored.base : { bytes: stored.bytes, events: stored.events };
        const segment = encodeSegment(record, from.events, eventsFrom(record, from.events));
        const info = appendSegment(file, { ...stored, bytes: from.bytes }, segment, keepCopy);
        if (info !== null) {
          const bytes = from.bytes + segment.length;
          const segments = (merge ? 1 : stored.segments) + 1;
          const kept = stored.heads === undefined ? undefined : merge ? stored.heads.slice(0, 1) : stored.heads;
          const added = segmentHeads(segment, record.path, INDEX_VERSION, from.bytes);
          const heads = kept?.concat(added);
          const prev = stored.mtimeMs === undefined ? undefined : { prev: [stored.ino, stored.fileBytes, stored.mtimeMs] as [number, number, number], from: segments - 1, heads: added };
          const { ino, mtimeMs } = info;
          const view = heads !== undefined ? { heads } : prev === undefined ? {} : { grown: prev };
          record.stored = { ino, fileBytes: bytes, bytes, segments, events: count, base: stored.base, mtimeMs, ...view };
          if (keepCopy && !appendCopy(copy, from.bytes, segment)) this.write(copy, readFileSync(file));
          return;
        }
      }
    }
    let length: number;
    let heads: SegmentHead[] | undefined;
    if (staged === undefined) {
      const bytes = encodeRecord(record);
      this.write(file, bytes, keepCopy);
      if (keepCopy) this.write(copy, bytes);
      length = bytes.length;
      heads = segmentHeads(bytes, record.path, INDEX_VERSION, 0);
    } else {
      commitStaged(staged, file, keepCopy);
      if (keepCopy) this.unsynced.add(dirname(file));
      if (keepCopy) this.write(copy, readFileSync(file));
      length = staged.bytes;
      heads = staged.heads;
    }
    const events = count;
    // A staged file is known as written; another is stat'ed. Heads only when the file is still the one written (a view
    // entry must describe the file its key names).
    const info = staged === undefined ? statSync(file) : { size: staged.bytes, ino: staged.ino, mtimeMs: staged.mtimeMs };
    const kept = info.size === length ? { mtimeMs: info.mtimeMs, ...(heads?.length === 1 ? { heads } : {}) } : {};
    record.stored = { ino: info.ino, fileBytes: length, bytes: length, segments: 1, events, base: { bytes: length, events }, ...kept };
  }

  /** Gives a gone trace's record a second copy, once (a flipped bit in the only one would lose its edits); true if made now. */
  keepRecordCopy(trace: string): boolean {
    const copy = `${this.recordPath(trace)}.copy`;
    if (existsSync(copy)) return false;
    const bytes = readQuietly(this.recordPath(trace));
    if (bytes === null) return false;
    const decoded = decodeRecord(bytes, trace, INDEX_VERSION, () => undefined);
    if (decoded.kind === "ok") this.write(copy, bytes.subarray(0, decoded.extent.bytes));
    return decoded.kind === "ok";
  }

  /** Removes temp files that crashed or killed writers left in the index's folders (those changed since a clean scan); returns how many. */
  removeStaleTempFiles(): number {
    if (this.fresh) return 0;
    const dirs = ["", "projects", "traces", "states", "contents", "contents/replays", "views"].map((sub) => join(this.root, sub));
    return removeStaleTempFilesSince(dirs, join(this.root, "temp-clean"));
  }

  /** Forgets a trace's record and state (its trace is then read whole, as new). */
  removeRecord(trace: string): void {
    rmSync(this.recordPath(trace), { force: true });
    rmSync(`${this.recordPath(trace)}.copy`, { force: true });
    rmSync(this.statePath(trace), { force: true });
    rmSync(`${this.statePath(trace)}.prev`, { force: true });
  }

  /**
   * The parser state saved at `offset`: the last one a resumed parse wrote, or the one before it (kept for a record
   * whose last append did not complete, or a process that stopped between writing a state and its record), or the
   * one a whole read wrote first in the record file (`recordFile` while the record is staged).
   */
  readState(trace: string, offset: number, recordFile = this.recordPath(trace)): ReadResult<StateFile> {
    const valid = (x: Record<string, unknown>): boolean => x["path"] === trace && isNum(x["offset"]) && "state" in x;
    const last = this.read<StateFile>(this.statePath(trace), valid);
    if (last.kind === "ok" && last.value.offset === offset) return last;
    const before = this.read<StateFile>(`${this.statePath(trace)}.prev`, valid);
    if (before.kind === "ok" && before.value.offset === offset) return before;
    const inRecord = readStateFrame(recordFile, trace, offset, INDEX_VERSION);
    if (inRecord !== undefined) return { kind: "ok", value: { v: INDEX_VERSION, path: trace, offset, state: inRecord.state } };
    return last;
  }
  /** A resumed parse's state. Throws (without an errno code) for a state that cannot be serialised or is too large. */
  writeState(file: StateFile): void {
    const frame = encodeStateFrame(file);
    // A lost or torn state costs a whole re-read of its trace, never data: not worth an fsync per trace.
    const path = this.statePath(file.path);
    try {
      renameSync(path, `${path}.prev`);
    } catch {
      // No state yet.
    }
    this.write(path, frame, false);
  }

  /** Folders renamed into since the last `syncFolders`. */
  private readonly unsynced = new Set<string>();

  private write(file: string, bytes: Buffer, durable = true): void {
    writeFileAtomic(file, bytes, { createParents: true, fsyncData: durable, fsyncFolder: false });
    if (durable) this.unsynced.add(dirname(file));
  }

  /**
   * Makes the renames of durable writes survive a power loss: one fsync per folder instead of one per file. The end of
   * every flush: from the first on, records are looked up on disk (other processes may have written some).
   */
  syncFolders(): void {
    for (const dir of this.unsynced) fsyncFolder(dir);
    this.unsynced.clear();
    this.fresh = false;
  }

  /** One line per kind of problem seen since the last call, for the log (then the counts restart). */
  takeNotices(): string[] {
    const notices: string[] = [];
    if (this.oldVersion > 0) {
      notices.push(`index: ${this.oldVersion} file(s) in ${this.root} have another format version (this build reads v${INDEX_VERSION}); discarded, their traces are re-read`);
    }
    if (this.corrupt > 0) {
      notices.push(`index: ${this.corrupt} corrupt file(s) in ${this.root} discarded; their traces are re-read`);
    }
    if (this.unreadable > 0) {
      notices.push(`index: ${this.unreadable} file(s) in ${this.root} cannot be read (permissions?); their traces are re-read`);
    }
    this.corrupt = 0;
    this.oldVersion = 0;
    this.unreadable = 0;
    return notices;
  }
}
