// A cache file written whole (atomically) and then grown by appended checksummed frames, as the cwd cache and the
// event table's directory are: an append costs what changed, not a rewrite of every entry. An append goes only onto
// the file as this process last read or wrote it (same inode and length, so another writer's file is never extended),
// and only while the appended frames stay within a count and within twice the whole part plus 64 KiB; past that, or
// when the file is not the one expected, the owner writes it whole again.

import type { Stats } from "node:fs";
import { appendWhere } from "../util/positioned-write";
import { inodeOf } from "../util/read-with-inode";

/** Bytes of appended frames allowed beyond twice the whole part. */
const SLACK_BYTES = 64 * 1024;

interface Extent {
  ino: number;
  bytes: number;
  /** Frames appended after the whole part. */
  appended: number;
  /** Length of the part written whole. */
  wholeBytes: number;
}

export class GrowingFile {
  /** The file as read or last written; null: the next save writes it whole. */
  private extent: Extent | null = null;

  /** `maxAppended`: frames appended before the file is written whole again. */
  constructor(
    readonly path: string,
    private readonly maxAppended: number,
  ) {}

  /** Notes the file as read whole and intact: its inode, length, frames appended and the length of its whole part. */
  wasRead(ino: number, bytes: number, appended: number, wholeBytes: number): void {
    this.extent = { ino, bytes, appended, wholeBytes };
  }

  /** Notes a whole write of `bytes` bytes just made. */
  wroteWhole(bytes: number): void {
    try {
      this.extent = { ino: inodeOf(this.path), bytes, appended: 0, wholeBytes: bytes };
    } catch {
      this.extent = null;
    }
  }

  /** Whether a frame may still be appended (checked before one is built). */
  canAppend(): boolean {
    return this.extent !== null && this.extent.appended < this.maxAppended;
  }

  /** Appends `frame`; false when it may not (past a bound, or the file is not the one last read or written). */
  append(frame: Uint8Array): boolean {
    const held = this.extent;
    if (held === null || held.appended >= this.maxAppended || held.bytes + frame.length > 2 * held.wholeBytes + SLACK_BYTES) return false;
    const sameFile = (info: Stats): boolean => info.ino === held.ino && info.size === held.bytes;
    if (appendWhere(this.path, sameFile, held.bytes, frame, false) === null) return false;
    this.extent = { ...held, bytes: held.bytes + frame.length, appended: held.appended + 1 };
    return true;
  }
}
