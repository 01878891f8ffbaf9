// textDocument/inlayHint: an end-of-line label on the first line of each AI run (the lines a code lens marks) in the
// requested range, for clients without code lens (Helix) or users who prefer it inline. Off unless
// `aiBlame.inlayHints.enabled`. The tooltip is the hover of the run's newest edit.

import type { InlayHint, InlayHintParams, Range, ServerCapabilities } from "vscode-languageserver/node";
import type { BlameJson } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { ownerMarkdown, runLabel } from "../convert";
import { runsOf } from "../documents";
import { guard } from "../guard";
import { documentUri, range } from "../params";
import type { AiRun } from "../runs";

/** Hints for runs starting inside `visible` (0-based, end inclusive of its line). */
export function inlayHintsFor(blame: BlameJson, runs: AiRun[], visible: Range, now: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const run of runs) {
    const line0 = run.start - 1;
    if (line0 < visible.start.line || line0 > visible.end.line) continue;
    const text = blame.lines[line0]?.text ?? "";
    hints.push({
      position: { line: line0, character: text.length },
      label: runLabel(run, now),
      paddingLeft: true,
      tooltip: { kind: "markdown", value: ownerMarkdown(run.newest, "normal", now) },
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
      if (!entry || !entry.folder.settings.inlayHints.enabled) return [];
      return inlayHintsFor(entry.blame, runsOf(entry), visible, ctx.now());
    }),
  );
  return { inlayHintProvider: true };
}
