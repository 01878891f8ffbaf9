// textDocument/codeLens and codeLens/resolve: one lens above each AI region (runs.ts: a session's lines, small
// human gaps absorbed), or with `aiBlame.codeLens.scope: "file"` one lens above the file's first AI line. Listing
// is cheap (ranges and self-contained `data`: uri, document version, region index or -1 for the file lens); the
// title "✦ models · N edits · 2 days ago" is made on resolve. A lens whose document version has moved on resolves
// to an empty title, never an error.

import type { CodeLens, CodeLensParams, ServerCapabilities } from "vscode-languageserver/node";
import { Commands, fileRegion } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { fileLensTitle, lensTitle, transcriptArgs } from "../convert";
import { runsOf, type BlameEntry } from "../documents";
import { guard } from "../guard";
import { documentUri, invalidParams, isRecord } from "../params";

export interface LensData {
  uri: string;
  version: number;
  /** Index into the document's AI regions at that version; -1 for the per-file lens. */
  run: number;
}

/** Unresolved lenses (no command): at the first line of every AI region, or one for the file (`scope: "file"`). */
export function codeLensesFor(entry: BlameEntry, scope: "region" | "file" = "region"): CodeLens[] {
  if (scope === "file") {
    const region = fileRegion(entry.blame);
    if (!region) return [];
    const data: LensData = { uri: entry.uri, version: entry.version, run: -1 };
    const at = { line: region.start - 1, character: 0 };
    return [{ range: { start: at, end: at }, data }];
  }
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
  const current = entry && entry.version === data.version ? entry : null;
  const run = current ? (data.run === -1 ? fileRegion(current.blame) : runsOf(current)[data.run]) : undefined;
  if (!run || !current) return { range: lens.range, data: lens.data, command: { title: "", command: "" } };
  const title = data.run === -1 ? fileLensTitle(run, current.blame, now) : lensTitle(run, now);
  return {
    range: lens.range,
    data: lens.data,
    command: { title, command: Commands.showTranscript, arguments: [transcriptArgs(run.newest)] },
  };
}

function lensData(lens: unknown): LensData {
  const data = isRecord(lens) ? lens.data : undefined;
  if (
    isRecord(data) &&
    typeof data.uri === "string" &&
    Number.isInteger(data.version) &&
    Number.isInteger(data.run) &&
    (data.run as number) >= -1 &&
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
      if (!entry?.folder.settings.codeLens.enabled) return [];
      return codeLensesFor(entry, entry.folder.settings.codeLens.scope);
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
