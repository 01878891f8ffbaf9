// Claude Code's trace discovery: its `projects` folders are searched for folders named after the project (all known
// spellings, subfolder sessions, long-path truncation) and every file found is confirmed by the `cwd` in its head.
// The folders Claude Code will create for the project are watched even before they exist.

import { readdir } from "node:fs/promises";
import { join } from "node:path";
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
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch (err) {
    const code = err && typeof err === "object" && "code" in err ? (err as { code: unknown }).code : "";
    if (code !== "ENOENT" && code !== "ENOTDIR") ctx.countUnreadable();
  }
  const projectPaths = [...ctx.projectPaths];
  const watched = new Set<string>();
  for (const name of names.sort()) {
    const candidate = isCandidateFolder(name, projectPaths);
    if (!candidate) continue;
    const folder = normalizePath(join(root, name));
    let accepted = 0;
    // The projects folder is Claude's own; a symlink out of it (to `/`, say) is walked shallowly and its files
    // count only by their recorded cwd.
    for (const file of await ctx.walk(folder, { within: root })) {
      const info = await ctx.head(file);
      if (!info) continue;
      // A file without a recorded cwd is trusted only in a folder whose name is an exact spelling of the project,
      // and only inside Claude's own folder.
      if (ctx.inProject(info.cwd) || (info.cwd === null && candidate.exact && file.outside !== true)) {
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
