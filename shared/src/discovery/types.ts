// What trace discovery returns: the trace files of a project with their identity (for the incremental index), and
// the folders to watch. Discovery decides which files belong to the project; parsers never filter by project.

import type { AgentKind } from "../events/edit-event";
import type { PathMapping, WatchRoot } from "../engine-api";

export interface DiscoveredTrace {
  /** Absolute path. */
  path: string;
  agent: AgentKind;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  /** `.jsonl.zst`: compressed, read whole (never incrementally). */
  compressed: boolean;
  /** For a trace shared by every project (opencode's database): the project folders it is read for. */
  scope?: string[];
}

/**
 * Remembered `cwd` of a trace file's head, keyed by path; valid while size and mtime are unchanged, or, for a file
 * that grew, while its first `head[0]` bytes (through the end of the recorded cwd) still have the CRC-32 `head[1]`.
 * `agent` is set only for files whose agent had to be detected from content (`--trace-dir`); plain JSON, so it can
 * be persisted.
 */
export type CwdCache = Map<string, { size: number; mtimeMs: number; cwd: string | null; agent?: AgentKind | null; head?: [bytes: number, sum: number] }>;

export interface DiscoveryResult {
  files: DiscoveredTrace[];
  roots: WatchRoot[];
  /** Files that could not be listed or stat'ed (permission denied, vanished), counted, never fatal. */
  unreadable: number;
  /** Where recorded paths belong: the user's `pathMap`, then the old paths of a moved project found by discovery. */
  pathMap: PathMapping[];
}
