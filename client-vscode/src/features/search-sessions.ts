// "AI Blame: Search AI Sessions": asks for a query (`/…/` for a regular expression), runs the server's
// `aiBlame.searchTranscripts` (the CLI's `transcript search`) and opens the session picked, at its transcript.
// Snippets are trace text: they are shown only as quick-pick labels, which VS Code renders as plain text.

import * as vscode from "vscode";
import {
  Commands,
  type SearchTranscriptsArgs,
  type SearchTranscriptsResult,
  type ShowTranscriptArgs,
} from "@ai-blame/shared/contract";

/** A query typed as `/pattern/` is a regular expression; anything else is plain text, matched in any case. */
export function searchArgsOf(typed: string): SearchTranscriptsArgs {
  const regex = /^\/(.+)\/$/s.exec(typed);
  return regex?.[1] ? { query: regex[1], regex: true } : { query: typed };
}

export function registerSearchSessions(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const run = async (): Promise<void> => {
    const typed = await vscode.window.showInputBox({
      title: "Search AI sessions",
      prompt: "Text to find in the agents' conversations (any case), or /regular expression/",
    });
    if (!typed) return;
    const result = await vscode.commands.executeCommand<SearchTranscriptsResult>(Commands.searchTranscripts, searchArgsOf(typed));
    if (!result || result.hits.length === 0) {
      void vscode.window.showInformationMessage(`AI Blame: no AI session mentions ${JSON.stringify(typed)}.`);
      return;
    }
    const items = result.hits.map((hit) => ({
      label: `$(comment-discussion) ${hit.title ?? hit.sessionId.slice(0, 8)}`,
      description: `${hit.agent} · ${hit.startTime?.replace("T", " ").slice(0, 16) ?? ""} UTC · ${hit.messageCount} messages`,
      detail: hit.matches.map((m) => `[${m.blockType}] ${m.snippet.replace(/\s+/g, " ")}`).join("  ·  "),
      hit,
    }));
    const shown = result.totalMatches > items.length ? ` (first ${items.length} of ${result.totalMatches})` : "";
    const picked = await vscode.window.showQuickPick(items, {
      title: `AI sessions mentioning ${JSON.stringify(typed)}${shown}`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    const args: ShowTranscriptArgs = { sessionId: picked.hit.sessionId, traceFile: picked.hit.traceFile };
    await vscode.commands.executeCommand(Commands.showTranscript, args);
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.searchSessions, async () => {
      try {
        await run();
      } catch (error) {
        log.error(`${Commands.searchSessions}: ${String(error)}`);
        void vscode.window.showErrorMessage(`AI Blame: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
