// A disk cache of git blames in the data folder, so a second blame of an unchanged file runs neither `git blame`
// nor the notes reads. An entry is keyed by (HEAD commit, path, blamed-from-buffer or not, sha256 of the text
// blamed): any commit, edit or different buffer misses. It also keeps the notes ref's sha and the note blobs of the
// commits checked for notes; a moved notes ref or a commit not checked yet reads the notes from git again.
// Entries are plain JSON files written atomically; an unreadable or malformed one is a miss. At most
// MAX_ENTRIES files are kept: the least recently used (oldest mtime, touched on every hit) go first.

import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import type { CommitJson } from "../contract";
import { writeFileAtomic } from "../util/atomic-write";
import type { GitBlameLine } from "./blame-porcelain";

const FORMAT = 2;
export const MAX_ENTRIES = 64;

export interface BlameCacheKey {
  head: string | null;
  path: string;
  fromBuffer: boolean;
  textSha: string;
}

export interface CachedNotes {
  /** The notes ref's sha when the notes were read (null: no notes ref). */
  ref: string | null;
  /** Commit → note blob, or null for a commit checked and found without a note. */
  noteOf: Map<string, string | null>;
  /** Note blob → its raw content. */
  blobs: Map<string, Buffer>;
}

export interface BlameCacheEntry {
  lines: GitBlameLine[];
  notes: CachedNotes | null;
}

export function textSha(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

function fileOf(dir: string, key: BlameCacheKey): string {
  const id = textSha(JSON.stringify([FORMAT, key.head, key.path, key.fromBuffer, key.textSha]));
  return join(dir, `${id}.json`);
}

/** The cached entry of `key`, or null (absent, unreadable, malformed or of another key). */
export function readBlameCache(dir: string, key: BlameCacheKey): BlameCacheEntry | null {
  const file = fileOf(dir, key);
  let entry: BlameCacheEntry | null;
  try {
    entry = decode(JSON.parse(readFileSync(file, "utf8")) as unknown, key);
  } catch {
    return null;
  }
  if (entry) {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // A cache that cannot be touched still answers; it is only evicted sooner.
    }
  }
  return entry;
}

/** Stores `entry` under `key` and removes the least recently used entries beyond MAX_ENTRIES. Never throws. */
export function writeBlameCache(dir: string, key: BlameCacheKey, entry: BlameCacheEntry): void {
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(fileOf(dir, key), JSON.stringify(encode(key, entry)), { fsyncData: false, fsyncFolder: false });
    evict(dir);
  } catch {
    // The cache only saves time; a blame never fails because of it.
  }
}

function evict(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      try {
        return { path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs };
      } catch {
        return null;
      }
    })
    .filter((f): f is { path: string; mtime: number } => f !== null);
  if (files.length <= MAX_ENTRIES) return;
  files.sort((a, b) => a.mtime - b.mtime);
  for (const f of files.slice(0, files.length - MAX_ENTRIES)) {
    try {
      unlinkSync(f.path);
    } catch {
      // Already gone (another process evicted it).
    }
  }
}

type CommitRow = [string, string, string, string, string];

function encode(key: BlameCacheKey, entry: BlameCacheEntry): unknown {
  const commitIndex = new Map<string, number>();
  const commits: CommitRow[] = [];
  const pathIndex = new Map<string, number>();
  const paths: string[] = [];
  // One flat array of numbers, three per line (commit index, path index, line in that commit; -1, -1, 0 when not
  // committed): JSON.parse reads it several times faster than one small array per line.
  const lines: number[] = [];
  for (const l of entry.lines) {
    const c = l.commit;
    if (!c) {
      lines.push(-1, -1, 0);
      continue;
    }
    let ci = commitIndex.get(c.sha);
    if (ci === undefined) {
      ci = commits.length;
      commitIndex.set(c.sha, ci);
      commits.push([c.sha, c.author, c.authorMail, c.authorTime, c.summary]);
    }
    let pi = pathIndex.get(c.path);
    if (pi === undefined) {
      pi = paths.length;
      pathIndex.set(c.path, pi);
      paths.push(c.path);
    }
    lines.push(ci, pi, c.line);
  }
  const notes = entry.notes
    ? {
        ref: entry.notes.ref,
        noteOf: [...entry.notes.noteOf],
        blobs: [...entry.notes.blobs].map(([blob, content]) => [blob, content.toString("base64")]),
      }
    : null;
  return { format: FORMAT, key, commits, paths, lines, notes };
}

const isString = (v: unknown): v is string => typeof v === "string";

function decode(raw: unknown, key: BlameCacheKey): BlameCacheEntry | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r["format"] !== FORMAT || JSON.stringify(r["key"]) !== JSON.stringify(key)) return null;
  const commits = r["commits"];
  const paths = r["paths"];
  const rows = r["lines"];
  if (!Array.isArray(commits) || !Array.isArray(paths) || !Array.isArray(rows)) return null;
  if (!commits.every((c) => Array.isArray(c) && c.length === 5 && c.every(isString)) || !paths.every(isString)) return null;
  if (rows.length % 3 !== 0) return null;
  const lines: GitBlameLine[] = new Array<GitBlameLine>(rows.length / 3);
  for (let at = 0; at < rows.length; at += 3) {
    const ci: unknown = rows[at];
    const pi: unknown = rows[at + 1];
    const line: unknown = rows[at + 2];
    if (ci === -1 && pi === -1) {
      lines[at / 3] = { commit: null };
      continue;
    }
    const c = typeof ci === "number" ? (commits[ci] as CommitRow | undefined) : undefined;
    const path = typeof pi === "number" ? (paths[pi] as string | undefined) : undefined;
    if (!c || path === undefined || typeof line !== "number" || !Number.isInteger(line)) return null;
    const commit: CommitJson = { sha: c[0], author: c[1], authorMail: c[2], authorTime: c[3], summary: c[4], path, line };
    lines[at / 3] = { commit };
  }
  return { lines, notes: decodeNotes(r["notes"]) };
}

function decodeNotes(raw: unknown): CachedNotes | null {
  if (typeof raw !== "object" || raw === null) return null;
  const n = raw as Record<string, unknown>;
  const ref = n["ref"];
  const noteOf = n["noteOf"];
  const blobs = n["blobs"];
  if ((ref !== null && !isString(ref)) || !Array.isArray(noteOf) || !Array.isArray(blobs)) return null;
  const notes: CachedNotes = { ref, noteOf: new Map(), blobs: new Map() };
  for (const pair of noteOf as unknown[]) {
    if (!Array.isArray(pair) || !isString(pair[0]) || (pair[1] !== null && !isString(pair[1]))) return null;
    notes.noteOf.set(pair[0], pair[1] as string | null);
  }
  for (const pair of blobs as unknown[]) {
    if (!Array.isArray(pair) || !isString(pair[0]) || !isString(pair[1])) return null;
    notes.blobs.set(pair[0], Buffer.from(pair[1], "base64"));
  }
  for (const blob of notes.noteOf.values()) if (blob !== null && !notes.blobs.has(blob)) return null;
  return notes;
}
