// textDocument/inlayHint: an end-of-line label on the first line of each AI region (the lines a code lens marks) in
// the requested range, for clients without code lens (Helix) or users who prefer it inline. Off unless
// `aiBlame.inlayHints.enabled`, and none while the client shows our code lenses, so a line never says the same
// thing twice. The label is short (at most two models, INLAY_LABEL_MAX characters) and padded from the code.
// The tooltip is the hover of the region's newest edit.

import type { InlayHint, InlayHintParams, Range, ServerCapabilities } from "vscode-languageserver/node";
import type { AiRun, BlameJson } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import type { TranscriptHint } from "../capabilities";
import { ownerMarkdown, runLabel } from "../convert";
import { runsOf } from "../documents";
import { guard } from "../guard";
import { documentUri, range } from "../params";

/** Hints for runs starting inside `visible` (0-based, end inclusive of its line). */
export function inlayHintsFor(blame: BlameJson, runs: AiRun[], visible: Range, now: number, hint: TranscriptHint = "none"): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const run of runs) {
    const line0 = run.start - 1;
    if (line0 < visible.start.line || line0 > visible.end.line) continue;
    const text = blame.lines[line0]?.text ?? "";
    hints.push({
      position: { line: line0, character: text.length },
      label: runLabel(run, now),
      paddingLeft: true,
      tooltip: { kind: "markdown", value: ownerMarkdown(run.newest, "normal", now, hint) },
    });
  }
  return hints;
}

export function registerInlayHints(ctx: ServerContext): ServerCapabilities {
  ctx.connection.languages.inlayHint.on((params: InlayHintParams) =>
    guard(ctx.log, "textDocument/inlayHint", [] as InlayHint[], async () => {
      const uri = documentUri(params, "textDocument/inlayHint");
      const visible = range(params, "textDocument/inlayHint");
      const entry = await ctx.documents.blame(uri);
      if (!entry?.folder.settings.inlayHints.enabled) return [];
      // The lens already labels these lines where the client draws lenses.
      if (entry.folder.settings.codeLens.enabled && ctx.support().codeLens) return [];
      return inlayHintsFor(entry.blame, runsOf(entry), visible, ctx.now(), ctx.support().transcriptHint);
    }),
  );
  return { inlayHintProvider: true };
}
