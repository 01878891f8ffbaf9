// Keeps the kept replays' folder (replay-cache.ts) bounded: one file per blamed path would otherwise grow without
// end (deleted and renamed files included; `report`, `annotate` and `stats --lines` keep one per file they blame).
// Run after each write of replays: drops the replays of files no longer on disk and of other layouts, then the least
// recently used (a replay read is touched) past a count and a total size. The projects' session-id files beside them
// (`.ids`, one per project blamed) are pruned the same way after each write of one: those of project folders gone
// from disk or of other layouts, then the least recently used past a count. Everything here is a cache: a replay
// dropped is replayed again by the next blame of its file, a project's session ids are listed again.

import { closeSync, existsSync, openSync, readdirSync, readSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** Replays kept at most, and their bytes at most (a 10,000-line file's replay is ~1 MB). */
export const MAX_REPLAYS = 1000;
export const MAX_REPLAY_BYTES = 64 * 1024 * 1024;
/** Projects' session-id files kept at most (each names its project's sessions: a few KB to a few hundred). */
export const MAX_SESSION_ID_FILES = 200;
/** The name ending of a project's session-id file. */
export const IDS_EXT = ".ids";
/** Bytes of a kept file's head read for the path it names (`#<length> <crc>\n{"v":2,"file":"…"`). */
const HEAD_BYTES = 4096;
const FILE_FIELD = /^#\d+ [0-9a-f]+\n\{"v":\d+,"file":("(?:[^"\\]|\\.)*")/;
const PROJECT_FIELD = /^#\d+ [0-9a-f]+\n\{"v":\d+,"project":("(?:[^"\\]|\\.)*")/;

interface Kept {
  path: string;
  bytes: number;
  usedMs: number;
}

/**
 * Prunes the replays in `dir`: `written` (just written) are kept whatever their size; `limits` are for tests.
 * Failures are ignored (another process may be pruning too; a file not removed is removed next time).
 */
export function pruneReplays(dir: string, written: ReadonlySet<string>, limits = { files: MAX_REPLAYS, bytes: MAX_REPLAY_BYTES }): void {
  pruneKept(dir, { ext: ".json", field: FILE_FIELD }, written, limits);
}

/**
 * Prunes the projects' session-id files in `dir` after `written` was written (kept whatever happens): those whose
 * project folder is gone or whose head is not one this build writes, then the least recently used past `limit`.
 */
export function pruneSessionIds(dir: string, written: string, limit = MAX_SESSION_ID_FILES): void {
  pruneKept(dir, { ext: IDS_EXT, field: PROJECT_FIELD }, new Set([written]), { files: limit, bytes: Number.POSITIVE_INFINITY });
}

/**
 * Drops the files of `kind` in `dir` (but `written`) whose head names no path on disk, then the least recently used
 * past the limits; `written` count towards the limits but are never dropped.
 */
function pruneKept(dir: string, kind: { ext: string; field: RegExp }, written: ReadonlySet<string>, limits: { files: number; bytes: number }): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const kept: Kept[] = [];
  for (const name of names) {
    if (!name.endsWith(kind.ext)) continue;
    const path = join(dir, name);
    let info;
    try {
      info = statSync(path);
    } catch {
      continue;
    }
    if (!written.has(path)) {
      const named = namedPath(path, kind.field);
      // Another layout (an older build's) or a file or project gone from disk: nothing will read it again.
      if (named === null || !existsSync(named)) {
        remove(path);
        continue;
      }
    }
    kept.push({ path, bytes: info.size, usedMs: written.has(path) ? Number.POSITIVE_INFINITY : info.mtimeMs });
  }
  if (kept.length <= limits.files && kept.reduce((sum, k) => sum + k.bytes, 0) <= limits.bytes) return;
  kept.sort((a, b) => b.usedMs - a.usedMs);
  let files = 0;
  let bytes = 0;
  for (const k of kept) {
    files += 1;
    bytes += k.bytes;
    if (k.usedMs !== Number.POSITIVE_INFINITY && (files > limits.files || bytes > limits.bytes)) {
      remove(k.path);
      files -= 1;
      bytes -= k.bytes;
    }
  }
}

/**
 * The path a kept file names first in its head (`pattern` captures it as a JSON string), or null when its head is not
 * one this build writes.
 */
function namedPath(path: string, pattern: RegExp): string | null {
  const head = Buffer.alloc(HEAD_BYTES);
  let length = 0;
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    length = readSync(fd, head, 0, HEAD_BYTES, 0);
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  const match = pattern.exec(head.toString("utf8", 0, length));
  if (match === null) return null;
  try {
    const file: unknown = JSON.parse(match[1] as string);
    return typeof file === "string" ? file : null;
  } catch {
    return null;
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or not ours to remove.
  }
}
