// Gemini CLI as an agent module: sessions under `~/.gemini/tmp/<project id>/chats/` as whole `session-*.json`
// files (older versions) or append-only `.jsonl` logs, subagent sessions in `chats/<parent session id>/`.

import type { AgentModule } from "../agent";
import { discoverGemini } from "./discovery";
import { GeminiTraceParser } from "./parser";
import { looksLikeGemini, parseGeminiTranscript } from "./transcript";

export const geminiAgent: AgentModule<"gemini-cli"> = {
  kind: "gemini-cli",
  name: "gemini",
  displayName: "Gemini CLI",
  parser: new GeminiTraceParser(),
  discover: discoverGemini,
  extraTraceSuffixes: [".json"],
  ownsFileName: (name) => name.startsWith("session-") && name.endsWith(".json"),
  matchesHeadRecord: (r) => (typeof r.sessionId === "string" && typeof r.projectHash === "string" ? 2 : 0),
  matchesHeadText: (text) => /^\s*\{\s*"sessionId"\s*:\s*"[^"]*"\s*,\s*"projectHash"/.test(text),
  transcripts: { looksLike: looksLikeGemini, parse: parseGeminiTranscript },
};
