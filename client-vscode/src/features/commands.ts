// The extension's own commands (palette titles "AI Blame: …"). `aiBlame.showTranscript` and `aiBlame.refresh` are
// server commands that the language client forwards by itself; the ones here need the editor: the cursor line, a
// quick pick of the file's edits, the diff of an edit (or of a line's previous AI edit), the file blame column, the sessions view, a setting toggle,
// the log channel.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  Commands,
  LineInfoRequest,
  PreviousEditRequest,
  type LineInfoResult,
  type PreviousEditParams,
  type PreviousEditResult,
  type ShowTranscriptArgs,
} from "@ai-blame/shared/contract";
import type { ChangeArgs, ChangeView } from "./change-view";
import { showChangeCommand, showFileEdits } from "./edits-pick";
import { toggleFileBlameCommand, type FileBlame } from "./file-blame";
import { openSessionTranscriptCommand, SessionsView } from "./sessions-view";

export const showTranscriptForLineCommand = "aiBlame.showTranscriptForLine";
export const showChangeForLineCommand = "aiBlame.showChangeForLine";

export function registerCommands(
  context: vscode.ExtensionContext,
  client: LanguageClient,
  log: vscode.LogOutputChannel,
  changes: ChangeView,
  fileBlame: FileBlame,
): void {
  const report = (id: string, error: unknown): void => {
    log.error(`${id}: ${String(error)}`);
    void vscode.window.showErrorMessage(`AI Blame: ${error instanceof Error ? error.message : String(error)}`);
  };
  const register = (id: string, run: () => Promise<unknown> | unknown): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async () => {
        try {
          await run();
        } catch (error) {
          report(id, error);
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

  register(Commands.showFileEdits, () => showFileEdits(client));

  register(showChangeForLineCommand, async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return;
    const uri = editor.document.uri.toString();
    const info = await client.sendRequest<LineInfoResult>(LineInfoRequest, { uri, line: editor.selection.active.line });
    if (!info.owner) {
      void vscode.window.showInformationMessage("AI Blame: no AI edit wrote this line.");
      return;
    }
    await changes.open({ uri, sessionId: info.owner.sessionId, toolCallId: info.owner.toolCallId });
  });
  // From the hover's link (arguments `{uri, line}`) or the palette (the cursor line): the diff of the AI edit that
  // wrote the line before the edit that owns it now.
  const showPreviousEdit = async (args?: PreviousEditParams): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    const params = args ?? (editor ? { uri: editor.document.uri.toString(), line: editor.selection.active.line } : null);
    if (!params) return;
    await vscode.workspace.openTextDocument(vscode.Uri.parse(params.uri));
    const previous = await client.sendRequest<PreviousEditResult>(PreviousEditRequest, params);
    if (!previous) {
      void vscode.window.showInformationMessage("AI Blame: no earlier AI edit wrote this line before its current owner.");
      return;
    }
    await changes.open({ uri: params.uri, sessionId: previous.owner.sessionId, toolCallId: previous.owner.toolCallId });
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showPreviousEdit, (args?: PreviousEditParams) =>
      showPreviousEdit(args).then(undefined, (e: unknown) => report(Commands.showPreviousEdit, e)),
    ),
    vscode.commands.registerCommand(showChangeCommand, (args: ChangeArgs) => changes.open(args).then(undefined, (e: unknown) => report(showChangeCommand, e))),
    vscode.commands.registerCommand(openSessionTranscriptCommand, (node) => SessionsView.openTranscript(node)),
  );
  register(toggleFileBlameCommand, () => fileBlame.toggle());
  register(`${toggleFileBlameCommand}.off`, () => fileBlame.toggle());

  register(Commands.showLog, () => log.show(true));
}
