// Trace discovery (SPEC §3): which trace files belong to a project, and which folders to watch. Each agent of the
// registry finds its own folders (agents/<name>/) through the context built here; `--trace-dir` replaces all of
// this and takes every trace in the given folders, recognising each file's agent by its name or head. Nothing here
// throws on bad input.

import { realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename } from "node:path";
import type { AgentModule, DiscoveryContext } from "../agents/agent";
import { agentModules, extraTraceSuffixes, type AgentKind } from "../agents/registry";
import type { EngineOptions, WatchRoot } from "../engine-api";
import { isInside, normalizePath } from "../util/paths";
import { cachedHeadInfo, readHeadInfo, type HeadInfo } from "./head";
import type { CwdCache, DiscoveredTrace, DiscoveryResult } from "./types";
import { walkTraceFiles, type FoundFile, type WalkCounters } from "./walk";

export type { CwdCache, DiscoveredTrace, DiscoveryResult } from "./types";
export { claudeFolderNames, encodeClaudeProjectPath } from "../agents/claude/folder-names";

interface Context {
  projectPaths: string[];
  /** The project itself and its real path: where re-rooted paths land. */
  project: string;
  movedFrom: Set<string>;
  cache: CwdCache | undefined;
  counters: WalkCounters;
  files: Map<string, DiscoveredTrace>;
  roots: WatchRoot[];
  enabled: Set<AgentKind>;
  /** inProject's answer per recorded cwd. */
  placed: Map<string, boolean>;
  /** Told the size of each trace added (the index may start its parse workers before discovery ends). */
  onFound: ((bytes: number) => void) | undefined;
  /** Walks let the event loop run (WalkOptions.paced): not in a command line run (EngineOptions.blockingReads). */
  paced: boolean;
}

/** The project's traces; `onFound` hears each one's size as it is added (a file reached twice may be heard twice). */
export async function discoverTraces(options: EngineOptions, cwdCache?: CwdCache, onFound?: (bytes: number) => void): Promise<DiscoveryResult> {
  const baseEnv = options.env ?? process.env;
  const home = options.home ?? baseEnv.HOME ?? homedir();
  const project = normalizePath(options.projectDir);
  const projectPaths = [project];
  try {
    // The native realpath, as fs/promises' is, without loading node:fs/promises for this one call (~0.7 ms).
    const real = normalizePath(realpathSync.native(project));
    if (real !== project) projectPaths.push(real);
  } catch {
    // A project folder that does not exist (yet) is still a valid query.
  }
  // A path map whose new side holds the project: the project's old path is searched as well.
  for (const { from, to } of options.pathMap ?? []) {
    const oldPath = mappedBack(project, normalizePath(from), normalizePath(to));
    if (oldPath !== null && !projectPaths.includes(oldPath)) projectPaths.push(oldPath);
  }
  const ctx: Context = {
    projectPaths,
    project,
    movedFrom: new Set(),
    cache: cwdCache,
    counters: { unreadable: 0 },
    files: new Map(),
    roots: [],
    enabled: new Set(agentModules.filter((m) => options.agents?.[m.name] !== false).map((m) => m.kind)),
    placed: new Map(),
    onFound,
    paced: options.blockingReads !== true,
  };
  if (options.traceDirs && options.traceDirs.length > 0) {
    for (const dir of options.traceDirs) await addTraceDir(ctx, normalizePath(dir), false);
  } else {
    for (const agent of agentModules) {
      if (!ctx.enabled.has(agent.kind)) continue;
      await agent.discover(agentContext(ctx, agent, home, options, (cwd) => inProject(ctx, cwd)));
    }
    for (const dir of options.extraTraceDirs ?? []) await addTraceDir(ctx, normalizePath(dir), true);
  }
  // The same file reached twice (overlapping folders, symlinks) is read once: the first by path. Folders are walked
  // concurrently; sorted by path (the strings themselves: no comparator called per pair), so that every run (and the
  // index's trace order) is deterministic.
  const files: DiscoveredTrace[] = [];
  const seen = new Map<number, Set<number>>();
  for (const path of [...ctx.files.keys()].sort()) {
    const file = ctx.files.get(path) as DiscoveredTrace;
    if (file.ino !== 0) {
      let inodes = seen.get(file.dev);
      if (inodes === undefined) seen.set(file.dev, (inodes = new Set()));
      if (inodes.has(file.ino)) continue;
      inodes.add(file.ino);
    }
    files.push(file);
  }
  const pathMap = (options.pathMap ?? []).map(({ from, to }) => ({ from: normalizePath(from), to: normalizePath(to) }));
  for (const from of ctx.movedFrom) pathMap.push({ from, to: project });
  return { files, roots: dedupeRoots(ctx.roots), unreadable: ctx.counters.unreadable, pathMap };
}

function agentContext(
  ctx: Context,
  agent: AgentModule<AgentKind>,
  home: string,
  options: Pick<EngineOptions, "home" | "env" | "extraTraceFiles">,
  inProjectCheck: (cwd: string | null) => boolean,
): DiscoveryContext {
  const baseEnv = options.env ?? process.env;
  return {
    projectPaths: ctx.projectPaths,
    home,
    // An explicit home (`--home`, `aiBlame.home`) names the traces to read; the agents' own relocation variables
    // describe the user's real home only, so they must not redirect an explicit one.
    homeVariable: (name) => (options.home ? undefined : baseEnv[name]),
    extraFiles: options.extraTraceFiles?.[agent.name] ?? [],
    inProject: inProjectCheck,
    movedFrom: (oldPath) => void ctx.movedFrom.add(normalizePath(oldPath)),
    walk: (dir, walkOptions) => walkTraceFiles(dir, walkOptions?.compressed ?? false, ctx.counters, { ...walkOptions, paced: ctx.paced }),
    head: (file) => head(ctx, file, false),
    exists,
    countUnreadable: () => void ctx.counters.unreadable++,
    add: (file) => add(ctx, file, agent.kind),
    watch: (root) => void ctx.roots.push({ ...root, agent: agent.kind }),
  };
}

/**
 * The folders at or above `start` in which some agent of the registry recorded a session: one discovery pass of
 * every agent that keeps no file, only the recorded working directories. A command run outside git takes the
 * nearest as its project.
 */
export async function sessionFoldersAbove(start: string, options: Pick<EngineOptions, "home" | "env">): Promise<string[]> {
  const home = options.home ?? (options.env ?? process.env).HOME ?? homedir();
  const ctx: Context = {
    projectPaths: [normalizePath(start)],
    project: normalizePath(start),
    movedFrom: new Set(),
    cache: undefined,
    counters: { unreadable: 0 },
    files: new Map(),
    roots: [],
    enabled: new Set(),
    placed: new Map(),
    onFound: undefined,
    paced: true,
  };
  const found = new Set<string>();
  const recordAbove = (cwd: string | null): boolean => {
    if (cwd !== null && isInside(cwd, ctx.project)) found.add(normalizePath(cwd));
    return false;
  };
  for (const agent of agentModules) await agent.discover(agentContext(ctx, agent, home, options, recordAbove));
  return [...found];
}

/** The project's path on the old side of a mapping whose new side holds it (or lies inside it), else null. */
function mappedBack(project: string, from: string, to: string): string | null {
  if (isInside(to, project)) {
    const rest = project.slice(to.length);
    return normalizePath(`${from}${rest}`);
  }
  return isInside(project, to) ? from : null;
}

/** A session run in the project, a folder inside it, or a folder above it (whose edits inside it count). */
function inProject(ctx: Context, cwd: string | null): boolean {
  if (cwd === null) return false;
  // Asked per trace file, of a handful of distinct folders.
  let known = ctx.placed.get(cwd);
  if (known === undefined) ctx.placed.set(cwd, (known = ctx.projectPaths.some((p) => isInside(p, cwd) || isInside(cwd, p))));
  return known;
}

/** The file's head info: from the cwd cache at once (no promise nor copy of the file's fields per unchanged file), else read. */
function head(ctx: Context, file: FoundFile, needAgent: boolean): Promise<HeadInfo | null> | HeadInfo {
  return cachedHeadInfo(file, needAgent, ctx.cache) ?? readHead(ctx, { ...file, needAgent });
}

async function readHead(ctx: Context, file: FoundFile & { needAgent: boolean }): Promise<HeadInfo | null> {
  try {
    return await readHeadInfo(file, ctx.cache);
  } catch {
    ctx.counters.unreadable++;
    return null;
  }
}

function add(ctx: Context, file: FoundFile, agent: AgentKind): void {
  // Field by field, not spread: once per trace before the code is optimized (`outside` concerns discovery only).
  const { path, size, mtimeMs, dev, ino, compressed } = file;
  ctx.files.set(path, { path, agent, size, mtimeMs, dev, ino, compressed });
  ctx.onFound?.(size);
}

async function exists(path: string): Promise<boolean> {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Every trace in a folder; `filterByCwd` keeps only those recorded inside the project (extra trace dirs). */
async function addTraceDir(ctx: Context, dir: string, filterByCwd: boolean): Promise<void> {
  const counts = new Map<AgentKind, number>(agentModules.map((m) => [m.kind, 0]));
  for (const file of await walkTraceFiles(dir, true, ctx.counters, { extraSuffixes: extraTraceSuffixes, paced: ctx.paced })) {
    const name = basename(file.path);
    const byName = agentModules.find((m) => m.ownsFileName?.(name, file.compressed))?.kind ?? null;
    const info = await head(ctx, file, byName === null);
    if (!info) continue;
    const agent = byName ?? info.agent;
    if (agent === null || !ctx.enabled.has(agent)) continue;
    if (filterByCwd && !inProject(ctx, info.cwd)) continue;
    add(ctx, file, agent);
    counts.set(agent, (counts.get(agent) ?? 0) + 1);
  }
  // The folder is watched as the agent most of its files belong to (the first in the registry on a tie).
  let agent: AgentKind = agentModules[0].kind;
  for (const [kind, count] of counts) if (count > (counts.get(agent) ?? 0)) agent = kind;
  ctx.roots.push({ path: dir, agent, exists: await exists(dir) });
}

function dedupeRoots(roots: WatchRoot[]): WatchRoot[] {
  const seen = new Map<string, WatchRoot>();
  for (const root of roots) if (!seen.has(root.path)) seen.set(root.path, root);
  return [...seen.values()];
}
