// An immutable view of the index that answers every query of the engine API. It converts events into the output
// contract (project-relative paths, ISO timestamps) in one place, so `--json` and the LSP server see the same data.

import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { attributeFile, isBinaryText } from "./attribution";
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
import { AiBlameError } from "./util/errors";
import { type CommittedRename, committedRenamesInto } from "./git/follow-renames";
import { normalizePath } from "./util/paths";

export interface SnapshotData {
  projectDir: string;
  events: EditEvent[];
  sessions: SessionInfo[];
  contents: ContentStore | undefined;
  traceFiles: number;
  skippedLines: number;
  eventsFromDeletedTraces: number;
  unreadableTraceFiles: number;
  /** Recorded paths under `from` are read as under `to` (path maps, moved projects); first match wins. */
  pathMap?: PathMapping[];
}

export function createSnapshot(data: SnapshotData): Snapshot {
  return new IndexSnapshot(data);
}

class IndexSnapshot implements Snapshot {
  private readonly sorted: EditEvent[];
  private readonly contents: ContentStore;
  private byFile: Map<string, EditEvent[]> | null = null;
  private vanishedFiles: string[] | null = null;
  private readonly committedRenames = new Map<string, CommittedRename[]>();
  private readonly roots: string[];
  private rootPrefixes: string[] | null = null;
  /** Edits of the project's sessions to files outside the project: only counted (stats). */
  private readonly outside: number;

  constructor(private readonly data: SnapshotData) {
    this.contents = data.contents ?? new MemoryContentStore();
    this.roots = [data.projectDir];
    try {
      const real = normalizePath(realpathSync(data.projectDir));
      if (real !== data.projectDir) this.roots.push(real);
    } catch {
      // A project folder that does not exist is still a valid query root.
    }
    // Forks and resumes copy a session's records into new files: one tool call, several events. Sessions started
    // above the project, or that wandered into /tmp or another repository, also edited files that are not the
    // project's: those are left out of every answer and only counted.
    const all = dedupeEvents(rerooted(data.events, data.pathMap ?? []));
    this.sorted = all.filter((e) => this.isInProject(e.file));
    this.outside = all.length - this.sorted.length;
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
    return this.data.sessions;
  }

  content(key: string): string | undefined {
    return this.contents.get(key);
  }

  stats(filter?: EventFilter): StatsJson {
    const events = this.events(filter);
    // Keyed by trace text: a Map, so model ids such as `constructor` or `__proto__` count like any other.
    const byModel = new Map<string, number>();
    const byAgent = new Map<string, number>();
    const files = new Set<string>();
    // Session ids per agent: no key string built per event.
    const sessions = new Map<string, Set<string>>();
    const addSession = (agent: string, id: string): void => {
      let ids = sessions.get(agent);
      if (ids === undefined) sessions.set(agent, (ids = new Set()));
      ids.add(id);
    };
    for (const e of events) {
      byModel.set(e.model, (byModel.get(e.model) ?? 0) + 1);
      byAgent.set(e.agent, (byAgent.get(e.agent) ?? 0) + 1);
      files.add(e.file);
      addSession(e.agent, e.sessionId);
    }
    for (const s of this.data.sessions) if (!filter) addSession(s.agent, s.sessionId);
    let sessionCount = 0;
    for (const ids of sessions.values()) sessionCount += ids.size;
    return {
      traceFiles: this.data.traceFiles,
      sessions: sessionCount,
      events: events.length,
      files: files.size,
      skippedLines: this.data.skippedLines,
      byModel: sortKeys(byModel),
      byAgent: sortKeys(byAgent),
      eventsFromDeletedTraces: this.data.eventsFromDeletedTraces,
      unreadableTraceFiles: this.data.unreadableTraceFiles,
      outsideProject: this.outside,
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
    const events = this.historyOfFile(abs, current);
    const result = attributeFile(events, this.contents, current, { strictWhitespace: options?.strictWhitespace === true });
    return { file: this.relativePath(abs), ...result };
  }

  listTranscripts(onProgress?: (p: RefreshProgress) => void): Promise<TranscriptListing> {
    return listTranscripts(
      this.data.sessions.map((s) => s.traceFile),
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
    return { sessions: this.data.sessions, events: this.sorted, relativePath: (file) => this.relativePath(file) };
  }

  searchTranscripts(options: TranscriptSearchOptions, onProgress?: (p: RefreshProgress) => void): Promise<TranscriptSearchResult> {
    return searchTranscripts(
      this.data.sessions.map((s) => s.traceFile),
      options,
      onProgress,
    );
  }

  /**
   * The events of one file across renames: recorded ones (Codex moves, shell `mv`) always; renames by a person
   * (git, or content) when the file's own events do not start its history.
   */
  private historyOfFile(abs: string, text: string): EditEvent[] {
    const own = this.eventsOfFile(abs);
    const file = own[0]?.file ?? abs;
    const eventsOf = (f: string) => (f === file ? own : (this.fileIndex().get(f) ?? []));
    if (hasOrigin(own)) return historyOf(file, eventsOf);
    const committedRenames = (f: string): CommittedRename[] => {
      let found = this.committedRenames.get(f);
      if (found === undefined) {
        found = committedRenamesInto(f);
        this.committedRenames.set(f, found);
      }
      return found;
    };
    const renames = personRenamesInto(file, text, { eventsOf, vanished: () => this.vanished(), committedRenames, contents: this.contents });
    return historyOf(file, eventsOf, renames);
  }

  /** Files with events that are gone from disk (computed once per snapshot). */
  private vanished(): string[] {
    this.vanishedFiles ??= [...this.fileIndex().keys()].filter((f) => !existsSync(f));
    return this.vanishedFiles;
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

  /** Events of one file, also when the project is reached through a symlink (traces record the real path). */
  private eventsOfFile(abs: string): EditEvent[] {
    const byFile = this.fileIndex();
    const direct = byFile.get(abs);
    if (direct) return direct;
    try {
      const real = normalizePath(realpathSync(abs));
      return byFile.get(real) ?? [];
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
    for (const { from, to } of pathMap) {
      if (event.file === from || event.file.startsWith(from.endsWith("/") ? from : `${from}/`)) {
        return { ...event, file: to + event.file.slice(from.length) };
      }
    }
    return event;
  });
}
