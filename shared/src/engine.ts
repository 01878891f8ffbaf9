// The engine host: discovers a project's traces, keeps the durable index up to date (only new bytes of grown
// files are parsed) and hands out immutable snapshots that answer queries. The CLI calls refresh → snapshot → one
// query; the LSP server keeps one engine per workspace folder and ingests changed traces from its watcher.

import { statSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { Engine, EngineOptions, RefreshProgress, RefreshResult, Snapshot, WatchRoot, PathMapping } from "./engine-api";
import { discoverTraces } from "./discovery";
import type { DiscoveredTrace, DiscoveryResult } from "./discovery/types";
import { defaultDataDir, openTraceIndex, type TraceIndex } from "./store/trace-index";
import { copyAgeMs, emptyKeepResult, type KeepContentsResult } from "./store/content-keeper";
import { withProjectConfig } from "./project-config";
import { rustCachesToMention } from "./rust-cache";
import { createSnapshot, emptyScope } from "./snapshot";
import { parsersByAgent } from "./traces";
import { endBulkIndexInlining } from "./util/bulk-inlining";
import { normalizePath } from "./util/paths";
import { silentLog } from "./util/log";

/**
 * A monotonic clock in milliseconds for a refresh's duration. Not `performance.now()`: Node loads its perf_hooks
 * module the first time the `performance` global is read, ~0.5 ms of every command for this one number.
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Creates an engine for one project. Nothing is read until `refresh()`. */
export function createEngine(options: EngineOptions): Engine {
  const env = options.env ?? process.env;
  const projectDir = normalizePath(resolve(options.projectDir));
  const resolved: EngineOptions = {
    ...withProjectConfig({ ...options, projectDir }),
    projectDir,
    env,
    cache: options.cache ?? (env.AI_BLAME_NO_CACHE && env.AI_BLAME_NO_CACHE !== "0" ? "off" : "on"),
  };
  return new EngineHost(resolved);
}

class EngineHost implements Engine {
  readonly options: Readonly<EngineOptions>;
  private index: TraceIndex | null = null;
  private files: DiscoveredTrace[] = [];
  private roots: WatchRoot[] = [];
  /** Where recorded paths belong (the options' map and the old paths of a moved project), as of the last discovery. */
  private pathMap: PathMapping[] = [];
  private unreadable = 0;
  /** Serialises refresh/ingest: the index is not re-entrant. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: EngineOptions) {
    this.options = options;
  }

  refresh(onProgress?: (p: RefreshProgress) => void): Promise<RefreshResult> {
    return this.enqueue(() => this.runRefresh(onProgress));
  }

  ingest(paths: string[]): Promise<RefreshResult> {
    // A watcher event usually names traces that grew: those are updated in the known list without rediscovery. A
    // new, vanished, replaced or truncated file (its project or agent may have changed) re-runs discovery instead.
    return this.enqueue(async () => {
      const started = monotonicMs();
      const files = this.index === null ? null : this.grownKnownFiles(paths);
      if (files === null) return this.runRefresh();
      return this.updateIndex(files, { roots: this.roots, unreadable: this.unreadable }, started);
    });
  }

  watchRoots(): WatchRoot[] {
    return this.roots;
  }

  snapshot(): Snapshot {
    const index = this.index;
    return createSnapshot({
      projectDir: this.options.projectDir,
      scope: index ? index.currentScope() : emptyScope,
      contents: index ? index.contents : undefined,
      traceFiles: this.files.length,
      unreadableTraceFiles: this.unreadable,
      pathMap: this.pathMap,
    });
  }

  async keepContents(limit: number): Promise<KeepContentsResult> {
    return this.enqueue(async () => (this.index === null ? emptyKeepResult() : this.index.keepContents(limit)));
  }

  rustCachesToMention(): string[] {
    return rustCachesToMention(this.options.projectDir, this.roots, this.dataDir());
  }

  /** Where the durable index lives, or null with the cache off. */
  dataDir(): string | null {
    const env = this.options.env ?? process.env;
    if ((this.options.cache ?? "on") === "off") return null;
    return this.options.dataDir ?? defaultDataDir(env, this.options.home ?? homedir());
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async openIndex(): Promise<TraceIndex> {
    if (this.index) return this.index;
    this.index = await openTraceIndex({
      dataDir: this.dataDir(),
      mode: this.options.cache ?? "on",
      log: this.options.log ?? silentLog,
      projectKey: projectKeyOf(this.options),
      countsOnly: this.options.countsOnly === true,
      keepAgeMs: copyAgeMs(this.options.home ?? homedir()),
      blockingReads: this.options.blockingReads === true,
    });
    return this.index;
  }

  /**
   * The known trace list with fresh size and times for `paths`, when every one is a known trace that is still the
   * same file (same device and inode) and did not shrink; null when discovery must run.
   */
  private grownKnownFiles(paths: string[]): DiscoveredTrace[] | null {
    if (paths.length === 0) return null;
    const at = new Map(this.files.map((file, i) => [file.path, i]));
    const files = [...this.files];
    for (const raw of paths) {
      const i = at.get(normalizePath(raw));
      const known = i === undefined ? undefined : files[i];
      if (i === undefined || known === undefined) return null;
      let info;
      try {
        info = statSync(known.path);
      } catch {
        return null;
      }
      if (!info.isFile() || info.dev !== known.dev || info.ino !== known.ino || info.size < known.size) return null;
      files[i] = { ...known, size: info.size, mtimeMs: info.mtimeMs };
    }
    return files;
  }

  private async runRefresh(onProgress?: (p: RefreshProgress) => void): Promise<RefreshResult> {
    const started = monotonicMs();
    const index = await this.openIndex();
    const discovery = await discoverTraces(this.options, index.cwdCache, (bytes) => index.traceFound(bytes));
    this.pathMap = discovery.pathMap;
    return this.updateIndex(discovery.files, discovery, started, onProgress);
  }

  private async updateIndex(
    files: DiscoveredTrace[],
    discovery: Pick<DiscoveryResult, "roots" | "unreadable">,
    started: number,
    onProgress?: (p: RefreshProgress) => void,
  ): Promise<RefreshResult> {
    const index = await this.openIndex();
    this.files = files;
    this.roots = discovery.roots;
    this.unreadable = discovery.unreadable;
    // A first index caps TurboFan's inlining while it reads (util/bulk-inlining.ts): what runs after is optimized as V8 would.
    const result = await index.update(files, parsersByAgent, onProgress).finally(endBulkIndexInlining);
    // Traces found but not readable now (a database this Node cannot open, a session caught mid-write) count too.
    this.unreadable = discovery.unreadable + result.unreadable;
    await index.flush();
    return {
      traceFiles: files.length,
      filesRead: result.filesRead,
      bytesRead: result.bytesRead,
      newEvents: result.newEvents,
      skippedLines: result.skippedLines,
      durationMs: monotonicMs() - started,
    };
  }
}

/** The index keeps per project the traces it has seen; the key covers everything that changes that set. */
function projectKeyOf(options: EngineOptions): string {
  return JSON.stringify({
    project: options.projectDir,
    home: options.home ?? null,
    traceDirs: options.traceDirs ?? [],
    extra: options.extraTraceDirs ?? [],
    agents: options.agents ?? {},
    pathMap: options.pathMap ?? [],
  });
}
