// Composes the language server: resolves client support and settings at initialize, wires each feature module's
// handlers and capabilities, starts indexing every workspace folder after `initialized`, and keeps watchers,
// settings and client views in step with each other. Protocol only; all provenance comes from the engine.

import {
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from "vscode-languageserver/node";
import { IndexChangedNotification } from "@ai-blame/shared/contract";
import { noClientSupport, resolveClientSupport, type ClientSupport } from "./capabilities";
import type { ServerContext } from "./context";
import { DocumentStore } from "./documents";
import { registerCodeLens } from "./features/code-lens";
import { registerExecuteCommand } from "./features/execute-command";
import { registerFileShares } from "./features/file-shares";
import { registerHover } from "./features/hover";
import { registerInlayHints } from "./features/inlay-hint";
import { registerLineInfo } from "./features/line-info";
import { registerSessions } from "./features/sessions";
import { beginIndexProgress } from "./features/progress";
import { TraceWatchers } from "./features/watch";
import { guardTask } from "./guard";
import { ServerLog } from "./log";
import { SettingsStore } from "./settings";
import { Workspaces } from "./workspace";

/** Sets up every handler on `connection` and starts listening. Returns the log, for process-level guards. */
export function createAiBlameServer(connection: Connection): ServerLog {
  const log = new ServerLog();
  log.attach(connection);
  const settings = new SettingsStore(connection, log);
  let support: ClientSupport = noClientSupport;

  // The watchers and the workspace refer to each other through hooks, so both exist before either is used.
  let watchers: TraceWatchers | null = null;
  const workspaces = new Workspaces(log, settings, {
    progress: (title) => beginIndexProgress(connection, support, title),
    changed: () => refreshViews("traces"),
    indexed: (folder) => watchers?.sync(folder) ?? Promise.resolve(),
    removed: (folder) => watchers?.remove(folder),
  });
  watchers = new TraceWatchers(workspaces, log);
  const documents = new DocumentStore(workspaces, log, settings.global().cacheSize);

  function refreshViews(reason: "traces" | "settings"): void {
    if (support.indexChanged) {
      connection.sendNotification(IndexChangedNotification).catch((e: unknown) => log.debug(`${IndexChangedNotification}: ${String(e)}`));
    }
    if (support.codeLensRefresh) {
      connection.sendRequest(CodeLensRefreshRequest.type).catch((e: unknown) => log.debug(`codeLens/refresh: ${String(e)}`));
    }
    const inlayHintsShown = workspaces.all().some((f) => f.settings.inlayHints.enabled);
    if (support.inlayHintRefresh && (reason === "settings" || inlayHintsShown)) {
      connection.languages.inlayHint.refresh().catch((e: unknown) => log.debug(`inlayHint/refresh: ${String(e)}`));
    }
  }

  const ctx: ServerContext = {
    connection,
    log,
    settings,
    workspaces,
    documents,
    support: () => support,
    now: () => Date.now(),
    refreshViews: () => refreshViews("traces"),
  };

  const featureCapabilities: ServerCapabilities[] = [
    registerHover(ctx),
    registerCodeLens(ctx),
    registerInlayHints(ctx),
    registerExecuteCommand(ctx),
    registerLineInfo(ctx),
    registerSessions(ctx),
    registerFileShares(ctx),
  ];

  async function applyGlobalSettings(): Promise<void> {
    const global = await settings.forFolder(null);
    log.setLevel(global.logLevel);
    documents.resize(global.cacheSize);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    support = resolveClientSupport(params.capabilities ?? {}, params.clientInfo?.name);
    settings.initialize(params.initializationOptions, support);
    const initial = settings.global();
    log.setLevel(initial.logLevel);
    documents.resize(initial.cacheSize);
    for (const folder of initialFolders(params)) workspaces.add(folder.uri, folder.name);
    log.info(`ai-blame ${__AI_BLAME_VERSION__} serving ${workspaces.all().map((f) => f.path).join(", ") || "(no folder yet)"}`);
    return {
      capabilities: Object.assign(
        {
          textDocumentSync: TextDocumentSyncKind.Full,
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        } satisfies ServerCapabilities,
        ...featureCapabilities,
      ),
      serverInfo: { name: "ai-blame", version: __AI_BLAME_VERSION__ },
    };
  });

  connection.onInitialized(() => {
    if (support.configurationChangeRegistration) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: "aiBlame" })
        .catch((e: unknown) => log.debug(`registering didChangeConfiguration: ${String(e)}`));
    }
    if (support.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((change) => {
        for (const removed of change.removed) workspaces.remove(removed.uri);
        for (const added of change.added) workspaces.add(added.uri, added.name);
      });
    }
    guardTask(log, "reading settings", applyGlobalSettings);
    workspaces.start();
  });

  connection.onDidChangeConfiguration((change) =>
    guardTask(log, "workspace/didChangeConfiguration", async () => {
      settings.clear(change?.settings);
      await applyGlobalSettings();
      await workspaces.reconfigure();
      refreshViews("settings");
    }),
  );

  connection.onShutdown(() => watchers?.closeAll());
  documents.listen(connection);
  connection.listen();
  return log;
}

function initialFolders(params: InitializeParams): { uri: string; name?: string }[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders;
  if (params.rootUri) return [{ uri: params.rootUri }];
  // Files opened without any folder get an ad-hoc folder at their git root or directory (Workspaces.folderFor).
  return [];
}
