// The "AI Sessions" view in the explorer: the project's AI sessions (first prompt, agent, models, time), newest
// first → their edits (file, action, time). Clicking an edit shows its change (diff); each row has an inline action
// to open the transcript. Reloads when the server says the index changed (`aiBlame/indexChanged`).

import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import {
  Commands,
  SessionsRequest,
  shortModelName,
  type SessionEditJson,
  type SessionJson,
  type SessionsResult,
} from "@ai-blame/shared/contract";
import { showChangeCommand } from "./edits-pick";

export const sessionsViewId = "aiBlame.sessions";
export const openSessionTranscriptCommand = "aiBlame.openSessionTranscript";

type Node = { kind: "session"; session: SessionJson } | { kind: "edit"; session: SessionJson; edit: SessionEditJson };

function when(iso: string | null): string {
  return iso ? `${iso.replace("T", " ").slice(0, 16)} UTC` : "";
}

export class SessionsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (!this.client.isRunning()) return [];
      const sessions = await this.client.sendRequest<SessionsResult>(SessionsRequest, {});
      return sessions.map((session) => ({ kind: "session", session }));
    }
    if (node.kind === "session") return node.session.edits.map((edit) => ({ kind: "edit", session: node.session, edit }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === "session") {
      const s = node.session;
      const prompt = (s.firstPrompt ?? "").split("\n")[0]?.trim() || `session ${s.sessionId.slice(0, 8)}`;
      const item = new vscode.TreeItem(prompt.slice(0, 80), vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${s.agent} · ${s.models.map(shortModelName).join(", ")} · ${when(s.startTime)}`;
      item.tooltip = `${s.edits.length} edits · session ${s.sessionId}`;
      item.iconPath = new vscode.ThemeIcon("sparkle");
      item.contextValue = "aiBlameSession";
      item.id = s.sessionId;
      return item;
    }
    const { edit, session } = node;
    const item = new vscode.TreeItem(edit.file, vscode.TreeItemCollapsibleState.None);
    item.description = `${edit.action.toLowerCase()} · ${shortModelName(edit.model)} · ${when(edit.timestamp)}`;
    item.iconPath = new vscode.ThemeIcon(edit.action === "CREATED" ? "new-file" : edit.action === "DELETED" ? "trash" : "edit");
    item.contextValue = "aiBlameEdit";
    item.id = `${session.sessionId}/${edit.toolCallId}/${edit.file}`;
    item.command = {
      title: "Show the change",
      command: showChangeCommand,
      arguments: [{ uri: edit.uri, sessionId: edit.sessionId, toolCallId: edit.toolCallId }],
    };
    return item;
  }

  /** The transcript action of a row: the session's transcript, at the edit for an edit row. */
  static openTranscript(node: Node | undefined): Thenable<unknown> | undefined {
    if (!node) return undefined;
    const args =
      node.kind === "session"
        ? { sessionId: node.session.sessionId, traceFile: node.session.traceFile }
        : { sessionId: node.edit.sessionId, toolCallId: node.edit.toolCallId, traceFile: node.edit.traceFile };
    return vscode.commands.executeCommand(Commands.showTranscript, args);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
