// Which reads a trace index uses: a command's index (blockingReads) reads the traces it parses itself with blocking
// reads while no pool runs, and through the thread pool while one does (its workers wait for this thread) or when it
// serves requests (a server's index); the events are the same either way.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { DiscoveredTrace } from "../../src/discovery/types";
import { workerCount } from "../../src/store/parse-pool";
import { openTraceIndex } from "../../src/store/trace-index";
import { parsersByAgent } from "../../src/traces";
import { readsBlock, useBlockingReads } from "../../src/traces/jsonl-reader";
import type { ParseInput, TraceParser } from "../../src/traces/parser";
import { editCallLine, editResultLine, promptLine, type SessionCtx } from "./support/claude-lines";
import { discovered, makeSandbox, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => {
  useBlockingReads(false);
  box.cleanup();
});

function trace(): DiscoveredTrace {
  const ctx: SessionCtx = { sessionId: "00000000-0000-4000-8000-000000000001", cwd: box.project };
  const file = join(box.project, "src/a.ts");
  const content = "export const a = 1;\nexport const b = 2;\n";
  let text = promptLine(ctx, "2025-06-01T10:00:00.000Z", "bump a");
  text += editCallLine(ctx, "2025-06-01T10:00:01.000Z", "toolu_e1", file, "a = 1", "a = 2");
  text += editResultLine(ctx, "2025-06-01T10:00:02.000Z", "toolu_e1", file, content, "a = 1", "a = 2");
  const path = join(box.traces, `${ctx.sessionId}.jsonl`);
  writeFileSync(path, text);
  return discovered(path);
}

/** The Claude parser, noting whether this thread read blocking during each parse. */
function watchedClaude(seen: boolean[]): Record<string, TraceParser> {
  const claude = parsersByAgent["claude-code"];
  const parse = (input: ParseInput) => {
    seen.push(readsBlock());
    return claude.parse(input);
  };
  return { "claude-code": { agent: claude.agent, parse } };
}

it("reads blocking while it parses every trace itself, when it was opened for a command", async () => {
  const files = [trace()];
  const seen: boolean[] = [];
  const command = await openTraceIndex({ dataDir: box.dataDir, mode: "on", parseWorkerSource: null, blockingReads: true });
  await command.update(files, watchedClaude(seen));
  const server = await openTraceIndex({ dataDir: join(box.root, "server"), mode: "on", parseWorkerSource: null });
  await server.update(files, watchedClaude(seen));
  expect(seen).toEqual([true, false]);
  expect(command.events()).toHaveLength(1);
  expect(command.events()).toEqual(server.events());
});

it("reads through the thread pool while a pool runs", async () => {
  useBlockingReads(true);
  // A worker that fails to start hands its trace back to this thread, which parses it while the pool is up.
  const worker = "throw new Error('worker failed to start')";
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", parseWorkerSource: worker, poolMinBytes: 1, blockingReads: true });
  await index.update([trace()], parsersByAgent);
  // One core: no pool, so blocking reads.
  expect(readsBlock()).toBe(workerCount(1) < 1);
  expect(index.events()).toHaveLength(1);
});
