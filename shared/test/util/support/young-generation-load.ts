// A child process for young-generation.test.ts: allocates like a cold index (many objects surviving a few
// scavenges) and prints the largest new space V8 had. Modes: "free" (no bound), "bound" (boundYoungGeneration called
// as the index does after each trace), "watch" (boundHeapForBulkIndex once, at the start, as a first index does; the
// loop yields to the event loop as discovery and reads do), "worker-first" (as "watch", with a worker isolate started
// at the start, as a first index starts its parse worker), "worker-after" (a worker started once the bound is reached,
// while the heap is quiet, then more allocation), "checkpoint" (bounded once at the start, then a loop that never
// yields, calling heapCheckpoint as discovery does per trace head), "checkpoint-unarmed" (the same with no bulk index).
// A worker reports its new space when it starts.

import { getHeapSpaceStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { afterWorkerStart, beforeWorkerStart, boundHeapForBulkIndex, boundYoungGeneration, heapCheckpoint } from "../../../src/util/young-generation";

const mode = process.argv[2] ?? "free";
const newSpace = (): number => getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0;
const WORKER = `const { getHeapSpaceStatistics } = require("node:v8");
const { parentPort } = require("node:worker_threads");
parentPort.postMessage(getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size);`;

/** Starts a worker as the parse pool does; resolves to its new space at its start once it ran and ended. */
async function runWorker(): Promise<number> {
  beforeWorkerStart(2);
  const worker = new Worker(WORKER, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  worker.once("online", afterWorkerStart);
  const size = await new Promise<number>((resolve) => worker.once("message", resolve));
  await worker.terminate();
  return size;
}

async function main(): Promise<void> {
  const yields = mode !== "bound" && !mode.startsWith("checkpoint");
  if (mode !== "free" && mode !== "bound" && mode !== "checkpoint-unarmed") boundHeapForBulkIndex();
  let largest = newSpace();
  let workerNewSpace: number | null = null;
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
      workerNewSpace = await runWorker();
    }
    largest = Math.max(largest, newSpace());
    if (yields) await new Promise((resolve) => setImmediate(resolve));
  }
  if (started !== null) workerNewSpace = await started;
  process.stdout.write(`${JSON.stringify({ largest, workerNewSpace, kept: window.length })}\n`);
}

void main();
