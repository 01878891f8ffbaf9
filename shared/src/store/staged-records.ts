// The records an update read whole, waiting for the index's flush (which writes them only after the contents they
// reference): each is staged in a file of its own at once, so the index holds their events' heads and not their
// changes (which are read back from the file when used), and the flush renames it into place.

import type { IndexFiles } from "./index-files";
import { compactRecord, type TraceRecord } from "./record-codec";
import type { StagedRecord } from "./record-writes";

export class StagedRecords {
  private readonly byTrace = new Map<string, { record: TraceRecord; staged: StagedRecord }[]>();

  /**
   * The record to hold until flush: its rows, its events read back from its staged file when used (a file that
   * starts with `state`, the trace's parser state frame, when given; with its segment's head for the view unless
   * `keepHeads` is false: a first index), or (no index on disk, or staging failed: `onError`) read back from its
   * bytes in memory, whose changes are still parsed only when used.
   */
  stage(files: IndexFiles | null, record: TraceRecord, state: Buffer | null, onError: (error: Error) => void, keepHeads = true): TraceRecord {
    if (files !== null) {
      try {
        const staged = files.stageRecord(record, state, keepHeads);
        const entries = this.byTrace.get(record.path) ?? [];
        entries.push({ record: staged.record, staged: staged.staged });
        this.byTrace.set(record.path, entries);
        return staged.record;
      } catch (error) {
        onError(error as Error);
      }
    }
    return compactRecord(record).record;
  }

  /** The file the trace's last staged record is in (its parser state is there too), if one is staged. */
  fileOf(trace: string): string | undefined {
    return this.byTrace.get(trace)?.at(-1)?.staged.temp;
  }

  /**
   * Writes a trace's record (committing its staged file when it is the staged one) and removes the files staged
   * for records of the trace it replaced since (their events' changes are then read from the record written).
   */
  write(files: IndexFiles, record: TraceRecord, withCopy: boolean): void {
    const entries = this.byTrace.get(record.path) ?? [];
    this.byTrace.delete(record.path);
    const current = entries.find((entry) => entry.record === record);
    files.writeRecord(record, withCopy, current?.staged);
    for (const entry of entries) if (entry !== current) files.dropStaged(entry.staged, record.path);
  }
}
