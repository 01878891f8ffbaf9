// Reads the `aiBlame.*` settings into the contract's settings shape (the server normalizes them again, so this
// only collects what the user set, falling back to the contract defaults).

import * as vscode from "vscode";
import { defaultSettings, type AiBlameSettings } from "@ai-blame/shared/contract";

export function readSettings(): AiBlameSettings {
  const c = vscode.workspace.getConfiguration("aiBlame");
  const d = defaultSettings;
  return {
    home: c.get<string | null>("home", d.home) || null,
    traceDirs: c.get<string[]>("traceDirs", d.traceDirs),
    pathMap: c.get<Record<string, string>>("pathMap", d.pathMap),
    agents: Object.fromEntries(
      Object.entries(d.agents).map(([name, on]) => [name, c.get<boolean>(`agents.${name}`, on)]),
    ) as AiBlameSettings["agents"],
    codeLens: {
      enabled: c.get<boolean>("codeLens.enabled", d.codeLens.enabled),
      scope: c.get<AiBlameSettings["codeLens"]["scope"]>("codeLens.scope", d.codeLens.scope),
    },
    hover: {
      detail: c.get<AiBlameSettings["hover"]["detail"]>("hover.detail", d.hover.detail),
      unattributed: c.get<AiBlameSettings["hover"]["unattributed"]>("hover.unattributed", d.hover.unattributed),
    },
    inlayHints: { enabled: c.get<boolean>("inlayHints.enabled", d.inlayHints.enabled) },
    currentLine: { enabled: c.get<boolean>("currentLine.enabled", d.currentLine.enabled) },
    fileBlame: { heatmap: c.get<boolean>("fileBlame.heatmap", d.fileBlame.heatmap) },
    explorerDecorations: { enabled: c.get<boolean>("explorerDecorations.enabled", d.explorerDecorations.enabled) },
    cacheSize: c.get<number>("cacheSize", d.cacheSize),
    logLevel: c.get<AiBlameSettings["logLevel"]>("logLevel", d.logLevel),
  };
}
