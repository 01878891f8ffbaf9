// Atomic file writes: the new content goes to a temporary file in the same directory, is flushed, given the
// permissions of the file it replaces, and renamed over it. A reader (or a crash) therefore sees either the old file
// or the new one, never a half-written mix; on any failure the temporary file is removed and the target is untouched.

import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync, chmodSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

export interface AtomicWriteOptions {
  /** Permissions for a file that does not exist yet (the process umask applies). Default 0o666. */
  mode?: number;
}

/** Writes `data` (UTF-8) to `path` atomically, keeping the permission bits of an existing file. */
export function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): void {
  let existingMode: number | null = null;
  try {
    existingMode = statSync(path).mode & 0o7777;
  } catch {
    existingMode = null;
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, "wx", options.mode ?? 0o666);
    const bytes = Buffer.from(data, "utf8");
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    // Set after creation so the umask does not strip bits the original file had.
    if (existingMode !== null) chmodSync(temp, existingMode);
    renameSync(temp, path);
  } catch (error) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // Already closed or invalid: nothing more to release.
      }
    }
    try {
      unlinkSync(temp);
    } catch {
      // The temporary file was never created or is already gone.
    }
    throw error;
  }
}
