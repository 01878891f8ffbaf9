// A child process for young-generation.test.ts: allocates like a cold index (many objects surviving a few
// scavenges) and prints the largest new space V8 had. Modes: "free" (no bound), "bound" (boundYoungGeneration called
// as the index does after each trace), "watch" (boundHeapForBulkIndex once, at the start, as a first index does; the
// loop yields to the event loop as discovery and reads do), "worker-first" (as "watch", with a worker isolate started
// at the start, as a first index starts its parse worker), "worker-start" (bounded, then a worker started and nothing
// allocated until it runs; "worker-start-gc": the same with a full GC while the worker starts; "worker-stopped": the
// worker stopped at once, the flags checked right after), "worker-after" (a worker started once the bound is reached,
// while the heap is quiet, then more allocation), "checkpoint" (bounded once at the start, then a loop that never
// yields, calling heapCheckpoint as discovery does per trace head), "checkpoint-unarmed" (the same with no bulk index),
// "replay" (no bulk index: one attribution replaying a long history of whole-file Writes, as a first blame of a
// heavily edited file does from its trace contents). A worker, started as the parse pool starts one, reports its new
// space when it starts and whether V8 took a code cache made under its default flags there (it rejects one made under
// other flags, as it rejects Node's own for built-in modules); the main thread says the same once the worker ran.

import { GCProfiler, getHeapSpaceStatistics } from "node:v8";
import { Script } from "node:vm";
import { attributeFile } from "../../../src/attribution";
import type { EditEvent } from "../../../src/events/edit-event";
import { type ContentStore, hashContent } from "../../../src/store/content-store";
import { startWorkers, stopWorkers } from "../../../src/store/parse-pool";
import { boundHeapForBulkIndex, boundYoungGeneration, heapCheckpoint } from "../../../src/util/young-generation";

const mode = process.argv[2] ?? "free";
const newSpace = (): number => getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
/** A script's code cache made before any flag is set: V8 takes it only while its flags are at their defaults. */
const PROBE = "(function probe(a, b) { return a + b; })";
const probeCache = new Script(PROBE).createCachedData();
let probes = 0;
/** A name of its own for each check, or V8 would answer it from the script it compiled before, with no cache read. */
const probeRejected = (): boolean => new Script(PROBE, { cachedData: probeCache, filename: `probe-${++probes}.js` }).cachedDataRejected === true;

const WORKER = `const { getHeapSpaceStatistics } = require("node:v8");
const { Script } = require("node:vm");
const { parentPort } = require("node:worker_threads");
const probe = new Script(${JSON.stringify(PROBE)}, { cachedData: Buffer.from("${probeCache.toString("base64")}", "base64") });
const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size;
parentPort.postMessage({ newSpace, cacheRejected: probe.cachedDataRejected === true });`;

interface WorkerStart {
  newSpace: number;
  cacheRejected: boolean;
}

/**
 * Starts a worker as the parse pool does, calls `starting` while it starts; resolves to what the worker found at its
 * start once it ran and ended.
 */
async function runWorker(starting?: () => void): Promise<WorkerStart> {
  const [pooled] = startWorkers(WORKER, 1);
  if (pooled === undefined) throw new Error("no worker");
  pooled.worker.ref();
  starting?.();
  const start = await new Promise<WorkerStart>((resolve) => pooled.worker.once("message", resolve));
  await stopWorkers([pooled]);
  return start;
}

/**
 * A 4,000-line file written 120 times, each Write recording the whole text before and after (one line changed). The
 * contents are kept encoded outside V8's heap and decoded when read, as the index's packs and trace references are, so
 * that building the history leaves the young generation small (texts kept as strings would grow it before the replay).
 */
function replayLongHistory(): void {
  const encoded = new Map<string, Buffer>();
  const store: ContentStore = {
    put(text) {
      const key = hashContent(text);
      encoded.set(key, Buffer.from(text, "utf8"));
      return key;
    },
    get: (key) => encoded.get(key)?.toString("utf8"),
  };
  let text = Array.from({ length: 4000 }, (_, i) => `    const value${i} = compute(${i}, "${"x".repeat(i % 23)}");\n`).join("");
  const events: EditEvent[] = [];
  let before: string | undefined;
  for (let k = 0; k < 120; k++) {
    if (k > 0) {
      const at = text.indexOf("\n", (k * 7919) % (text.length - 200)) + 1;
      text = `${text.slice(0, at)}    const edited${k} = ${k};\n${text.slice(text.indexOf("\n", at) + 1)}`;
    }
    const after = text;
    const change: EditEvent["change"] = before === undefined ? { after: store.put(after) } : { before: store.put(before), after: store.put(after) };
    events.push({
      id: `e${k}`,
      file: "/home/alice/project/src/app.ts",
      action: k === 0 ? "CREATED" : "EDITED",
      timestamp: new Date(Date.UTC(2025, 10, 3, 9, k)).toISOString(),
      model: "claude-opus-4-5-20251101",
      agent: "claude-code",
      agentVersion: "2.0.75",
      sessionId: "5d6c1f0e-7a44-4b1c-9a83-2f1f2b0c9d11",
      parentSessionId: null,
      subagentId: null,
      traceFile: "/home/alice/.claude/projects/-home-alice-project/5d6c1f0e-7a44-4b1c-9a83-2f1f2b0c9d11.jsonl",
      traceOffset: 4096 * (k + 1),
      toolCallId: `toolu_e${k}`,
      toolName: "Write",
      promptId: null,
      promptText: `prompt for e${k}`,
      changeSize: 1,
      change,
    });
    before = after;
  }
  const result = attributeFile(events, store, before ?? "");
  if (result.lines.length !== 4000) throw new Error(`replayed ${result.lines.length} lines, expected 4000`);
}

async function main(): Promise<void> {
  if (mode === "replay") {
    replayLongHistory();
    process.stdout.write(`${JSON.stringify({ largest: newSpace(), workerNewSpace: null, workerCacheRejected: null, cacheRejected: probeRejected() })}\n`);
    return;
  }
  const yields = mode !== "bound" && !mode.startsWith("checkpoint");
  if (mode !== "free" && mode !== "bound" && mode !== "checkpoint-unarmed") boundHeapForBulkIndex();
  let largest = newSpace();
  let worker: WorkerStart | null = null;
  if (mode === "worker-stopped") {
    // Stopped at once, as a first index too small for the pool stops the worker it started beside discovery.
    const workers = startWorkers(WORKER, 1);
    const stopped = stopWorkers(workers);
    const result = { largest, workerNewSpace: null, workerCacheRejected: null, cacheRejected: probeRejected() };
    await stopped;
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (mode.startsWith("worker-start")) {
    // Nothing allocated while the worker starts: its start is not cut short by the young generation's bound. With
    // "-gc" (Node started with --expose-gc), a full GC while it starts, and the full GCs after it counted.
    const gcs = new GCProfiler();
    const worker = await runWorker(() => {
      if (mode === "worker-start-gc") (globalThis as { gc?: () => void }).gc?.();
      gcs.start();
    });
    const fullGcs = gcs.stop().statistics.filter((gc) => gc.gcType === "MarkSweepCompact").length;
    const result = { largest, workerNewSpace: worker.newSpace, workerCacheRejected: worker.cacheRejected, cacheRejected: probeRejected(), fullGcs };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const started = mode === "worker-first" ? runWorker() : null;
  const window: (object | undefined)[] = new Array(60_000);
  // After a worker's start the rounds go on long enough for the main thread's new space to grow again, were it free.
  const rounds = mode === "worker-after" ? 600 : 200;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < 5000; i++) {
      window[(round * 5000 + i) % window.length] = { id: `event-${round}-${i}`, at: [round, i], text: "x".repeat(40 + (i % 50)) };
    }
    if (mode === "bound") boundYoungGeneration();
    if (mode.startsWith("checkpoint")) heapCheckpoint();
    if (mode === "worker-after" && round === 100) {
      // Quiet first (nothing surviving), so that no scavenge while the worker starts has cause to grow the heap.
      window.fill(undefined);
      for (let i = 0; i < 200_000; i++) window[i % 16] = { i };
      worker = await runWorker();
    }
    largest = Math.max(largest, newSpace());
    if (yields) await new Promise((resolve) => setImmediate(resolve));
  }
  if (started !== null) worker = await started;
  const result = { largest, workerNewSpace: worker?.newSpace ?? null, workerCacheRejected: worker?.cacheRejected ?? null, cacheRejected: probeRejected() };
  process.stdout.write(`${JSON.stringify({ ...result, kept: window.length })}\n`);
}

void main();
