// @ts-check
// The "an agent keeps writing" scenario: appends about 1 MB of realistic records (the generator's appendToTrace:
// the session continues, with one new edit) to one existing trace, and undoes it afterwards — trace truncated to
// its old size with its old mtime, the new project file removed — so the cached bench data stays as generated.
import { existsSync, rmSync, statSync, truncateSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { appendToTrace } from "./gen-append.mjs";
import { walkFiles } from "./walk.mjs";

/** The largest `.jsonl` session trace under `<home>/.claude/projects` (where an active agent appends). */
export function pickAppendTarget(/** @type {string} */ home) {
  /** @type {{ path: string, size: number } | null} */
  let best = null;
  walkFiles(join(home, ".claude", "projects"), (path, name) => {
    if (!name.endsWith(".jsonl") || name.startsWith("agent-")) return;
    const size = statSync(path).size;
    if (best === null || size > best.size) best = { path, size };
  });
  return best?.path ?? null;
}

/**
 * Appends ~`mb` MB to the trace at `path` (whose session works in `project`) and returns how to undo it.
 * @param {string} path @param {string} project @param {number} mb @param {number} round varies the content
 */
export function appendRecords(path, project, mb, round) {
  const before = statSync(path);
  const appendDir = join(project, "bench-append");
  const hadAppendDir = existsSync(appendDir);
  const result = appendToTrace(path, mb, { seed: 1000 + round });
  return {
    bytes: statSync(path).size - before.size,
    events: result.events,
    restore() {
      truncateSync(path, before.size);
      utimesSync(path, before.atime, before.mtime);
      if (!hadAppendDir) rmSync(appendDir, { recursive: true, force: true });
    },
  };
}
