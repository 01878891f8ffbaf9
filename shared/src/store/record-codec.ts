// The byte format of one trace record: one or more segments of two checksummed frames (frames.ts), the first a JSON
// head with the trace's metadata, sessions and events as compact tuples over a string table, the second the events'
// changes, one JSON object per line (a blame parses only its file's lines). A resumed parse appends a segment with
// only its new events (and the trace's metadata and sessions as they now are) instead of rewriting the record: the
// last verified segment's metadata is the record's, events are the segments' in order. Frames are verified on load: a torn or flipped first segment reads as corrupt
// (its trace is re-read); a damaged later one ends the record at the segments before it. Heads are parsed at once,
// changes on first use through each event's `change` accessor, so stats never pay for replay data.

import { isAgentKind } from "../agents/registry";
import { StringSlots } from "../util/string-slots";
import { encodeFrame, readFrames } from "./frames";
import { encodeChanges, LazyChanges, RecordFile } from "./lazy-changes";
import type { AgentKind, EditAction, EditChange, EditEvent, SessionInfo } from "../events/edit-event";

/** What the index remembers of one trace file (shared by every project whose discovery returns the file). */
export interface TraceRecord {
  v: number;
  path: string;
  agent: AgentKind;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  compressed: boolean;
  /** Bytes parsed so far (just after the last complete line). */
  offset: number;
  /** Base64 of the bytes just before `offset`: a resume first checks they are unchanged (in-place rewrites). */
  tail: string;
  skipped: number;
  events: EditEvent[];
  sessions: SessionInfo[];
  /** What the record file on disk holds (set when read or written): a resumed parse appends after it. */
  stored?: StoredExtent;
}

/** The verified extent of a record file, so an append can check the file is still the one read. */
export interface StoredExtent {
  /** Inode and size of the file as read or written (another writer's rename or append changes them). */
  ino: number;
  fileBytes: number;
  /** Bytes of the verified segments (less than fileBytes after a torn append). */
  bytes: number;
  segments: number;
  /** Events in the verified segments: the record's first `events` events. */
  events: number;
  /** Bytes and events of the first segment (appended segments are merged after it). */
  base: { bytes: number; events: number };
  /** Modification time of the file as read or written: with ino and fileBytes, the key of a project view entry. */
  mtimeMs?: number;
  /** The verified segments' heads and changes frames' places, which a project view keeps (project-view.ts). */
  heads?: SegmentHead[];
  /**
   * When a segment was appended to a record whose earlier heads were not read (its entry came from the event table):
   * the record file's key before, the segments kept of it, and the new segment's head, so the project view can grow
   * its entry for the record by a frame without reading the view (project-view.ts appendGrown).
   */
  grown?: { prev: [ino: number, size: number, mtimeMs: number]; from: number; heads: SegmentHead[] };
}

/** One segment as a project view keeps it: its parsed head and where its changes frame is in the record file. */
export interface SegmentHead {
  /** Bytes [start, end) of the changes frame, and its header line (length and checksum). */
  at: [start: number, end: number, header: string];
  head: Head;
}

/**
 * Events as stored: one flat array, FIELDS values per event in encodeRecord's order; table strings as slot numbers
 * (-1 = null), the id as 0 when it is the canonical one. One array instead of one per event keeps loading cheap.
 */
export const HEAD_FIELDS = 17;
const FIELDS = HEAD_FIELDS;

export interface Head extends Omit<TraceRecord, "events" | "stored"> {
  strings: string[];
  events: (string | number)[];
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The id every parser builds (traces/common.ts eventId); other ids are stored verbatim. */
function canonicalId(e: Pick<EditEvent, "agent" | "sessionId" | "toolCallId" | "file">): string {
  return `${e.agent}:${e.sessionId}:${e.toolCallId}:${e.file}`;
}

/** The whole record as one segment. */
export function encodeRecord(record: TraceRecord): Buffer {
  return encodeSegment(record, 0);
}

/**
 * The record as it will be stored, and the same record read back from those bytes, whose changes stay encoded until
 * first used: a cold index holds every record it read until flush, and parsed changes take ~3× their encoded bytes.
 */
export function compactRecord(record: TraceRecord): { record: TraceRecord; bytes: Buffer } {
  const bytes = encodeRecord(record);
  const decoded = decodeRecord(bytes, record.path, record.v, () => undefined);
  return { record: decoded.kind === "ok" ? decoded.record : record, bytes };
}

/**
 * A segment of the record's events from `fromEvent` on (`given`, when the caller has them without decoding the
 * ones before), with its current metadata and sessions (appended).
 */
export function encodeSegment(record: TraceRecord, fromEvent: number, given?: EditEvent[]): Buffer {
  const { head, added } = segmentHead(record, fromEvent, given);
  return Buffer.concat([encodeFrame(JSON.stringify(head)), encodeFrame(encodeChanges(added.map((e) => e.change)))]);
}

/** The head of a segment of the record's events from `fromEvent` on (encodeSegment's first frame), and those events. */
export function segmentHead(record: TraceRecord, fromEvent: number, given?: EditEvent[]): { head: Head; added: EditEvent[] } {
  const table = new StringSlots();
  const strings = table.values;
  const s = (value: string | null): number => (value === null ? -1 : table.slot(value));
  const added = given ?? (fromEvent === 0 ? record.events : record.events.slice(fromEvent));
  // Pushed value by value: a flatMap made (and dropped) a 17-value array per event.
  const events: (string | number)[] = [];
  for (const e of added) {
    events.push(e.id === canonicalId(e) ? 0 : e.id, s(e.file), s(e.action), e.timestamp, s(e.model), s(e.agent), s(e.agentVersion));
    events.push(s(e.sessionId), s(e.parentSessionId), s(e.subagentId), s(e.traceFile), e.traceOffset, e.toolCallId, s(e.toolName));
    events.push(s(e.promptId), s(e.promptText), e.changeSize);
  }
  // Field by field: a record grown by a resumed parse has not decoded (or loaded) the events it held before.
  const { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions } = record;
  return { head: { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions, strings, events }, added };
}

/**
 * Whether `x` is a head of `path`'s record. `eachValue` false skips checking each event value's type, for a project
 * view's heads (taken from validated record decodes or this build's own encoding, in checksummed frames; the check
 * costs ~20 ms at 16k events): decodeEvents turns any value into a string or number, so a bad one cannot throw.
 */
function validHead(x: Record<string, unknown>, path: string, eachValue = true): boolean {
  return (
    x["path"] === path &&
    isAgentKind(x["agent"]) &&
    isNum(x["dev"]) && isNum(x["ino"]) && isNum(x["size"]) && isNum(x["mtimeMs"]) && isNum(x["offset"]) &&
    isNum(x["skipped"]) && typeof x["compressed"] === "boolean" && typeof x["tail"] === "string" &&
    Array.isArray(x["strings"]) && x["strings"].every((v) => typeof v === "string") &&
    Array.isArray(x["events"]) && x["events"].length % FIELDS === 0 &&
    (!eachValue || x["events"].every((t) => typeof t === "string" || isNum(t))) &&
    Array.isArray(x["sessions"]) && x["sessions"].every(isObj)
  );
}

/** A record file of `trace` whose changes are read from it on first use (see decodeRecord). */
export function recordFile(path: string, trace: string, version: number): RecordFile {
  return new RecordFile(path, (bytes) => {
    const decoded = decodeRecord(bytes, trace, version, () => undefined);
    return decoded.kind === "ok" ? decoded.record.events : null;
  });
}

/** Where a decoded event finds its change: a non-enumerable own property, invisible to spread and JSON. */
const LAZY = Symbol("lazyChange");

/**
 * One accessor shared by every decoded event (so V8 keeps one object shape for them all): an own enumerable
 * property, which spread, JSON.stringify and structuredClone read like a plain field. Assigning replaces it.
 */
const CHANGE_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [LAZY]?: { changes: LazyChanges; index: number } }): EditChange {
    const ref = this[LAZY];
    return ref === undefined ? {} : ref.changes.at(ref.index, (this as { id: string }).id);
  },
  set(this: object, value: EditChange): void {
    Object.defineProperty(this, "change", { value, enumerable: true, configurable: true, writable: true });
  },
};

export { RecordFile } from "./lazy-changes";

/**
 * What names a decoded event's change as stored (lazy-changes.ts LazyChanges.tag); undefined when its change was
 * assigned since, or is held in memory.
 */
export function changeTag(event: EditEvent): string | undefined {
  const ref = (event as { [LAZY]?: { changes: LazyChanges; index: number } })[LAZY];
  if (ref === undefined || Object.getOwnPropertyDescriptor(event, "change")?.get === undefined) return undefined;
  return ref.changes.tag(ref.index);
}

export type DecodeResult =
  | { kind: "ok"; record: TraceRecord; extent: Omit<StoredExtent, "ino" | "fileBytes">; whole: boolean }
  | { kind: "corrupt" }
  | { kind: "old-version"; version: number };

/**
 * Decodes a stored record of `path`: its verified segments; `whole` is false when bytes after them are torn or
 * corrupt (an interrupted append). `onLazyCorrupt` is called if a changes frame turns out unreadable when first used
 * (each of its changes then reads as `{}`). With `file` (where `bytes` were read from) the changes frames are read
 * back from the file when first used instead of keeping `bytes`.
 */
export function decodeRecord(bytes: Buffer, path: string, version: number, onLazyCorrupt: () => void, file?: RecordFile, at = 0): DecodeResult {
  if (bytes[0] === 0x7b) return olderRecord(bytes);
  const read = readFrames(bytes);
  const events: EditEvent[] = [];
  let last: Head | null = null;
  let verified = 0;
  let segments = 0;
  let base = { bytes: 0, events: 0 };
  const heads: SegmentHead[] = [];
  // A record written by a whole read starts with its parser state (parser-states.ts), which no load reads.
  const first = read.frames[0] !== undefined && isStateFrame(read.frames[0], version) ? 1 : 0;
  for (let i = first; i + 1 < read.frames.length; i += 2) {
    const headBytes = read.frames[i] as Buffer;
    const changesBytes = read.frames[i + 1] as Buffer;
    const head = parseHead(headBytes, path, version);
    if (head.kind === "old-version" && segments === 0) return head;
    if (head.kind !== "ok") break;
    const inBytes = changesBytes.byteOffset - bytes.byteOffset + changesBytes.length + 1;
    const end = at + inBytes;
    // The changes frame starts where the head frame ends.
    const start = headBytes.byteOffset - bytes.byteOffset + headBytes.length + 1;
    const header = bytes.toString("latin1", start, changesBytes.byteOffset - bytes.byteOffset - 1);
    const source = file === undefined ? changesBytes : { file, start: at + start, end, header };
    decodeEvents(head.head, new LazyChanges(source, head.head.events.length / FIELDS, onLazyCorrupt), events);
    heads.push({ at: [at + start, end, header], head: head.head });
    last = head.head;
    segments += 1;
    verified = inBytes;
    if (segments === 1) base = { bytes: end, events: events.length };
  }
  if (last === null) return { kind: "corrupt" };
  const { strings: _strings, events: _events, ...rest } = last;
  return {
    kind: "ok",
    record: { ...rest, events },
    extent: { bytes: at + verified, segments, events: events.length, base, heads },
    whole: verified === bytes.length,
  };
}

/**
 * The record whose segments are `heads` (as a project view kept them from a decode of the record file `file`), or
 * null when one is not a valid head of this trace and version; changes are read from `file` on first use.
 */
export function recordFromHeads(heads: SegmentHead[], path: string, version: number, onLazyCorrupt: () => void, file: RecordFile): TraceRecord | null {
  const changes: LazyChanges[] = [];
  let count = 0;
  let base = { bytes: 0, events: 0 };
  for (const { at, head } of heads) {
    if (!isObj(head) || head.v !== version || !validHead(head as unknown as Record<string, unknown>, path, false)) return null;
    const [start, end, header] = at;
    changes.push(new LazyChanges({ file, start, end, header }, head.events.length / FIELDS, onLazyCorrupt, true));
    count += head.events.length / FIELDS;
    if (base.bytes === 0) base = { bytes: end, events: count };
  }
  const last = heads[heads.length - 1];
  if (last === undefined) return null;
  const { strings: _strings, events: _events, ...rest } = last.head;
  const bytes = last.at[1];
  const record: TraceRecord = { ...rest, events: [], stored: { ino: 0, fileBytes: bytes, bytes, segments: heads.length, events: count, base, heads } };
  deferEvents(record, { heads, changes });
  return record;
}

/**
 * The heads a record's events are decoded from when first read (a warm command decodes only what it uses: a blame
 * the events of its file, through eventsOfRecord), with one LazyChanges per segment shared by every decode.
 */
const UNDECODED = Symbol("undecodedEvents");
interface Undecoded {
  heads: SegmentHead[];
  changes: LazyChanges[];
}
type Deferred = TraceRecord & { [UNDECODED]?: Undecoded };

const asData = (record: Deferred, events: EditEvent[]): EditEvent[] => {
  Object.defineProperty(record, "events", { value: events, enumerable: true, configurable: true, writable: true });
  record[UNDECODED] = undefined;
  return events;
};

function deferEvents(record: Deferred, source: Undecoded): void {
  Object.defineProperty(record, UNDECODED, { value: source, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(record, "events", {
    enumerable: true,
    configurable: true,
    get(this: Deferred): EditEvent[] {
      const events: EditEvent[] = [];
      source.heads.forEach(({ head }, i) => decodeEvents(head, source.changes[i] as LazyChanges, events));
      for (const changes of source.changes) changes.useAll();
      return asData(this, events);
    },
    set(this: Deferred, events: EditEvent[]): void {
      asData(this, events);
    },
  });
}

/** The record's events whose file passes `only`, in record order, decoding no other event of a deferred record. */
export function eventsOfRecord(record: TraceRecord, only: (file: string) => boolean): EditEvent[] {
  const source = (record as Deferred)[UNDECODED];
  if (source === undefined) return record.events.filter((e) => only(e.file));
  const out: EditEvent[] = [];
  source.heads.forEach(({ head }, i) => decodeEvents(head, source.changes[i] as LazyChanges, out, only));
  return out;
}

const stringAt = (h: Head, slot: unknown): string => (isNum(slot) ? (h.strings[slot] ?? "") : "");

/** The heads of the segments in `bytes`, written at byte `offset` of a record file (an appended segment). */
export function segmentHeads(bytes: Buffer, path: string, version: number, offset: number): SegmentHead[] {
  const decoded = decodeRecord(bytes, path, version, () => undefined);
  if (decoded.kind !== "ok") return [];
  return (decoded.extent.heads ?? []).map(({ at: [start, end, header], head }) => ({ at: [start + offset, end + offset, header], head }));
}

function parseHead(bytes: Buffer, path: string, version: number): { kind: "ok"; head: Head } | { kind: "corrupt" } | { kind: "old-version"; version: number } {
  let head: unknown;
  try {
    head = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { kind: "corrupt" };
  }
  if (isObj(head) && isNum(head["v"]) && head["v"] !== version) return { kind: "old-version", version: head["v"] };
  if (!isObj(head) || !validHead(head, path)) return { kind: "corrupt" };
  return { kind: "ok", head: head as unknown as Head };
}

/**
 * Appends the events of one segment's head to `out` (only those whose file passes `only`, when given), each reading
 * its change from `changes` on first use.
 */
export function decodeEvents(h: Head, changes: LazyChanges, out: EditEvent[], only?: (file: string) => boolean): void {
  const count = h.events.length / FIELDS;
  const str = (slot: unknown): string => stringAt(h, slot);
  const strOrNull = (slot: unknown): string | null => (isNum(slot) && slot >= 0 ? (h.strings[slot] ?? null) : null);
  const t = h.events;
  const picked = only === undefined ? null : passing(h, only);
  const n = picked === null ? count : picked.length;
  for (let j = 0; j < n; j++) {
    const i = picked === null ? j : (picked[j] as number);
    const k = i * FIELDS;
    if (picked !== null) changes.use(i);
    const file = str(t[k + 1]);
    const event = {
      id: "",
      file,
      action: str(t[k + 2]) as EditAction,
      timestamp: String(t[k + 3]),
      model: str(t[k + 4]),
      agent: str(t[k + 5]) as AgentKind,
      agentVersion: strOrNull(t[k + 6]),
      sessionId: str(t[k + 7]),
      parentSessionId: strOrNull(t[k + 8]),
      subagentId: strOrNull(t[k + 9]),
      traceFile: str(t[k + 10]),
      traceOffset: Number(t[k + 11]),
      toolCallId: String(t[k + 12]),
      toolName: str(t[k + 13]),
      promptId: strOrNull(t[k + 14]),
      promptText: strOrNull(t[k + 15]),
      changeSize: Number(t[k + 16]),
    } as EditEvent;
    event.id = t[k] === 0 ? canonicalId(event) : String(t[k]);
    Object.defineProperty(event, LAZY, { value: { changes, index: i } });
    Object.defineProperty(event, "change", CHANGE_ACCESSOR);
    out.push(event);
  }
}

/**
 * Whether a record file's first frame is a parser state (written before the record's first segment by a whole read;
 * see parser-states.ts): its payload starts `{"v":<version>,"kind":"state"`, which no head does (a head's second key
 * is "path").
 */
export function isStateFrame(payload: Uint8Array, version: number): boolean {
  const prefix = statePrefix(version);
  if (payload.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (payload[i] !== prefix[i]) return false;
  return true;
}

const prefixes = new Map<number, Buffer>();
function statePrefix(version: number): Buffer {
  let prefix = prefixes.get(version);
  if (prefix === undefined) {
    prefix = Buffer.from(`{"v":${version},"kind":"state"`, "latin1");
    prefixes.set(version, prefix);
  }
  return prefix;
}

/**
 * The indexes of the head's events whose file passes `only`, asked once per file slot, not per event: a blame's scan
 * of every segment runs before the engine has compiled it, so the loop over events does no more than it must.
 */
function passing(h: Head, only: (file: string) => boolean): number[] {
  const t = h.events;
  const passes: (boolean | undefined)[] = [];
  const picked: number[] = [];
  for (let i = 0, k = 1; k < t.length; i++, k += FIELDS) {
    const slot = t[k];
    let pass = typeof slot === "number" ? passes[slot] : undefined;
    if (pass === undefined) {
      pass = only(stringAt(h, slot));
      if (typeof slot === "number" && slot >= 0 && Number.isSafeInteger(slot)) passes[slot] = pass;
    }
    if (pass) picked.push(i);
  }
  return picked;
}

/** A record of the unframed formats before version 3 (a JSON line first): only its version is read, for the notice. */
function olderRecord(bytes: Buffer): DecodeResult {
  const newline = bytes.indexOf(10);
  try {
    const head: unknown = JSON.parse(bytes.toString("utf8", 0, newline === -1 ? bytes.length : newline));
    if (isObj(head) && isNum(head["v"])) return { kind: "old-version", version: head["v"] };
  } catch {
    // Not even JSON: corrupt.
  }
  return { kind: "corrupt" };
}
