// The server's entry: `startServer(input, output)` serves LSP on the given streams (used by `ai-blame lsp` in the
// CLI bundle), and running `server/dist/server.js` starts it on stdin/stdout. stdout belongs to the protocol: console
// output is redirected to stderr, and uncaught errors are logged instead of ending the process. A stream out of
// step (bad framing, a body that is not JSON, a message over the size cap) ends the process with exit code 1 and
// one line on stderr, so the client restarts the server instead of talking to a wedged one.

import { format } from "node:util";
import { createConnection, StreamMessageWriter } from "vscode-languageserver/node";
import { describeError } from "./guard";
import type { ServerLog } from "./log";
import { createAiBlameServer } from "./server";
import { StrictMessageReader } from "./transport";

let started = false;

/** Serves the ai-blame language server on `input`/`output` until the client sends `exit` or closes the stream. */
export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  if (started) throw new Error("the ai-blame language server is already running in this process");
  started = true;
  redirectConsole();
  let log: ServerLog | null = null;
  const report = (what: string) => (error: unknown) => {
    const message = `${what}: ${describeError(error)}`;
    if (log) log.error(message);
    else process.stderr.write(`[ai-blame error] ${message}\n`);
  };
  process.on("uncaughtException", report("uncaught exception"));
  process.on("unhandledRejection", report("unhandled rejection"));
  const reader = new StrictMessageReader(input, (reason) => {
    process.stderr.write(`[ai-blame error] the LSP input stream is out of step (${reason}); exiting so the client can restart the server\n`);
    process.exit(1);
  });
  // As the stock stream transport does: the client closing our input ends the server (cleanly after `shutdown`).
  const ended = (): void => process.exit(reader.shutdownRequested ? 0 : 1);
  input.on("end", ended);
  input.on("close", ended);
  const connection = createConnection(reader, new StreamMessageWriter(output));
  log = createAiBlameServer(connection);
}

/** Anything printed by a library must not corrupt the JSON-RPC stream on stdout. */
function redirectConsole(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
  console.error = toStderr;
  console.trace = toStderr;
  console.dir = toStderr;
}

function isServerBundleEntry(): boolean {
  // The CLI bundle contains this module too (for `ai-blame lsp`), so "am I the main module" is not enough: only
  // the standalone bundle, server.js, starts by itself.
  return typeof require !== "undefined" && typeof module !== "undefined" && require.main === module && /(^|[\\/])server\.js$/.test(__filename);
}

if (isServerBundleEntry()) {
  if (process.argv.includes("--version")) {
    process.stdout.write(`${__AI_BLAME_VERSION__}\n`);
  } else {
    startServer(process.stdin, process.stdout);
  }
}
