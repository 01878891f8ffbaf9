// opencode's trace discovery: its data folder (`$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`) holds
// `opencode.db` (1.2 and later) and, from older versions, `storage/session/<projectID>/<sessionID>.json`. The
// database serves every project, so it is read for this project's folders (its sessions record their directory);
// a storage session file counts when its `directory` is inside the project. A database's size and time include its
// `-wal` file, and a session file's those of its messages and parts, so that new data is noticed.

import { statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { normalizePath } from "../../util/paths";
import type { DiscoveryContext } from "../agent";
import type { FoundFile } from "../../discovery/walk";

async function statOf(path: string): Promise<{ size: number; mtimeMs: number; dev: number; ino: number } | null> {
  try {
    // A missing file answers without an error (a rejected fs promise costs ~0.3 ms: its error and stack).
    const s = statSync(path, { throwIfNoEntry: false });
    return s === undefined ? null : { size: s.size, mtimeMs: s.mtimeMs, dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

async function names(dir: string): Promise<string[]> {
  try {
    return statSync(dir, { throwIfNoEntry: false }) === undefined ? [] : (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** Adds the sizes and latest time of the files under `dirs` (one level) to a file's signature. */
async function widen(file: FoundFile, dirs: string[]): Promise<FoundFile> {
  let { size, mtimeMs } = file;
  for (const dir of dirs) {
    for (const name of await names(dir)) {
      const s = await statOf(join(dir, name));
      if (!s) continue;
      size += s.size;
      mtimeMs = Math.max(mtimeMs, s.mtimeMs);
    }
  }
  return { ...file, size, mtimeMs };
}

export async function discoverOpencode(ctx: DiscoveryContext): Promise<void> {
  const data = normalizePath(join(ctx.homeVariable("XDG_DATA_HOME") || join(ctx.home, ".local", "share"), "opencode"));
  ctx.watch({ path: data, exists: await ctx.exists(data) });
  const db = join(data, "opencode.db");
  const main = await statOf(db);
  if (main) {
    const wal = await statOf(`${db}-wal`);
    const file: FoundFile = { path: normalizePath(db), compressed: false, ...main };
    if (wal) Object.assign(file, { size: main.size + wal.size, mtimeMs: Math.max(main.mtimeMs, wal.mtimeMs) });
    ctx.add({ ...file, scope: [...ctx.projectPaths] });
  }
  const sessions = join(data, "storage", "session");
  for (const project of await names(sessions)) {
    for (const name of (await names(join(sessions, project))).filter((n) => n.endsWith(".json"))) {
      const path = normalizePath(join(sessions, project, name));
      let info: { id?: unknown; directory?: unknown };
      try {
        info = JSON.parse(await readFile(path, "utf8")) as typeof info;
      } catch {
        ctx.countUnreadable();
        continue;
      }
      if (typeof info.directory !== "string" || typeof info.id !== "string" || !ctx.inProject(normalizePath(info.directory))) continue;
      const s = await statOf(path);
      if (!s) continue;
      const messages = join(data, "storage", "message", info.id);
      const partDirs = (await names(messages)).map((m) => join(data, "storage", "part", m.replace(/\.json$/, "")));
      ctx.add(await widen({ path, compressed: false, ...s }, [messages, ...partDirs]));
    }
  }
}
