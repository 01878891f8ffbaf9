// The registry of agents: one line per agent. Everything that must know "every agent" — discovery, the parsers of
// the index, transcript loading, `--agents` names, display names — iterates this list. Order matters only where
// two agents could claim the same file: the first wins.

import type { AgentModule } from "./agent";
import { claudeAgent } from "./claude";
import { codexAgent } from "./codex";
import { geminiAgent } from "./gemini";
import { agentTraceAgent } from "./agent-trace";
import { opencodeAgent } from "./opencode";
import type { TraceParser } from "../traces/parser";

export const agentModules = [
  claudeAgent,
  codexAgent,
  geminiAgent,
  agentTraceAgent,
  opencodeAgent,
] as const;

/** The id of an agent as recorded on events (`claude-code`, `codex-cli`, …). */
export type AgentKind = (typeof agentModules)[number]["kind"];

const byKind = new Map<string, AgentModule<AgentKind>>(agentModules.map((m) => [m.kind, m]));
const byName = new Map<string, AgentModule<AgentKind>>(agentModules.map((m) => [m.name, m]));

/** The short names `--agents` accepts, in registry order. */
export const agentNames: readonly string[] = agentModules.map((m) => m.name);

export function isAgentKind(value: unknown): value is AgentKind {
  return typeof value === "string" && byKind.has(value);
}

export function agentByKind(kind: AgentKind): AgentModule<AgentKind> {
  return byKind.get(kind)!;
}

export function agentByName(name: string): AgentModule<AgentKind> | undefined {
  return byName.get(name);
}

/** `Claude Code` for `claude-code`; an unknown id is shown as it is. */
export function agentDisplayName(kind: string): string {
  return byKind.get(kind)?.displayName ?? kind;
}

/** File name endings of trace files beyond `.jsonl`/`.jsonl.zst`, over all agents. */
export const extraTraceSuffixes: readonly string[] = [...new Set(agentModules.flatMap((m) => m.extraTraceSuffixes ?? []))];

/** Whether a changed path names a trace file some agent reads (what a watcher passes on to `ingest`). */
export function isTraceFileName(path: string): boolean {
  return path.endsWith(".jsonl") || path.endsWith(".jsonl.zst") || extraTraceSuffixes.some((s) => path.endsWith(s));
}

export const parsersByAgent = Object.fromEntries(agentModules.map((m) => [m.kind, m.parser])) as Record<AgentKind, TraceParser>;
