// The engine's public API types: options (what CLI flags and editor settings map to), the host that indexes traces,
// and the immutable snapshot that answers queries. Results are plain data in editor vocabulary (contract.ts).

import type { KeepContentsResult } from "./store/content-keeper";
import type {
  BlameJson,
  ShowTranscriptArgs,
  ShowTranscriptResult,
  StatsJson,
  TimelineEntryJson,
} from "./contract";
import type { TranscriptListing } from "./transcripts/load";
import type { NamedTranscript } from "./transcripts/session-view";
import type { AgentKind, EditEvent, SessionInfo } from "./events/edit-event";
import type { EventFilter } from "./events/filter";
import type { TranscriptSearchOptions, TranscriptSearchResult } from "./transcripts/search";
import type { Log } from "./util/log";

export interface EngineOptions {
  /** The project (`--dir`, default: `await resolveProjectDir(cwd)`). Paths in results are relative to it. */
  projectDir: string;
  /**
   * Paths recorded under `from` belong at `to` (`--path-map OLD=NEW`, `aiBlame.pathMap`, `path_map:`): discovery
   * looks for the project's traces under its old path too, and edits recorded there land on the new files.
   */
  pathMap?: PathMapping[];
  /** Home holding `.claude` and `.codex` (`--home`, default: the user's home). */
  home?: string | null;
  /**
   * Explicit trace folders (`--trace-dir`). When given, they replace discovery (as in the reference): every trace
   * in them is read, whatever project it recorded.
   */
  traceDirs?: string[];
  /** Extra trace folders scanned in addition to discovery (editor setting `aiBlame.traceDirs`). */
  extraTraceDirs?: string[];
  /** Trace files to read besides those discovered, by agent name (e.g. `{"agent-trace": ["audit/traces.jsonl"]}`). */
  extraTraceFiles?: Partial<Record<string, string[]>>;
  /**
   * Agents to read by registry name (`claude`, `codex`, …); an agent left out is read. The project's `.ai-blame.yaml`
   * `agents:` list narrows this further, unless `agentsChosen` says the agents were chosen explicitly.
   */
  agents?: Partial<Record<string, boolean>>;
  /** The agents were chosen on the command line (`--agents`, `--skip-…`): the config's `agents:` list is ignored. */
  agentsChosen?: boolean;
  /**
   * Apply the project's `.ai-blame.yaml` (`path_map`, `agents`, `agent_trace_files`; default true). A broken config
   * file is logged as a warning and ignored here (`report` and `annotate` refuse it with its error).
   */
  projectConfig?: boolean;
  /** `on` (default), `off` (`--no-cache`, `AI_BLAME_NO_CACHE=1`), `rebuild` (`--rebuild-cache`). */
  cache?: "on" | "off" | "rebuild";
  /**
   * The snapshot is asked only for `stats` counts (the CLI's `stats` without `--lines`): a trace found unchanged is
   * then skipped on its event table entry alone, without a stat of its record file (one per trace, ~5 ms at 1,083
   * traces), since counts come from the table's rows, never from record files (store/record-lookup.ts says why that
   * is exact), and the flush of its first index leaves the event table's directory to that count, which writes it once with its counts
   * (store/record-lookup.ts save). Not for an engine whose snapshot reads events (blame, timeline, the server).
   */
  countsOnly?: boolean;
  /** Where the durable index lives (default `$AI_BLAME_DATA_DIR`, `$XDG_DATA_HOME/ai-blame`, `~/.local/share/ai-blame`). */
  dataDir?: string | null;
  /** Environment to read `CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `XDG_DATA_HOME`… from (default: process.env). */
  env?: Record<string, string | undefined>;
  log?: Log;
  /**
   * Nothing else needs this thread while it indexes (a command line run, not a server): traces it parses itself are
   * read with blocking reads instead of through the thread pool (TraceIndexOptions.blockingReads), and discovery's
   * walk never stops to let the event loop run (WalkOptions.paced).
   */
  blockingReads?: boolean;
}

/** One `--path-map OLD=NEW`: both absolute. */
export interface PathMapping {
  from: string;
  to: string;
}

export interface RefreshProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface RefreshResult {
  traceFiles: number;
  /** Trace files read (whole or from their last offset) by this refresh. */
  filesRead: number;
  bytesRead: number;
  newEvents: number;
  skippedLines: number;
  durationMs: number;
}

/** A folder the server should watch for trace changes. */
export interface WatchRoot {
  path: string;
  agent: AgentKind;
  /** Whether the folder exists now (watchers must survive it appearing later). */
  exists: boolean;
}

export interface Engine {
  /** Discovers trace files and indexes what is new since the last refresh (only new bytes of grown files). */
  refresh(onProgress?: (p: RefreshProgress) => void): Promise<RefreshResult>;
  /** Re-indexes the given trace files (from a watcher); unknown or vanished paths are handled like refresh does. */
  ingest(paths: string[]): Promise<RefreshResult>;
  /** Folders holding this project's traces, for watchers. */
  watchRoots(): WatchRoot[];
  /** An immutable view of the index as of now. */
  snapshot(): Snapshot;
  /**
   * Caches the Rust ai-blame left for this project (`.ai-blame.ddb`) to tell the user about, once per project (the
   * data folder remembers it); empty when there are none or the project was told before. Call after `refresh()`.
   */
  rustCachesToMention(): string[];
  /** The user data folder of the index and the git blame cache, or null with the cache off. */
  dataDir(): string | null;
  /**
   * Copies into the index up to `limit` of the file contents its edits still reference in their traces (docs/index.md:
   * when contents are copied), then saves the index; 0 only saves what this process already loaded (a blame). Call
   * after `refresh()`.
   */
  keepContents(limit: number): Promise<KeepContentsResult>;
  readonly options: Readonly<EngineOptions>;
}

export interface TranscriptOptions {
  full?: boolean;
  showThinking?: boolean;
  showTools?: boolean;
  /** Terminal width for text output (wrapping). */
  width?: number;
}

/** How `Snapshot.blame` reads the edits no trace explains. */
export interface BlameOptions {
  /** Any whitespace difference from the AI-written line makes it "changed after AI" (default: it keeps its owner, flagged reformatted). */
  strictWhitespace?: boolean;
}

export interface Snapshot {
  /** All events (de-duplicated), filtered, oldest first. */
  events(filter?: EventFilter): EditEvent[];
  sessions(): SessionInfo[];
  /**
   * The ids of `sessions()`, in its order: while no trace changed since a blame kept them, from that (a warm blame's
   * session column need not read every record's metadata).
   */
  sessionIds(): string[];
  stats(filter?: EventFilter): StatsJson;
  timeline(filter?: EventFilter): TimelineEntryJson[];
  /**
   * Per-line attribution of `path` (absolute or relative to the project). `text` is the current content (an unsaved
   * editor buffer); when omitted the file is read from disk.
   */
  blame(path: string, text?: string, options?: BlameOptions): BlameJson;
  /** The path relative to the project, with `/` (absolute when outside the project). */
  relativePath(absPath: string): string;
  /**
   * `transcript search`: the sessions whose conversation matches `options.query`, up to three snippets each, ordered
   * as `transcript list` orders them. Reads the trace files (only those that may match a plain query are parsed).
   */
  /**
   * The session a user names — its id or part of it, a subagent id, a slug, part of its trace path; an exact id
   * first, then a main session over its subagents, then the newest — and its transcript read whole; null when none.
   */
  transcript(query: string): Promise<NamedTranscript | null>;
  /** Summaries of every session's transcript (each trace read whole), ordered as `transcript list` shows them. */
  listTranscripts(onProgress?: (p: RefreshProgress) => void): Promise<TranscriptListing>;
  /**
   * A session (exact id) as markdown for an editor, at the tool call `args.toolCallId` made: the conversation from
   * its trace, or — when the agent has deleted the trace or it cannot be read — the edits the index kept. Null when
   * this snapshot knows no such session. `editor`: fold thinking and tool blocks and show edits as diffs (for a
   * markdown preview that renders `<details>`).
   */
  transcriptMarkdown(args: ShowTranscriptArgs, options?: { editor?: boolean }): Promise<ShowTranscriptResult | null>;
  searchTranscripts(options: TranscriptSearchOptions, onProgress?: (p: RefreshProgress) => void): Promise<TranscriptSearchResult>;
  /** Whole-file content by hash from the content store. */
  content(key: string): string | undefined;
}
