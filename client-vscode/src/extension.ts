// VS Code entry point: activate starts the language client and the editor-only features, deactivate stops them.
// All provenance logic lives in the server; the extension only starts it and shows what it answers.

import * as vscode from "vscode";
import { startClient } from "./client";
import { ChangeView } from "./features/change-view";
import { ExplorerBadges } from "./features/explorer-badges";
import { registerCommands } from "./features/commands";
import { FileBlame } from "./features/file-blame";
import { SessionsView, sessionsViewId } from "./features/sessions-view";
import { registerSearchSessions } from "./features/search-sessions";
import { CurrentLineAnnotation } from "./features/current-line";
import { StatusBar } from "./features/status-bar";
import { TranscriptView } from "./features/transcript-view";
import type { LanguageClient } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("AI Blame", { log: true });
  context.subscriptions.push(log);
  const transcripts = new TranscriptView();
  context.subscriptions.push(transcripts.register());
  const statusBar = new StatusBar();
  context.subscriptions.push(statusBar);

  let sessions: SessionsView | undefined;
  let fileBlame: FileBlame | undefined;
  let badges: ExplorerBadges | undefined;
  client = startClient(context, log, {
    onTranscript: (result) => transcripts.open(result),
    onIndexChanged: () => {
      sessions?.refresh();
      fileBlame?.refreshAll();
      badges?.refresh();
    },
    onLensesRequested: (uri) => statusBar.scheduleUpdate(uri),
  });
  context.subscriptions.push(client);
  statusBar.attach(client);
  const currentLine = new CurrentLineAnnotation(client);
  context.subscriptions.push(currentLine);
  const changes = new ChangeView(client);
  context.subscriptions.push(changes.register());
  fileBlame = new FileBlame(client);
  context.subscriptions.push(fileBlame);
  sessions = new SessionsView(client);
  context.subscriptions.push(sessions, vscode.window.registerTreeDataProvider(sessionsViewId, sessions));
  badges = new ExplorerBadges(client, log);
  context.subscriptions.push(badges);
  registerCommands(context, client, log, changes, fileBlame);
  registerSearchSessions(context, log);

  try {
    await client.start();
    log.info("AI Blame language server started");
    statusBar.scheduleUpdate(vscode.window.activeTextEditor?.document.uri);
    sessions.refresh();
    badges.refresh();
  } catch (error) {
    log.error(`AI Blame language server failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage("AI Blame: the language server could not start (see AI Blame: Show Log).");
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
