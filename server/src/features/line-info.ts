// The custom requests `aiBlame/lineInfo` (one line's owner and a short label, for current-line annotations) and
// `aiBlame/fileInfo` (a file's AI blocks and edit timeline, for status bars). Shapes are in the shared contract.

import type { ServerCapabilities } from "vscode-languageserver/node";
import {
  FileInfoRequest,
  LineInfoRequest,
  type BlameJson,
  type FileInfoResult,
  type LineInfoResult,
  type TimelineEntryJson,
} from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { ownerLabel } from "../convert";
import { fileEventsOf, type BlameEntry } from "../documents";
import { guard } from "../guard";
import { documentUri, lineNumber } from "../params";

export function lineInfoFor(blame: BlameJson, line0: number, now: number): LineInfoResult {
  const line = blame.lines[line0];
  if (!line) return { owner: null, reason: null, label: null };
  return { owner: line.owner, reason: line.reason, label: line.owner ? ownerLabel(line.owner, now) : null };
}

export function fileInfoFor(entry: BlameEntry): FileInfoResult {
  const events: TimelineEntryJson[] = fileEventsOf(entry).map((event) => ({
    timestamp: event.timestamp,
    file: entry.blame.file,
    action: event.action,
    model: event.model,
    agent: event.agent,
    agentVersion: event.agentVersion,
    sessionId: event.sessionId,
    toolCallId: event.toolCallId,
    changeSize: event.changeSize,
  }));
  return {
    totalLines: entry.blame.lines.length,
    aiLines: entry.blame.lines.filter((line) => line.owner !== null).length,
    blocks: entry.blame.blocks,
    events,
  };
}

const emptyLine: LineInfoResult = { owner: null, reason: null, label: null };
const emptyFile: FileInfoResult = { totalLines: 0, aiLines: 0, blocks: [], events: [] };

export function registerLineInfo(ctx: ServerContext): ServerCapabilities {
  ctx.connection.onRequest(LineInfoRequest, (params: unknown) =>
    guard(ctx.log, LineInfoRequest, emptyLine, async () => {
      const uri = documentUri(params, LineInfoRequest);
      const line0 = lineNumber(params, LineInfoRequest);
      const entry = await ctx.documents.blame(uri);
      return entry ? lineInfoFor(entry.blame, line0, ctx.now()) : emptyLine;
    }),
  );
  ctx.connection.onRequest(FileInfoRequest, (params: unknown) =>
    guard(ctx.log, FileInfoRequest, emptyFile, async () => {
      const entry = await ctx.documents.blame(documentUri(params, FileInfoRequest));
      return entry ? fileInfoFor(entry) : emptyFile;
    }),
  );
  return {};
}
