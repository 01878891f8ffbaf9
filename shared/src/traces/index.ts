// The trace parsers by agent (from the agent registry) and the reading helpers the rest of the engine uses.
// Parsers are stateless objects: all per-file state travels through ParseInput/ParseOutput.

export { parsersByAgent } from "../agents/registry";

export { ClaudeTraceParser } from "../agents/claude/parser";
export { CodexTraceParser } from "../agents/codex/parser";
export { parseApplyPatch, type PatchOp } from "./apply-patch";
export { applyHunks, applyStringEdits } from "../agents/claude/edits";
export { MAX_LINE_BYTES, readLines, type ReadLinesResult, useBlockingReads } from "./jsonl-reader";
export type { ParseInput, ParseOutput, TraceParser } from "./parser";
