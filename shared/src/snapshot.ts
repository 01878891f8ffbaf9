// An immutable view of the index that answers every query of the engine API. It converts events into the output
// contract (project-relative paths, ISO timestamps) in one place, so `--json` and the LSP server see the same data.

import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { createHash } from "node:crypto";
import { attributeFile, attributeKept, isBinaryText } from "./attribution";
import type { HistorySources, KeptReplay, Replays } from "./attribution/kept-replays";
import { personRenamesInto } from "./attribution/renamed-by-person";
import type { BlameJson, ShowTranscriptArgs, ShowTranscriptResult, StatsJson, TimelineEntryJson } from "./contract";
import type { BlameOptions, PathMapping, RefreshProgress, Snapshot } from "./engine-api";
import type { EditEvent, SessionInfo } from "./events/edit-event";
import { dedupeEvents } from "./events/dedupe";
import { applyFilter, type EventFilter } from "./events/filter";
import { hasOrigin, historyOf } from "./events/renames";
import { listTranscripts, type TranscriptListing } from "./transcripts/load";
import { namedTranscript, type NamedTranscript, sessionMarkdown, type SessionSource } from "./transcripts/session-view";
import { searchTranscripts, type TranscriptSearchOptions, type TranscriptSearchResult } from "./transcripts/search";
import { MemoryContentStore, type ContentStore } from "./store/content-store";
import type { IndexScope } from "./store/trace-index-api";
import { AiBlameError } from "./util/errors";
import { type CommittedRename, committedRenamesInto } from "./git/follow-renames";
import { normalizePath } from "./util/paths";
import { plainRowStats, rerootedPath, type RowStats, rowStats } from "./snapshot-stats";
import { emptyRows } from "./store/scope-rows";

/**
 * What a file's history read besides its own events (attributeFile's HistorySources without the digest): the files
 * whose events it read, the blamed one first, and whether it looked for renames by a person (found none, with no
 * file vanished: then valid only while none has).
 */
type HistoryRead = Omit<HistorySources, "sources" | "scope">;

export interface SnapshotData {
  projectDir: string;
  /** The index's events, sessions and counts (read when first needed: a blame reads only its file's events). */
  scope: IndexScope;
  contents: ContentStore | undefined;
  traceFiles: number;
  unreadableTraceFiles: number;
  /** Recorded paths under `from` are read as under `to` (path maps, moved projects); first match wins. */
  pathMap?: PathMapping[];
}

export function createSnapshot(data: SnapshotData): Snapshot {
  return new IndexSnapshot(data);
}

/** The scope of an engine without an index (before its first refresh). */
export const emptyScope: IndexScope = {
  events: () => [],
  sessions: () => [],
  stats: { skippedLines: 0, eventsFromDeletedTraces: 0, traceFiles: 0 },
  eventsOfFiles: () => [],
  eventFiles: () => new Set(),
  sourcesOf: () => null,
  scopeDigest: () => null,
  rows: () => emptyRows,
  rowCopies: () => [],
};

class IndexSnapshot implements Snapshot {
  private inProject: { sorted: EditEvent[]; outside: number } | null = null;
  private readonly contents: ContentStore;
  private byFile: Map<string, EditEvent[]> | null = null;
  /** Events of single files asked for before (and without) the whole index by file. */
  private readonly ofFile = new Map<string, EditEvent[]>();
  private vanishedFiles: string[] | null = null;
  private anyVanished: boolean | null = null;
  private scopeDigest: string | null | undefined;
  private readonly committedRenames = new Map<string, CommittedRename[]>();
  private readonly roots: string[];
  private rootPrefixes: string[] | null = null;

  constructor(private readonly data: SnapshotData) {
    this.contents = data.contents ?? new MemoryContentStore();
    this.roots = [data.projectDir];
    try {
      const real = normalizePath(realpathSync(data.projectDir));
      if (real !== data.projectDir) this.roots.push(real);
    } catch {
      // A project folder that does not exist is still a valid query root.
    }
  }

  /** The project's events, oldest first (made when first needed). */
  private get sorted(): EditEvent[] {
    return this.projectEvents().sorted;
  }

  /** The project's events and the count of edits outside it. */
  private projectEvents(): { sorted: EditEvent[]; outside: number } {
    if (this.inProject === null) {
      // Forks and resumes copy a session's records into new files: one tool call, several events. Sessions started
      // above the project, or that wandered into /tmp or another repository, also edited files that are not the
      // project's: those are left out of every answer and only counted.
      const all = dedupeEvents(rerooted(this.data.scope.events(), this.data.pathMap ?? []));
      const sorted = all.filter((e) => this.isInProject(e.file));
      this.inProject = { sorted, outside: all.length - sorted.length };
    }
    return this.inProject;
  }

  private isInProject(file: string): boolean {
    // Asked once per event of the index: the roots' `/`-terminated prefixes are made once, not per call.
    this.rootPrefixes ??= this.roots.map((root) => (root.endsWith("/") ? root : `${root}/`));
    for (let i = 0; i < this.roots.length; i++) if (file === this.roots[i] || file.startsWith(this.rootPrefixes[i] ?? "")) return true;
    return false;
  }

  /** Project-relative with `/`; agents record real paths, so a project reached through a symlink maps both ways. */
  relativePath(absPath: string): string {
    for (const root of this.roots) {
      const rel = relative(root, absPath);
      if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
    }
    return absPath.split(sep).join("/");
  }

  events(filter?: EventFilter): EditEvent[] {
    if (!filter) return this.sorted;
    return applyFilter(this.sorted, filter, (e) => this.relativePath(e.file));
  }

  sessions(): SessionInfo[] {
    return this.data.scope.sessions();
  }

  sessionIds(): string[] {
    // Kept per project by the digest of every record in scope: equal digests, equal sessions.
    const scope = this.scopeSources();
    const kept = scope === null ? undefined : this.contents.keptSessionIds?.(this.data.projectDir);
    const held = scope === null ? undefined : kept?.get(scope);
    if (held !== undefined) return held;
    const ids = this.sessions().map((session) => session.sessionId);
    if (scope !== null) kept?.put(scope, ids);
    return ids;
  }

  content(key: string): string | undefined {
    return this.contents.get(key);
  }

  stats(filter?: EventFilter): StatsJson {
    // Counted over the index's event rows: the same answer as counting events(filter), without decoding events. A
    // filter-free `stats` reads the counts the index kept (updated by appends) when they are for this very scope.
    const scope = this.data.scope;
    const pathMap = this.data.pathMap ?? [];
    const kept = filter || pathMap.length > 0 ? null : (scope.plainCounts?.(this.roots) ?? null);
    if (kept !== null) {
      const { events, files, sessions } = kept;
      return this.statsJson(kept, { events, files, sessions, byModel: new Map(kept.byModel), byAgent: new Map(kept.byAgent), outsideProject: kept.outside });
    }
    const input = {
      sessions: scope.sessions(),
      pathMap,
      isInProject: (file: string) => this.isInProject(file),
      relativePath: (file: string) => this.relativePath(file),
    };
    const plain = filter ? null : plainRowStats(scope.rowCopies(), input);
    if (plain !== null) {
      const { events, outsideProject: outside, eventsFromDeletedTraces: deleted, fileSet: files, sessionSets: sessions, byModel, byAgent } = plain;
      scope.keepPlainCounts?.(this.roots, { events, outside, deleted, skipped: scope.stats.skippedLines, files, sessions, byModel, byAgent });
    }
    const counts = plain ?? rowStats({ ...input, rows: scope.rows() }, filter);
    return this.statsJson({ skipped: scope.stats.skippedLines, deleted: plain?.eventsFromDeletedTraces ?? scope.stats.eventsFromDeletedTraces }, counts);
  }

  private statsJson(index: { skipped: number; deleted: number }, counts: Omit<RowStats, "files" | "sessions"> & { files: number; sessions: number }): StatsJson {
    return {
      traceFiles: this.data.traceFiles,
      sessions: counts.sessions,
      events: counts.events,
      files: counts.files,
      skippedLines: index.skipped,
      byModel: sortKeys(counts.byModel),
      byAgent: sortKeys(counts.byAgent),
      eventsFromDeletedTraces: index.deleted,
      unreadableTraceFiles: this.data.unreadableTraceFiles,
      outsideProject: counts.outsideProject,
    };
  }

  timeline(filter?: EventFilter): TimelineEntryJson[] {
    return this.events(filter).map((e) => ({
      timestamp: e.timestamp,
      file: this.relativePath(e.file),
      action: e.action,
      model: e.model,
      agent: e.agent,
      agentVersion: e.agentVersion,
      sessionId: e.sessionId,
      toolCallId: e.toolCallId,
      changeSize: e.changeSize,
    }));
  }

  blame(path: string, text?: string, options?: BlameOptions): BlameJson {
    const abs = normalizePath(isAbsolute(path) ? path : resolve(this.data.projectDir, path));
    let current = text;
    if (current === undefined) {
      let stat;
      try {
        stat = statSync(abs);
      } catch {
        throw new AiBlameError("not-found", `file not found: ${path}`);
      }
      if (stat.isDirectory()) throw new AiBlameError("usage", `${path} is a directory, not a file`);
      const bytes = readFileSync(abs);
      if (bytes.subarray(0, 8192).includes(0)) throw new AiBlameError("binary-file", `${path} is a binary file`);
      current = bytes.toString("utf8");
    } else if (isBinaryText(current)) {
      throw new AiBlameError("binary-file", `${path} is a binary file`);
    }
    const strictWhitespace = options?.strictWhitespace === true;
    const replays = this.contents.replays?.(abs, strictWhitespace);
    // A kept replay whose history's sources are unchanged: its history is too, and no event needs reading.
    const kept = replays?.kept();
    if (replays !== undefined && kept?.history !== undefined && this.keptHistoryHolds(kept.history, replays)) {
      const result = attributeKept({ ...kept, history: kept.history }, current, { strictWhitespace }, replays);
      if (result !== undefined) return { file: this.relativePath(abs), ...result };
    }
    const { events, read } = this.historyOfFile(abs, current);
    const sources = read === null ? null : this.historySources(read);
    const scope = this.scopeSources();
    const history = read === null || sources === null ? undefined : { ...read, sources, ...(scope === null ? {} : { scope }) };
    const result = attributeFile(events, this.contents, current, { strictWhitespace }, replays, history);
    return { file: this.relativePath(abs), ...result };
  }

  /**
   * Whether a kept history is the one the index holds now: every record in scope unchanged (read from none), else
   * the records holding its files' events unchanged (kept again with the scope as it is now, so the next blame
   * checks it the cheap way).
   */
  private keptHistoryHolds(history: NonNullable<KeptReplay["history"]>, replays: Replays): boolean {
    if (history.personRenames && this.someVanished()) return false;
    const scope = this.scopeSources();
    if (scope !== null && history.scope === scope) return true;
    if (this.historySources(history) !== history.sources) return false;
    if (scope !== null) replays.keepAgain({ history: { ...history, scope } });
    return true;
  }

  /** The digest of every record in scope with this build, the project's roots and path map (once per snapshot). */
  private scopeSources(): string | null {
    if (this.scopeDigest === undefined) {
      const records = this.data.scope.scopeDigest();
      const parts = [__AI_BLAME_VERSION__, this.roots, this.data.pathMap ?? [], records];
      this.scopeDigest = records === null ? null : createHash("sha1").update(JSON.stringify(parts)).digest("hex");
    }
    return this.scopeDigest;
  }

  /**
   * The digest of what a history read (HistoryRead): this build, the project's roots and path map, and the index
   * records the events of those files come from; null when the index cannot name them, or the history looked for
   * renames by a person and a file with events has vanished since (such renames depend on more than the index).
   */
  private historySources(read: HistoryRead): string | null {
    if (read.personRenames && this.someVanished()) return null;
    const pathMap = this.data.pathMap ?? [];
    const files = new Set(read.files);
    const records = this.data.scope.sourcesOf((recorded) => files.has(rerootedPath(recorded, pathMap)));
    if (records === null) return null;
    const parts = [__AI_BLAME_VERSION__, this.roots, pathMap, read.files, read.personRenames, records];
    return createHash("sha1").update(JSON.stringify(parts)).digest("hex");
  }

  listTranscripts(onProgress?: (p: RefreshProgress) => void): Promise<TranscriptListing> {
    return listTranscripts(
      this.data.scope.sessions().map((s) => s.traceFile),
      onProgress,
    );
  }

  transcript(query: string): Promise<NamedTranscript | null> {
    return namedTranscript(this.sessionSource(), query);
  }

  transcriptMarkdown(args: ShowTranscriptArgs, options: { editor?: boolean } = {}): Promise<ShowTranscriptResult | null> {
    return sessionMarkdown(this.sessionSource(), args, options);
  }

  private sessionSource(): SessionSource {
    return { sessions: this.data.scope.sessions(), events: this.sorted, relativePath: (file) => this.relativePath(file) };
  }

  searchTranscripts(options: TranscriptSearchOptions, onProgress?: (p: RefreshProgress) => void): Promise<TranscriptSearchResult> {
    return searchTranscripts(
      this.data.scope.sessions().map((s) => s.traceFile),
      options,
      onProgress,
    );
  }

  /**
   * The events of one file across renames: recorded ones (Codex moves, shell `mv`) always; renames by a person
   * (git, or content) when the file's own events do not start its history. With what the history read, or null when
   * that is more than the index's events (the file's own reached through its real path, renames by a person found).
   */
  private historyOfFile(abs: string, text: string): { events: EditEvent[]; read: HistoryRead | null } {
    const direct = this.eventsOf(abs);
    const own = direct.length > 0 ? direct : this.eventsOfRealPath(abs);
    const file = own[0]?.file ?? abs;
    const files = [abs];
    const eventsOf = (f: string) => {
      if (f === file) return own;
      files.push(f);
      return this.eventsOf(f);
    };
    if (hasOrigin(own)) {
      const events = historyOf(file, eventsOf);
      return { events, read: direct.length > 0 ? { files, personRenames: false } : null };
    }
    const committedRenames = (f: string): CommittedRename[] => {
      let found = this.committedRenames.get(f);
      if (found === undefined) {
        found = committedRenamesInto(f);
        this.committedRenames.set(f, found);
      }
      return found;
    };
    const renames = personRenamesInto(file, text, { eventsOf, vanished: () => this.vanished(), committedRenames, contents: this.contents });
    const events = historyOf(file, eventsOf, renames);
    return { events, read: direct.length > 0 && renames.length === 0 && this.vanished().length === 0 ? { files, personRenames: true } : null };
  }

  /** Files with events that are gone from disk (computed once per snapshot). */
  private vanished(): string[] {
    // Usually none: the files are checked without building the index by file, which keeps its order when some are.
    this.vanishedFiles ??= this.someVanished() ? [...this.fileIndex().keys()].filter((f) => !existsSync(f)) : [];
    return this.vanishedFiles;
  }

  /** Whether some file with events is gone from disk (checked once per snapshot: a report blames many files). */
  private someVanished(): boolean {
    if (this.anyVanished === null) {
      const pathMap = this.data.pathMap ?? [];
      this.anyVanished = false;
      for (const recorded of this.data.scope.eventFiles()) {
        const file = rerootedPath(recorded, pathMap);
        if (this.isInProject(file) && !existsSync(file)) {
          this.anyVanished = true;
          break;
        }
      }
    }
    return this.anyVanished;
  }

  /** The project's events of one file (absolute path) in time order, decoding no other file's events. */
  private eventsOf(file: string): EditEvent[] {
    if (this.byFile !== null || this.inProject !== null) return this.fileIndex().get(file) ?? [];
    let events = this.ofFile.get(file);
    if (events === undefined) {
      const pathMap = this.data.pathMap ?? [];
      const own = this.isInProject(file) ? this.data.scope.eventsOfFiles((recorded) => rerootedPath(recorded, pathMap) === file) : [];
      events = dedupeEvents(rerooted(own, pathMap));
      this.ofFile.set(file, events);
    }
    return events;
  }

  /** Events by file (absolute path), built on first use. */
  private fileIndex(): Map<string, EditEvent[]> {
    if (!this.byFile) {
      this.byFile = new Map();
      for (const e of this.sorted) {
        const list = this.byFile.get(e.file);
        if (list) list.push(e);
        else this.byFile.set(e.file, [e]);
      }
    }
    return this.byFile;
  }

  /** Events of one file by its real path (a project reached through a symlink: traces record the real path). */
  private eventsOfRealPath(abs: string): EditEvent[] {
    try {
      const real = normalizePath(realpathSync(abs));
      return real === abs ? [] : this.eventsOf(real);
    } catch {
      return [];
    }
  }
}

/** The tally as a JSON object sorted by key; fromEntries defines every key as an own property (`__proto__` too). */
function sortKeys(tally: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...tally].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Events with their file re-rooted by the first mapping whose old path holds it (others as they are). */
function rerooted(events: EditEvent[], pathMap: readonly PathMapping[]): EditEvent[] {
  if (pathMap.length === 0) return events;
  return events.map((event) => {
    const file = rerootedPath(event.file, pathMap);
    return file === event.file ? event : { ...event, file };
  });
}
