// The parser states an index resumes traces from: the last few kept in memory, so a watcher's next ingest of the
// same file skips a disk read, the others read back from the index files (see IndexFiles.readState).

import type { IndexFiles } from "./index-files";

/**
 * Parser states kept in memory after a parse. An update reading more traces than this (a cold index) keeps none
 * while states reach the disk: 32 Claude states are ~5 MB live for the whole run, which V8's heap sizing turned into
 * ~15 MB of peak RSS at 1 GB of traces.
 */
export const STATES_IN_MEMORY = 32;

export class ParserStates {
  private readonly recent = new Map<string, { offset: number; state: unknown }>();

  constructor(private readonly files: IndexFiles | null) {}

  /** The state saved for `path` at `offset`, from memory or disk. */
  get(path: string, offset: number): { ok: true; state: unknown } | { ok: false } {
    const inMemory = this.recent.get(path);
    if (inMemory !== undefined && inMemory.offset === offset) return { ok: true, state: inMemory.state };
    if (this.files === null) return { ok: false };
    const read = this.files.readState(path, offset);
    if (read.kind === "ok" && read.value.offset === offset) return { ok: true, state: read.value.state };
    return { ok: false };
  }

  remember(path: string, offset: number, state: unknown): void {
    this.recent.delete(path);
    this.recent.set(path, { offset, state });
    for (const key of this.recent.keys()) {
      if (this.recent.size <= STATES_IN_MEMORY) break;
      this.recent.delete(key);
    }
  }
}
