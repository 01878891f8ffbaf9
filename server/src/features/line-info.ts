// The custom requests `aiBlame/lineInfo` (one line's owner and a short label, for current-line annotations),
// `aiBlame/fileInfo` (a file's AI blocks, edit timeline and the lines each edit still owns, for status bars and
// lists of edits), `aiBlame/editContents` (the file before and after one edit, for a diff) and `aiBlame/previousEdit`
// (the AI edit that wrote a line before its current owner). Shapes are in the shared contract.

import type { ServerCapabilities } from "vscode-languageserver/node";
import {
  EditContentsRequest,
  editContents,
  FileInfoRequest,
  LineInfoRequest,
  PreviousEditRequest,
  previousLineOwner,
  type BlameJson,
  type EditContentsResult,
  type FileEditJson,
  type FileInfoResult,
  type LineInfoResult,
  type PreviousEditResult,
  type TimelineEntryJson,
} from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { ownerLabel } from "../convert";
import { fileEventsOf, type BlameEntry } from "../documents";
import { guard } from "../guard";
import { documentUri, invalidParams, isRecord, lineNumber } from "../params";

export function lineInfoFor(blame: BlameJson, line0: number, now: number): LineInfoResult {
  const line = blame.lines[line0];
  if (!line) return { owner: null, reason: null, label: null };
  return { owner: line.owner, reason: line.reason, label: line.owner ? ownerLabel(line.owner, now) : null };
}

export function fileInfoFor(entry: BlameEntry): FileInfoResult {
  const fileEvents = fileEventsOf(entry);
  const events: TimelineEntryJson[] = fileEvents.map((event) => ({
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
  const owned = new Map<string, [number, number][]>();
  for (const line of entry.blame.lines) {
    if (!line.owner) continue;
    const ranges = owned.get(line.owner.eventId) ?? [];
    const last = ranges[ranges.length - 1];
    if (last && last[1] === line.line - 1) last[1] = line.line;
    else ranges.push([line.line, line.line]);
    owned.set(line.owner.eventId, ranges);
  }
  const edits: FileEditJson[] = fileEvents.map((event, i) => ({
    ...(events[i] as TimelineEntryJson),
    eventId: event.id,
    promptText: event.promptText,
    traceFile: event.traceFile,
    lines: owned.get(event.id) ?? [],
  }));
  return {
    totalLines: entry.blame.lines.length,
    aiLines: entry.blame.lines.filter((line) => line.owner !== null).length,
    blocks: entry.blame.blocks,
    events,
    edits,
    ...(entry.folder.notice !== null ? { notice: entry.folder.notice } : {}),
  };
}

/** The contents around the edit of `entry`'s file made by that session's tool call. */
export function editContentsFor(entry: BlameEntry, sessionId: string, toolCallId: string): EditContentsResult {
  const fileEvents = fileEventsOf(entry);
  const target = fileEvents.find((e) => e.sessionId === sessionId && e.toolCallId === toolCallId);
  if (!target) return null;
  const contents = editContents(target, fileEvents, (key) => entry.snapshot.content(key));
  if (!contents) return null;
  return { file: entry.blame.file, timestamp: target.timestamp, model: target.model, ...contents };
}

/** The AI edit that wrote line `line0` of `entry`'s current text before the edit that owns it now. */
export function previousEditFor(entry: BlameEntry, text: string, line0: number): PreviousEditResult {
  const owner = entry.blame.lines[line0]?.owner;
  if (!owner) return null;
  const fileEvents = fileEventsOf(entry);
  const target = fileEvents.find((e) => e.id === owner.eventId);
  if (!target) return null;
  const contents = { get: (key: string) => entry.snapshot.content(key) };
  const previous = previousLineOwner(target, fileEvents, contents, text, line0);
  return previous ? { owner: previous.owner, line: previous.line0 + 1 } : null;
}

function editParams(params: unknown): { sessionId: string; toolCallId: string } {
  if (isRecord(params) && typeof params.sessionId === "string" && typeof params.toolCallId === "string") {
    return { sessionId: params.sessionId, toolCallId: params.toolCallId };
  }
  throw invalidParams(`${EditContentsRequest}: params must be {uri, sessionId, toolCallId}`);
}

const emptyLine: LineInfoResult = { owner: null, reason: null, label: null };
const emptyFile: FileInfoResult = { totalLines: 0, aiLines: 0, blocks: [], events: [], edits: [] };

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
  ctx.connection.onRequest(EditContentsRequest, (params: unknown) =>
    guard(ctx.log, EditContentsRequest, null as EditContentsResult, async () => {
      const uri = documentUri(params, EditContentsRequest);
      const { sessionId, toolCallId } = editParams(params);
      const entry = await ctx.documents.blame(uri);
      return entry ? editContentsFor(entry, sessionId, toolCallId) : null;
    }),
  );
  ctx.connection.onRequest(PreviousEditRequest, (params: unknown) =>
    guard(ctx.log, PreviousEditRequest, null as PreviousEditResult, async () => {
      const uri = documentUri(params, PreviousEditRequest);
      const line0 = lineNumber(params, PreviousEditRequest);
      const entry = await ctx.documents.blame(uri);
      return entry ? previousEditFor(entry, ctx.documents.require(uri).getText(), line0) : null;
    }),
  );
  return {};
}
