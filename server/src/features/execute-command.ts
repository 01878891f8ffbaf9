// workspace/executeCommand: `aiBlame.showTranscript` answers the session that made an edit as markdown (with the
// line where the given tool call appears) for the client to open — the whole conversation from its trace file, or,
// once the agent has deleted that file, the edits the index kept; `aiBlame.refresh` re-indexes every folder;
// `aiBlame.searchTranscripts` searches the sessions' conversations (search-transcripts.ts).

import { ErrorCodes, LSPErrorCodes, ResponseError, type ExecuteCommandParams, type ServerCapabilities } from "vscode-languageserver/node";
import {
  Commands,
  isAiBlameError,
  loadTranscript,
  renderTranscriptMarkdown,
  shortModelName,
  type EditEvent,
  type SessionInfo,
  type ShowTranscriptArgs,
  type ShowTranscriptResult,
  type Snapshot,
} from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { absoluteTime, agentLabel, quotePrompt, shortSession } from "../convert";
import { guard } from "../guard";
import { invalidParams, isRecord } from "../params";
import { searchArgsFrom, searchTranscriptsCommand } from "./search-transcripts";

export interface RefreshCommandResult {
  folders: number;
  traceFiles: number;
  newEvents: number;
}

function transcriptArgsFrom(args: unknown[] | undefined): ShowTranscriptArgs {
  const first = args?.[0];
  if (isRecord(first) && typeof first.sessionId === "string" && first.sessionId !== "") {
    const optional = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
    return { sessionId: first.sessionId, toolCallId: optional(first.toolCallId), traceFile: optional(first.traceFile) };
  }
  throw invalidParams(`${Commands.showTranscript}: arguments must be [{sessionId, toolCallId?, traceFile?}]`);
}

/**
 * Renders a session's recorded edits as markdown, oldest first, with its metadata and the prompt behind each edit
 * (used when the trace file is gone but the durable index still holds its edits); `line` is the 1-based line of the
 * heading of the edit made by `toolCallId`.
 */
export function renderSessionMarkdown(
  sessions: SessionInfo[],
  events: EditEvent[],
  relativePath: (file: string) => string,
  toolCallId: string | null,
  note: string,
): ShowTranscriptResult {
  const main = sessions.find((s) => s.subagentId === null) ?? sessions[0];
  const sessionId = main?.sessionId ?? events[0]?.sessionId ?? "";
  const models = [...new Set([...(main?.models ?? []), ...events.map((e) => e.model)])].map(shortModelName);
  const lines: string[] = [`# Session ${shortSession(sessionId)}${models.length > 0 ? ` — ${models.join(", ")}` : ""}`, ""];
  if (main) {
    lines.push(`- Agent: ${agentLabel(main.agent, main.agentVersion)}`);
    if (main.startTime) lines.push(`- Started: ${absoluteTime(main.startTime)}${main.endTime ? ` · last record ${absoluteTime(main.endTime)}` : ""}`);
    if (main.gitBranch) lines.push(`- Branch: \`${main.gitBranch}\``);
    if (main.cwd) lines.push(`- Directory: \`${main.cwd}\``);
  }
  lines.push(`- Session: \`${sessionId}\``);
  lines.push("", `_${note}_`);
  for (const s of sessions) lines.push(`- Trace: \`${s.traceFile}\`${s.subagentId ? ` (subagent ${s.subagentId})` : ""}`);
  lines.push("");
  if (main?.firstPrompt) lines.push("First prompt:", "", quotePrompt(main.firstPrompt, 2000), "");
  lines.push(`## Edits (${events.length})`, "");
  let target: number | null = null;
  let lastPrompt: string | null = null;
  for (const event of events) {
    if (event.promptText && event.promptText !== lastPrompt) {
      lines.push(quotePrompt(event.promptText, 2000), "");
      lastPrompt = event.promptText;
    }
    if (toolCallId !== null && event.toolCallId === toolCallId && target === null) target = lines.length + 1;
    lines.push(`### ${absoluteTime(event.timestamp)} · ${event.action.toLowerCase()} \`${relativePath(event.file)}\``);
    const subagent = event.subagentId ? ` · subagent \`${event.subagentId}\`` : "";
    lines.push(
      "",
      `\`${event.toolName}\` by ${shortModelName(event.model)} · ${event.changeSize} characters changed · tool call \`${event.toolCallId}\`${subagent}`,
      "",
    );
  }
  return { title: `AI session ${shortSession(sessionId)}`, markdown: lines.join("\n"), line: target };
}

/**
 * The trace file to open: the one the caller named if the index knows it for this session (a command link must not
 * make the server read arbitrary files), else the file holding the tool call, else the main session's file.
 */
function traceFileFor(args: ShowTranscriptArgs, sessions: SessionInfo[], events: EditEvent[]): string | null {
  const known = new Set([...sessions.map((s) => s.traceFile), ...events.map((e) => e.traceFile)]);
  if (args.traceFile && known.has(args.traceFile)) return args.traceFile;
  const call = args.toolCallId ? events.find((e) => e.toolCallId === args.toolCallId) : undefined;
  if (call) return call.traceFile;
  return (sessions.find((s) => s.subagentId === null) ?? sessions[0])?.traceFile ?? events[0]?.traceFile ?? null;
}

async function renderSession(
  ctx: ServerContext,
  snapshot: Snapshot,
  args: ShowTranscriptArgs,
  sessions: SessionInfo[],
  events: EditEvent[],
): Promise<ShowTranscriptResult> {
  const title = `AI session ${shortSession(args.sessionId)}`;
  const traceFile = traceFileFor(args, sessions, events);
  if (traceFile) {
    try {
      const transcript = await loadTranscript(traceFile);
      const rendered = renderTranscriptMarkdown(transcript, { toolCallId: args.toolCallId ?? undefined });
      return { title, markdown: rendered.markdown, line: rendered.line };
    } catch (error) {
      if (!isAiBlameError(error)) throw error;
      ctx.log.info(`${Commands.showTranscript}: ${error.message}; showing the indexed edits instead`);
      const note =
        error.code === "not-found"
          ? "The trace file of this session is gone (agents delete old sessions); these are the edits the index kept."
          : `The trace file could not be read as a transcript (${error.message}); these are the edits the index kept.`;
      return renderSessionMarkdown(sessions, events, (file) => snapshot.relativePath(file), args.toolCallId ?? null, note);
    }
  }
  return renderSessionMarkdown(sessions, events, (file) => snapshot.relativePath(file), args.toolCallId ?? null, "No trace file is known for this session.");
}

async function showTranscript(ctx: ServerContext, args: ShowTranscriptArgs): Promise<ShowTranscriptResult> {
  for (const folder of ctx.workspaces.all()) {
    await folder.ready;
    const snapshot = folder.snapshot;
    if (!snapshot) continue;
    const sessions = snapshot.sessions().filter((s) => s.sessionId === args.sessionId);
    const events = snapshot.events().filter((e) => e.sessionId === args.sessionId);
    if (sessions.length === 0 && events.length === 0) continue;
    return renderSession(ctx, snapshot, args, sessions, events);
  }
  throw new ResponseError(LSPErrorCodes.RequestFailed, `no indexed session has the id ${args.sessionId}`);
}

async function refreshAll(ctx: ServerContext): Promise<RefreshCommandResult> {
  const summary: RefreshCommandResult = { folders: 0, traceFiles: 0, newEvents: 0 };
  for (const folder of ctx.workspaces.all()) {
    await folder.ready;
    const result = await ctx.workspaces.refresh(folder);
    if (!result) continue;
    summary.folders += 1;
    summary.traceFiles += result.traceFiles;
    summary.newEvents += result.newEvents;
  }
  return summary;
}

export function registerExecuteCommand(ctx: ServerContext): ServerCapabilities {
  ctx.connection.onExecuteCommand((params: ExecuteCommandParams) =>
    guard(ctx.log, `workspace/executeCommand`, null as unknown, async () => {
      const command = isRecord(params) ? params.command : undefined;
      if (command === Commands.showTranscript) return showTranscript(ctx, transcriptArgsFrom(params.arguments));
      if (command === Commands.refresh) return refreshAll(ctx);
      if (command === Commands.searchTranscripts) return searchTranscriptsCommand(ctx, searchArgsFrom(params.arguments));
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${JSON.stringify(command)}`);
    }),
  );
  return { executeCommandProvider: { commands: [Commands.showTranscript, Commands.refresh, Commands.searchTranscripts] } };
}
