// One engine per workspace folder. A file belongs to the folder whose path is its longest prefix; a file outside
// every folder gets an ad-hoc folder at its git root. A folder's `ready` settles once its first index is built, and
// requests wait on it instead of failing; later refreshes replace the snapshot atomically.

import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createEngine,
  gitWorkTreeOf,
  noTracesMessage,
  resolveProjectDir,
  defaultSettings,
  type AiBlameSettings,
  type Engine,
  type RefreshResult,
  type Snapshot,
} from "@ai-blame/shared";
import { IdleContentKeeper } from "./features/keep-contents";
import type { IndexProgress } from "./features/progress";
import type { ServerLog } from "./log";
import { engineKey, type SettingsStore } from "./settings";

export class Folder {
  engine: Engine | null = null;
  snapshot: Snapshot | null = null;
  settings: AiBlameSettings = defaultSettings;
  /** Bumped whenever `snapshot` changes, so cached blame results know they are stale. */
  generation = 0;
  disposed = false;
  /** `no agent traces found for … (looked in …)` after an index run that found none, else null. */
  notice: string | null = null;
  readonly ready: Promise<void>;
  private engineKey = "";
  private markReady!: () => void;

  constructor(
    readonly uri: string,
    readonly path: string,
    readonly name: string,
  ) {
    this.ready = new Promise<void>((done) => {
      this.markReady = done;
    });
  }

  /** Whether `file` (absolute) lies inside this folder. */
  contains(file: string): boolean {
    return file === this.path || file.startsWith(this.path.endsWith("/") ? this.path : `${this.path}/`);
  }

  usesEngineFor(settings: AiBlameSettings): boolean {
    return this.engine !== null && this.engineKey === engineKey(settings);
  }

  setEngine(engine: Engine, settings: AiBlameSettings): void {
    this.engine = engine;
    this.engineKey = engineKey(settings);
  }

  publish(snapshot: Snapshot, generation: number): void {
    this.snapshot = snapshot;
    this.generation = generation;
  }

  settle(): void {
    this.markReady();
  }
}

export interface WorkspaceHooks {
  progress(title: string): Promise<IndexProgress>;
  /** A folder's snapshot changed after its first index (new events, new engine): views should be refreshed. */
  changed(folder: Folder): void;
  /**
   * A folder finished an index run (first or later): its watch roots may have changed. Resolves once they are
   * watched; the first index waits for it, so that when it ends, every later append is seen.
   */
  indexed(folder: Folder): Promise<void>;
  removed(folder: Folder): void;
}

export class Workspaces {
  private readonly folders: Folder[] = [];
  private started = false;
  private generation = 0;
  private readonly keeper: IdleContentKeeper;

  constructor(
    private readonly log: ServerLog,
    private readonly settings: SettingsStore,
    private readonly hooks: WorkspaceHooks,
  ) {
    this.keeper = new IdleContentKeeper(log);
  }

  /** Registers the initial workspace folders (from initialize); indexing starts with `start()`. */
  add(uri: string, name?: string): Folder | null {
    const path = uriToPath(uri);
    if (path === null) {
      this.log.warn(`ignoring workspace folder ${uri}: not a file: URI`);
      return null;
    }
    const existing = this.folders.find((f) => f.path === path);
    if (existing) return existing;
    const folder = new Folder(uri, path, name ?? path.split("/").pop() ?? path);
    this.folders.push(folder);
    if (this.started) this.boot(folder);
    return folder;
  }

  remove(uri: string): void {
    const path = uriToPath(uri);
    const index = this.folders.findIndex((f) => f.uri === uri || f.path === path);
    if (index < 0) return;
    const [folder] = this.folders.splice(index, 1);
    if (!folder) return;
    folder.disposed = true;
    this.hooks.removed(folder);
  }

  all(): readonly Folder[] {
    return this.folders;
  }

  /** Starts indexing every folder (after `initialized`, when progress and configuration requests are allowed). */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const folder of this.folders) this.boot(folder);
  }

  /**
   * The folder a file belongs to: the longest containing folder, else an ad-hoc one at the file's git root. Without
   * any workspace folder (single-file clients) the file's directory serves when there is no git root; with folders,
   * a file outside them and outside any repository (a library opened by go-to-definition) belongs to none.
   */
  folderFor(file: string): Folder | null {
    let best: Folder | null = null;
    for (const folder of this.folders) {
      if (folder.contains(file) && (!best || folder.path.length > best.path.length)) best = folder;
    }
    if (best) return best;
    const root = gitWorkTreeOf(dirname(file)) ?? (this.folders.length === 0 ? dirname(file) : null);
    if (root === null) return null;
    this.log.info(`${file} is outside the workspace folders; using ${root} as its project`);
    return this.add(pathToFileURL(root).href);
  }

  /**
   * Re-reads each folder's settings (after didChangeConfiguration); folders whose trace options changed re-index
   * before this resolves. The caller refreshes the client's views.
   */
  async reconfigure(): Promise<void> {
    await Promise.all(
      this.folders.map(async (folder) => {
        await folder.ready;
        const settings = await this.settings.forFolder(folder.uri);
        folder.settings = settings;
        if (!folder.usesEngineFor(settings)) {
          this.log.info(`${folder.name}: trace settings changed, re-indexing`);
          // The caller refreshes the client's views once for the whole settings change.
          await this.configure(folder, false);
        }
      }),
    );
  }

  /** Re-runs discovery and indexing of one folder (the `aiBlame.refresh` command). */
  async refresh(folder: Folder, title = "Refreshing AI traces"): Promise<RefreshResult | null> {
    const engine = folder.engine;
    if (!engine) return null;
    const progress = await this.hooks.progress(`${title} (${folder.name})`);
    try {
      const result = await engine.refresh((p) => progress.report(p));
      progress.done(`${result.newEvents} new edit events`);
      if (engine === folder.engine) this.afterIndex(folder, engine, result);
      return result;
    } catch (error) {
      progress.done("failed");
      throw error;
    }
  }

  /** Indexes changed trace files reported by a watcher. */
  async ingest(folder: Folder, paths: string[]): Promise<RefreshResult | null> {
    const engine = folder.engine;
    if (!engine || folder.disposed) return null;
    const result = await engine.ingest(paths);
    if (engine === folder.engine && !folder.disposed) this.afterIndex(folder, engine, result);
    return result;
  }

  /** A blame of a file of `folder` was made: what it copied and kept is written once blames pause. */
  blamed(folder: Folder): void {
    const engine = folder.engine;
    if (engine !== null) this.keeper.afterBlame(engine, folder.name, () => folder.engine === engine && !folder.disposed);
  }

  /** Copies the contents the index still reads from traces, in the background after each index. */
  private keepIdle(folder: Folder, engine: Engine): void {
    this.keeper.start(engine, folder.name, () => folder.engine === engine && !folder.disposed);
  }

  private afterIndex(folder: Folder, engine: Engine, result: RefreshResult): void {
    this.keepIdle(folder, engine);
    this.log.debug(
      `${folder.name}: ${result.filesRead} trace files read (${result.bytesRead} bytes), ${result.newEvents} new events, ${result.skippedLines} skipped lines, ${result.durationMs.toFixed(0)} ms`,
    );
    if (result.newEvents > 0 || folder.snapshot === null) {
      folder.publish(engine.snapshot(), ++this.generation);
      this.hooks.changed(folder);
    }
    void this.hooks.indexed(folder);
  }

  private boot(folder: Folder): void {
    this.configure(folder)
      .catch((error: unknown) => this.log.error(`${folder.name}: indexing failed: ${String(error)}`))
      .finally(() => folder.settle());
  }

  private async configure(folder: Folder, notify = true): Promise<void> {
    const settings = await this.settings.forFolder(folder.uri);
    folder.settings = settings;
    // The folder's project as the CLI finds it: the enclosing git work tree (a folder opened inside a repository),
    // else the nearest folder above with traces, else the folder.
    const projectDir = await resolveProjectDir(folder.path, { home: settings.home });
    if (projectDir !== folder.path) this.log.info(`${folder.name}: project ${projectDir}`);
    const engine = createEngine({
      projectDir,
      home: settings.home,
      extraTraceDirs: settings.traceDirs,
      pathMap: Object.entries(settings.pathMap).map(([from, to]) => ({ from, to })),
      agents: settings.agents,
      log: this.log,
    });
    folder.setEngine(engine, settings);
    const progress = await this.hooks.progress(`Indexing AI traces (${folder.name})`);
    try {
      const result = await engine.refresh((p) => progress.report(p));
      this.log.info(`${folder.name}: indexed ${result.traceFiles} trace files in ${result.durationMs.toFixed(0)} ms`);
      if (engine !== folder.engine) {
        progress.done(`${result.traceFiles} trace files, ${result.newEvents} new edit events`);
        return;
      }
      const first = folder.snapshot === null;
      const snapshot = engine.snapshot();
      folder.publish(snapshot, ++this.generation);
      // Said once per engine: an editor with no lens anywhere should tell why.
      folder.notice = result.traceFiles === 0 && snapshot.events().length === 0 ? noTracesMessage(projectDir, engine.watchRoots()) : null;
      if (folder.notice !== null) this.log.warn(folder.notice);
      // The index is live only once its trace folders are watched (the watcher then re-checks them).
      await this.hooks.indexed(folder);
      this.keepIdle(folder, engine);
      progress.done(`${result.traceFiles} trace files, ${result.newEvents} new edit events`);
      // Requests that arrived during the first index waited for it; only a re-index changes what clients show.
      if (!first && notify) this.hooks.changed(folder);
    } catch (error) {
      progress.done("failed");
      throw error;
    }
  }
}

export function uriToPath(uri: string): string | null {
  if (!uri.startsWith("file:")) return null;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return null;
  }
}
