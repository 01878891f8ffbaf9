// OpenAI Codex CLI as an agent module: rollouts under `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl` (and
// `archived_sessions/`, possibly `.jsonl.zst`), kept when the session's recorded cwd is inside the project.

import { join } from "node:path";
import { normalizePath } from "../../util/paths";
import type { AgentModule, DiscoveryContext } from "../agent";
import { CodexTraceParser } from "./parser";
import { looksLikeCodex, parseCodexTranscript } from "./transcript";

const CODEX_TYPES = new Set(["session_meta", "response_item", "event_msg", "turn_context", "compacted"]);

async function discoverCodex(ctx: DiscoveryContext): Promise<void> {
  // The Codex home: `$CODEX_HOME`, else `<home>/.codex`.
  const codex = normalizePath(ctx.homeVariable("CODEX_HOME") || join(ctx.home, ".codex"));
  for (const sub of ["sessions", "archived_sessions"]) {
    const dir = normalizePath(join(codex, sub));
    ctx.watch({ path: dir, exists: await ctx.exists(dir) });
    for (const file of await ctx.walk(dir, { compressed: true })) {
      // Awaited only when read from the file (a cached head is the answer itself).
      const head = ctx.head(file);
      const info = head instanceof Promise ? await head : head;
      if (info && ctx.inProject(info.cwd)) ctx.add(file);
    }
  }
}

export const codexAgent: AgentModule<"codex-cli"> = {
  kind: "codex-cli",
  name: "codex",
  displayName: "Codex CLI",
  parser: new CodexTraceParser(),
  discover: discoverCodex,
  ownsFileName: (name, compressed) => compressed || name.startsWith("rollout-"),
  matchesHeadRecord: (r) => (typeof r.type === "string" && "payload" in r && CODEX_TYPES.has(r.type) ? 2 : 0),
  matchesHeadText: (text) =>
    /^\s*\{"timestamp"[ \t]*:[ \t]*"[^"]*"[ \t]*,[ \t]*"type"[ \t]*:[ \t]*"(session_meta|response_item|event_msg|turn_context)"/.test(text),
  transcripts: { looksLike: looksLikeCodex, parse: parseCodexTranscript },
};
