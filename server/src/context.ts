// What every feature module receives: the connection, the shared stores and the client's resolved support. Features
// register their handlers through it and never reach each other directly, so each stays testable on its own.

import type { Connection } from "vscode-languageserver/node";
import type { ClientSupport } from "./capabilities";
import type { DocumentStore } from "./documents";
import type { ServerLog } from "./log";
import type { SettingsStore } from "./settings";
import type { Workspaces } from "./workspace";

export interface ServerContext {
  readonly connection: Connection;
  readonly log: ServerLog;
  readonly settings: SettingsStore;
  readonly workspaces: Workspaces;
  readonly documents: DocumentStore;
  /** Resolved at initialize; before that, nothing is supported. */
  support(): ClientSupport;
  /** Milliseconds since the epoch, for relative times ("2 days ago"). */
  now(): number;
  /** Asks the client to re-request code lenses and inlay hints, where it supports refresh requests. */
  refreshViews(): void;
}
