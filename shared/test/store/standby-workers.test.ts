// When a first index starts its parse workers: beside discovery, once the traces found reach the size from which its
// update parses on workers, and not at all for a smaller first index or an index that was there already.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import * as pool from "../../src/store/parse-pool";
import { openTraceIndex } from "../../src/store/trace-index";
import { parsersByAgent } from "../../src/traces";
import { promptLine, writeCallLine, writeResultLine, type SessionCtx } from "./support/claude-lines";
import { discovered, makeSandbox, type Sandbox } from "./support/fixtures";

// The real startWorkers, counted: a worker thread is the thing these tests are about.
vi.mock("../../src/store/parse-pool", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/store/parse-pool")>();
  return { ...real, startWorkers: vi.fn(real.startWorkers) };
});
const startWorkers = vi.mocked(pool.startWorkers);

/** A worker that starts and waits for work it never gets (the index stops it). */
const IDLE_WORKER = "require('node:worker_threads').parentPort.on('message', () => undefined);";

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox();
  startWorkers.mockClear();
});
afterEach(() => box.cleanup());

function trace() {
  const ctx: SessionCtx = { sessionId: "00000000-0000-4000-8000-000000000001", cwd: box.project };
  const file = join(box.project, "src/a.ts");
  const content = "export const a = 1;\n";
  let text = promptLine(ctx, "2025-06-01T10:00:00.000Z", "write a");
  text += writeCallLine(ctx, "2025-06-01T10:00:01.000Z", "toolu_w1", file, content);
  text += writeResultLine(ctx, "2025-06-01T10:00:02.000Z", "toolu_w1", file, content);
  const path = join(box.traces, `${ctx.sessionId}.jsonl`);
  writeFileSync(path, text);
  return discovered(path);
}

it("a first index starts its workers once the traces found reach the pool's size, once", async () => {
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p", parseWorkerSource: IDLE_WORKER, poolMinBytes: 1_000_000 });
  index.traceFound(400_000);
  index.traceFound(500_000);
  expect(startWorkers).not.toHaveBeenCalled();
  index.traceFound(100_000);
  expect(startWorkers).toHaveBeenCalledTimes(1);
  index.traceFound(5_000_000);
  expect(startWorkers).toHaveBeenCalledTimes(1);
  // Its update (below the pool's size) stops them unused and parses here.
  const result = await index.update([trace()], parsersByAgent);
  await index.flush();
  expect(result.newEvents).toBe(1);
  expect(startWorkers).toHaveBeenCalledTimes(1);
});

it("a smaller first index starts no worker at all", async () => {
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p", parseWorkerSource: IDLE_WORKER, poolMinBytes: 1_000_000 });
  const file = trace();
  index.traceFound(file.size);
  expect((await index.update([file], parsersByAgent)).newEvents).toBe(1);
  await index.flush();
  expect(startWorkers).not.toHaveBeenCalled();
});

it("an index that was there, or one past its first update, starts none from discovery", async () => {
  const first = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p", parseWorkerSource: IDLE_WORKER, poolMinBytes: 1_000_000 });
  await first.update([trace()], parsersByAgent);
  await first.flush();
  first.traceFound(5_000_000);
  const again = await openTraceIndex({ dataDir: box.dataDir, mode: "on", projectKey: "p", parseWorkerSource: IDLE_WORKER, poolMinBytes: 1_000_000 });
  again.traceFound(5_000_000);
  expect(startWorkers).not.toHaveBeenCalled();
  // A rebuild reads every trace again: it does.
  const rebuild = await openTraceIndex({ dataDir: box.dataDir, mode: "rebuild", projectKey: "p", parseWorkerSource: IDLE_WORKER, poolMinBytes: 1_000_000 });
  rebuild.traceFound(5_000_000);
  expect(startWorkers).toHaveBeenCalledTimes(1);
  await rebuild.update([trace()], parsersByAgent);
  await rebuild.flush();
});
