// The discovery cwd cache as the index stores it (index/cwd-cache.json): per trace file its size, modification time
// and the working directory its head names, so discovery reads the heads only of traces that changed.

import type { CwdCache } from "../discovery/types";
import { INDEX_VERSION } from "./index-files";

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

export interface CwdCacheFile {
  v: number;
  entries: [path: string, size: number, mtimeMs: number, cwd: string | null][];
}

export function cwdCacheFromFile(file: CwdCacheFile): CwdCache {
  const cache: CwdCache = new Map();
  for (const entry of file.entries) {
    if (!Array.isArray(entry)) continue;
    const [path, size, mtimeMs, cwd] = entry;
    if (typeof path === "string" && isNum(size) && isNum(mtimeMs) && (typeof cwd === "string" || cwd === null)) {
      cache.set(path, { size, mtimeMs, cwd });
    }
  }
  return cache;
}

export function cwdCacheToFile(cache: CwdCache): CwdCacheFile {
  return { v: INDEX_VERSION, entries: [...cache].map(([path, e]) => [path, e.size, e.mtimeMs, e.cwd]) };
}
