// Live updates: chokidar watches the trace folders each engine names (`watchRoots()`), batches changed trace files
// (the names the agent registry reads) for ~200 ms and hands them to the engine, which reads only the new bytes.
// Roots that do not exist yet are polled and picked up when they appear; a root that vanishes is dropped and polled
// again.

import { existsSync } from "node:fs";
import { watch, type FSWatcher } from "chokidar";
import { isTraceFileName, type WatchRoot } from "@ai-blame/shared";
import { describeError } from "../guard";
import type { ServerLog } from "../log";
import type { Folder, Workspaces } from "../workspace";

const DEBOUNCE_MS = 200;
/** Under a steady stream of appends (an agent at work), ingest at least this often. */
const MAX_WAIT_MS = 1000;
const POLL_MS = 1000;

class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private readonly watched = new Set<string>();
  /** Roots checked at least once (a root first seen existing was just indexed by the run that named it). */
  private readonly seen = new Set<string>();
  private roots: WatchRoot[] = [];
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private firstPendingAt = 0;
  private running = false;
  private readonly poller: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly folder: Folder,
    private readonly workspaces: Workspaces,
    private readonly log: ServerLog,
  ) {
    this.poller = setInterval(() => this.checkRoots(), POLL_MS);
    this.poller.unref();
  }

  /** Adopts the engine's current roots (after every index run: discovery may have found new folders). */
  sync(roots: WatchRoot[]): void {
    this.roots = roots;
    for (const path of [...this.watched]) {
      if (!roots.some((r) => r.path === path)) this.unwatch(path);
    }
    this.checkRoots();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    if (this.timer) clearTimeout(this.timer);
    const watcher = this.watcher;
    this.watcher = null;
    if (watcher) watcher.close().catch(() => undefined);
  }

  private checkRoots(): void {
    if (this.closed) return;
    for (const root of this.roots) {
      const exists = existsSync(root.path);
      const seen = this.seen.has(root.path);
      this.seen.add(root.path);
      if (exists && !this.watched.has(root.path)) {
        this.watchPath(root.path);
        // Files written before the watch started are not reported by chokidar: let the engine look, unless the
        // index run that named this root already saw it.
        if (seen || !root.exists) this.enqueue(root.path);
      } else if (!exists && this.watched.has(root.path)) {
        this.log.info(`trace folder vanished: ${root.path} (polling for it to come back)`);
        this.unwatch(root.path);
        this.enqueue(root.path);
      }
    }
  }

  private watchPath(path: string): void {
    this.watched.add(path);
    if (!this.watcher) {
      this.watcher = watch(path, {
        ignoreInitial: true,
        persistent: true,
        // Directories must pass so that new session folders are descended into; files only when they are traces.
        ignored: (p, stats) => stats?.isFile() === true && !isTraceFileName(p),
      });
      this.watcher.on("all", (event, changed) => {
        if (event === "unlinkDir" && this.watched.has(changed)) {
          // The root itself went away (e.g. a retention sweep); the poller re-adds it when it is back.
          this.unwatch(changed);
          this.enqueue(changed);
        } else if (isTraceFileName(changed)) {
          this.enqueue(changed);
        }
      });
      this.watcher.on("error", (error) => this.log.warn(`watcher: ${describeError(error)}`));
    } else {
      this.watcher.add(path);
    }
    this.log.debug(`watching ${path}`);
  }

  private unwatch(path: string): void {
    this.watched.delete(path);
    this.watcher?.unwatch(path);
  }

  private enqueue(path: string): void {
    if (this.closed) return;
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.add(path);
    this.schedule();
  }

  private schedule(): void {
    if (this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, this.firstPendingAt + MAX_WAIT_MS - Date.now()));
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    if (this.closed || this.pending.size === 0) return;
    const paths = [...this.pending];
    this.pending.clear();
    this.running = true;
    try {
      const result = await this.workspaces.ingest(this.folder, paths);
      if (result) this.log.debug(`ingested ${paths.length} changed path(s): ${result.newEvents} new events`);
    } catch (error) {
      this.log.error(`indexing changed traces failed: ${describeError(error)}`);
    } finally {
      this.running = false;
      if (this.pending.size > 0) this.schedule();
    }
  }
}

/** One watcher per folder, kept in step with the folder's engine. */
export class TraceWatchers {
  private readonly byFolder = new Map<Folder, FolderWatcher>();

  constructor(
    private readonly workspaces: Workspaces,
    private readonly log: ServerLog,
  ) {}

  sync(folder: Folder): void {
    if (folder.disposed || !folder.engine) return;
    let watcher = this.byFolder.get(folder);
    if (!watcher) {
      watcher = new FolderWatcher(folder, this.workspaces, this.log);
      this.byFolder.set(folder, watcher);
    }
    watcher.sync(folder.engine.watchRoots());
  }

  remove(folder: Folder): void {
    this.byFolder.get(folder)?.close();
    this.byFolder.delete(folder);
  }

  closeAll(): void {
    for (const watcher of this.byFolder.values()) watcher.close();
    this.byFolder.clear();
  }
}
