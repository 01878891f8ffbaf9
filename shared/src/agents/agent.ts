// The one interface every agent implements: where its traces live for a project (discovery), how its trace files
// are recognised when found elsewhere (`--trace-dir`), its edit parser and its transcript reader. An agent is one
// folder `agents/<name>/` exporting an AgentModule, plus one line in `agents/registry.ts`.

import type { WatchRoot } from "../engine-api";
import type { TraceParser } from "../traces/parser";
import type { Transcript } from "../transcripts/model";
import type { FoundFile } from "../discovery/walk";
import type { HeadInfo } from "../discovery/head";

/** What discovery offers an agent: the project, the environment, and where to put the files and folders found. */
export interface DiscoveryContext {
  /** The project folder as given and, when different, its real path (sessions may record either). */
  readonly projectPaths: readonly string[];
  /** The home folder holding the agents' folders (`--home`, `aiBlame.home`, else the user's). */
  readonly home: string;
  /**
   * An environment variable that relocates this agent's folder (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`…); undefined when
   * an explicit home was given, since such variables describe the user's real home only.
   */
  homeVariable(name: string): string | undefined;
  /** Trace files of this agent named explicitly (`EngineOptions.extraTraceFiles[<name>]`), as given. */
  readonly extraFiles: readonly string[];
  /**
   * Whether a session that recorded this working directory may have edited the project: the directory is the
   * project, inside it, or one of its ancestors (edits outside the project are left out later, at query time).
   */
  inProject(cwd: string | null): boolean;
  /**
   * Declares that a trace recorded under `oldPath` is the project's (a project moved or renamed after the session):
   * paths under `oldPath` are re-rooted onto the project.
   */
  movedFrom(oldPath: string): void;
  /**
   * Trace files under a folder (recursively; `.jsonl`, `.jsonl.zst` when allowed, and `extraSuffixes`). Symlinks
   * leading out of `within` (default: the folder) are followed only shallowly, their files marked `outside`: take
   * such a file only when its recorded cwd is in the project.
   */
  walk(dir: string, options?: { compressed?: boolean; extraSuffixes?: readonly string[]; within?: string }): Promise<FoundFile[]>;
  /** The recorded cwd of a file's head (null = unreadable, counted). */
  head(file: FoundFile): Promise<HeadInfo | null> | HeadInfo | null;
  /** Whether a folder exists now. */
  exists(path: string): Promise<boolean>;
  /** Counts a file or folder that could not be read. */
  countUnreadable(): void;
  /** Keeps a trace file of this agent (`scope`: read it only for the project's sessions, see DiscoveredTrace). */
  add(file: FoundFile & { scope?: string[] }): void;
  /** A folder to watch for this agent's traces of the project. */
  watch(root: Omit<WatchRoot, "agent">): void;
}

/** How an agent's transcripts are read from the records of a trace file (one record per JSONL line). */
export interface TranscriptReader {
  looksLike(records: readonly Record<string, unknown>[]): boolean;
  parse(records: Record<string, unknown>[], path: string): Transcript;
}

export interface AgentModule<Kind extends string = string> {
  /** The id recorded on events and sessions (`claude-code`). */
  readonly kind: Kind;
  /** The short name of `--agents`, `.ai-blame.yaml` and the editor setting `aiBlame.agents.<name>` (`claude`). */
  readonly name: string;
  /** How people call it (`Claude Code`). */
  readonly displayName: string;
  readonly parser: TraceParser;
  /** Adds the project's trace files of this agent and the folders to watch. */
  discover(ctx: DiscoveryContext): Promise<void>;
  /** Trace file name endings besides `.jsonl`/`.jsonl.zst` (`.json`): walked in `--trace-dir`, watched live. */
  readonly extraTraceSuffixes?: readonly string[];
  /** A file found in a `--trace-dir` that is this agent's by its name alone (no need to read its head). */
  ownsFileName?(name: string, compressed: boolean): boolean;
  /** How sure (0 no, 1 plausible, 2 certain) a JSON record at the head of a file is this agent's. */
  matchesHeadRecord(record: Record<string, unknown>): 0 | 1 | 2;
  /** Last resort on a head cut inside a long first line: whether its raw text is this agent's. */
  matchesHeadText(text: string): boolean;
  readonly transcripts: TranscriptReader;
  /** A trace of this agent that holds no transcript of its own (left out of `transcript list`, not counted unreadable). */
  hasNoTranscript?(path: string): boolean;
}
