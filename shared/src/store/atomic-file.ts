// Atomic file replacement for the durable index: write a uniquely named temp file beside the target, then rename it
// over the target. Readers and concurrent writers therefore only ever see a whole old file or a whole new file
// (last writer wins); a crash leaves at most a stray temp file, never a torn index file.

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;

/** Writes `data` to `path` atomically, creating parent folders. Throws on I/O errors (the caller decides). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  counter += 1;
  const temp = `${path}.${process.pid}.${counter}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    writeFileSync(temp, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, data);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
