// Records without their events in memory: one made from an event table entry (metadata, sessions, the record
// file's extent and rows; events loaded from the record only when something reads them), and one grown from any
// record by a resumed parse (the parse's events appended, the ones before not decoded), so deciding to skip a
// trace, resuming it and appending its new segment cost nothing proportional to what its record already holds.
// Every record's rows (event-rows.ts) come from here: kept blocks, a stored segment's head, or decoded events.

import type { EditEvent } from "../events/edit-event";
import { blockOfEvents, blockOfHead, type RowBlock } from "./event-rows";
import type { TableEntry } from "./event-table";
import type { RecordKey } from "./project-view";
import type { SegmentHead, TraceRecord } from "./record-codec";

/** Rows a record carries (made from its entry, or from its base's and its added events). */
const BLOCKS = Symbol("rowBlocks");
/** How many events a record holds, and its events after the first `base` without decoding those. */
const GROWN = Symbol("grownFrom");

interface Grown {
  base: TraceRecord;
  baseCount: number;
  added: EditEvent[];
}

type Marked = TraceRecord & { [BLOCKS]?: RowBlock[]; [GROWN]?: Grown };

function lazyEvents(record: TraceRecord, load: () => EditEvent[]): void {
  const asData = (target: object, events: EditEvent[]): EditEvent[] => {
    Object.defineProperty(target, "events", { value: events, enumerable: true, configurable: true, writable: true });
    return events;
  };
  Object.defineProperty(record, "events", {
    enumerable: true,
    configurable: true,
    get(this: TraceRecord): EditEvent[] {
      return asData(this, load());
    },
    set(this: TraceRecord, events: EditEvent[]): void {
      asData(this, events);
    },
  });
}

const hidden = (record: object, key: symbol, value: unknown): void => {
  Object.defineProperty(record, key, { value, enumerable: false, configurable: true, writable: true });
};

/** The record an entry describes; `load` gives its events (read from the record) when first asked for. */
export function recordFromEntry(entry: TableEntry, load: () => EditEvent[]): TraceRecord {
  const record = { ...entry.meta, events: [], stored: { ...entry.extent } } as TraceRecord;
  lazyEvents(record, load);
  hidden(record, BLOCKS, entry.blocks);
  return record;
}

/**
 * A record just staged (`heads` are its segment's), held by its rows: its events are decoded by `reread` when first
 * read (a first index holds ~100 bytes per event instead of the events).
 */
export function stagedRecord(record: TraceRecord, heads: SegmentHead[], reread: () => EditEvent[]): TraceRecord {
  const { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions } = record;
  const light = { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, events: [], sessions } as TraceRecord;
  lazyEvents(light, reread);
  // Packed now (see RowBlock.packed): on a first index the flush would encode them on one thread.
  hidden(light, BLOCKS, heads.map(({ head }) => blockOfHead(head).packed()));
  return light;
}

/** Sets `record.events` to `base`'s events followed by `added`, without decoding `base`'s until they are read. */
export function growEvents(record: TraceRecord, base: TraceRecord, added: EditEvent[]): void {
  hidden(record, GROWN, { base, baseCount: eventCount(base), added });
  if (decoded(base)) record.events = base.events.concat(added);
  else lazyEvents(record, () => base.events.concat(added));
}

/** Whether the record's events are an array already (not left to load or decode). */
function decoded(record: TraceRecord): boolean {
  const desc = Object.getOwnPropertyDescriptor(record, "events");
  return desc !== undefined && "value" in desc;
}

/** How many events the record holds (without decoding events of a record made from an entry or grown from one). */
export function eventCount(record: TraceRecord): number {
  const marked = record as Marked;
  if (decoded(record)) return record.events.length;
  const grown = marked[GROWN];
  if (grown !== undefined) return grown.baseCount + grown.added.length;
  const carried = marked[BLOCKS];
  if (carried !== undefined) return record.stored?.events ?? carried.reduce((sum, block) => sum + block.count, 0);
  return record.events.length;
}

/** The record's events from index `from` on (decoding none before `from` of a grown record). */
export function eventsFrom(record: TraceRecord, from: number): EditEvent[] {
  const grown = (record as Marked)[GROWN];
  if (grown !== undefined && !decoded(record) && from >= grown.baseCount) return grown.added.slice(from - grown.baseCount);
  return from === 0 ? record.events : record.events.slice(from);
}

const madeBlocks = new WeakMap<TraceRecord, RowBlock[]>();

/** The record's rows: those it carries, its stored segments' heads', or its decoded events'. */
export function recordBlocks(record: TraceRecord): RowBlock[] {
  const marked = record as Marked;
  const carried = marked[BLOCKS];
  if (carried !== undefined) return carried;
  let blocks = madeBlocks.get(record);
  if (blocks !== undefined) return blocks;
  const grown = marked[GROWN];
  const heads = record.stored?.heads;
  if (grown !== undefined) blocks = recordBlocks(grown.base).concat(grown.added.length > 0 ? [blockOfEvents(grown.added)] : []);
  else if (heads !== undefined && heads.length === record.stored?.segments && record.stored.events === eventCount(record)) blocks = heads.map(({ head }) => blockOfHead(head));
  else blocks = [blockOfEvents(record.events)];
  madeBlocks.set(record, blocks);
  return blocks;
}

/** The key an event table entry of this record has: its record file as last read or written. */
export function tableKey(record: TraceRecord): RecordKey | null {
  const stored = record.stored;
  if (stored?.mtimeMs === undefined) return null;
  return [stored.ino, stored.fileBytes, stored.mtimeMs];
}
