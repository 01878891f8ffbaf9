// Which project a command run in a folder is about, as git decides which repository: the top of the enclosing git
// work tree (a `.git` folder, or the `.git` file of a worktree or submodule); outside git, the nearest folder at or
// above it that has traces (a Claude Code folder for it, or a session of any agent recorded in it); else the folder
// itself. The CLI (without `--dir`) and the server (for each workspace folder) both resolve it here. Also the one
// message for a project without any trace.

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { claudeFolderNames } from "../agents/claude/folder-names";
import { claudeProjectRoots } from "../agents/claude/discovery";
import type { WatchRoot } from "../engine-api";
import { normalizePath } from "../util/paths";
import { sessionFoldersAbove } from "./index";

export interface ProjectLookup {
  home?: string | null;
  env?: Record<string, string | undefined>;
}

/** The top of the git work tree holding `dir` (its nearest folder with a `.git` entry), or null. */
export function gitWorkTreeOf(dir: string): string | null {
  for (let at = normalizePath(dir); ; at = dirname(at)) {
    if (existsSync(join(at, ".git"))) return at;
    if (dirname(at) === at) return null;
  }
}

/** The project a command run in `cwd` is about (see the header). */
export async function resolveProjectDir(cwd: string, lookup: ProjectLookup = {}): Promise<string> {
  const start = normalizePath(cwd);
  const git = gitWorkTreeOf(start);
  if (git !== null) return git;
  const env = lookup.env ?? process.env;
  const home = lookup.home ?? env.HOME ?? homedir();
  const roots = claudeProjectRoots(lookup.home ? undefined : env.CLAUDE_CONFIG_DIR, home);
  // Claude Code's folders are named after the project: a check per ancestor. The other agents record the session's
  // folder inside their traces: one pass over them (reading the head of every trace) collects those at or above
  // `start`. When `start` itself has a Claude folder nothing can be nearer, and that pass is skipped: it is the
  // usual case of a command run in its project, and the pass cost a warm `blame` twice its discovery.
  const hasClaudeFolder = (at: string) => claudeFolderNames(at).some((name) => roots.some((root) => existsSync(join(root, name))));
  if (hasClaudeFolder(start)) return start;
  const recorded = new Set(await sessionFoldersAbove(start, { home: lookup.home ?? null, env }));
  for (let at = start; ; at = dirname(at)) {
    if (recorded.has(at) || hasClaudeFolder(at)) return at;
    if (dirname(at) === at) return start;
  }
}

/** `no agent traces found for /p (looked in …)`: the existing and the expected trace folders of the project. */
export function noTracesMessage(projectDir: string, roots: readonly WatchRoot[]): string {
  const places = [...new Set(roots.map((r) => r.path))];
  return `no agent traces found for ${projectDir} (looked in ${places.length > 0 ? places.join(", ") : "no trace folder"})`;
}
