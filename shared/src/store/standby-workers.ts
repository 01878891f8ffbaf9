// The parse workers a first index (or a rebuild) starts beside discovery: once the traces discovery found reach the
// size from which the index's first update parses on workers, so that a worker (~40 ms to start) is ready when the
// update begins instead of starting after discovery. Below that size none starts: one started and stopped unused
// cost a 200 MB first index ~30 ms of CPU.

import { type PoolWorker, startWorkers, workerCount } from "./parse-pool";

export class StandbyWorkers {
  /** Bytes found so far, or null once no worker is to start (started, not a first index, or the update began). */
  private found: number | null;
  private workers: PoolWorker[] = [];

  constructor(
    private readonly source: string | null,
    private readonly minBytes: number,
    firstIndex: boolean,
  ) {
    this.found = source !== null && firstIndex ? 0 : null;
  }

  traceFound(bytes: number): void {
    if (this.found === null || this.source === null) return;
    this.found += bytes;
    if (this.found < this.minBytes) return;
    this.found = null;
    this.workers = startWorkers(this.source, workerCount(Number.POSITIVE_INFINITY));
  }

  /** The workers started (for the update to use or stop); none start after this. */
  take(): PoolWorker[] {
    const workers = this.workers;
    this.workers = [];
    this.found = null;
    return workers;
  }
}
