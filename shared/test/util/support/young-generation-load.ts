// A child process for young-generation.test.ts: allocates like a cold index (many objects surviving a few
// scavenges) and prints the largest new space V8 had. Modes: "free" (no bound), "bound" (boundYoungGeneration called
// as the index does after each trace), "watch" (boundHeapForBulkIndex once, at the start, as a first index does; the
// loop yields to the event loop as discovery and reads do), "worker-first" (as "watch", with a worker isolate started
// at the start, as a first index starts its parse worker), "worker-after" (a worker started once the bound is reached,
// while the heap is quiet, then more allocation), "checkpoint" (bounded once at the start, then a loop that never
// yields, calling heapCheckpoint as discovery does per trace head), "checkpoint-unarmed" (the same with no bulk index),
// "replay" (no bulk index: one attribution replaying a long history of whole-file Writes, as a first blame of a
// heavily edited file does from its trace contents). A worker reports its new space when it starts.

import { getHeapSpaceStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import { attributeFile } from "../../../src/attribution";
import type { EditEvent } from "../../../src/events/edit-event";
import { type ContentStore, hashContent } from "../../../src/store/content-store";
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
    process.stdout.write(`${JSON.stringify({ largest: newSpace(), workerNewSpace: null })}\n`);
    return;
  }
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
