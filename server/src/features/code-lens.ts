// textDocument/codeLens and codeLens/resolve: one lens above each AI run (runs.ts: consecutive AI lines of one
// session). Listing is cheap (ranges and self-contained `data`: uri, document version, run index); the title
// "✦ models · N edits · 2 days ago" is made on resolve. A lens whose document version has moved on resolves to an
// empty title, never an error.

import type { CodeLens, CodeLensParams, ServerCapabilities } from "vscode-languageserver/node";
import { Commands } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { lensTitle, transcriptArgs } from "../convert";
import { runsOf, type BlameEntry } from "../documents";
import { guard } from "../guard";
import { documentUri, invalidParams, isRecord } from "../params";

export interface LensData {
  uri: string;
  version: number;
  /** Index into the document's AI runs at that version. */
  run: number;
}

/** Unresolved lenses (no command), one at the first line of every AI run of a blamed document. */
export function codeLensesFor(entry: BlameEntry): CodeLens[] {
  return runsOf(entry).map((run, index) => {
    const data: LensData = { uri: entry.uri, version: entry.version, run: index };
    const at = { line: run.start - 1, character: 0 };
    return { range: { start: at, end: at }, data };
  });
}

/**
 * Fills in a lens's title and command. `entry` is the document's blame at its current version, or null when the
 * document is gone; a lens from another version gets an empty title. The command opens the run's newest edit.
 */
export function resolveLens(lens: CodeLens, data: LensData, entry: BlameEntry | null, now: number): CodeLens {
  const run = entry && entry.version === data.version ? runsOf(entry)[data.run] : undefined;
  if (!run) return { range: lens.range, data: lens.data, command: { title: "", command: "" } };
  return {
    range: lens.range,
    data: lens.data,
    command: { title: lensTitle(run, now), command: Commands.showTranscript, arguments: [transcriptArgs(run.newest)] },
  };
}

function lensData(lens: unknown): LensData {
  const data = isRecord(lens) ? lens.data : undefined;
  if (
    isRecord(data) &&
    typeof data.uri === "string" &&
    Number.isInteger(data.version) &&
    Number.isInteger(data.run) &&
    (data.run as number) >= 0 &&
    isRecord((lens as Record<string, unknown>).range)
  ) {
    return { uri: data.uri, version: data.version as number, run: data.run as number };
  }
  throw invalidParams("codeLens/resolve: the lens needs a range and the data {uri, version, run} this server gave it");
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
