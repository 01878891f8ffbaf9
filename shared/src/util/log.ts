// The logging interface the engine reports through. The engine never writes to stdout/stderr itself: adapters (CLI,
// server) pass a sink; the default is silent.

export interface Log {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export const silentLog: Log = { error() {}, warn() {}, info() {}, debug() {} };
