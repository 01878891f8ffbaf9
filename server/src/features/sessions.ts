// The custom request `aiBlame/sessions`: every AI session of the workspace folders with its edits and their files,
// newest session first, for the VS Code sessions view. A Claude subagent's edits count as its parent session's.
// The `aiBlame/indexChanged` notification that tells the view to reload is sent from server.ts.

import { pathToFileURL } from "node:url";
import type { ServerCapabilities } from "vscode-languageserver/node";
import { runSession, SessionsRequest, type SessionJson, type SessionsResult, type Snapshot } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { guard } from "../guard";

/** The sessions of one snapshot that edited something, newest first (by their newest edit). */
export function sessionsOf(snapshot: Snapshot): SessionJson[] {
  const bySession = new Map<string, SessionJson>();
  const infos = new Map(snapshot.sessions().filter((s) => s.subagentId === null).map((s) => [s.sessionId, s]));
  for (const event of snapshot.events()) {
    const id = event.parentSessionId ?? runSession(event.sessionId);
    let session = bySession.get(id);
    if (!session) {
      const info = infos.get(id);
      session = {
        sessionId: id,
        agent: event.agent,
        models: [],
        startTime: info?.startTime ?? event.timestamp,
        firstPrompt: info?.firstPrompt ?? event.promptText,
        traceFile: info?.traceFile ?? event.traceFile,
        edits: [],
      };
      bySession.set(id, session);
    }
    if (!session.models.includes(event.model)) session.models.push(event.model);
    session.edits.push({
      sessionId: event.sessionId,
      uri: pathToFileURL(event.file).href,
      file: snapshot.relativePath(event.file),
      timestamp: event.timestamp,
      action: event.action,
      model: event.model,
      toolCallId: event.toolCallId,
      traceFile: event.traceFile,
    });
  }
  const newest = (s: SessionJson) => s.edits[s.edits.length - 1]?.timestamp ?? "";
  return [...bySession.values()].sort((a, b) => (newest(a) < newest(b) ? 1 : newest(a) > newest(b) ? -1 : 0));
}

export function registerSessions(ctx: ServerContext): ServerCapabilities {
  ctx.connection.onRequest(SessionsRequest, () =>
    guard(ctx.log, SessionsRequest, [] as SessionsResult, async () => {
      const result: SessionsResult = [];
      for (const folder of ctx.workspaces.all()) {
        await folder.ready;
        if (folder.snapshot) result.push(...sessionsOf(folder.snapshot));
      }
      return result;
    }),
  );
  return {};
}
