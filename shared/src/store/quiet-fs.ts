// File operations of the index whose failure only means "not there": a file to supersede that was never written, a
// staged or second copy that is gone. The caller goes on as without the file.

import { readFileSync, unlinkSync } from "node:fs";

/** Removes `file` if it is there (one unlink: rmSync's `force` first stats the path). */
export function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Not there (or not ours to remove): nothing to supersede.
  }
}

/** The file's bytes, or null when it cannot be read. */
export function readQuietly(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}
