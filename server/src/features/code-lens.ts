// textDocument/codeLens and codeLens/resolve: one lens above each AI-written block. Listing is cheap (ranges and
// self-contained `data`: uri, document version, block index); the title "✦ model · N edits · 2 days ago" is made
// on resolve. A lens whose document version has moved on resolves to an empty title, never an error.

import type { CodeLens, CodeLensParams, ServerCapabilities } from "vscode-languageserver/node";
import { Commands } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { lensTitle, transcriptArgs } from "../convert";
import { fileEventsOf, type BlameEntry } from "../documents";
import { guard } from "../guard";
import { documentUri, invalidParams, isRecord } from "../params";

export interface LensData {
  uri: string;
  version: number;
  /** Index into the blame's `blocks`. */
  block: number;
}

/** Unresolved lenses (no command) for every attributed block of a blamed document. */
export function codeLensesFor(entry: BlameEntry): CodeLens[] {
  const lenses: CodeLens[] = [];
  entry.blame.blocks.forEach((block, index) => {
    if (!block.owner) return;
    const data: LensData = { uri: entry.uri, version: entry.version, block: index };
    lenses.push({ range: { start: { line: block.start - 1, character: 0 }, end: { line: block.start - 1, character: 0 } }, data });
  });
  return lenses;
}

/**
 * Fills in a lens's title and command. `entry` is the document's blame at its current version, or null when the
 * document is gone; a lens from another version gets an empty title. Edits = events of this file in the block
 * owner's session (de-duplicated by the engine).
 */
export function resolveLens(lens: CodeLens, data: LensData, entry: BlameEntry | null, now: number): CodeLens {
  const owner = entry && entry.version === data.version ? entry.blame.blocks[data.block]?.owner : null;
  if (!entry || !owner) return { range: lens.range, data: lens.data, command: { title: "", command: "" } };
  const edits = fileEventsOf(entry).filter((event) => event.sessionId === owner.sessionId).length;
  return {
    range: lens.range,
    data: lens.data,
    command: { title: lensTitle(owner, Math.max(edits, 1), now), command: Commands.showTranscript, arguments: [transcriptArgs(owner)] },
  };
}

function lensData(lens: unknown): LensData {
  const data = isRecord(lens) ? lens.data : undefined;
  if (
    isRecord(data) &&
    typeof data.uri === "string" &&
    Number.isInteger(data.version) &&
    Number.isInteger(data.block) &&
    (data.block as number) >= 0 &&
    isRecord((lens as Record<string, unknown>).range)
  ) {
    return { uri: data.uri, version: data.version as number, block: data.block as number };
  }
  throw invalidParams("codeLens/resolve: the lens needs a range and the data {uri, version, block} this server gave it");
}

export function registerCodeLens(ctx: ServerContext): ServerCapabilities {
  ctx.connection.onCodeLens((params: CodeLensParams) =>
    guard(ctx.log, "textDocument/codeLens", [] as CodeLens[], async () => {
      const uri = documentUri(params, "textDocument/codeLens");
      const entry = await ctx.documents.blame(uri);
      if (!entry || !entry.folder.settings.codeLens.enabled) return [];
      return codeLensesFor(entry);
    }),
  );
  ctx.connection.onCodeLensResolve((lens: CodeLens) => {
    const empty: CodeLens = { range: lens?.range, data: lens?.data, command: { title: "", command: "" } };
    return guard(ctx.log, "codeLens/resolve", empty, async () => {
      const data = lensData(lens);
      if (ctx.documents.currentVersion(data.uri) !== data.version) return empty;
      const entry = await ctx.documents.blame(data.uri);
      return resolveLens(lens, data, entry, ctx.now());
    });
  });
  return { codeLensProvider: { resolveProvider: true } };
}
