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
      const bytes = Buffer.alloc(end - start);
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

/** The changes frame of one segment, parsed on first use. */
export class LazyChanges {
  private parsed: EditChange[] | null | undefined = undefined;
  private reported = false;

  constructor(
    private source: ChangesSource | null,
    private readonly count: number,
    private readonly onCorrupt: () => void,
  ) {}

  at(index: number, id: string): EditChange {
    if (this.parsed === undefined) {
      const source = this.source;
      const bytes = source === null || Buffer.isBuffer(source) ? source : source.file.frameAt(source.start, source.end, source.header);
      this.parsed = bytes === null ? null : parseChanges(bytes, this.count);
      if (this.parsed !== null || source === null || Buffer.isBuffer(source)) this.source = null;
    }
    if (this.parsed !== null) return this.parsed[index] ?? {};
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

function parseChanges(bytes: Buffer, count: number): EditChange[] | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  return Array.isArray(value) && value.length === count && value.every(isObj) ? (value as EditChange[]) : null;
}
