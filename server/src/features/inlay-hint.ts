// textDocument/inlayHint: an end-of-line label on the first line of each AI-written block in the requested range,
// for clients without code lens (Helix) or users who prefer it inline. Off unless `aiBlame.inlayHints.enabled`.

import type { InlayHint, InlayHintParams, Range, ServerCapabilities } from "vscode-languageserver/node";
import type { BlameJson } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import { ownerLabel, ownerMarkdown } from "../convert";
import { guard } from "../guard";
import { documentUri, range } from "../params";

/** Hints for blocks starting inside `visible` (0-based, end inclusive of its line). */
export function inlayHintsFor(blame: BlameJson, visible: Range, now: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const block of blame.blocks) {
    const line0 = block.start - 1;
    if (!block.owner || line0 < visible.start.line || line0 > visible.end.line) continue;
    const text = blame.lines[line0]?.text ?? "";
    hints.push({
      position: { line: line0, character: text.length },
      label: ownerLabel(block.owner, now),
      paddingLeft: true,
      tooltip: { kind: "markdown", value: ownerMarkdown(block.owner, "normal", now) },
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
      return inlayHintsFor(entry.blame, visible, ctx.now());
    }),
  );
  return { inlayHintProvider: true };
}
