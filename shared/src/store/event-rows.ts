// Event rows: per edit event only what `stats` and its filters read (file, time, model, agent, session, trace file
// and offset, tool-call id, id, change size), one block per record segment, columnar, over the segment's own string
// table. A block is made from a segment's head (or from events) and kept in a project's event table (event-table.ts)
// as bytes whose strings are decoded only when asked for: counting events de-duplicates them by two 32-bit hashes
// (of the id, and of the agent, tool-call id and file key of events/dedupe.ts), comparing the strings themselves
// only when hashes agree, so a warm `stats` decodes no tool-call id and no time of an event without copies.

import type { EditEvent } from "../events/edit-event";
import { HEAD_FIELDS, type Head } from "./record-codec";

/** Int32 columns per row: string slots (id is -1 when it is the canonical `agent:session:toolCallId:file`). */
export const INTS = 8;
export const FILE = 0;
const TIME = 1;
export const MODEL = 2;
export const AGENT = 3;
export const SESSION = 4;
const TRACE = 5;
const TOOL = 6;
const ID = 7;

/** 32-bit FNV-1a of the UTF-16 code units of `parts` joined by U+0000 (the dedupe key's separator). */
export function hashKey(...parts: string[]): number {
  let h = 0x811c9dc5;
  parts.forEach((part, p) => {
    if (p > 0) h = Math.imul(h, 0x01000193) >>> 0;
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193) >>> 0;
  });
  return h >>> 0;
}

/** A segment's strings: decoded from their UTF-8 bytes when first asked for, or given as strings. */
class Strings {
  private readonly decoded: (string | undefined)[];

  constructor(
    private readonly bytes: Buffer | null,
    private readonly offsets: Int32Array | null,
    given: string[],
  ) {
    // Filled slot by slot: allocated whole so that writing a high slot first leaves no sparse array.
    this.decoded = offsets === null ? given : new Array<string | undefined>(offsets.length - 1).fill(undefined);
  }

  get length(): number {
    return this.offsets === null ? this.decoded.length : this.offsets.length - 1;
  }

  at(slot: number): string {
    let s = this.decoded[slot];
    if (s === undefined) {
      const { bytes, offsets } = this;
      if (bytes === null || offsets === null || !(slot >= 0 && slot < offsets.length - 1)) return "";
      const start = offsets[slot] as number;
      const end = offsets[slot + 1] as number;
      s = start >= 0 && start <= end && end <= bytes.length ? bytes.toString("utf8", start, end) : "";
      this.decoded[slot] = s;
    }
    return s;
  }
}

export class RowBlock {
  constructor(
    readonly count: number,
    private readonly strings: Strings,
    /** INTS string slots per row (see the column constants); read directly by loops over every row. */
    readonly ints: Int32Array,
    /** traceOffset, changeSize per row. */
    private readonly nums: Float64Array,
    /** Per row: the hash of its id, and of its dedupe key (agent, tool-call id, file). */
    readonly idHashes: Uint32Array,
    readonly keyHashes: Uint32Array,
    private counted: BlockTally | null = null,
  ) {}

  /** Its rows counted by model, agent, file and session (made once, from the slots). */
  get tally(): BlockTally {
    this.counted ??= tallyOf(this.ints, this.count, this.strings.length);
    return this.counted;
  }

  get stringCount(): number {
    return this.strings.length;
  }

  private s(row: number, column: number): string {
    return this.strings.at(this.ints[row * INTS + column] as number);
  }
  file(row: number): string {
    return this.s(row, FILE);
  }
  timestamp(row: number): string {
    return this.s(row, TIME);
  }
  model(row: number): string {
    return this.s(row, MODEL);
  }
  agent(row: number): string {
    return this.s(row, AGENT);
  }
  sessionId(row: number): string {
    return this.s(row, SESSION);
  }
  traceFile(row: number): string {
    return this.s(row, TRACE);
  }
  toolCallId(row: number): string {
    return this.s(row, TOOL);
  }
  /** Slots identify strings within this block: equal slots, equal strings (the converse holds too). */
  fileSlot(row: number): number {
    return this.ints[row * INTS + FILE] as number;
  }
  modelSlot(row: number): number {
    return this.ints[row * INTS + MODEL] as number;
  }
  agentSlot(row: number): number {
    return this.ints[row * INTS + AGENT] as number;
  }
  sessionSlot(row: number): number {
    return this.ints[row * INTS + SESSION] as number;
  }
  string(slot: number): string {
    return this.strings.at(slot);
  }
  id(row: number): string {
    const slot = this.ints[row * INTS + ID] as number;
    if (slot >= 0) return this.strings.at(slot);
    return `${this.agent(row)}:${this.sessionId(row)}:${this.toolCallId(row)}:${this.file(row)}`;
  }
  traceOffset(row: number): number {
    return this.nums[row * 2] as number;
  }
  changeSize(row: number): number {
    return this.nums[row * 2 + 1] as number;
  }
  idHash(row: number): number {
    return this.idHashes[row] as number;
  }
  keyHash(row: number): number {
    return this.keyHashes[row] as number;
  }

  /** The block as bytes: counts, then the strings' UTF-8 and end offsets, then the columns (little-endian). */
  encode(): Buffer {
    const texts: Buffer[] = [];
    const ends = new Int32Array(this.strings.length + 1);
    let at = 0;
    for (let i = 0; i < this.strings.length; i++) {
      const bytes = Buffer.from(this.strings.at(i), "utf8");
      texts.push(bytes);
      at += bytes.length;
      ends[i + 1] = at;
    }
    const head = Buffer.alloc(12);
    head.writeUInt32LE(this.count, 0);
    head.writeUInt32LE(this.strings.length, 4);
    head.writeUInt32LE(at, 8);
    const { models, agents, files, sessions } = this.tally;
    const lengths = Int32Array.of(models.length, agents.length, files.length, sessions.length);
    const tally = Int32Array.from([...models, ...agents, ...files, ...sessions]);
    const columns = [ends, this.ints, this.nums, this.idHashes, this.keyHashes, lengths, tally];
    return Buffer.concat([head, ...texts, ...columns.map(bytesOf)]);
  }
}

const bytesOf = (a: Int32Array | Float64Array | Uint32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Copies `length` bytes at `at` into a new (aligned) typed array. */
function column<T extends Int32Array | Float64Array | Uint32Array>(make: new (n: number) => T, n: number, bytes: Buffer, at: number): T {
  const out = new make(n);
  Buffer.from(out.buffer).set(bytes.subarray(at, at + out.byteLength));
  return out;
}

/** The block encoded at `at` of `bytes` and where it ends, or null when the bytes do not hold one. */
export function decodeBlock(bytes: Buffer, at: number): { block: RowBlock; end: number } | null {
  if (at + 12 > bytes.length) return null;
  const count = bytes.readUInt32LE(at);
  const nStrings = bytes.readUInt32LE(at + 4);
  const textBytes = bytes.readUInt32LE(at + 8);
  const textAt = at + 12;
  const endsAt = textAt + textBytes;
  const intsAt = endsAt + 4 * (nStrings + 1);
  const numsAt = intsAt + 4 * INTS * count;
  const hashesAt = numsAt + 16 * count;
  const end = hashesAt + 8 * count;
  const keysAt = hashesAt + 4 * count;
  if (end + 16 > bytes.length) return null;
  const lengths = column(Int32Array, 4, bytes, end);
  let tallyEnd = end + 16;
  for (const length of lengths) tallyEnd += 4 * Math.max(0, length);
  if (tallyEnd > bytes.length) return null;
  const flat = Array.from(column(Int32Array, (tallyEnd - end - 16) / 4, bytes, end + 16));
  const cut = (from: number, length: number): number[] => flat.slice(from, from + length);
  const [m = 0, a = 0, f = 0, se = 0] = lengths;
  const tally = { models: cut(0, m), agents: cut(m, a), files: cut(m + a, f), sessions: cut(m + a + f, se) };
  // Not checked slot by slot (the frame's checksum holds): a slot or offset out of range reads as "".
  const ends = column(Int32Array, nStrings + 1, bytes, endsAt);
  const ints = column(Int32Array, INTS * count, bytes, intsAt);
  const strings = new Strings(bytes.subarray(textAt, endsAt), ends, []);
  const nums = column(Float64Array, 2 * count, bytes, numsAt);
  const block = new RowBlock(count, strings, ints, nums, column(Uint32Array, count, bytes, hashesAt), column(Uint32Array, count, bytes, keysAt), tally);
  return { block, end: tallyEnd };
}

/**
 * A block's rows counted per string slot: `models`/`agents`/`files` hold (slot, rows) pairs, `sessions` (agent
 * slot, session slot, rows) triples, each in slot order.
 */
export interface BlockTally {
  models: number[];
  agents: number[];
  files: number[];
  sessions: number[];
}

function tallyOf(ints: Int32Array, count: number, width: number): BlockTally {
  const models = new Map<number, number>();
  const agents = new Map<number, number>();
  const files = new Map<number, number>();
  const sessions = new Map<number, number>();
  const add = (m: Map<number, number>, key: number): void => void m.set(key, (m.get(key) ?? 0) + 1);
  for (let at = 0; at < count * INTS; at += INTS) {
    add(models, ints[at + MODEL] as number);
    add(agents, ints[at + AGENT] as number);
    add(files, ints[at + FILE] as number);
    add(sessions, (ints[at + AGENT] as number) * width + (ints[at + SESSION] as number));
  }
  const pairs = (m: Map<number, number>): number[] => [...m].sort((a, b) => a[0] - b[0]).flat();
  const triples = [...sessions].sort((a, b) => a[0] - b[0]).flatMap(([key, rows]) => [Math.floor(key / width), key % width, rows]);
  return { models: pairs(models), agents: pairs(agents), files: pairs(files), sessions: triples };
}

/** Builds a block row by row, interning its strings. */
class BlockBuilder {
  private readonly strings: string[] = [];
  private readonly slots = new Map<string, number>();
  private readonly ints: Int32Array;
  private readonly nums: Float64Array;
  private readonly idHashes: Uint32Array;
  private readonly keyHashes: Uint32Array;
  private row = 0;

  constructor(private readonly count: number) {
    this.ints = new Int32Array(INTS * count);
    this.nums = new Float64Array(2 * count);
    this.idHashes = new Uint32Array(count);
    this.keyHashes = new Uint32Array(count);
  }

  private slot(value: string): number {
    let slot = this.slots.get(value);
    if (slot === undefined) {
      slot = this.strings.length;
      this.strings.push(value);
      this.slots.set(value, slot);
    }
    return slot;
  }

  add(e: Pick<EditEvent, "id" | "file" | "timestamp" | "model" | "agent" | "sessionId" | "traceFile" | "traceOffset" | "toolCallId" | "changeSize">): void {
    const r = this.row++;
    const i = r * INTS;
    const canonical = `${e.agent}:${e.sessionId}:${e.toolCallId}:${e.file}`;
    this.ints[i + FILE] = this.slot(e.file);
    this.ints[i + TIME] = this.slot(e.timestamp);
    this.ints[i + MODEL] = this.slot(e.model);
    this.ints[i + AGENT] = this.slot(e.agent);
    this.ints[i + SESSION] = this.slot(e.sessionId);
    this.ints[i + TRACE] = this.slot(e.traceFile);
    this.ints[i + TOOL] = this.slot(e.toolCallId);
    this.ints[i + ID] = e.id === canonical ? -1 : this.slot(e.id);
    this.nums[r * 2] = e.traceOffset;
    this.nums[r * 2 + 1] = e.changeSize;
    this.idHashes[r] = hashKey(e.id);
    this.keyHashes[r] = hashKey(e.agent, e.toolCallId, e.file);
  }

  done(): RowBlock {
    return new RowBlock(this.count, new Strings(null, null, this.strings), this.ints, this.nums, this.idHashes, this.keyHashes);
  }
}

/** The rows of events (as decoded: the same strings and numbers every consumer sees). */
export function blockOfEvents(events: readonly EditEvent[]): RowBlock {
  const builder = new BlockBuilder(events.length);
  for (const e of events) builder.add(e);
  return builder.done();
}

/** The rows of a segment's head, read as record-codec's decodeEvents reads them (without making events). */
export function blockOfHead(h: Head): RowBlock {
  const t = h.events;
  const count = t.length / HEAD_FIELDS;
  const str = (slot: unknown): string => (typeof slot === "number" && Number.isFinite(slot) ? (h.strings[slot] ?? "") : "");
  const builder = new BlockBuilder(count);
  for (let k = 0; k < t.length; k += HEAD_FIELDS) {
    const file = str(t[k + 1]);
    const agent = str(t[k + 5]);
    const sessionId = str(t[k + 7]);
    const toolCallId = String(t[k + 12]);
    builder.add({
      id: t[k] === 0 ? `${agent}:${sessionId}:${toolCallId}:${file}` : String(t[k]),
      file,
      timestamp: String(t[k + 3]),
      model: str(t[k + 4]),
      agent: agent as EditEvent["agent"],
      sessionId,
      traceFile: str(t[k + 10]),
      traceOffset: Number(t[k + 11]),
      toolCallId,
      changeSize: Number(t[k + 16]),
    });
  }
  return builder.done();
}
