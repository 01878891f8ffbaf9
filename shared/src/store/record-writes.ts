// The writes of a record file that are not one atomic rewrite: appending a segment after the verified ones (and to
// the second copy), and staging a record read whole in a temp file of its own, flushed and renamed into place at
// the index's flush.

import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, type Stats, writevSync } from "node:fs";
import { dirname } from "node:path";
import { tempPathFor } from "../util/atomic-write";
import { appendWhere, writeAllAt } from "../util/positioned-write";
import type { RecordFile, SegmentHead, StoredExtent } from "./record-codec";

/** A record written to a temp file (not flushed yet) whose changes are read from there until it is committed. */
export interface StagedRecord {
  temp: string;
  file: RecordFile;
  bytes: number;
  /** The temp file's inode and modification time as written (a rename keeps both). */
  ino: number;
  mtimeMs: number;
  /** Its segment's head as decoded when staged (for the project view). */
  heads?: SegmentHead[];
}

/**
 * Writes `chunks` to a temp file beside `final` (named as atomic-write names its temp files, so one a killed process
 * leaves is removed by a later run); `file` is then pointed at it.
 */
export function stageFile(final: string, chunks: Buffer[], file: RecordFile): StagedRecord {
  const temp = tempPathFor(final);
  let fd: number;
  try {
    fd = openSync(temp, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(final), { recursive: true });
    fd = openSync(temp, "wx");
  }
  let bytes = 0;
  let info: Stats;
  try {
    // One writev for every piece (a short write's rest is written piece by piece).
    const written = writevSync(fd, chunks, 0);
    for (const chunk of chunks) {
      if (bytes + chunk.length > written) writeAllAt(fd, chunk.subarray(Math.max(0, written - bytes)), Math.max(bytes, written));
      bytes += chunk.length;
    }
    // What the record's file key will be once renamed into place: no stat of it is needed then.
    info = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  file.path = temp;
  return { temp, file, bytes, ino: info.ino, mtimeMs: info.mtimeMs };
}

/**
 * Renames a staged record over `final` (its changes are then read from there), flushed first when `durable` (see
 * IndexFiles.writeRecord for when a record is worth an fsync).
 */
export function commitStaged(staged: StagedRecord, final: string, durable: boolean): void {
  if (durable) {
    const fd = openSync(staged.temp, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  renameSync(staged.temp, final);
  staged.file.path = final;
}

/**
 * Appends `segment` to the record file read or written as `stored`, replacing any torn bytes after its verified
 * segments; returns the file's stat after the write, or null when the file is not that one any more (gone, or rewritten or grown by
 * another process: the caller rewrites it whole). An append cut short leaves a torn segment that reads as absent.
 */
export function appendSegment(file: string, stored: StoredExtent, segment: Buffer, durable: boolean): Stats | null {
  return appendWhere(file, (info) => info.ino === stored.ino && info.size === stored.fileBytes, stored.bytes, segment, durable);
}

/** Appends `segment` to a record's second copy when it ends where the first did before; false when it does not. */
export function appendCopy(copy: string, endBefore: number, segment: Buffer): boolean {
  return appendWhere(copy, (info) => info.size === endBefore, endBefore, segment, true) !== null;
}
