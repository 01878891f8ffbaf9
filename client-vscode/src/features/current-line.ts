// GitLens-style current-line annotation: once the cursor rests on a line, a faded end-of-line text says which AI
// edit wrote it ("claude-opus-4-5, 2 days ago · session 1a2b3c"), from the server's `aiBlame/lineInfo`. Off with
// `aiBlame.currentLine.enabled`; cleared while typing so it never lags behind the text.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { LineInfoRequest, type LineInfoParams, type LineInfoResult } from "@ai-blame/shared/contract";

const REST_MS = 250;

export class CurrentLineAnnotation implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: {
      margin: "0 0 0 3em",
      color: new vscode.ThemeColor("editorCodeLens.foreground"),
      fontStyle: "italic",
    },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
  });
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const editor = vscode.window.activeTextEditor;
        if (editor && e.document === editor.document) editor.setDecorations(this.decoration, []);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("aiBlame.currentLine.enabled")) {
          const editor = vscode.window.activeTextEditor;
          if (editor) this.schedule(editor);
        }
      }),
    );
  }

  private schedule(editor: vscode.TextEditor): void {
    if (this.timer) clearTimeout(this.timer);
    const generation = ++this.generation;
    this.timer = setTimeout(() => void this.show(editor, generation), REST_MS);
  }

  private async show(editor: vscode.TextEditor, generation: number): Promise<void> {
    const enabled = vscode.workspace.getConfiguration("aiBlame").get<boolean>("currentLine.enabled", true);
    if (!enabled || !this.client.isRunning() || editor.selections.length !== 1) {
      editor.setDecorations(this.decoration, []);
      return;
    }
    const line = editor.selection.active.line;
    try {
      const params: LineInfoParams = { uri: editor.document.uri.toString(), line };
      const info = await this.client.sendRequest<LineInfoResult>(LineInfoRequest, params);
      if (generation !== this.generation) return;
      if (!info.label) {
        editor.setDecorations(this.decoration, []);
        return;
      }
      const end = editor.document.lineAt(line).range.end;
      editor.setDecorations(this.decoration, [
        { range: new vscode.Range(end, end), renderOptions: { after: { contentText: info.label } } },
      ]);
    } catch {
      editor.setDecorations(this.decoration, []);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.decoration.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
