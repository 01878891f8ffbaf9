// Recursive listing of trace files under a folder: follows symlinked folders but never visits a real folder twice
// (so symlink cycles end), stats every file for the incremental index, and counts what cannot be listed or stat'ed
// instead of failing. A missing root is not an error: agents create their folders lazily.

import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { normalizePath } from "../util/paths";

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  compressed: boolean;
}

export interface WalkCounters {
  unreadable: number;
}

const MAX_DEPTH = 12;

function isTraceName(name: string, allowCompressed: boolean, extraSuffixes: readonly string[]): boolean {
  return name.endsWith(".jsonl") || (allowCompressed && name.endsWith(".jsonl.zst")) || extraSuffixes.some((s) => name.endsWith(s));
}

function errorCode(err: unknown): string {
  return err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : "";
}

/** All `.jsonl` (and, when allowed, `.jsonl.zst`, and names ending in one of `extraSuffixes`) files under `root`, sorted by path. */
export async function walkTraceFiles(
  root: string,
  allowCompressed: boolean,
  counters: WalkCounters,
  extraSuffixes: readonly string[] = [],
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const visited = new Set<string>();
  const visit = async (dir: string, depth: number, isRoot: boolean): Promise<void> => {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      if (!(isRoot && errorCode(err) === "ENOENT")) counters.unreadable++;
      return;
    }
    if (visited.has(real) || depth > MAX_DEPTH) return;
    visited.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (!(isRoot && errorCode(err) === "ENOENT")) counters.unreadable++;
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const candidateFile = isTraceName(entry.name, allowCompressed, extraSuffixes);
      if (!entry.isDirectory() && !entry.isSymbolicLink() && !(entry.isFile() && candidateFile)) continue;
      let info;
      try {
        info = await stat(full);
      } catch (err) {
        // A dangling symlink is not a trace; a trace file that vanished or cannot be stat'ed is counted.
        if (candidateFile || errorCode(err) !== "ENOENT" || !entry.isSymbolicLink()) counters.unreadable++;
        continue;
      }
      if (info.isDirectory()) {
        await visit(full, depth + 1, false);
      } else if (info.isFile() && candidateFile) {
        found.push({
          path: normalizePath(full),
          size: info.size,
          mtimeMs: info.mtimeMs,
          dev: info.dev,
          ino: info.ino,
          compressed: entry.name.endsWith(".zst"),
        });
      }
    }
  };
  await visit(root, 0, true);
  // Codex briefly keeps a plain rollout beside its compressed copy: read the plain one only.
  const plain = new Set(found.filter((f) => !f.compressed).map((f) => f.path));
  return found.filter((f) => !f.compressed || !plain.has(f.path.slice(0, -".zst".length)));
}
