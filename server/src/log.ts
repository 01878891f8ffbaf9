// The server's log sink: implements the engine's Log interface on top of `window/logMessage`, filtered by the
// `aiBlame.logLevel` setting. Nothing here ever writes to stdout (the protocol channel); before the connection is
// listening, messages go to stderr.

import type { Connection } from "vscode-languageserver/node";
import type { AiBlameSettings, Log } from "@ai-blame/shared";

type Level = AiBlameSettings["logLevel"];

const rank: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export class ServerLog implements Log {
  private connection: Connection | null = null;
  private level: Level = "info";

  /** Routes messages to the client once the connection is listening. */
  attach(connection: Connection): void {
    this.connection = connection;
  }

  setLevel(level: Level): void {
    this.level = level;
  }

  error(message: string): void {
    this.write("error", message);
  }

  warn(message: string): void {
    this.write("warn", message);
  }

  info(message: string): void {
    this.write("info", message);
  }

  debug(message: string): void {
    this.write("debug", message);
  }

  private write(level: Level, message: string): void {
    if (rank[level] > rank[this.level]) return;
    const connection = this.connection;
    if (!connection) {
      process.stderr.write(`[ai-blame ${level}] ${message}\n`);
      return;
    }
    try {
      if (level === "error") connection.console.error(message);
      else if (level === "warn") connection.console.warn(message);
      else if (level === "info") connection.console.info(message);
      else connection.console.log(message);
    } catch {
      // The connection may already be closed (client gone); stderr is the last resort.
      process.stderr.write(`[ai-blame ${level}] ${message}\n`);
    }
  }
}
