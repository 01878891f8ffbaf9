// The entry of a parse worker thread (bundled separately and started from its source text, so it also runs inside a
// single-executable build): parses one trace per message with the registered parsers and answers with the output.
// Contents go straight to the index's blob folder; the answer is sent only once they are on disk.

import { parentPort } from "node:worker_threads";
import { parsersByAgent } from "../traces";
import { silentLog } from "../util/log";
import { MemoryContentStore, type ContentStore } from "./content-store";
import { DiskContentStore } from "./disk-content-store";
import type { ParseJob, ParseReply } from "./parse-pool";

/** Records the texts one job puts, so they can be sent back when they did not reach the disk. */
class JobContents implements ContentStore {
  readonly texts = new Map<string, string>();
  constructor(private readonly inner: ContentStore) {}
  put(text: string): string {
    const key = this.inner.put(text);
    this.texts.set(key, text);
    return key;
  }
  get(key: string): string | undefined {
    return this.inner.get(key);
  }
}

const stores = new Map<string, { store: DiskContentStore; failed: boolean }>();

async function run(job: ParseJob): Promise<ParseReply> {
  const parser = parsersByAgent[job.agent];
  let disk = job.contentsDir === null ? undefined : stores.get(job.contentsDir);
  if (job.contentsDir !== null && disk === undefined) {
    const entry: { store: DiskContentStore; failed: boolean } = {
      store: new DiskContentStore(job.contentsDir, silentLog, () => (entry.failed = true)),
      failed: false,
    };
    disk = entry;
    stores.set(job.contentsDir, entry);
  }
  const contents = new JobContents(disk?.store ?? new MemoryContentStore());
  const out = await parser.parse({ path: job.path, fromOffset: job.fromOffset, state: job.state, contents });
  await disk?.store.drain();
  // In memory, or when the disk refused them, the texts travel back to the index with the output.
  const texts = disk === undefined || disk.failed ? [...contents.texts] : [];
  return { id: job.id, ok: true, out, texts };
}

parentPort?.on("message", (job: ParseJob) => {
  run(job).then(
    (reply) => parentPort?.postMessage(reply),
    (error: unknown) => parentPort?.postMessage({ id: job.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ParseReply),
  );
});
