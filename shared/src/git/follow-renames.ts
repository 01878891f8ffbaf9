// The committed renames of one file, from git: `git log --follow` with rename detection, run directly (argv, no
// shell) with a time limit. Each rename names the old path and when it was committed, so a blame can take the old
// path's AI history up to that point. Outside a git work tree, or when git is missing or fails, there are none.
// Synchronous, unlike run-git.ts: Snapshot.blame is synchronous, and this runs at most once per file and snapshot.

import { spawnSync } from "node:child_process";
import { basename, dirname, join } from "node:path";
import { normalizePath } from "../util/paths";

export interface CommittedRename {
  /** Absolute path before the rename. */
  from: string;
  /** Commit time (ISO 8601 UTC) of the commit that renamed it. */
  at: string;
}

const TIMEOUT_MS = 5000;
/** Renames read back from one file (a longer history is cut). */
const MAX_RENAMES = 32;

function git(cwd: string, args: string[]): string | null {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    windowsHide: true,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
  });
  return r.status === 0 && typeof r.stdout === "string" ? r.stdout : null;
}

/** Renames that led to `file` (absolute), newest first; empty outside git. */
export function committedRenamesInto(file: string): CommittedRename[] {
  const dir = dirname(file);
  const top = git(dir, ["rev-parse", "--show-toplevel"])?.trim();
  if (!top) return [];
  const log = git(dir, ["log", "--follow", "-M", "--name-status", "--format=%x01%cI", "-z", "--", basename(file)]);
  if (log === null) return [];
  const renames: CommittedRename[] = [];
  for (const commit of log.split("\x01")) {
    const fields = commit.split("\0");
    const time = Date.parse(fields[0] ?? "");
    if (Number.isNaN(time)) continue;
    for (let k = 1; k < fields.length; k++) {
      const status = (fields[k] ?? "").trim();
      if (/^[RC]\d*$/.test(status)) {
        const from = fields[k + 1];
        if (status.startsWith("R") && from) renames.push({ from: normalizePath(join(top, from)), at: new Date(time).toISOString() });
        k += 2;
      } else if (status !== "") {
        k += 1;
      }
    }
    if (renames.length >= MAX_RENAMES) break;
  }
  return renames;
}
