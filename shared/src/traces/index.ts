// The trace parsers by agent, the one place a new agent's parser is registered, and the reading helpers the rest
// of the engine uses. Parsers are stateless objects: all per-file state travels through ParseInput/ParseOutput.

import type { AgentKind } from "../events/edit-event";
import { ClaudeTraceParser } from "./claude";
import { CodexTraceParser } from "./codex";
import type { TraceParser } from "./parser";

export const parsersByAgent: Record<AgentKind, TraceParser> = {
  "claude-code": new ClaudeTraceParser(),
  "codex-cli": new CodexTraceParser(),
};

export { ClaudeTraceParser } from "./claude";
export { CodexTraceParser } from "./codex";
export { parseApplyPatch, type PatchOp } from "./apply-patch";
export { applyHunks, applyStringEdits } from "./claude-edits";
export { MAX_LINE_BYTES, readLines, type ReadLinesResult } from "./jsonl-reader";
export type { ParseInput, ParseOutput, TraceParser } from "./parser";
