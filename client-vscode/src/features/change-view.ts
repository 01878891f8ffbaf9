// "Show the change": a diff editor of a file just before and just after one AI edit, with both sides from the
// server's `aiBlame/editContents` (the index's recorded or replayed contents, not git). The two sides are
// read-only virtual documents (scheme `ai-blame-change`) held in memory.

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { EditContentsRequest, shortModelName, type EditContentsParams, type EditContentsResult } from "@ai-blame/shared/contract";

const SCHEME = "ai-blame-change";

export interface ChangeArgs {
  /** The edited file's URI (string). */
  uri: string;
  sessionId: string;
  toolCallId: string;
}

export class ChangeView implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private serial = 0;

  constructor(private readonly client: LanguageClient) {}

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  async open(args: ChangeArgs): Promise<void> {
    const file = vscode.Uri.parse(args.uri);
    // The server answers for open documents only; opening is cheap and a no-op when it is open already.
    await vscode.workspace.openTextDocument(file);
    const params: EditContentsParams = { uri: args.uri, sessionId: args.sessionId, toolCallId: args.toolCallId };
    const result = await this.client.sendRequest<EditContentsResult>(EditContentsRequest, params);
    if (!result) {
      void vscode.window.showInformationMessage("AI Blame: the traces do not record this file's content around that edit.");
      return;
    }
    const id = ++this.serial;
    const name = result.file.split("/").pop() ?? result.file;
    // The file name stays last in the path, so the diff editor picks the language from its extension.
    const side = (which: string, text: string) => {
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${id}/${which}/${result.file}` });
      this.texts.set(uri.toString(), text);
      return uri;
    };
    const when = result.timestamp.replace("T", " ").slice(0, 16);
    const title = `${name} (${shortModelName(result.model)} · ${when} UTC)`;
    await vscode.commands.executeCommand("vscode.diff", side("before", result.before), side("after", result.after), title, {
      preview: true,
    });
  }
}
