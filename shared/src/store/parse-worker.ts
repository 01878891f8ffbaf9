// The entry of a parse worker thread (bundled separately and started from its source text, so it also runs inside a
// single-executable build): parses one trace per message, in the order sent, with the registered parsers and answers
// with the output.
// Contents go straight into one pack of the index's content folder, completed when the index says "finish".

import { parentPort, workerData } from "node:worker_threads";
import { parsersByAgent } from "../traces";
import { useBlockingReads } from "../traces/jsonl-reader";
import { silentLog } from "../util/log";
import type { ContentRef } from "./content-ref";
import { MemoryContentStore, type ContentStore } from "./content-store";
import { DiskContentStore } from "./disk-content-store";
import type { FromWorker, ParseJob, ParseReply, ParseWorkerData, ToWorker } from "./parse-pool";

/** Records the texts one job puts, so they can be sent back when they did not reach the disk. */
class JobContents implements ContentStore {
  readonly texts = new Map<string, string>();
  /** References need no text sent back: passed through when the store takes them. */
  readonly putRef?: (ref: ContentRef) => string;
  constructor(private readonly inner: ContentStore) {
    if (inner.putRef !== undefined) this.putRef = (ref) => inner.putRef!(ref);
  }
  put(text: string): string {
    const key = this.inner.put(text);
    this.texts.set(key, text);
    return key;
  }
  get(key: string): string | undefined {
    return this.inner.get(key);
  }
}

/** The worker's store of contents (one pack for all its jobs, completed on "finish"), or none for an in-memory index. */
let disk: DiskContentStore | null = null;
let diskFailed = false;

async function run(job: ParseJob): Promise<ParseReply> {
  if (job.contentsDir !== null && disk === null) {
    disk = new DiskContentStore(job.contentsDir, silentLog, () => {
      diskFailed = true;
    });
  }
  const contents = new JobContents(disk ?? new MemoryContentStore());
  const out = await parsersByAgent[job.agent].parse({ path: job.path, fromOffset: job.fromOffset, state: job.state, contents, ...(job.scope ? { scope: job.scope } : {}) });
  // In memory, or once the disk refused them, the texts travel back to the index with the output.
  const texts = disk === null || diskFailed ? [...contents.texts] : [];
  // The state crosses as one string (SerializedState), which the index writes as it is; one that cannot be serialised
  // is not saved (the trace is read whole next time), as in-process.
  let stateJson: string | null = null;
  try {
    stateJson = out.state === undefined ? null : JSON.stringify(out.state);
  } catch {
    stateJson = null;
  }
  return { id: job.id, ok: true, out: { ...out, state: null }, stateJson, texts };
}

async function finish(): Promise<[string, string][]> {
  if (disk === null) return [];
  await disk.drain();
  return diskFailed ? disk.unsaved() : [];
}

/** One message at a time, in the order sent: the index keeps the next job queued here and reads replies in turn. */
async function handle(message: ToWorker): Promise<FromWorker> {
  if (message.kind === "finish") {
    const texts = await finish().catch(() => disk?.unsaved() ?? []);
    return { kind: "finished", texts };
  }
  const { job } = message;
  const reply = await run(job).catch(
    (error: unknown): ParseReply => ({ id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
  return { kind: "reply", reply };
}

useBlockingReads();
let turn: Promise<void> = Promise.resolve();
parentPort?.on("message", (message: ToWorker) => {
  // A reply that cannot be sent ends the worker (thrown outside the chain, it is uncaught: the thread stops with an
  // error event), so the index parses its jobs in-process instead of waiting for answers that would never come.
  turn = turn
    .then(async () => parentPort?.postMessage(await handle(message)))
    .catch((error: unknown) => {
      setImmediate(() => {
        throw error;
      });
    });
});
// Everything this thread needs is loaded: the index may set V8's flags again (see FromWorker, ParseWorkerData).
const { running } = (workerData ?? {}) as Partial<ParseWorkerData>;
if (running instanceof SharedArrayBuffer) Atomics.store(new Int32Array(running), 0, 1);
parentPort?.postMessage({ kind: "ready" } satisfies FromWorker);
