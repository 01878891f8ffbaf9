// The trace parsers by agent, the one place a new agent's parser is registered, and the reading helpers the rest
// of the engine uses. Parsers are stateless objects: all per-file state travels through ParseInput/ParseOutput.

import type { AgentKind } from "../events/edit-event";
import { ClaudeTraceParser } from "../agents/claude/parser";
import { CodexTraceParser } from "../agents/codex/parser";
import type { TraceParser } from "./parser";

export const parsersByAgent: Record<AgentKind, TraceParser> = {
  "claude-code": new ClaudeTraceParser(),
  "codex-cli": new CodexTraceParser(),
};

export { ClaudeTraceParser } from "../agents/claude/parser";
export { CodexTraceParser } from "../agents/codex/parser";
export { parseApplyPatch, type PatchOp } from "./apply-patch";
export { applyHunks, applyStringEdits } from "../agents/claude/edits";
export { MAX_LINE_BYTES, readLines, type ReadLinesResult } from "./jsonl-reader";
export type { ParseInput, ParseOutput, TraceParser } from "./parser";
