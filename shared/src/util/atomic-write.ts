// The one atomic file writer of the codebase (annotate's rewrites, `init`, every file of the durable index): the
// new content goes to a temporary file in the same folder, is fsync'd, given the permissions of the file it
// replaces, and renamed over it; then the folder is fsync'd where the platform allows, so the rename itself survives
// a power loss. A reader, a concurrent writer or a crash therefore sees the old file or the new one, never a mix; on
// any failure the temporary file is removed and the target is untouched.

import { chmodSync, chownSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** Permissions for a file that does not exist yet (the process umask applies). Default 0o666. */
  mode?: number;
  /** Create missing parent folders (the index's folders); default false (annotate writes beside existing files). */
  createParents?: boolean;
  /**
   * fsync the data before the rename (default true). Off only for files whose loss or tearing is detected and
   * costs a re-read, never data (the index's parser states).
   */
  fsyncData?: boolean;
  /** fsync the folder after the rename (default true); a caller writing many files syncs each folder once instead. */
  fsyncFolder?: boolean;
  /** Owner to give the new file before the rename (annotate keeps a file's owner when run as root). */
  owner?: { uid: number; gid: number };
  /** Called after the data is flushed and just before the rename; throwing cancels the write (temp removed). */
  beforeRename?: () => void;
}

/** Suffix of every temp file this writer (and the index's pack writer) creates: stale ones are ours to remove. */
export const TEMP_SUFFIX = ".tmp";

/**
 * A random start per process (thread) for the temp names' 8 hex digits, which then count up. Math.random, not
 * crypto: the names need only differ from a dead writer's leftovers (a temp file is opened exclusively, never
 * followed), and loading node:crypto for these 4 bytes was ~1 ms of every command's start.
 */
let tempCounter = Math.floor(Math.random() * 0x1_0000_0000);

/**
 * The temp name for `path`: `.<name>.<pid>.<8 hex digits>.tmp` in the same folder. The writer's pid lets a later run
 * tell a crashed writer's leftovers (pid gone) from a live writer's file (see removeStaleTempFiles). The digits count
 * from a random start: a cold index names hundreds of temp files, and random bytes for each (with OpenSSL's getpid
 * check) were ~1% of its time.
 */
export function tempPathFor(path: string): string {
  tempCounter = (tempCounter + 1) >>> 0;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter.toString(16).padStart(8, "0")}${TEMP_SUFFIX}`);
}

/**
 * Writes `data` (a string as UTF-8, or chunks written one by one as they are produced, so a large file is never
 * whole in memory) to `path` atomically and durably, keeping the permission bits of an existing file.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<Uint8Array>, options: AtomicWriteOptions = {}): void {
  let existingMode: number | null = null;
  try {
    existingMode = statSync(path).mode & 0o7777;
  } catch {
    existingMode = null;
  }
  const temp = tempPathFor(path);
  let fd: number | null = null;
  try {
    try {
      fd = openSync(temp, "wx", options.mode ?? 0o666);
    } catch (error) {
      if (options.createParents !== true || (error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(temp, "wx", options.mode ?? 0o666);
    }
    const chunks = typeof data === "string" ? [Buffer.from(data, "utf8")] : data instanceof Uint8Array ? [data] : data;
    for (const bytes of chunks) {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    }
    if (options.fsyncData !== false) fsyncSync(fd);
    closeSync(fd);
    fd = null;
    // Set after creation so the umask does not strip bits the original file had.
    if (options.owner) chownSync(temp, options.owner.uid, options.owner.gid);
    if (existingMode !== null) chmodSync(temp, existingMode);
    options.beforeRename?.();
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
  if (options.fsyncFolder !== false) fsyncFolder(dirname(path));
}

/**
 * Flushes a folder's entries (a rename into it) to disk. Best effort: Windows cannot open folders, and some file
 * systems refuse fsync on them; the data itself was already flushed.
 */
export function fsyncFolder(dir: string): void {
  if (process.platform === "win32") return;
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Not supported here: the rename is still atomic, only its durability across a power loss is not promised.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
