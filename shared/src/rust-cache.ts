// Leftovers of the Rust ai-blame (0.5.x and earlier): its DuckDB cache `.ai-blame.ddb` (and DuckDB's `.wal` beside
// it), which it kept in every trace folder it scanned and which `--rebuild-cache` looked for in the current folder.
// This implementation neither reads nor needs them. They are found for a project, and told about once per project:
// the projects already told are remembered in the data folder. They are never removed here — some lie in the agents'
// own folders, which ai-blame only ever reads — the user is told how to remove them.

import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { WatchRoot } from "./engine-api";
import { writeFileAtomic } from "./util/atomic-write";

export const RUST_CACHE_FILE = ".ai-blame.ddb";

/** The notice file in the data folder: the project folders already told about their leftover caches. */
const NOTICE_FILE = "rust-cache-notices.json";

/** Folders the Rust tool may have left a cache in for this project: the project, its trace folders, `~/.codex`. */
function candidateFolders(projectDir: string, roots: readonly WatchRoot[]): string[] {
  const folders = new Set<string>([projectDir]);
  for (const root of roots) {
    if (!root.exists) continue;
    folders.add(root.path);
    // It scanned `~/.codex` itself as well as `~/.codex/sessions`.
    if (root.agent === "codex-cli") folders.add(dirname(root.path));
  }
  return [...folders];
}

/** Existing leftover cache files (the database and its write-ahead log) for a project, sorted. */
export function findRustCaches(projectDir: string, roots: readonly WatchRoot[]): string[] {
  const found: string[] = [];
  for (const folder of candidateFolders(projectDir, roots)) {
    for (const name of [RUST_CACHE_FILE, `${RUST_CACHE_FILE}.wal`]) {
      const path = join(folder, name);
      try {
        if (statSync(path).isFile()) found.push(path);
      } catch {
        // Absent or unreadable: nothing to tell.
      }
    }
  }
  return found.sort();
}

function readNoticed(file: string): Set<string> {
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (Array.isArray(value)) return new Set(value.filter((v): v is string => typeof v === "string"));
  } catch {
    // Missing or damaged: nobody was told yet, which only means telling again.
  }
  return new Set();
}

/**
 * The leftover caches to tell the user about now: those found for `projectDir`, unless this project was told before
 * (remembered in `dataDir`). Without a data folder (`--no-cache`) nothing can be remembered, so nothing is told.
 */
export function rustCachesToMention(projectDir: string, roots: readonly WatchRoot[], dataDir: string | null): string[] {
  if (dataDir === null) return [];
  const found = findRustCaches(projectDir, roots);
  if (found.length === 0) return [];
  const file = join(dataDir, NOTICE_FILE);
  const noticed = readNoticed(file);
  if (noticed.has(projectDir)) return [];
  noticed.add(projectDir);
  try {
    if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });
    writeFileAtomic(file, `${JSON.stringify([...noticed].sort(), null, 1)}\n`);
  } catch {
    // Cannot remember it: telling again next time is better than never telling.
  }
  return found;
}
