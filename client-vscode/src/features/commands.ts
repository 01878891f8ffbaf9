// The extension's own commands (palette titles "AI Blame: …"). `aiBlame.showTranscript` and `aiBlame.refresh` are
// server commands that the language client forwards by itself; the ones here need the editor: the cursor line, a
// quick pick, a setting toggle, the log channel.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  Commands,
  FileInfoRequest,
  LineInfoRequest,
  type FileInfoResult,
  type LineInfoResult,
  type ShowTranscriptArgs,
} from "@ai-blame/shared/contract";

export const showTranscriptForLineCommand = "aiBlame.showTranscriptForLine";

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log: vscode.LogOutputChannel,
): void {
  const register = (id: string, run: () => Promise<unknown> | unknown): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async () => {
        try {
          await run();
        } catch (error) {
          log.error(`${id}: ${String(error)}`);
          void vscode.window.showErrorMessage(`AI Blame: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  };

  register(showTranscriptForLineCommand, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const info = await client.sendRequest<LineInfoResult>(LineInfoRequest, {
      uri: editor.document.uri.toString(),
      line: editor.selection.active.line,
    });
    if (!info.owner) {
      void vscode.window.showInformationMessage(
        `AI Blame: no AI edit wrote this line (${info.reason ?? "not-in-traces"}).`,
      );
      return;
    }
    const args: ShowTranscriptArgs = {
      sessionId: info.owner.sessionId,
      toolCallId: info.owner.toolCallId,
      traceFile: info.owner.traceFile,
    };
    await vscode.commands.executeCommand(Commands.showTranscript, args);
  });

  register(Commands.toggleCodeLens, async () => {
    const config = vscode.workspace.getConfiguration("aiBlame");
    const enabled = config.get<boolean>("codeLens.enabled", true);
    await config.update("codeLens.enabled", !enabled, vscode.ConfigurationTarget.Global);
    void vscode.window.setStatusBarMessage(`AI Blame: code lens ${enabled ? "off" : "on"}`, 2000);
  });

  register(Commands.showFileEdits, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const info = await client.sendRequest<FileInfoResult>(FileInfoRequest, { uri: editor.document.uri.toString() });
    const items = info.blocks
      .filter((b) => b.owner)
      .map((b) => ({
        label: `$(sparkle) ${b.owner?.model ?? ""}`,
        description: `lines ${b.start}–${b.end} · ${b.owner?.action.toLowerCase() ?? ""}`,
        detail: `${b.owner?.timestamp.replace("T", " ").slice(0, 16) ?? ""} UTC · session ${b.owner?.sessionId.slice(0, 8) ?? ""}${
          b.owner?.promptText ? ` · “${b.owner.promptText.split("\n")[0]?.slice(0, 80) ?? ""}”` : ""
        }`,
        block: b,
      }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage("AI Blame: no line of this file was written by an AI edit.");
      return;
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `AI edits in this file (${info.aiLines} of ${info.totalLines} lines)`,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    const range = new vscode.Range(picked.block.start - 1, 0, picked.block.end - 1, 0);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });

  register(Commands.showLog, () => log.show(true));
}
