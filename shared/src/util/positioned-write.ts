// Writes at a file position that are not atomic rewrites (util/atomic-write.ts does those): every byte of a buffer at
// an offset (one writeSync may write less than asked), and an append to a file that is still the one its writer last
// saw (the index's record segments, their second copies and the project view's frames).

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, type Stats, writeSync } from "node:fs";

/** Writes all of `bytes` to `fd` at `position`. */
export function writeAllAt(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/**
 * Writes `bytes` at `at` of `file` (cutting what follows) when `expected` holds for the open file, flushed first when
 * `durable`; the file's stat after the write, or null when it is gone or not the file expected.
 */
export function appendWhere(file: string, expected: (info: Stats) => boolean, at: number, bytes: Uint8Array, durable: boolean): Stats | null {
  let fd: number;
  try {
    fd = openSync(file, "r+");
  } catch {
    return null;
  }
  try {
    const info = fstatSync(fd);
    if (!expected(info)) return null;
    if (info.size !== at) ftruncateSync(fd, at);
    writeAllAt(fd, bytes, at);
    if (durable) fsyncSync(fd);
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Appends `bytes` at the end of `file` when it exists and is not empty; false when it cannot (a cache's append). */
export function appendToEnd(file: string, bytes: Uint8Array): boolean {
  let fd: number;
  try {
    fd = openSync(file, "r+");
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    writeAllAt(fd, bytes, size);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
