// workspace/executeCommand: `aiBlame.showTranscript` answers the session that made an edit as markdown (with the
// line where the given tool call appears) for the client to open — the engine's `Snapshot.transcriptMarkdown`: the
// whole conversation, or the edits the index kept once the trace is gone; `aiBlame.refresh` re-indexes every folder;
// `aiBlame.searchTranscripts` searches the sessions' conversations (search-transcripts.ts).

import { ErrorCodes, LSPErrorCodes, ResponseError, type ExecuteCommandParams, type ServerCapabilities } from "vscode-languageserver/node";
import { Commands, type ShowTranscriptArgs, type ShowTranscriptResult } from "@ai-blame/shared";
import type { ServerContext } from "../context";
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

async function showTranscript(ctx: ServerContext, args: ShowTranscriptArgs): Promise<ShowTranscriptResult> {
  for (const folder of ctx.workspaces.all()) {
    await folder.ready;
    // VS Code (the client that declares command links) renders the markdown in its preview, `<details>` included.
    const result = await folder.snapshot?.transcriptMarkdown(args, { editor: ctx.support().transcriptHint === "command-link" });
    if (result) return result;
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
