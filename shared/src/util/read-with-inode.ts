// Reads a whole file together with the inode it was read from, through one descriptor: an index file replaced by
// another process's rename between a stat and a read would otherwise pair one file's bytes with the other's inode.

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
