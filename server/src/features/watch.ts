// Live updates: chokidar watches the trace folders each engine names (`watchRoots()`), batches changed trace files
// (the names the agent registry reads) for ~200 ms and hands them to the engine, which reads only the new bytes.
// Roots that do not exist yet are polled and picked up when they appear; a root that vanishes (or is replaced) is
// dropped and polled again. Each root is queued once its watch is ready, so bytes appended between an index run and
// the watch start are never lost.

import { statSync } from "node:fs";
import { watch, type FSWatcher } from "chokidar";
import { isTraceFileName, type WatchRoot } from "@ai-blame/shared";
import { describeError } from "../guard";
import type { ServerLog } from "../log";
import type { Folder, Workspaces } from "../workspace";

const DEBOUNCE_MS = 200;
/** Under a steady stream of appends (an agent at work), ingest at least this often. */
const MAX_WAIT_MS = 1000;
const POLL_MS = 1000;

/** A watched root: its chokidar instance and the identity of the folder it watches (to notice a replaced folder). */
interface WatchedRoot {
  watcher: FSWatcher;
  ino: number;
}

class FolderWatcher {
  private readonly watched = new Map<string, WatchedRoot>();
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
    this.poller = setInterval(() => void this.checkRoots(), POLL_MS);
    this.poller.unref();
  }

  /**
   * Adopts the engine's current roots (after every index run: discovery may have found new folders). Resolves once
   * every existing root is watched (chokidar's initial scan done), so an index run that awaits it ends live.
   */
  sync(roots: WatchRoot[]): Promise<void> {
    this.roots = roots;
    for (const path of [...this.watched.keys()]) {
      if (!roots.some((r) => r.path === path)) this.unwatch(path);
    }
    return this.checkRoots();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poller);
    if (this.timer) clearTimeout(this.timer);
    for (const path of [...this.watched.keys()]) this.unwatch(path);
  }

  private checkRoots(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const starting: Promise<void>[] = [];
    for (const root of this.roots) {
      const ino = inodeOf(root.path);
      const current = this.watched.get(root.path);
      if (current && current.ino !== ino) {
        // Gone, or removed and created again between two polls (a retention sweep, then a new session): the old
        // watch saw neither.
        this.log.info(`trace folder ${ino === null ? "vanished" : "was replaced"}: ${root.path}`);
        this.unwatch(root.path);
        this.enqueue(root.path);
      }
      if (ino !== null && !this.watched.has(root.path)) starting.push(this.watchPath(root.path, ino));
    }
    return Promise.all(starting).then(() => undefined);
  }

  /**
   * Watches one root. chokidar reports nothing written before its initial scan ends, so once it is ready the root is
   * queued: the engine re-checks it and reads whatever arrived between the index run that named it and now.
   */
  private watchPath(path: string, ino: number): Promise<void> {
    const watcher = watch(path, {
      ignoreInitial: true,
      persistent: true,
      // Directories must pass so that new session folders are descended into; files only when they are traces.
      ignored: (p, stats) => stats?.isFile() === true && !isTraceFileName(p),
    });
    this.watched.set(path, { watcher, ino });
    watcher.on("all", (event, changed) => {
      if (event === "unlinkDir" && changed === path) {
        // The root itself went away; the poller watches it again when it is back.
        this.unwatch(path);
        this.enqueue(path);
      } else if (isTraceFileName(changed)) {
        this.enqueue(changed);
      }
    });
    this.log.debug(`watching ${path}`);
    return new Promise<void>((done) => {
      const settle = (): void => {
        if (this.watched.get(path)?.watcher === watcher) this.enqueue(path);
        done();
      };
      watcher.once("ready", settle);
      watcher.on("error", (error) => {
        this.log.warn(`watcher: ${describeError(error)}`);
        settle();
      });
    });
  }

  private unwatch(path: string): void {
    const current = this.watched.get(path);
    this.watched.delete(path);
    if (current) current.watcher.close().catch(() => undefined);
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

  /** Resolves once the folder's existing trace roots are watched. */
  sync(folder: Folder): Promise<void> {
    if (folder.disposed || !folder.engine) return Promise.resolve();
    let watcher = this.byFolder.get(folder);
    if (!watcher) {
      watcher = new FolderWatcher(folder, this.workspaces, this.log);
      this.byFolder.set(folder, watcher);
    }
    return watcher.sync(folder.engine.watchRoots());
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

function inodeOf(path: string): number | null {
  try {
    const info = statSync(path);
    return info.isDirectory() ? info.ino : null;
  } catch {
    return null;
  }
}
