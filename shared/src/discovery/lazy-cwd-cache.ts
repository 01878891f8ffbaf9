// The index's cwd cache as discovery meets it in a warm command: what the head of a trace the project's event table
// knows names is in the table's directory (table-directory.ts, CwdNote), noted for the trace as last indexed, so the
// cache file (every trace of every project, ~250 KB and a Map of 1,083 entries at 3 GB) is read only when discovery
// asks about a trace the directory does not note: a new one, another project's, or any after a rebuild. A trace that
// grew since is answered by its note's head checksum, as by the file's entry (head.ts). An entry set for a noted
// trace while the file is unread is the directory's to note anew at flush (the trace was read again), not the file's.

import type { AgentKind } from "../events/edit-event";
import type { CwdNote } from "../store/table-directory";
import { TrackedCwdCache } from "./head";
import type { CwdCache } from "./types";

type CwdEntry = CwdCache extends Map<string, infer E> ? E : never;

export class LazyCwdCache extends TrackedCwdCache {
  private loaded = false;

  constructor(
    /** Fills the cache from its file (through Map's own `set`, as CwdCacheFile.read does). */
    private readonly load: (into: CwdCache) => void,
    /** The directory's note of a trace, undefined when it has none. */
    private readonly noted: (path: string) => CwdNote | undefined,
  ) {
    super();
  }

  override get(path: string): CwdEntry | undefined {
    const set = super.get(path);
    if (set !== undefined || this.loaded) return set;
    // The note is an entry as the cache holds one (for the trace as indexed), made for its table entry's agent (an
    // AgentKind, as every entry's): answered as it is.
    const note = this.noted(path);
    if (note !== undefined) return note as CwdEntry;
    this.readFile();
    return super.get(path);
  }

  /** An entry for a trace the directory does not note goes to the file: it is read first, so that it is appended to. */
  override set(path: string, entry: CwdEntry): this {
    if (!this.loaded && this.noted(path) === undefined) this.readFile();
    return super.set(path, entry);
  }

  override has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  /** The file must be written only for what it was read for: entries set while it is unread are the directory's. */
  override get changed(): boolean {
    return this.loaded && super.changed;
  }

  /** The entry set or read for `path` in this process (the directory's notes aside), without reading the file. */
  held(path: string): CwdEntry | undefined {
    return super.get(path);
  }

  /** Reads the file once; entries set before stay (they are newer than the file's). */
  private readFile(): void {
    this.loaded = true;
    const setBefore = [...Map.prototype.entries.call(this)] as [string, CwdEntry][];
    this.load(this);
    for (const [path, entry] of setBefore) Map.prototype.set.call(this, path, entry);
  }
}

/** A cwd cache entry as a note for a trace of `meta`'s agent, size and mtime; undefined when it is for another state. */
export function noteOf(entry: CwdEntry | undefined, meta: { size: number; mtimeMs: number; agent: AgentKind }): CwdNote | undefined {
  if (entry === undefined || entry.size !== meta.size || entry.mtimeMs !== meta.mtimeMs) return undefined;
  const { size, mtimeMs, agent } = meta;
  return entry.head === undefined ? { size, mtimeMs, agent, cwd: entry.cwd } : { size, mtimeMs, agent, cwd: entry.cwd, head: entry.head };
}
