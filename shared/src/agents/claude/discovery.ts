// Claude Code's trace discovery: its `projects` folders are searched for folders named after the project (all known
// spellings, subfolder sessions, long-path truncation) or after a folder above it, and every file found is confirmed
// by the `cwd` in its head. A file in the folder named exactly after the project whose cwd is another path that does
// not encode to that name is the project's from before it moved. The folders Claude Code will create for the project
// are watched even before they exist.

import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { normalizePath } from "../../util/paths";
import type { DiscoveryContext } from "../agent";
import { claudeFolderNames, isCandidateFolder } from "./folder-names";

/** The Claude `projects` folders to search, in priority order. */
export function claudeProjectRoots(configDir: string | undefined, home: string): string[] {
  const configured = configDir ? join(configDir, "projects") : join(home, ".claude", "projects");
  return [...new Set([normalizePath(configured), normalizePath(join(home, ".config", "claude", "projects"))])];
}

export async function discoverClaude(ctx: DiscoveryContext): Promise<void> {
  for (const root of claudeProjectRoots(ctx.homeVariable("CLAUDE_CONFIG_DIR"), ctx.home)) await addClaudeRoot(ctx, root);
}

async function addClaudeRoot(ctx: DiscoveryContext, root: string): Promise<void> {
  let names: string[] = [];
  try {
    // A missing folder answers without an error. Read synchronously: one listing, and node:fs/promises stays unloaded.
    const listed = statSync(root, { throwIfNoEntry: false }) === undefined ? [] : readdirSync(root, { withFileTypes: true });
    names = listed.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch (err) {
    const code = err && typeof err === "object" && "code" in err ? (err as { code: unknown }).code : "";
    if (code !== "ENOENT" && code !== "ENOTDIR") ctx.countUnreadable();
  }
  const projectPaths = [...ctx.projectPaths];
  // Sessions started in a folder above the project (`~/src` for `~/src/app`) may have edited it.
  const ancestorNames = new Set(ancestorsOf(projectPaths).flatMap((path) => claudeFolderNames(path)));
  const watched = new Set<string>();
  for (const name of names.sort()) {
    const candidate = isCandidateFolder(name, projectPaths) ?? (ancestorNames.has(name) ? { exact: false } : null);
    if (!candidate) continue;
    const folder = normalizePath(join(root, name));
    let accepted = 0;
    // The projects folder is Claude's own; a symlink out of it (to `/`, say) is walked shallowly and its files
    // count only by their recorded cwd.
    for (const file of await ctx.walk(folder, { within: root })) {
      // Awaited only when read from the file: a cached head is the answer itself (no microtask turn per trace).
      const head = ctx.head(file);
      const info = head instanceof Promise ? await head : head;
      if (!info) continue;
      // A file without a recorded cwd is trusted only in a folder whose name is an exact spelling of the project,
      // and only inside Claude's own folder.
      if (ctx.inProject(info.cwd) || (info.cwd === null && candidate.exact && file.outside !== true)) {
        ctx.add(file);
        accepted++;
      } else if (info.cwd !== null && candidate.exact && file.outside !== true && !claudeFolderNames(info.cwd).includes(name)) {
        // Recorded elsewhere but kept in this project's own folder: the project moved (or the home was copied).
        // When the recorded cwd encodes to this same name, the name is ambiguous and the cwd decides: not ours.
        ctx.movedFrom(info.cwd);
        ctx.add(file);
        accepted++;
      }
    }
    if (accepted > 0 || candidate.exact) {
      ctx.watch({ path: folder, exists: true });
      watched.add(folder);
    }
  }
  // Folders Claude Code will create for this project: watchers must notice them appearing.
  for (const path of projectPaths) {
    const folder = normalizePath(join(root, claudeFolderNames(path)[0]!));
    if (!watched.has(folder)) ctx.watch({ path: folder, exists: await ctx.exists(folder) });
  }
}

/** Every folder above the given paths, nearest first, without the paths themselves. */
function ancestorsOf(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      out.add(normalizePath(dir));
      if (dirname(dir) === dir) break;
    }
  }
  for (const path of paths) out.delete(path);
  return [...out];
}
