// The status-bar item "✦ 63% AI": the share of the active file's lines that an AI edit wrote, from the server's
// `aiBlame/fileInfo`. Updated when the active editor changes, after edits settle, and whenever VS Code asks for
// lenses (which it does after the server's refresh requests). Clicking it lists the file's AI edits. In a project
// without any agent trace it reads "✦ no AI traces", its tooltip the server's notice with the places looked in.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { Commands, FileInfoRequest, type FileInfoParams, type FileInfoResult } from "@ai-blame/shared/contract";

const DEBOUNCE_MS = 300;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("aiBlame.status", vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = "AI Blame";
    this.item.command = Commands.showFileEdits;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => this.scheduleUpdate(e?.document.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.scheduleUpdate(e.document.uri);
      }),
    );
  }

  attach(client: LanguageClient): void {
    this.client = client;
  }

  scheduleUpdate(uri: vscode.Uri | undefined): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(uri), DEBOUNCE_MS);
  }

  private async update(uri: vscode.Uri | undefined): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (!uri || !active || uri.toString() !== active.toString() || !this.client?.isRunning()) {
      if (!active) this.item.hide();
      return;
    }
    try {
      const params: FileInfoParams = { uri: uri.toString() };
      const info = await this.client.sendRequest<FileInfoResult>(FileInfoRequest, params);
      if (info.notice !== undefined) {
        // The project has no trace at all: say so where people look, instead of a silent absence.
        this.item.text = "✦ no AI traces";
        this.item.tooltip = `ai-blame: ${info.notice}`;
        this.item.show();
        return;
      }
      if (info.totalLines === 0 || info.events.length === 0) {
        this.item.hide();
        return;
      }
      const share = Math.round((100 * info.aiLines) / info.totalLines);
      this.item.text = `✦ ${share}% AI`;
      this.item.tooltip = `${info.aiLines} of ${info.totalLines} lines written by AI edits (${info.events.length} edits). Click to list them.`;
      this.item.show();
    } catch {
      this.item.hide();
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
