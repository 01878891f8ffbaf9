// Isolates failures per request: every handler runs inside `guard`, so an exception is logged with the method name
// and answered with the handler's empty result, and the server keeps serving. Deliberate protocol errors
// (ResponseError: bad params, unknown document) pass through to the client unchanged.

import { ResponseError } from "vscode-languageserver/node";
import { isAiBlameError } from "@ai-blame/shared";
import type { ServerLog } from "./log";

export async function guard<T>(log: ServerLog, method: string, empty: T, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ResponseError) {
      log.debug(`${method}: ${error.message}`);
      throw error;
    }
    if (isAiBlameError(error)) {
      log.info(`${method}: ${error.message}`);
      return empty;
    }
    log.error(`${method} failed: ${describeError(error)}`);
    return empty;
  }
}

/** Runs a notification handler or background task, logging instead of throwing. */
export function guardTask(log: ServerLog, what: string, run: () => Promise<unknown> | unknown): void {
  Promise.resolve()
    .then(run)
    .catch((error: unknown) => log.error(`${what} failed: ${describeError(error)}`));
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
