// workspace/executeCommand: `aiBlame.showTranscript` answers the session that made an edit as markdown (with the
// line where the given tool call appears) for the client to open; `aiBlame.refresh` re-indexes every folder and
// refreshes the client's lenses when something new was found.

import { ErrorCodes, LSPErrorCodes, ResponseError, type ExecuteCommandParams, type ServerCapabilities } from "vscode-languageserver/node";
import { Commands, type EditEvent, type SessionInfo, type ShowTranscriptArgs, type ShowTranscriptResult } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { absoluteTime, agentLabel, quotePrompt, shortModel, shortSession } from "../convert";
import { guard } from "../guard";
import { invalidParams, isRecord } from "../params";

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
 * Renders a session's recorded edits as markdown, oldest first, with its metadata and the prompt behind each edit;
 * `line` is the 1-based line of the heading of the edit made by `toolCallId`.
 */
export function renderSessionMarkdown(
  sessions: SessionInfo[],
  events: EditEvent[],
  relativePath: (file: string) => string,
  toolCallId: string | null,
): ShowTranscriptResult {
  const main = sessions.find((s) => s.subagentId === null) ?? sessions[0];
  const sessionId = main?.sessionId ?? events[0]?.sessionId ?? "";
  const models = [...new Set([...(main?.models ?? []), ...events.map((e) => e.model)])].map(shortModel);
  const lines: string[] = [`# Session ${shortSession(sessionId)}${models.length > 0 ? ` — ${models.join(", ")}` : ""}`, ""];
  if (main) {
    lines.push(`- Agent: ${agentLabel(main.agent, main.agentVersion)}`);
    if (main.startTime) lines.push(`- Started: ${absoluteTime(main.startTime)}${main.endTime ? ` · last record ${absoluteTime(main.endTime)}` : ""}`);
    if (main.gitBranch) lines.push(`- Branch: \`${main.gitBranch}\``);
    if (main.cwd) lines.push(`- Directory: \`${main.cwd}\``);
  }
  lines.push(`- Session: \`${sessionId}\``);
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
      `\`${event.toolName}\` by ${shortModel(event.model)} · ${event.changeSize} characters changed · tool call \`${event.toolCallId}\`${subagent}`,
      "",
    );
  }
  return { title: `AI session ${shortSession(sessionId)}`, markdown: lines.join("\n"), line: target };
}

async function showTranscript(ctx: ServerContext, args: ShowTranscriptArgs): Promise<ShowTranscriptResult> {
  for (const folder of ctx.workspaces.all()) {
    await folder.ready;
    const snapshot = folder.snapshot;
    if (!snapshot) continue;
    const sessions = snapshot.sessions().filter((s) => s.sessionId === args.sessionId);
    const events = snapshot.events().filter((e) => e.sessionId === args.sessionId);
    if (sessions.length === 0 && events.length === 0) continue;
    return renderSessionMarkdown(sessions, events, (file) => snapshot.relativePath(file), args.toolCallId ?? null);
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
      throw new ResponseError(ErrorCodes.InvalidParams, `unknown command ${JSON.stringify(command)}`);
    }),
  );
  return { executeCommandProvider: { commands: [Commands.showTranscript, Commands.refresh] } };
}
