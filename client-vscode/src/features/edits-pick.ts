// "Show AI Edits in This File" (the status bar's click): a quick pick with one row per AI edit of the file — its
// current line ranges, model, time and the first line of its prompt — newest first. Picking a row selects its lines;
// each row's buttons open the transcript at that edit or the diff of that edit.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { Commands, FileInfoRequest, shortModelName, type FileEditJson, type FileInfoResult } from "@ai-blame/shared/contract";

export const showChangeCommand = Commands.showChange;

const transcriptButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("comment-discussion"), tooltip: "Open transcript here" };
const changeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon("diff"), tooltip: "Show the change" };

interface EditItem extends vscode.QuickPickItem {
  edit: FileEditJson;
}

function ranges(lines: [number, number][]): string {
  if (lines.length === 0) return "no current lines";
  const shown = lines.slice(0, 4).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
  return `line${lines.length === 1 && lines[0]?.[0] === lines[0]?.[1] ? "" : "s"} ${shown.join(", ")}${lines.length > 4 ? ", …" : ""}`;
}

export function editItems(info: FileInfoResult): EditItem[] {
  return [...info.edits].reverse().map((edit) => ({
    label: `$(sparkle) ${ranges(edit.lines)}`,
    description: `${shortModelName(edit.model)} · ${edit.timestamp.replace("T", " ").slice(0, 16)} UTC · ${edit.action.toLowerCase()}`,
    detail: edit.promptText ? (edit.promptText.split("\n")[0] ?? "").slice(0, 120) : "(no prompt recorded)",
    buttons: [transcriptButton, changeButton],
    edit,
  }));
}

export async function showFileEdits(client: LanguageClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const uri = editor.document.uri.toString();
  const info = await client.sendRequest<FileInfoResult>(FileInfoRequest, { uri });
  if (info.edits.length === 0) {
    void vscode.window.showInformationMessage("AI Blame: no AI edit of this file is recorded.");
    return;
  }
  const pick = vscode.window.createQuickPick<EditItem>();
  pick.title = `AI edits of this file: ${info.edits.length} (${info.aiLines} of ${info.totalLines} lines written by AI)`;
  pick.items = editItems(info);
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  const done = new Promise<void>((resolve) => pick.onDidHide(() => resolve()));
  pick.onDidTriggerItemButton(async ({ item, button }) => {
    pick.hide();
    const { sessionId, toolCallId, traceFile } = item.edit;
    if (button === transcriptButton) await vscode.commands.executeCommand(Commands.showTranscript, { sessionId, toolCallId, traceFile });
    else await vscode.commands.executeCommand(showChangeCommand, { uri, sessionId, toolCallId });
  });
  pick.onDidAccept(() => {
    const first = pick.selectedItems[0]?.edit.lines[0];
    pick.hide();
    if (!first) return;
    const range = new vscode.Range(first[0] - 1, 0, first[1] - 1, 0);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
  pick.show();
  await done;
  pick.dispose();
}
