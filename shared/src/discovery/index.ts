// Trace discovery (SPEC §3): which trace files belong to a project, and which folders to watch. Claude folders are
// found by their encoded names (all known spellings, subfolder sessions, long-path truncation) and every file is
// confirmed by the `cwd` in its head; Codex rollouts are kept when their session cwd is inside the project.
// `--trace-dir` replaces all of this and takes every trace in the given folders. Nothing here throws on bad input.

import { readdir, realpath, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { EngineOptions, WatchRoot } from "../engine-api";
import type { AgentKind } from "../events/edit-event";
import { isInside, normalizePath } from "../util/paths";
import { claudeFolderNames, isCandidateFolder } from "../agents/claude/folder-names";
import { readHeadInfo, type HeadInfo } from "./head";
import type { CwdCache, DiscoveredTrace, DiscoveryResult } from "./types";
import { walkTraceFiles, type FoundFile, type WalkCounters } from "./walk";

export type { CwdCache, DiscoveredTrace, DiscoveryResult } from "./types";
export { claudeFolderNames, encodeClaudeProjectPath } from "../agents/claude/folder-names";

interface Context {
  projectPaths: string[];
  cache: CwdCache | undefined;
  counters: WalkCounters;
  files: Map<string, DiscoveredTrace>;
  roots: WatchRoot[];
  agents: { claude: boolean; codex: boolean };
}

/** The Claude `projects` folders to search, in priority order. */
export function claudeProjectRoots(env: Record<string, string | undefined>, home: string): string[] {
  const configured = env.CLAUDE_CONFIG_DIR ? join(env.CLAUDE_CONFIG_DIR, "projects") : join(home, ".claude", "projects");
  return [...new Set([normalizePath(configured), normalizePath(join(home, ".config", "claude", "projects"))])];
}

/** The Codex home (`$CODEX_HOME`, else `<home>/.codex`). */
export function codexHome(env: Record<string, string | undefined>, home: string): string {
  return normalizePath(env.CODEX_HOME ? env.CODEX_HOME : join(home, ".codex"));
}

export async function discoverTraces(options: EngineOptions, cwdCache?: CwdCache): Promise<DiscoveryResult> {
  const baseEnv = options.env ?? process.env;
  // An explicit home (`--home`, `aiBlame.home`) names the traces to read; the agents' own relocation variables
  // describe the user's real home only, so they must not redirect an explicit one.
  const env = options.home ? { ...baseEnv, CLAUDE_CONFIG_DIR: undefined, CODEX_HOME: undefined } : baseEnv;
  const home = options.home ?? baseEnv.HOME ?? homedir();
  const project = normalizePath(options.projectDir);
  const projectPaths = [project];
  try {
    const real = normalizePath(await realpath(project));
    if (real !== project) projectPaths.push(real);
  } catch {
    // A project folder that does not exist (yet) is still a valid query.
  }
  const ctx: Context = {
    projectPaths,
    cache: cwdCache,
    counters: { unreadable: 0 },
    files: new Map(),
    roots: [],
    agents: { claude: options.agents?.claude !== false, codex: options.agents?.codex !== false },
  };
  if (options.traceDirs && options.traceDirs.length > 0) {
    for (const dir of options.traceDirs) await addTraceDir(ctx, normalizePath(dir), false);
  } else {
    if (ctx.agents.claude) for (const root of claudeProjectRoots(env, home)) await addClaudeRoot(ctx, root);
    if (ctx.agents.codex) await addCodexHome(ctx, codexHome(env, home));
    for (const dir of options.extraTraceDirs ?? []) await addTraceDir(ctx, normalizePath(dir), true);
  }
  // The same file reached twice (overlapping folders, symlinks) is read once.
  const byIdentity = new Map<string, DiscoveredTrace>();
  for (const file of [...ctx.files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const identity = `${file.dev}:${file.ino}`;
    if (!byIdentity.has(identity) || file.ino === 0) byIdentity.set(file.ino === 0 ? file.path : identity, file);
  }
  // Folders are walked concurrently; sort so that every run (and the index's trace order) is deterministic.
  const files = [...byIdentity.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, roots: dedupeRoots(ctx.roots), unreadable: ctx.counters.unreadable };
}

function inProject(ctx: Context, cwd: string | null): boolean {
  return cwd !== null && ctx.projectPaths.some((p) => isInside(p, cwd));
}

async function head(ctx: Context, file: FoundFile, needAgent: boolean): Promise<HeadInfo | null> {
  try {
    return await readHeadInfo({ ...file, needAgent }, ctx.cache);
  } catch {
    ctx.counters.unreadable++;
    return null;
  }
}

function add(ctx: Context, file: FoundFile, agent: AgentKind): void {
  ctx.files.set(file.path, { ...file, agent });
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function addClaudeRoot(ctx: Context, root: string): Promise<void> {
  let names: string[] = [];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  } catch (err) {
    const code = err && typeof err === "object" && "code" in err ? (err as { code: unknown }).code : "";
    if (code !== "ENOENT" && code !== "ENOTDIR") ctx.counters.unreadable++;
  }
  const watched = new Set<string>();
  for (const name of names.sort()) {
    const candidate = isCandidateFolder(name, ctx.projectPaths);
    if (!candidate) continue;
    const folder = normalizePath(join(root, name));
    let accepted = 0;
    for (const file of await walkTraceFiles(folder, false, ctx.counters)) {
      const info = await head(ctx, file, false);
      if (!info) continue;
      // A file without a recorded cwd is trusted only in a folder whose name is an exact spelling of the project.
      if (inProject(ctx, info.cwd) || (info.cwd === null && candidate.exact)) {
        add(ctx, file, "claude-code");
        accepted++;
      }
    }
    if (accepted > 0 || candidate.exact) {
      ctx.roots.push({ path: folder, agent: "claude-code", exists: true });
      watched.add(folder);
    }
  }
  // Folders Claude Code will create for this project: watchers must notice them appearing.
  for (const path of ctx.projectPaths) {
    const folder = normalizePath(join(root, claudeFolderNames(path)[0]!));
    if (!watched.has(folder)) ctx.roots.push({ path: folder, agent: "claude-code", exists: await exists(folder) });
  }
}

async function addCodexHome(ctx: Context, codex: string): Promise<void> {
  for (const sub of ["sessions", "archived_sessions"]) {
    const dir = normalizePath(join(codex, sub));
    ctx.roots.push({ path: dir, agent: "codex-cli", exists: await exists(dir) });
    for (const file of await walkTraceFiles(dir, true, ctx.counters)) {
      const info = await head(ctx, file, false);
      if (info && inProject(ctx, info.cwd)) add(ctx, file, "codex-cli");
    }
  }
}

/** Every trace in a folder; `filterByCwd` keeps only those recorded inside the project (extra trace dirs). */
async function addTraceDir(ctx: Context, dir: string, filterByCwd: boolean): Promise<void> {
  const counts: Record<AgentKind, number> = { "claude-code": 0, "codex-cli": 0 };
  for (const file of await walkTraceFiles(dir, true, ctx.counters)) {
    const byName: AgentKind | null = file.compressed || basename(file.path).startsWith("rollout-") ? "codex-cli" : null;
    const info = await head(ctx, file, byName === null);
    if (!info) continue;
    const agent = byName ?? info.agent;
    if (agent === null) continue;
    if ((agent === "claude-code" && !ctx.agents.claude) || (agent === "codex-cli" && !ctx.agents.codex)) continue;
    if (filterByCwd && !inProject(ctx, info.cwd)) continue;
    add(ctx, file, agent);
    counts[agent]++;
  }
  const agent: AgentKind = counts["codex-cli"] > counts["claude-code"] ? "codex-cli" : "claude-code";
  ctx.roots.push({ path: dir, agent, exists: await exists(dir) });
}

function dedupeRoots(roots: WatchRoot[]): WatchRoot[] {
  const seen = new Map<string, WatchRoot>();
  for (const root of roots) if (!seen.has(root.path)) seen.set(root.path, root);
  return [...seen.values()];
}
