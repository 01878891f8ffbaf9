// A child-process entry for the concurrency test (bundled by the test with esbuild): opens the index in the given
// data dir, re-reads the given traces `rounds` times in rebuild mode (so every round rewrites every record) and
// prints the number of events it saw; any notice (a torn or corrupt file read) goes to stderr.
// Usage: node index-writer.cjs DATA_DIR PROJECT_KEY ROUNDS TRACE...

import { openTraceIndex } from "../../../src/store/trace-index";
import type { Log } from "../../../src/util/log";
import { discovered } from "./fixtures";
import { createMiniClaudeParser } from "./mini-claude-parser";

/** Notices (a torn or corrupt file read) go to stderr, which the test expects to stay empty. */
const log: Log = {
  error: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`${m}\n`),
  info: () => undefined,
  debug: () => undefined,
};

async function main(): Promise<void> {
  const [dataDir, projectKey, rounds, ...paths] = process.argv.slice(2);
  if (dataDir === undefined || projectKey === undefined || rounds === undefined) throw new Error("usage: DATA_DIR KEY ROUNDS TRACE...");
  let events = 0;
  for (let round = 0; round < Number(rounds); round++) {
    const index = await openTraceIndex({ dataDir, mode: "rebuild", projectKey, log });
    await index.update(paths.map((p) => discovered(p)), { "claude-code": createMiniClaudeParser() });
    await index.flush();
    events = index.events().length;
  }
  process.stdout.write(`${JSON.stringify({ events })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
