// One writer of `refs/notes/ai-blame` at a time among ai-blame processes: the post-commit hook writes notes in a
// detached background process, so two quick commits (or a hook and a manual `notes add`) would otherwise race for
// git's own ref lock and one would fail. The lock is a file created exclusively in the repository's common git
// folder holding the owner's pid; a lock whose process is gone (or that is older than STALE_MS) is taken over.

import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AiBlameError } from "../util/errors";
import { processGone } from "../util/process-gone";
import type { Repository } from "./repository";

export const NOTES_LOCK = "ai-blame-notes.lock";
const STALE_MS = 10 * 60_000;
const WAIT_MS = 120_000;
const POLL_MS = 50;

/** Runs `work` holding the notes lock of `repo`, waiting for another holder up to WAIT_MS. */
export async function withNotesLock<T>(repo: Repository, work: () => Promise<T>): Promise<T> {
  const path = join(repo.commonDir, NOTES_LOCK);
  const started = Date.now();
  for (;;) {
    if (tryLock(path)) break;
    if (Date.now() - started > WAIT_MS) {
      throw new AiBlameError("io", `another ai-blame is writing notes (${path}); remove that file if no ai-blame runs`);
    }
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // Already removed (taken over as stale); nothing of ours to clean.
    }
  }
}

function tryLock(path: string): boolean {
  try {
    const fd = openSync(path, "wx");
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new AiBlameError("io", `cannot create the notes lock ${path}: ${(error as Error).message}`);
    }
  }
  if (isStale(path)) {
    try {
      unlinkSync(path);
    } catch {
      // Another waiter took it over first.
    }
  }
  return false;
}

function isStale(path: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs > STALE_MS) return true;
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written this instant
    return processGone(pid);
  } catch {
    // The file vanished (released meanwhile): nothing to take over.
    return false;
  }
}
