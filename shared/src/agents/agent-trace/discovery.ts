// Agent Trace discovery: the `.agent-trace/traces.jsonl` of the project folder and of each folder above it (a
// project inside a repository whose root keeps the records), plus record files named explicitly
// (`EngineOptions.extraTraceFiles["agent-trace"]`, relative to the project).

import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { normalizePath } from "../../util/paths";
import type { DiscoveryContext } from "../agent";
import type { FoundFile } from "../../discovery/walk";

async function found(path: string): Promise<FoundFile | null> {
  try {
    // A missing file answers without an error (a rejected fs promise costs ~0.3 ms: its error and stack).
    const info = statSync(path, { throwIfNoEntry: false });
    if (info === undefined || !info.isFile()) return null;
    return { path, size: info.size, mtimeMs: info.mtimeMs, dev: info.dev, ino: info.ino, compressed: false };
  } catch {
    return null;
  }
}

export async function discoverAgentTrace(ctx: DiscoveryContext): Promise<void> {
  const project = ctx.projectPaths[0]!;
  let dir = project;
  for (let depth = 0; depth < 64; depth++) {
    const folder = normalizePath(join(dir, ".agent-trace"));
    const file = await found(join(folder, "traces.jsonl"));
    if (file) ctx.add({ ...file, path: normalizePath(file.path) });
    // Watch the project's own folder even before a hook creates it.
    if (file || dir === project) ctx.watch({ path: folder, exists: await ctx.exists(folder) });
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const path of ctx.extraFiles) {
    const abs = normalizePath(resolve(project, path));
    const file = await found(abs);
    if (file) ctx.add({ ...file, path: abs });
    ctx.watch({ path: dirname(abs), exists: await ctx.exists(dirname(abs)) });
  }
}
