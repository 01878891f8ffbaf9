// Reads a whole file together with the inode it was read from, through one descriptor: an index file replaced by
// another process's rename between a stat and a read would otherwise pair one file's bytes with the other's inode.
// Also the inode alone of a file just written (what a later append checks it is still writing onto).

import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";

/** The file's bytes and inode, or null when it cannot be opened or read (missing, unreadable). */
export function readWithInode(file: string): { bytes: Buffer; ino: number } | null {
  try {
    const fd = openSync(file, "r");
    try {
      return { ino: fstatSync(fd).ino, bytes: readFileSync(fd) };
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** The inode of `file` (through a descriptor, as readWithInode); throws when it cannot be opened. */
export function inodeOf(file: string): number {
  const fd = openSync(file, "r");
  try {
    return fstatSync(fd).ino;
  } finally {
    closeSync(fd);
  }
}
