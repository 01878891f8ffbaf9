// Removal of temp files our own writers left in the index folders: a writer killed between creating its temp file
// and renaming it (`kill -9`, a power loss, a full disk) leaves `.pack.tmp` or `.tmp` files that nothing else
// removes. Only files of our naming are touched, and only when their writer is provably gone (its pid is not
// running and the file has not changed for a minute) or the file is a day old, so a concurrent live writer's temp
// file is never pulled from under it. The index's folders are listed only when changed since a scan left them clean.

import { readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processGone } from "../util/process-gone";

/** A temp file whose writer's pid is gone is removed after this quiet time (another pid namespace may share it). */
const QUIET_MS = 60_000;
/** Any temp file of ours this old is stale whoever wrote it. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The writer pid in the names our writers give temp files, or null for a file that is not ours. */
export function tempWriterPid(name: string): number | null {
  const patterns = [
    // util/atomic-write.ts: `.<name>.<pid>.<8 hex>.tmp`
    /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/,
    // content-pack.ts: `<time>-<pid>-<sequence>-<random>.pack.tmp`
    /^[0-9a-z]+-(\d+)-\d+-[0-9a-z]{1,8}\.pack\.tmp$/,
    // the index writer before version 3: `<name>.<pid>.<counter>.<random>.tmp`
    /^[^.].*\.json\.(\d+)\.\d+\.[0-9a-z]{1,8}\.tmp$/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(name);
    if (match !== null) return Number(match[1]);
  }
  return null;
}

/** Removes our stale temp files directly inside `dirs`; returns how many. Never throws. */
export function removeStaleTempFiles(dirs: string[], now = Date.now()): number {
  return sweep(dirs, now).removed;
}

/** How far a folder's times must lie before a clean scan's start for the folder to count as unchanged since. */
const SETTLED_MS = 2_000;

/**
 * removeStaleTempFiles for the index's folders, listing only those changed since the last scan that left every one
 * of them without a temp file of ours: `marker`'s modification time is when that scan began. A temp file is created
 * in its folder, which changes the folder's modification time, so an unchanged folder holds none; a warm command
 * then stats a few folders instead of listing 1,083 record files (1-2.5 ms). A scan that leaves one (a live or
 * recent writer's) does not move the marker, so the next run scans again. Never throws.
 */
export function removeStaleTempFilesSince(dirs: string[], marker: string, now = Date.now()): number {
  let clean = Number.NEGATIVE_INFINITY;
  try {
    clean = statSync(marker).mtimeMs;
  } catch {
    // No clean scan yet: every folder is listed.
  }
  const changed = dirs.filter((dir) => {
    try {
      const info = statSync(dir);
      return Math.max(info.mtimeMs, info.ctimeMs) >= clean - SETTLED_MS;
    } catch {
      return false;
    }
  });
  const { removed, left } = sweep(changed, now);
  if (left === 0) {
    try {
      if (clean === Number.NEGATIVE_INFINITY) writeFileSync(marker, "");
      utimesSync(marker, now / 1000, now / 1000);
    } catch {
      // A read-only index: every run scans.
    }
  }
  return removed;
}

/** Removes our stale temp files in `dirs`; counts those of ours it had to leave (a live or recent writer's). */
function sweep(dirs: string[], now: number): { removed: number; left: number } {
  let removed = 0;
  let left = 0;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.endsWith(".tmp")) continue;
      const pid = tempWriterPid(name);
      if (pid === null) continue;
      const path = join(dir, name);
      try {
        const info = statSync(path);
        const age = now - info.mtimeMs;
        if (!info.isFile() || !(age > MAX_AGE_MS || (age > QUIET_MS && pid !== process.pid && processGone(pid)))) {
          left += 1;
          continue;
        }
        rmSync(path, { force: true });
        removed += 1;
      } catch {
        // Renamed or removed by its writer meanwhile.
      }
    }
  }
  return { removed, left };
}
