// Claude Code as an agent module: sessions under `~/.claude/projects/<encoded project path>/` (or
// `$CLAUDE_CONFIG_DIR/projects`), one JSONL file per session, subagents in `<session>/subagents/`.

import type { AgentModule } from "../agent";
import { discoverClaude } from "./discovery";
import { ClaudeTraceParser } from "./parser";
import { looksLikeClaude, parseClaudeTranscript } from "./transcript";

const CLAUDE_TYPES = new Set(["user", "assistant", "system", "summary", "file-history-snapshot", "progress", "attachment"]);

export const claudeAgent: AgentModule<"claude-code"> = {
  kind: "claude-code",
  name: "claude",
  displayName: "Claude Code",
  parser: new ClaudeTraceParser(),
  discover: discoverClaude,
  matchesHeadRecord: (r) => (typeof r.type === "string" && CLAUDE_TYPES.has(r.type) ? 2 : typeof r.sessionId === "string" || typeof r.uuid === "string" ? 1 : 0),
  matchesHeadText: (text) => /"sessionId"[ \t]*:[ \t]*"/.test(text) && /"uuid"[ \t]*:[ \t]*"/.test(text),
  transcripts: { looksLike: looksLikeClaude, parse: parseClaudeTranscript },
};
