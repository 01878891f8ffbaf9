// textDocument/hover: the provenance of the line under the cursor — model, agent and version, relative and
// absolute time, action, session, the prompt (trimmed, escaped) and a link to the transcript at that tool call —
// or, for a line no trace explains, a sentence saying why (`aiBlame.hover.unattributed`: nothing in files no AI
// touched by default). The transcript link is a `command:` URI only for clients that declared support for it.
// Pure `hoverAt` plus its registration.

import { MarkupKind, type Hover, type HoverParams, type Position, type ServerCapabilities } from "vscode-languageserver/node";
import type { BlameJson, BlameLineJson } from "@ai-blame/shared";
import type { ServerContext } from "../context";
import type { TranscriptHint } from "../capabilities";
import { commitMarkdown, lineOf, lineRange, ownerMarkdown, unattributedMarkdown, type HoverDetail, type UnattributedHover } from "../convert";
import { guard } from "../guard";
import { documentUri, position } from "../params";

export interface HoverOptions {
  detail: HoverDetail;
  unattributed: UnattributedHover;
  transcriptHint: TranscriptHint;
  /** The document's URI, for VS Code's "Show the change" link. */
  uri?: string;
  now: number;
  markdown: boolean;
}

/** The hover for a position in a blamed document; null past its last line or where the settings want silence. */
export function hoverAt(blame: BlameJson, at: Position, options: HoverOptions): Hover | null {
  const line = blame.lines[lineOf(at) - 1];
  if (!line) return null;
  const body = line.owner
    ? // An owner known only from a git note has no transcript on this machine to open.
      ownerMarkdown(line.owner, options.detail, options.now, line.source === "note" ? "none" : options.transcriptHint, options.uri, line.line - 1) +
      flagNote(line)
    : unattributedMarkdown(line.reason, blame.events, options.unattributed);
  if (body === null) return null;
  const commit = commitMarkdown(line, options.now);
  const value = commit === null ? body : `${body}\n\n${commit}`;
  return {
    contents: { kind: options.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value },
    range: lineRange(line.line, line.text),
  };
}

/** What happened to an AI line since its edit without changing its text: reformatted, moved within the file. */
function flagNote(line: BlameLineJson): string {
  let note = "";
  if (line.reformatted) note += "\n\n_Reformatted since this edit (whitespace or line breaks only)._";
  if (line.moved) note += "\n\n_Moved within the file since this edit._";
  return note;
}

export function registerHover(ctx: ServerContext): ServerCapabilities {
  ctx.connection.onHover((params: HoverParams) =>
    guard(ctx.log, "textDocument/hover", null, async () => {
      const uri = documentUri(params, "textDocument/hover");
      const at = position(params, "textDocument/hover");
      const entry = await ctx.documents.blame(uri);
      if (!entry) return null;
      return hoverAt(entry.blame, at, {
        detail: entry.folder.settings.hover.detail,
        unattributed: entry.folder.settings.hover.unattributed,
        transcriptHint: ctx.support().transcriptHint,
        uri,
        now: ctx.now(),
        markdown: ctx.support().markdownHover,
      });
    }),
  );
  return { hoverProvider: true };
}
