// The engine façade: the only module cli/ and server/ import. Everything exported here is the engine's public API;
// deep imports into shared/src are forbidden outside shared/ (tests/architecture.test.ts enforces it).

/** Creates an engine for a project: `createEngine(options).refresh()` then `.snapshot()` to query. */
export { createEngine } from "./engine";
export type {
  Engine,
  EngineOptions,
  RefreshProgress,
  RefreshResult,
  Snapshot,
  TranscriptOptions,
  WatchRoot,
} from "./engine-api";
export type { AgentKind, EditAction, EditEvent, SessionInfo } from "./events/edit-event";
export type { EventFilter } from "./events/filter";
export { AiBlameError, isAiBlameError, type AiBlameErrorCode } from "./util/errors";
export { silentLog, type Log } from "./util/log";
export * from "./contract";
