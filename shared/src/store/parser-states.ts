// The parser states an index resumes traces from: the last few kept in memory, so a watcher's next ingest of the
// same file skips a disk read, the others read back from the index files (see IndexFiles.readState). A trace read
// whole has its state written as the first frame of its record file (one file per trace, written at once with the
// record, instead of a state file of its own: a cold index created two files per trace and its inodes were ~5% of
// its time); a resumed one writes a state file, whose previous version is kept as `.prev`.

import { closeSync, openSync, readSync } from "node:fs";
import { crc32, encodeFrame } from "./frames";
import type { IndexFiles, StateFile } from "./index-files";
import { isStateFrame } from "./record-codec";

/** A parser state larger than this is not saved (the trace is then read whole when it grows). */
const MAX_STATE_CHARS = 64 * 1024 * 1024;

/**
 * A parser state already serialised as JSON (a parse worker sends its state so: a string crosses threads as one copy,
 * where the object would be cloned field by field and then serialised again here).
 */
export class SerializedState {
  constructor(readonly json: string) {}

  value(): unknown {
    return JSON.parse(this.json);
  }
}

/**
 * The state as one checksummed frame (its payload starts as isStateFrame expects). Throws (without an errno code)
 * for a state that cannot be serialised or is over MAX_STATE_CHARS.
 */
export function encodeStateFrame(file: StateFile): Buffer {
  const { state } = file;
  // The same text JSON.stringify gives for the whole object, the state's JSON spliced in as it is.
  const json =
    state instanceof SerializedState
      ? `${JSON.stringify({ v: file.v, kind: "state", path: file.path, offset: file.offset }).slice(0, -1)},"state":${state.json}}`
      : JSON.stringify({ v: file.v, kind: "state", path: file.path, offset: file.offset, state });
  if (json.length > MAX_STATE_CHARS) throw new Error(`its parser state of ${json.length} characters is over the limit`);
  return encodeFrame(json);
}

/** Longest frame header (as frames.ts writes them). */
const MAX_HEADER = 32;

/**
 * The state in the first frame of the record file `file` when it is a verified state frame of `trace` at `offset`,
 * reading only that frame; undefined otherwise (no such frame, another offset, torn, corrupt, unreadable).
 */
export function readStateFrame(file: string, trace: string, offset: number, version: number): { state: unknown } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const head = Buffer.alloc(MAX_HEADER);
    const got = readSync(fd, head, 0, MAX_HEADER, 0);
    const newline = head.subarray(0, got).indexOf(10);
    const match = newline === -1 ? null : /^#(\d{1,15}) ([0-9a-f]{1,8})$/.exec(head.toString("latin1", 0, newline));
    if (match === null) return undefined;
    const payload = Buffer.alloc(Number(match[1]));
    let read = 0;
    while (read < payload.length) {
      const n = readSync(fd, payload, read, payload.length - read, newline + 1 + read);
      if (n === 0) return undefined;
      read += n;
    }
    if (!isStateFrame(payload, version) || crc32(payload) !== Number.parseInt(match[2] ?? "", 16)) return undefined;
    const value = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
    return value["path"] === trace && value["offset"] === offset && "state" in value ? { state: value["state"] } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Parser states kept in memory after a parse. An update reading more traces than this (a cold index) keeps none
 * while states reach the disk: 32 Claude states are ~5 MB live for the whole run, which V8's heap sizing turned into
 * ~15 MB of peak RSS at 1 GB of traces.
 */
export const STATES_IN_MEMORY = 32;

export class ParserStates {
  private readonly recent = new Map<string, { offset: number; state: unknown }>();

  constructor(private readonly files: IndexFiles | null) {}

  /**
   * The state saved for `path` at `offset`, from memory or disk; `recordFile` is where the trace's record is while it
   * is staged (not yet renamed into place).
   */
  get(path: string, offset: number, recordFile?: string): { ok: true; state: unknown } | { ok: false } {
    const inMemory = this.recent.get(path);
    if (inMemory !== undefined && inMemory.offset === offset) {
      if (inMemory.state instanceof SerializedState) inMemory.state = inMemory.state.value();
      return { ok: true, state: inMemory.state };
    }
    if (this.files === null) return { ok: false };
    const read = this.files.readState(path, offset, recordFile);
    if (read.kind === "ok" && read.value.offset === offset) return { ok: true, state: read.value.state };
    return { ok: false };
  }

  remember(path: string, offset: number, state: unknown): void {
    this.recent.delete(path);
    this.recent.set(path, { offset, state });
    for (const key of this.recent.keys()) {
      if (this.recent.size <= STATES_IN_MEMORY) break;
      this.recent.delete(key);
    }
  }
}
