// Resolves what the client supports once, at initialize, into plain booleans the features consult (markdown
// hovers, command links, refresh requests, work-done progress, configuration pull). Features never read raw
// ClientCapabilities.

import { MarkupKind, type ClientCapabilities } from "vscode-languageserver/node";

/** How a hover offers the transcript: a `command:` link (VS Code), the Neovim plugin's command, or not at all. */
export type TranscriptHint = "command-link" | "nvim-command" | "none";

export interface ClientSupport {
  markdownHover: boolean;
  transcriptHint: TranscriptHint;
  /** The client wants `aiBlame/indexChanged` notifications (declared as `experimental.aiBlame.indexChanged`). */
  indexChanged: boolean;
  /** The client shows code lenses (so inlay hints leave the lens lines alone). */
  codeLens: boolean;
  codeLensRefresh: boolean;
  inlayHintRefresh: boolean;
  workDoneProgress: boolean;
  configurationPull: boolean;
  /** The client accepts `client/registerCapability` for didChangeConfiguration (so it sends us changes). */
  configurationChangeRegistration: boolean;
  workspaceFolders: boolean;
}

export const noClientSupport: ClientSupport = {
  markdownHover: false,
  transcriptHint: "none",
  indexChanged: false,
  codeLens: false,
  codeLensRefresh: false,
  inlayHintRefresh: false,
  workDoneProgress: false,
  configurationPull: false,
  configurationChangeRegistration: false,
  workspaceFolders: false,
};

/**
 * LSP has no capability for `command:` links in markdown, so the VS Code extension declares
 * `experimental.aiBlame.commandLinks`; other editors would show the long URI as text. Neovim (clientInfo "Neovim")
 * gets the name of the plugin's `:AiBlameTranscript` command instead.
 */
function transcriptHintOf(caps: ClientCapabilities, clientName: string | undefined): TranscriptHint {
  const experimental = caps.experimental as { aiBlame?: { commandLinks?: unknown } } | undefined;
  if (experimental?.aiBlame?.commandLinks === true) return "command-link";
  if (clientName?.toLowerCase() === "neovim") return "nvim-command";
  return "none";
}

export function resolveClientSupport(caps: ClientCapabilities, clientName?: string): ClientSupport {
  const hoverFormats = caps.textDocument?.hover?.contentFormat;
  return {
    // A client that does not say is assumed to render markdown: every editor we target does.
    markdownHover: hoverFormats === undefined || hoverFormats.includes(MarkupKind.Markdown),
    transcriptHint: transcriptHintOf(caps, clientName),
    indexChanged: (caps.experimental as { aiBlame?: { indexChanged?: unknown } } | undefined)?.aiBlame?.indexChanged === true,
    codeLens: caps.textDocument?.codeLens !== undefined,
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
    workDoneProgress: caps.window?.workDoneProgress === true,
    configurationPull: caps.workspace?.configuration === true,
    configurationChangeRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: caps.workspace?.workspaceFolders === true,
  };
}
