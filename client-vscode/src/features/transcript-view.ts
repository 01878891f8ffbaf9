// Shows transcripts rendered: the server's markdown becomes a read-only virtual document (scheme
// `ai-blame-transcript`), opened at the line of the tool call that wrote the code, and VS Code's own markdown
// preview replaces it in view, scrolled to that line (the preview starts where its editor is). Content is held in
// memory per URI; nothing is written to disk. The preview's sanitiser and the server's escaping of trace text keep
// it from forming markup or links.

import * as vscode from "vscode";
import type { ShowTranscriptResult } from "@ai-blame/shared/contract";

const SCHEME = "ai-blame-transcript";

export class TranscriptView implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      this.changed,
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  async open(result: ShowTranscriptResult): Promise<void> {
    const name = result.title.replace(/[\\/:*?"<>|]+/g, "-").slice(0, 80) || "transcript";
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}.md` });
    this.texts.set(uri.toString(), result.markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, "markdown");
    const line = Math.max(0, (result.line ?? 1) - 1);
    const range = new vscode.Range(line, 0, line, 0);
    const editor = await vscode.window.showTextDocument(doc, { preview: true, selection: range, viewColumn: vscode.ViewColumn.Beside });
    editor.revealRange(range, vscode.TextEditorRevealType.AtTop);
    try {
      await vscode.commands.executeCommand("markdown.showPreview");
    } catch {
      // No markdown extension (a trimmed-down editor): the source stays open at the edit.
    }
  }
}
