// The engine façade: the only module cli/ and server/ import. Everything exported here is the engine's public API:
// the engine and its snapshots, the result types they answer with, and the few helpers adapters need to show those
// results (escaping, labels). Deep imports into shared/src are forbidden outside shared/ (tests/architecture.test.ts
// enforces it); an internal helper is exported only when an adapter uses it.

/** Creates an engine for a project: `createEngine(options).refresh()` then `.snapshot()` to query. */
export { createEngine } from "./engine";
export type {
  BlameOptions,
  Engine,
  EngineOptions,
  RefreshProgress,
  RefreshResult,
  Snapshot,
  TranscriptOptions,
  WatchRoot,
  PathMapping,
} from "./engine-api";
export type { KeepContentsResult } from "./store/content-keeper";
export type { AgentKind, EditAction, EditEvent, SessionInfo } from "./events/edit-event";
export { agentNames, isTraceFileName } from "./agents/registry";
export type { EventFilter } from "./events/filter";
/** AI runs of a blame: the regions code lenses and inlay hints mark. */
export { aiRegions, fileRegion, runSession, type AiRun } from "./attribution/runs";
export { sessionPrefixLength } from "./events/session-prefix";
/** The content before and after one edit (the editor's "show the change"). */
export { editContents, type EditContents } from "./attribution/edit-contents";
/** The owner of a line as of just before a given edit (the editor's "previous AI edit of this line"). */
export { previousLineOwner, type PreviousOwner } from "./attribution/previous-owner";
export { isAiBlameError, type AiBlameError, type AiBlameErrorCode } from "./util/errors";
export type { Log } from "./util/log";
export { defaultDataDir } from "./store/data-dir";
/** The project a folder belongs to (git work tree, else the nearest folder with traces), and the no-trace message. */
export { gitWorkTreeOf, noTracesMessage, resolveProjectDir } from "./discovery/project-root";
export * from "./contract";

/** Annotation (`init`, `report`, `annotate`): config, plans, writers. */
export {
  loadConfig,
  type AnnotateConfig,
  type InitFlavor,
  type OutputRule,
  type Policy,
} from "./annotate/config";
export { writeInitConfig } from "./annotate/init";
export type { FilePlan } from "./annotate/plan";
export { historyYaml, planProject, reportJson, type PlanOptions, type ReportJson } from "./annotate/report";
export { applyPlans, type AnnotateCounts, type AnnotateOutcome, type AnnotateResult, type AnnotateStatus } from "./annotate/apply";

/** Transcripts (`transcript list/view`, the editor's "show transcript"). */
export { loadTranscript, type TranscriptListing } from "./transcripts/load";
export { truncate, type Transcript, type TranscriptMessage, type TranscriptSummary } from "./transcripts/model";
export { renderTranscriptJson, renderTranscriptText, type TranscriptRenderOptions } from "./transcripts/render-text";
export { renderTranscriptMarkdown } from "./transcripts/render-markdown";
export { hideInjected } from "./transcripts/injected";
export { absoluteTime, agentLabel, quotePrompt, shortSession, trimPrompt, type NamedTranscript } from "./transcripts/session-view";
export type {
  SearchBlockType,
  TranscriptSearchHit,
  TranscriptSearchMatch,
  TranscriptSearchOptions,
  TranscriptSearchResult,
} from "./transcripts/search";
/** Every human (non-JSON) renderer passes trace strings through this before they reach a terminal. */
export { escapeCell, escapeControlChars, jsonForTerminal } from "./transcripts/control-chars";
/** Every markdown renderer (hovers, transcript markdown) passes trace strings through these. */
export { codeSpan, escapeMarkdown } from "./util/markdown";

/** Git: commits of blamed lines, notes (`refs/notes/ai-blame`), hooks, log, export. */
export { GitBlamer } from "./git/blame-git";
export { type FileShare, lineShares, type LineOwnerKind, type LineShareJson, type LineSharesJson, type LineSharesScopeJson } from "./git/line-shares";
export type { AttributionSource, CommitAttribution, FileAttribution } from "./git/commit-attribution";
export { attributeRange, logEntries, summarize, type LogEntryJson, type LogSummaryJson, type ModelLinesJson, type SessionSummaryJson } from "./git/log";
export { summaryMarkdown } from "./git/summary-markdown";
export { addNotes, pullNotes, pushNotes, type NotesAddOptions, type NotesAddResult, type NotesSyncResult } from "./git/notes-sync";
export { HOOK_LOG, installHooks, parseRewrites, uninstallHooks, type HookName, type HookReport } from "./git/hooks";
export { agentTraceJsonl } from "./git/agent-trace-export";
