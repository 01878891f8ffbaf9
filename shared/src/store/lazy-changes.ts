// The changes frames of a decoded record, parsed on first use. A record read from (or staged to) a file keeps no
// bytes: each changes frame is read back from its place in the file when a change is first needed and verified by
// its checksum, so an index holds its events' heads, not the corpus's changes. A file another process has
// rewritten since (compaction, a whole re-read) no longer has the frame there: the changes are then taken by event
// id from the file as it is now.

import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import type { EditChange, EditEvent } from "../events/edit-event";
import { readFrames } from "./frames";

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** A record file whose changes frames are read on demand. `path` moves when a staged file is renamed into place. */
export class RecordFile {
  private byId: Map<string, EditChange> | null = null;

  constructor(
    public path: string,
    /** The events of the record in `bytes` (the file as it is now), or null when they do not decode. */
    private readonly reread: (bytes: Buffer) => EditEvent[] | null,
  ) {}

  /**
   * The payload of the one verified frame at bytes [start, end) of the file whose header (length and checksum) is
   * `header`, or null when it is not there: a frame another write put at the same place has another checksum.
   */
  frameAt(start: number, end: number, header: string): Buffer | null {
    let fd: number | undefined;
    try {
      fd = openSync(this.path, "r");
      // Every byte is read over (or the frame is refused): no zero-filling.
      const bytes = Buffer.allocUnsafe(end - start);
      let got = 0;
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, start + got);
        if (n === 0) return null;
        got += n;
      }
      if (bytes.toString("latin1", 0, header.length + 1) !== `${header}\n`) return null;
      const read = readFrames(bytes);
      return read.end === "whole" && read.frames.length === 1 ? (read.frames[0] ?? null) : null;
    } catch {
      return null;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** The change of event `id` in the file as it is now (read and parsed once). */
  changeById(id: string): EditChange | undefined {
    if (this.byId === null) {
      this.byId = new Map();
      let bytes: Buffer | null = null;
      try {
        bytes = readFileSync(this.path);
      } catch {
        bytes = null;
      }
      for (const event of (bytes === null ? null : this.reread(bytes)) ?? []) {
        const change = event.change;
        if (Object.keys(change).length > 0) this.byId.set(event.id, change);
      }
    }
    return this.byId.get(id);
  }
}

/** A changes frame: its bytes, or its place in a record file. */
export type ChangesSource = Buffer | { file: RecordFile; start: number; end: number; header: string };

/**
 * The changes frame of one segment, parsed on first use. While only some of its events were decoded (a blame's file
 * among a trace's others), a parse keeps only their changes and the rest is garbage at once instead of living on the
 * heap; a change not kept (a whole decode came later) parses the frame again, keeping all.
 */
export class LazyChanges {
  private parsed: EditChange[] | Map<number, EditChange> | null | undefined = undefined;
  private reported = false;
  /** The indexes whose changes a parse keeps, or null: all. */
  private only: Set<number> | null;
  /** Where the frame is in its record file (kept after a parse drops `source`). */
  private readonly place: Exclude<ChangesSource, Buffer> | undefined;

  constructor(
    private source: ChangesSource | null,
    private readonly count: number,
    private readonly onCorrupt: () => void,
    /** Whether parses keep only the changes `use` was called for until `useAll` is (a deferred record's events). */
    partial = false,
  ) {
    this.only = partial ? new Set() : null;
    this.place = source === null || Buffer.isBuffer(source) ? undefined : source;
  }

  /**
   * What names the change at `index` as stored: the record file, the frame's place and its header (length and
   * checksum: a frame another write put at the same place has another one), and the index; undefined for a frame
   * held in memory.
   */
  tag(index: number): string | undefined {
    const place = this.place;
    return place === undefined ? undefined : `${place.file.path}\0${place.start}\0${place.header}\0${index}`;
  }

  /** A partial decode made the event at `index`. */
  use(index: number): void {
    this.only?.add(index);
  }

  /** Every event was decoded: parses keep all changes. */
  useAll(): void {
    this.only = null;
  }

  at(index: number, id: string): EditChange {
    if (this.parsed instanceof Map && !this.parsed.has(index)) this.parsed = undefined;
    if (this.parsed === undefined) {
      if (this.only !== null && !this.only.has(index)) this.only = null;
      const source = this.source;
      const bytes = source === null || Buffer.isBuffer(source) ? source : source.file.frameAt(source.start, source.end, source.header);
      this.parsed = bytes === null ? null : parseChanges(bytes, this.count, this.only);
      // The source stays while a parse kept only some changes (or could not read a moved frame: see changeById).
      if (!(this.parsed instanceof Map) && (this.parsed !== null || source === null || Buffer.isBuffer(source))) this.source = null;
    }
    const parsed = this.parsed;
    if (parsed instanceof Map) return parsed.get(index) ?? {};
    if (parsed !== null) return parsed[index] ?? {};
    const source = this.source;
    const change = source !== null && !Buffer.isBuffer(source) ? source.file.changeById(id) : undefined;
    if (change !== undefined) return change;
    if (!this.reported) {
      this.reported = true;
      this.onCorrupt();
    }
    return {};
  }
}

/**
 * The changes of a changes frame's payload (one JSON object per line, in event order: `count` lines), all of them or
 * only those at `only`: a blame of one file parses its events' lines, not the trace's whole frame. Null when the
 * payload is not `count` lines or a line parsed is not an object.
 */
export function parseChanges(bytes: Buffer, count: number, only: ReadonlySet<number> | null): EditChange[] | Map<number, EditChange> | null {
  // Line ends first (a native byte search per line), so no line is decoded unless its change is kept.
  const ends = new Array<number>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const newline = bytes.indexOf(10, at);
    const last = i + 1 === count;
    if (last !== (newline === -1)) return null;
    ends[i] = last ? bytes.length : newline;
    at = (ends[i] as number) + 1;
  }
  if (count === 0 && bytes.length !== 0) return null;
  const line = (i: number): EditChange | null => {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8", i === 0 ? 0 : (ends[i - 1] as number) + 1, ends[i]));
    } catch {
      return null;
    }
    return isObj(value) ? (value as EditChange) : null;
  };
  if (only === null) {
    const all: EditChange[] = [];
    for (let i = 0; i < count; i++) {
      const change = line(i);
      if (change === null) return null;
      all.push(change);
    }
    return all;
  }
  const kept = new Map<number, EditChange>();
  for (const i of only) {
    const change = i < count ? line(i) : {};
    if (change === null) return null;
    kept.set(i, change);
  }
  return kept;
}

/** A changes frame's payload: each change as one JSON line (JSON escapes every newline inside a string). */
export function encodeChanges(changes: readonly EditChange[]): string {
  return changes.map((change) => JSON.stringify(change)).join("\n");
}
