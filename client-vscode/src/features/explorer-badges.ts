// Explorer decorations (setting `aiBlame.explorerDecorations.enabled`, off by default): a badge per file with the
// share of its lines AI edits wrote, and the numbers in its tooltip. The shares come from the server's
// `aiBlame/fileShares` (one project-wide pass, kept per index generation); they are asked for when the setting is
// on, at start and again whenever the server reports `aiBlame/indexChanged`. Nothing is asked while it is off.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { FileSharesRequest, type FileShareJson, type FileSharesResult } from "@ai-blame/shared/contract";

/** A badge holds at most two characters: the percentage, "✦" for a file AI wrote whole, "<1" below one percent. */
export function shareBadge(share: FileShareJson): string {
  const percent = (share.aiLines / Math.max(share.totalLines, 1)) * 100;
  if (share.aiLines >= share.totalLines) return "✦";
  if (percent < 1) return "<1";
  return String(Math.min(99, Math.round(percent)));
}

export class ExplorerBadges implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private shares = new Map<string, FileShareJson>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Bumped per load, so an answer that arrives after a newer request (or after turning off) is dropped. */
  private serial = 0;

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.window.registerFileDecorationProvider(this),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("aiBlame.explorerDecorations.enabled")) this.refresh();
      }),
    );
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration("aiBlame").get<boolean>("explorerDecorations.enabled", false);
  }

  /** Loads the shares again (setting on) or clears them (off). */
  refresh(): void {
    const serial = ++this.serial;
    if (!this.enabled()) {
      if (this.shares.size > 0) {
        this.shares = new Map();
        this.changed.fire(undefined);
      }
      return;
    }
    this.client.sendRequest<FileSharesResult>(FileSharesRequest).then(
      (result) => {
        if (serial !== this.serial) return;
        this.shares = new Map(result.map((share) => [vscode.Uri.parse(share.uri).toString(), share]));
        this.changed.fire(undefined);
      },
      (error: unknown) => this.log.warn(`${FileSharesRequest}: ${String(error)}`),
    );
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const share = this.shares.get(uri.toString());
    if (!share) return undefined;
    const percent = Math.round((share.aiLines / Math.max(share.totalLines, 1)) * 100);
    return new vscode.FileDecoration(shareBadge(share), `AI Blame: ${share.aiLines} of ${share.totalLines} lines AI-written (${percent}%)`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
