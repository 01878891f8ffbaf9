// @ts-check
// Recursive walk over a folder's files for the benchmark's own housekeeping (finding a trace to append to, removing
// the reference's caches). An unreadable folder is skipped: the bench data is ours, but a run may be interrupted.
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Calls `onFile(path, name)` for every file below `dir`. */
export function walkFiles(/** @type {string} */ dir, /** @type {(path: string, name: string) => void} */ onFile) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walkFiles(path, onFile);
    else onFile(path, entry.name);
  }
}
