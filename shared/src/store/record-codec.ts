// The byte format of one trace record: two checksummed frames (frames.ts), the first a JSON head with the trace's
// metadata, sessions and events as compact tuples over a string table, the second a JSON array of the events'
// changes. Both frames are verified on load (a torn or flipped record reads as corrupt and its trace is re-read); the
// head is parsed at once, the changes on first use through each event's `change` accessor, so stats never pay for
// replay data.

import { isAgentKind } from "../agents/registry";
import { encodeFrame, readFrames } from "./frames";
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
}

/**
 * Events as stored: one flat array, FIELDS values per event in encodeRecord's order; table strings as slot numbers
 * (-1 = null), the id as 0 when it is the canonical one. One array instead of one per event keeps loading cheap.
 */
const FIELDS = 17;

interface Head extends Omit<TraceRecord, "events"> {
  strings: string[];
  events: (string | number)[];
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** The id every parser builds (traces/common.ts eventId); other ids are stored verbatim. */
function canonicalId(e: Pick<EditEvent, "agent" | "sessionId" | "toolCallId" | "file">): string {
  return `${e.agent}:${e.sessionId}:${e.toolCallId}:${e.file}`;
}

export function encodeRecord(record: TraceRecord): Buffer {
  const strings: string[] = [];
  const slots = new Map<string, number>();
  const s = (value: string | null): number => {
    if (value === null) return -1;
    let slot = slots.get(value);
    if (slot === undefined) {
      slot = strings.length;
      strings.push(value);
      slots.set(value, slot);
    }
    return slot;
  };
  const events = record.events.flatMap((e) => [
    e.id === canonicalId(e) ? 0 : e.id,
    s(e.file),
    s(e.action),
    e.timestamp,
    s(e.model),
    s(e.agent),
    s(e.agentVersion),
    s(e.sessionId),
    s(e.parentSessionId),
    s(e.subagentId),
    s(e.traceFile),
    e.traceOffset,
    e.toolCallId,
    s(e.toolName),
    s(e.promptId),
    s(e.promptText),
    e.changeSize,
  ]);
  const head: Head = { ...record, strings, events };
  return Buffer.concat([encodeFrame(JSON.stringify(head)), encodeFrame(JSON.stringify(record.events.map((e) => e.change)))]);
}

function validHead(x: Record<string, unknown>, path: string): boolean {
  return (
    x["path"] === path &&
    isAgentKind(x["agent"]) &&
    isNum(x["dev"]) && isNum(x["ino"]) && isNum(x["size"]) && isNum(x["mtimeMs"]) && isNum(x["offset"]) &&
    isNum(x["skipped"]) && typeof x["compressed"] === "boolean" && typeof x["tail"] === "string" &&
    Array.isArray(x["strings"]) && x["strings"].every((v) => typeof v === "string") &&
    Array.isArray(x["events"]) && x["events"].length % FIELDS === 0 &&
    x["events"].every((t) => typeof t === "string" || isNum(t)) &&
    Array.isArray(x["sessions"]) && x["sessions"].every(isObj)
  );
}

/** The changes line of one record, parsed on first use. */
class LazyChanges {
  private parsed: EditChange[] | null = null;

  constructor(
    private readonly bytes: Buffer,
    private readonly count: number,
    private readonly onCorrupt: () => void,
  ) {}

  at(index: number): EditChange {
    if (this.parsed === null) {
      let value: unknown;
      try {
        value = JSON.parse(this.bytes.toString("utf8"));
      } catch {
        value = null;
      }
      if (Array.isArray(value) && value.length === this.count && value.every(isObj)) {
        this.parsed = value as EditChange[];
      } else {
        this.parsed = [];
        this.onCorrupt();
      }
    }
    return this.parsed[index] ?? {};
  }
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
    return ref === undefined ? {} : ref.changes.at(ref.index);
  },
  set(this: object, value: EditChange): void {
    Object.defineProperty(this, "change", { value, enumerable: true, configurable: true, writable: true });
  },
};

export type DecodeResult = { kind: "ok"; record: TraceRecord } | { kind: "corrupt" } | { kind: "old-version"; version: number };

/**
 * Decodes a stored record of `path`. `onLazyCorrupt` is called if the changes line turns out unreadable when first
 * used (each change then reads as `{}`).
 */
export function decodeRecord(bytes: Buffer, path: string, version: number, onLazyCorrupt: () => void): DecodeResult {
  if (bytes[0] === 0x7b) return olderRecord(bytes);
  const read = readFrames(bytes);
  const [headBytes, changesBytes] = read.frames;
  if (read.end !== "whole" || read.frames.length !== 2 || headBytes === undefined || changesBytes === undefined) return { kind: "corrupt" };
  let head: unknown;
  try {
    head = JSON.parse(headBytes.toString("utf8"));
  } catch {
    return { kind: "corrupt" };
  }
  if (isObj(head) && isNum(head["v"]) && head["v"] !== version) return { kind: "old-version", version: head["v"] };
  if (!isObj(head) || !validHead(head, path)) return { kind: "corrupt" };
  const h = head as unknown as Head;
  const count = h.events.length / FIELDS;
  const changes = new LazyChanges(changesBytes, count, onLazyCorrupt);
  const str = (slot: unknown): string => (isNum(slot) ? (h.strings[slot] ?? "") : "");
  const strOrNull = (slot: unknown): string | null => (isNum(slot) && slot >= 0 ? (h.strings[slot] ?? null) : null);
  const t = h.events;
  const events: EditEvent[] = new Array<EditEvent>(count);
  for (let i = 0, k = 0; i < count; i++, k += FIELDS) {
    const event = {
      id: "",
      file: str(t[k + 1]),
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
    events[i] = event;
  }
  const { strings: _strings, events: _events, ...rest } = h;
  return { kind: "ok", record: { ...rest, events } };
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
