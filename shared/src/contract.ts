// Plain data shared with every consumer of the engine: the machine-readable output contract of SPEC §6 (what
// `--json` prints and what the LSP server converts), editor settings with their defaults, the names of custom
// LSP commands/methods, and the display form of model ids. No imports, so the VS Code client can import it without
// pulling in the engine.

/** `stats --json` */
export interface StatsJson {
  traceFiles: number;
  sessions: number;
  events: number;
  files: number;
  skippedLines: number;
  byModel: Record<string, number>;
  byAgent: Record<string, number>;
  /** Events kept in the durable index whose trace file no longer exists. */
  eventsFromDeletedTraces: number;
  /** Trace files that were found but could not be read (permission denied, vanished). */
  unreadableTraceFiles: number;
  /**
   * Edits the project's sessions made to files outside the project (scratch files in /tmp, another repository):
   * left out of every other count and of timeline, blame and annotate, counted here so nothing vanishes silently.
   */
  outsideProject: number;
}

/** One entry of `timeline --json` (oldest first). */
export interface TimelineEntryJson {
  timestamp: string;
  file: string;
  action: "CREATED" | "EDITED" | "DELETED";
  model: string;
  agent: string;
  agentVersion: string | null;
  sessionId: string;
  toolCallId: string;
  changeSize: number;
}

/** Who last wrote a line (the subset of an edit event an editor needs). */
export interface LineOwnerJson {
  timestamp: string;
  model: string;
  agent: string;
  agentVersion: string | null;
  sessionId: string;
  action: "CREATED" | "EDITED" | "DELETED";
  toolCallId: string;
  promptId: string | null;
  promptText: string | null;
  /** The edit event id (stable), so editors can ask for the transcript at this tool call. */
  eventId: string;
  traceFile: string;
}

export type UnattributedReason = "not-in-traces" | "changed-after-ai" | "changed-outside-traces";

/** The commit that last changed a line, from `git blame` (only in a git repository). */
export interface CommitJson {
  sha: string;
  author: string;
  authorMail: string;
  /** ISO 8601 UTC. */
  authorTime: string;
  summary: string;
  /** The file's path in that commit (renames followed). */
  path: string;
  /** The line's 1-based number in that commit's version of the file. */
  line: number;
}

/** Where a line's owner came from: the local traces, or a git note (`refs/notes/ai-blame`) of its commit. */
export type OwnerSource = "trace" | "note";

export interface BlameLineJson {
  /** 1-based. */
  line: number;
  text: string;
  owner: LineOwnerJson | null;
  reason: UnattributedReason | null;
  /** Present (true) when the line differs from what its owner wrote only in whitespace or in how it is split. */
  reformatted?: true;
  /** Present (true) when the line was moved within the file since its owner wrote it (git blame -M). */
  moved?: true;
  /** In a git repository: the commit of the line, null when not committed yet. Absent outside git. */
  commit?: CommitJson | null;
  /** With an owner in a git repository: which source gave it. */
  source?: OwnerSource | null;
}

export interface BlameBlockJson {
  /** 1-based, inclusive. */
  start: number;
  end: number;
  owner: LineOwnerJson | null;
  reason: UnattributedReason | null;
  /** As on the block's lines. */
  reformatted?: true;
  moved?: true;
}

/** `blame FILE --json` */
export interface BlameJson {
  file: string;
  lines: BlameLineJson[];
  blocks: BlameBlockJson[];
  /** Timestamp of the first AI event that created the file, if any. */
  created: string | null;
  /** Number of events of this file that were replayed. */
  events: number;
  /** Steps that could not be applied exactly and fell back to locating the new text in the current content. */
  fallbacks: number;
}

/** Editor settings (`aiBlame.*`). The server normalizes whatever arrives against these defaults. */
export interface AiBlameSettings {
  /** Home folder that holds `.claude` / `.codex` (default: the user's home). */
  home: string | null;
  /** Extra trace folders to scan. */
  traceDirs: string[];
  /** `OLD: NEW`: paths recorded under OLD are the project's files under NEW (`--path-map`; a moved project). */
  pathMap: Record<string, string>;
  /** Which agents' traces to read, by the engine's agent names (`--agents`); one key per agent of the registry. */
  agents: { claude: boolean; codex: boolean; gemini: boolean; "agent-trace": boolean; opencode: boolean };
  /** `region`: one lens per AI region (runs of a session with small human gaps absorbed); `file`: one at the top. */
  codeLens: { enabled: boolean; scope: "region" | "file" };
  /**
   * `unattributed`: what the hover says on a line no AI edit wrote. `off`: nothing; `brief` (default): one line with
   * the reason, only in files some AI edit touched; `full`: a heading and the reason, in every file.
   */
  hover: { detail: "minimal" | "normal" | "full"; unattributed: "off" | "brief" | "full" };
  inlayHints: { enabled: boolean };
  currentLine: { enabled: boolean };
  /** VS Code's file blame column: tint newer AI edits stronger (and mark them in the overview ruler). */
  fileBlame: { heatmap: boolean };
  /** VS Code's explorer: a badge per file with its AI share (one project-wide computation per index change). */
  explorerDecorations: { enabled: boolean };
  /** How many documents' blame results the server keeps (LRU). */
  cacheSize: number;
  logLevel: "error" | "warn" | "info" | "debug";
}

export const defaultSettings: AiBlameSettings = {
  home: null,
  traceDirs: [],
  pathMap: {},
  agents: { claude: true, codex: true, gemini: true, "agent-trace": true, opencode: true },
  codeLens: { enabled: true, scope: "region" },
  hover: { detail: "normal", unattributed: "brief" },
  inlayHints: { enabled: false },
  currentLine: { enabled: true },
  fileBlame: { heatmap: false },
  explorerDecorations: { enabled: false },
  cacheSize: 50,
  logLevel: "info",
};

/** Command ids (LSP `workspace/executeCommand` and VS Code commands). */
export const Commands = {
  showTranscript: "aiBlame.showTranscript",
  /** VS Code only (the extension answers it): the diff of one edit, arguments `[{uri, sessionId, toolCallId}]`. */
  showChange: "aiBlame.showChange",
  /** VS Code only: the diff of the AI edit that wrote a line before its current owner, arguments `[{uri, line}]`. */
  showPreviousEdit: "aiBlame.showPreviousEdit",
  refresh: "aiBlame.refresh",
  toggleCodeLens: "aiBlame.toggleCodeLens",
  showFileEdits: "aiBlame.showFileEdits",
  showLog: "aiBlame.showLog",
  /** Server command: the sessions whose conversation matches a query (`transcript search`). */
  searchTranscripts: "aiBlame.searchTranscripts",
  /** Client command "Search AI sessions": asks for a query, runs `searchTranscripts`, opens the session picked. */
  searchSessions: "aiBlame.searchSessions",
} as const;

/** Arguments of `aiBlame.searchTranscripts`. */
export interface SearchTranscriptsArgs {
  query: string;
  regex?: boolean;
  caseSensitive?: boolean;
  /** At most this many sessions (default 50). */
  limit?: number;
}

/** One session found by `aiBlame.searchTranscripts`, with up to three snippets. */
export interface SearchTranscriptsHit {
  sessionId: string;
  agent: string;
  startTime: string | null;
  title: string | null;
  messageCount: number;
  traceFile: string;
  matches: Array<{ role: string; timestamp: string; blockType: string; snippet: string }>;
}

/** Result of `aiBlame.searchTranscripts`: sessions of every workspace folder, newest first. */
export interface SearchTranscriptsResult {
  hits: SearchTranscriptsHit[];
  totalMatches: number;
}

/** Arguments of `aiBlame.showTranscript`: the session and, optionally, the tool call to open it at. */
export interface ShowTranscriptArgs {
  sessionId: string;
  toolCallId?: string | null;
  traceFile?: string | null;
}

/** Result of `aiBlame.showTranscript`. */
export interface ShowTranscriptResult {
  title: string;
  markdown: string;
  /** 1-based line of the markdown where the tool call is rendered, when asked for one. */
  line: number | null;
}

/** Custom request `aiBlame/lineInfo`: provenance of one line, for the current-line annotation. */
export const LineInfoRequest = "aiBlame/lineInfo";
export interface LineInfoParams {
  uri: string;
  /** 0-based, as in LSP positions. */
  line: number;
}
export interface LineInfoResult {
  owner: LineOwnerJson | null;
  reason: UnattributedReason | null;
  /** A short one-line label, e.g. "claude-opus-4-5, 2 days ago · session 1a2b3c". */
  label: string | null;
}

/** Custom request `aiBlame/fileInfo`: per-file summary for the status bar and "Show AI Edits in This File". */
export const FileInfoRequest = "aiBlame/fileInfo";
export interface FileInfoParams {
  uri: string;
}
export interface FileInfoResult {
  totalLines: number;
  aiLines: number;
  blocks: BlameBlockJson[];
  events: TimelineEntryJson[];
  /** One entry per edit of this file (oldest first), with the lines of the current text it still owns. */
  edits: FileEditJson[];
  /** Present when the file's project has no agent trace at all: "no agent traces found for /p (looked in …)". */
  notice?: string;
}

/** An edit of a file as an editor lists it. */
export interface FileEditJson extends TimelineEntryJson {
  eventId: string;
  promptText: string | null;
  traceFile: string;
  /** 1-based inclusive ranges of current lines this edit wrote (empty when later edits replaced them all). */
  lines: [number, number][];
}

/** Custom request `aiBlame/editContents`: the file's whole content before and after one edit ("show the change"). */
export const EditContentsRequest = "aiBlame/editContents";
export interface EditContentsParams {
  uri: string;
  sessionId: string;
  toolCallId: string;
}
/** Null when no edit of that file has this session and tool call, or the traces cannot tell its contents. */
export type EditContentsResult = {
  /** Path relative to the project. */
  file: string;
  timestamp: string;
  model: string;
  before: string;
  after: string;
} | null;

/**
 * Custom request `aiBlame/previousEdit`: the AI edit that wrote a line before the edit that owns it now (the owner of
 * that line in the file as of just before the current owner's edit). `line` is 0-based.
 */
export const PreviousEditRequest = "aiBlame/previousEdit";
export interface PreviousEditParams {
  uri: string;
  line: number;
}
/** Null when the line has no AI owner, its owner inserted it, or no earlier AI edit wrote the line it replaced. */
export type PreviousEditResult = {
  /** The earlier edit (its sessionId and toolCallId open its change with aiBlame/editContents). */
  owner: LineOwnerJson;
  /** 1-based line of the file as it was just before the current owner's edit. */
  line: number;
} | null;

/**
 * Custom request `aiBlame/fileShares` (no params): each file of every workspace folder that AI edits wrote lines of,
 * with its share, from one project-wide pass (`stats --lines`) computed once per index change.
 */
export const FileSharesRequest = "aiBlame/fileShares";
export interface FileShareJson {
  /** file: URI. */
  uri: string;
  totalLines: number;
  aiLines: number;
}
export type FileSharesResult = FileShareJson[];

/** Custom request `aiBlame/sessions` (no params): the AI sessions of every workspace folder, newest first. */
export const SessionsRequest = "aiBlame/sessions";
export interface SessionEditJson {
  /** The edit's own session (a subagent's `<parent>/agent-<id>`), for aiBlame/editContents. */
  sessionId: string;
  /** file: URI of the edited file. */
  uri: string;
  /** Path relative to its project. */
  file: string;
  timestamp: string;
  action: "CREATED" | "EDITED" | "DELETED";
  model: string;
  toolCallId: string;
  traceFile: string;
}
export interface SessionJson {
  sessionId: string;
  agent: string;
  models: string[];
  startTime: string | null;
  firstPrompt: string | null;
  traceFile: string;
  /** Its edits (a Claude subagent's included), oldest first. */
  edits: SessionEditJson[];
}
export type SessionsResult = SessionJson[];

/**
 * Notification `aiBlame/indexChanged` (server → client, no params): the traces grew and the index changed. Sent
 * only to clients that declare `experimental.aiBlame.indexChanged` (the VS Code extension's sessions view).
 */
export const IndexChangedNotification = "aiBlame/indexChanged";

/**
 * Display name of a model id: `claude-opus-4-5-20251101` → `claude-opus-4-5`. Narrow columns, lenses and labels
 * show the family; JSON output keeps the id exactly as recorded.
 */
export function shortModelName(model: string): string {
  return model.replace(/-(?:19|20)\d{6}$/, "");
}
