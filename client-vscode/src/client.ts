// Builds and starts the LanguageClient: the bundled server (dist/server.js beside this file) over stdio, settings
// passed as initializationOptions and pulled by the server through workspace/configuration, a bounded restart
// policy, middleware that turns the server's transcript answers into an opened document, and the experimental
// capability that lets hovers carry `command:` links.

import * as path from "node:path";
import type * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from "vscode-languageclient/node";
import { Commands, IndexChangedNotification, type ShowTranscriptResult } from "@ai-blame/shared/contract";
import { readSettings } from "./config";
import { serverEnv } from "./server-env";

export interface ClientHooks {
  onTranscript(result: ShowTranscriptResult): void;
  onIndexChanged(): void;
  onLensesRequested(uri: vscode.Uri): void;
}

/** Restarts allowed within RESTART_WINDOW_MS before giving up (a crash loop must not spin forever). */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

export function startClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  hooks: ClientHooks,
): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join("client-vscode", "dist", "server.js"));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, options: { env: serverEnv(process.env) } },
    // Debugging the extension (.vscode/launch.json) also lets a debugger attach to the server on port 6009.
    debug: {
      module: serverModule,
      transport: TransportKind.stdio,
      options: { env: serverEnv(process.env), execArgv: ["--nolazy", "--inspect=6009"] },
    },
  };
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file" }, { scheme: "untitled" }],
    outputChannel: log,
    // The hover's links run these two commands, and only these (trace text never forms a link: it is escaped).
    markdown: { isTrusted: { enabledCommands: [Commands.showTranscript, Commands.showChange, Commands.showPreviousEdit] } },
    initializationOptions: readSettings(),
    synchronize: { configurationSection: "aiBlame" },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && (restarts[0] ?? now) < now - RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          return { action: CloseAction.DoNotRestart, message: "AI Blame: the server crashed repeatedly and was stopped." };
        }
        log.warn(`AI Blame server stopped; restarting (${restarts.length}/${MAX_RESTARTS})`);
        return { action: CloseAction.Restart };
      },
    },
    middleware: {
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (command === Commands.showTranscript && isTranscriptResult(result)) hooks.onTranscript(result);
        return result;
      },
      provideCodeLenses: (document, token, next) => {
        hooks.onLensesRequested(document.uri);
        return next(document, token);
      },
    },
  };
  const client = new LanguageClient("aiBlame", "AI Blame", serverOptions, clientOptions);
  client.registerFeature(commandLinkSupport);
  client.onNotification(IndexChangedNotification, () => hooks.onIndexChanged());
  return client;
}

/**
 * Tells the server that hovers may carry `command:` links (LSP has no capability for it; other editors show them
 * raw) and that this client wants `aiBlame/indexChanged` (the sessions view reloads on it).
 */
const commandLinkSupport: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), aiBlame: { commandLinks: true, indexChanged: true } };
  },
  getState: () => ({ kind: "static" }),
  initialize: () => undefined,
  clear: () => undefined,
};

function isTranscriptResult(value: unknown): value is ShowTranscriptResult {
  return typeof value === "object" && value !== null && typeof (value as ShowTranscriptResult).markdown === "string";
}
