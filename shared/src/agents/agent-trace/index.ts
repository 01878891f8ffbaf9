// Agent Trace records as an agent module: `.agent-trace/traces.jsonl` written by hooks (Cursor, Claude Code and
// other tools following agent-trace.dev), read as another source of AI line attributions.

import type { AgentModule } from "../agent";
import { discoverAgentTrace } from "./discovery";
import { AgentTraceParser } from "./parser";
import { looksLikeAgentTrace } from "./record";
import { looksLikeAgentTraceFile, parseAgentTraceTranscript } from "./transcript";

export const agentTraceAgent: AgentModule<"agent-trace"> = {
  kind: "agent-trace",
  name: "agent-trace",
  displayName: "Agent Trace",
  parser: new AgentTraceParser(),
  discover: discoverAgentTrace,
  ownsFileName: (name) => name === "traces.jsonl",
  matchesHeadRecord: (r) => (looksLikeAgentTrace(r) ? 2 : 0),
  matchesHeadText: (text) => /^\s*\{\s*"version"\s*:\s*"[0-9]+\.[0-9]+"\s*,\s*"id"\s*:\s*"/.test(text),
  transcripts: { looksLike: looksLikeAgentTraceFile, parse: parseAgentTraceTranscript },
};
