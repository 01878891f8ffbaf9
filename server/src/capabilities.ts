// Resolves what the client supports once, at initialize, into plain booleans the features consult (markdown
// hovers, refresh requests, work-done progress, configuration pull). Features never read raw ClientCapabilities.

import { MarkupKind, type ClientCapabilities } from "vscode-languageserver/node";

export interface ClientSupport {
  markdownHover: boolean;
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
  codeLensRefresh: false,
  inlayHintRefresh: false,
  workDoneProgress: false,
  configurationPull: false,
  configurationChangeRegistration: false,
  workspaceFolders: false,
};

export function resolveClientSupport(caps: ClientCapabilities): ClientSupport {
  const hoverFormats = caps.textDocument?.hover?.contentFormat;
  return {
    // A client that does not say is assumed to render markdown: every editor we target does.
    markdownHover: hoverFormats === undefined || hoverFormats.includes(MarkupKind.Markdown),
    codeLensRefresh: caps.workspace?.codeLens?.refreshSupport === true,
    inlayHintRefresh: caps.workspace?.inlayHint?.refreshSupport === true,
    workDoneProgress: caps.window?.workDoneProgress === true,
    configurationPull: caps.workspace?.configuration === true,
    configurationChangeRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: caps.workspace?.workspaceFolders === true,
  };
}
