// Copies the file contents the index left in their traces (references, content-ref.ts) into its own packs, before
// the traces can go: every pending one on `ai-blame gc`, a few at a time when the server is idle, and at every
// refresh those of traces nearing the age at which their agent deletes them. Which traces are copied up to which
// offset is remembered (secured.json beside the packs), so a refresh checks an old trace once, not every time.

import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { EditEvent } from "../events/edit-event";
import { writeFileAtomic } from "../util/atomic-write";
import { isRefKey } from "./content-ref";
import type { DiskContentStore } from "./disk-content-store";
import type { TraceRecord } from "./record-codec";

export interface KeepContentsResult {
  /** References copied into the index now. */
  copied: number;
  /** References whose trace no longer holds the text (deleted, shrunk or rewritten before it was copied). */
  unavailable: number;
  /** References left for later (over the limit). */
  pending: number;
  /** Failed copies attempted by this call (they count against the limit). */
  tried: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Claude Code's default `cleanupPeriodDays`. */
const DEFAULT_CLEANUP_DAYS = 30;
/** Copied this long before the deletion age (at most half of it): a refresh within that window still finds them. */
const MARGIN_DAYS = 7;

/**
 * The trace age (by modification time) from which references are copied at every refresh: Claude Code deletes
 * sessions older than `cleanupPeriodDays` (its ~/.claude/settings.json, 30 by default) when it starts; the other
 * agents document no deletion, and the same age is used for them.
 */
export function copyAgeMs(home: string): number {
  let days = DEFAULT_CLEANUP_DAYS;
  try {
    const settings: unknown = JSON.parse(readFileSync(join(home, ".claude", "settings.json"), "utf8"));
    const value = (settings as { cleanupPeriodDays?: unknown } | null)?.cleanupPeriodDays;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) days = value;
  } catch {
    // No settings (or unreadable ones): Claude Code's default applies.
  }
  return Math.max(0, days - Math.min(MARGIN_DAYS, days / 2)) * DAY_MS;
}

export function emptyKeepResult(): KeepContentsResult {
  return { copied: 0, unavailable: 0, pending: 0, tried: 0 };
}

/** Copies the references of `events` not copied yet, up to `limit` copies in `result`; the rest count as pending. */
export function copyReferences(events: readonly EditEvent[], store: DiskContentStore, limit: number, result: KeepContentsResult): void {
  for (const event of events) {
    const { before, after } = event.change;
    for (const key of [before, after]) {
      if (key === undefined || !isRefKey(key) || store.hasCopy(key)) continue;
      // One that failed before in this process is not tried again (nor counted against the limit).
      if (store.unresolvable(key)) result.unavailable += 1;
      else if (result.copied + result.tried >= limit) result.pending += 1;
      else if (store.secure(key)) result.copied += 1;
      else {
        result.unavailable += 1;
        result.tried += 1;
      }
    }
  }
}

/** Traces whose references are all copied, with the offset they were copied up to (a trace that grew is checked again). */
export class SecuredTraces {
  private offsets: Map<string, number> | null = null;
  private changed = false;

  constructor(private readonly dir: string) {}

  has(path: string, offset: number): boolean {
    return (this.load().get(path) ?? -1) >= offset;
  }

  mark(path: string, offset: number): void {
    this.load().set(path, offset);
    this.changed = true;
  }

  /** Writes the list when it changed (after the packs holding the copies are complete). */
  save(): void {
    if (!this.changed || this.offsets === null) return;
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(join(this.dir, "secured.json"), JSON.stringify([...this.offsets]));
    this.changed = false;
  }

  private load(): Map<string, number> {
    if (this.offsets !== null) return this.offsets;
    this.offsets = new Map();
    try {
      const list: unknown = JSON.parse(readFileSync(join(this.dir, "secured.json"), "utf8"));
      if (Array.isArray(list)) {
        for (const item of list) {
          if (Array.isArray(item) && typeof item[0] === "string" && Number.isSafeInteger(item[1])) this.offsets.set(item[0], item[1] as number);
        }
      }
    } catch {
      // None yet, or unreadable: every old trace is checked again (copies already made are skipped).
    }
    return this.offsets;
  }
}

/** The index's copying of referenced contents: at a refresh (by age), and on demand (gc, an idle server). */
export class ContentKeeper {
  private readonly secured: SecuredTraces;

  constructor(
    private readonly store: DiskContentStore,
    dir: string,
    /** Trace age from which a refresh copies (copyAgeMs); undefined: only on demand. */
    private readonly ageMs: number | undefined,
  ) {
    this.secured = new SecuredTraces(dir);
  }

  /** Copies the references of the traces at least `ageMs` old (by modification time) that are not secured yet. */
  keepAged(files: Iterable<{ path: string; mtimeMs: number }>, recordOf: (path: string) => TraceRecord | undefined, offsetOf?: (path: string) => number | undefined): void {
    if (this.ageMs === undefined) return;
    const cutoff = Date.now() - this.ageMs;
    for (const file of files) {
      if (file.mtimeMs > cutoff) continue;
      // Secured up to the offset its record was read to: the record need not be loaded to know.
      const offset = offsetOf?.(file.path);
      if (offset !== undefined && this.secured.has(file.path, offset)) continue;
      const record = recordOf(file.path);
      if (record !== undefined && !this.secured.has(file.path, record.offset)) this.keepRecord(record, Number.POSITIVE_INFINITY, emptyKeepResult());
    }
  }

  /** Copies up to `limit` pending references of `records`. */
  keep(records: Iterable<TraceRecord | undefined>, limit: number): KeepContentsResult {
    const result = emptyKeepResult();
    for (const record of records) if (record !== undefined) this.keepRecord(record, limit, result);
    return result;
  }

  /** Persists which traces are secured; call once the packs holding their copies are complete. */
  save(): void {
    this.secured.save();
  }

  private keepRecord(record: TraceRecord, limit: number, result: KeepContentsResult): void {
    if (this.secured.has(record.path, record.offset)) return;
    const before = { ...result };
    copyReferences(record.events, this.store, limit, result);
    // Secured when nothing is left to copy in it (texts its trace no longer holds will not come back).
    if (result.pending === before.pending) this.secured.mark(record.path, record.offset);
  }
}
