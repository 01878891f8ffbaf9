// Event rows: per edit event only what `stats` and its filters read (file, time, model, agent, session, trace file
// and offset, tool-call id, id, change size), one block per record segment, columnar, over the segment's own string
// table, with the block's counts by model, agent, file and session. A block is made from a segment's head (or from
// events) and kept in a project's event table (event-table.ts) as bytes whose strings are decoded only when asked
// for: counting events adds each block's counts, and de-duplicates them by two 32-bit hashes (of the id, and of the
// agent, tool-call id and file key of events/dedupe.ts), comparing the strings themselves only when hashes agree, so
// a warm `stats` decodes no row's strings unless copies of an event exist.

import type { EditEvent } from "../events/edit-event";
import { StringSlots } from "../util/string-slots";
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
  // Indexed loops, not forEach: a closure per call, inlined (twice per row) into the row builder V8 compiles.
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) h = Math.imul(h, 0x01000193) >>> 0;
    const part = parts[p]!;
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ part.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A block's rows counted: names with their row counts (models, agents, files), and its distinct sessions. */
export interface BlockTally {
  models: string[];
  modelRows: number[];
  agents: string[];
  agentRows: number[];
  files: string[];
  fileRows: number[];
  sessionAgents: string[];
  sessionIds: string[];
}

/** A segment's strings: decoded from their UTF-8 bytes when first asked for, or given as strings. */
class Strings {
  private decoded: (string | undefined)[] | null;

  constructor(
    private readonly bytes: Buffer | null,
    private readonly offsets: Int32Array | null,
    given: (string | undefined)[] | null,
  ) {
    this.decoded = given;
  }

  /** Whether every string is held as given (none left to decode) and is well-formed UTF-16 (survives UTF-8). */
  givenWellFormed(): boolean {
    const { decoded, offsets } = this;
    if (offsets !== null || decoded === null) return false;
    for (let i = 0; i < decoded.length; i++) if (decoded[i]?.isWellFormed() !== true) return false;
    return true;
  }

  /** The strings held, for a copy of the table over other bytes (see RowBlock.packed). */
  get held(): (string | undefined)[] | null {
    return this.decoded;
  }

  get length(): number {
    return this.offsets === null ? (this.decoded?.length ?? 0) : this.offsets.length - 1;
  }

  at(slot: number): string {
    // Allocated whole on first use, so that decoding a high slot first leaves no sparse array.
    const decoded = (this.decoded ??= new Array<string | undefined>(this.length).fill(undefined));
    let s = decoded[slot];
    if (s === undefined) {
      const { bytes, offsets } = this;
      if (bytes === null || offsets === null || !(slot >= 0 && slot < offsets.length - 1)) return "";
      const start = offsets[slot] as number;
      const end = offsets[slot + 1] as number;
      s = start >= 0 && start <= end && end <= bytes.length ? bytes.toString("utf8", start, end) : "";
      decoded[slot] = s;
    }
    return s;
  }
}

export class RowBlock {
  constructor(
    readonly count: number,
    private readonly strings: Strings,
    /** INTS string slots per row (see the column constants). */
    readonly ints: Int32Array,
    /** traceOffset, changeSize per row. */
    private readonly nums: Float64Array,
    /** Per row: the hash of its id, and of its dedupe key (agent, tool-call id, file). */
    readonly idHashes: Uint32Array,
    readonly keyHashes: Uint32Array,
    private counted: BlockTally | null = null,
    /** `encode`'s bytes, when the columns are views into them (a packed block). */
    private readonly encoded: Buffer | null = null,
  ) {}

  /** Its rows counted by model, agent, file and session (stored with it, or made once from the slots). */
  get tally(): BlockTally {
    this.counted ??= this.countRows();
    return this.counted;
  }

  private countRows(): BlockTally {
    const count = (column: number): [string[], number[]] => {
      const rows = new Map<number, number>();
      for (let at = column; at < this.count * INTS; at += INTS) rows.set(this.ints[at] as number, (rows.get(this.ints[at] as number) ?? 0) + 1);
      const slots = [...rows.keys()].sort((a, b) => a - b);
      return [slots.map((slot) => this.strings.at(slot)), slots.map((slot) => rows.get(slot) as number)];
    };
    const [models, modelRows] = count(MODEL);
    const [agents, agentRows] = count(AGENT);
    const [files, fileRows] = count(FILE);
    const pairs = new Set<string>();
    const sessionAgents: string[] = [];
    const sessionIds: string[] = [];
    for (let row = 0; row < this.count; row++) {
      const key = `${this.ints[row * INTS + AGENT]}:${this.ints[row * INTS + SESSION]}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      sessionAgents.push(this.agent(row));
      sessionIds.push(this.sessionId(row));
    }
    return { models, modelRows, agents, agentRows, files, fileRows, sessionAgents, sessionIds };
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

  /**
   * The block's columns as bytes whose every column starts 8-byte aligned relative to the block's start (itself
   * placed at an 8-byte boundary): counts, the strings' UTF-8 and end offsets, slots, numbers, hashes.
   */
  encode(): Buffer {
    if (this.encoded !== null) return this.encoded;
    const n = this.strings.length;
    const { text, ends } = utf8Of(this.strings, n);
    const textBytes = text.length;
    const columns = [ends, this.ints, this.nums, this.idHashes, this.keyHashes];
    let length = 16 + padded(textBytes);
    for (const column of columns) length += padded(column.byteLength);
    // Zero-filled (the padding) memory of its own, whose offset is 8-byte aligned for a packed block's typed views.
    const out = Buffer.from(new ArrayBuffer(length));
    out.writeUInt32LE(this.count, 0);
    out.writeUInt32LE(n, 4);
    out.writeUInt32LE(textBytes, 8);
    out.set(text, 16);
    let at = 16 + padded(textBytes);
    for (const column of columns) {
      out.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), at);
      at += padded(column.byteLength);
    }
    return out;
  }

  /**
   * The block with its columns encoded once (`encode`) and read from there, and its rows counted: a whole rewrite of
   * the event table then copies its bytes as they are. A record staged on a first index is packed as it is applied,
   * while the workers parse, instead of at the flush, which runs on one thread with the other cores idle (encoding
   * and counting the blocks was ~60 of the table write's ~85 ms at 3 GB). Its strings are then decoded from their
   * UTF-8 when read, unless one is not well-formed UTF-16 (a lone surrogate, which UTF-8 does not keep): then they
   * stay as given.
   */
  packed(): RowBlock {
    if (this.encoded !== null) return this;
    const tally = this.tally;
    const given = this.strings.givenWellFormed() ? null : this.strings.held;
    return (blockAt(this.encode(), 0, tally, given, true) as { block: RowBlock }).block;
  }
}

/**
 * The UTF-8 of a block's `n` strings one after another, and where each ends. Encoded as one string: a first index
 * encodes ~4 strings per row, and a Buffer each (~2 µs apiece in a fresh process) was ~10 ms of a 200 MB cold
 * `stats`' flush. When every character is ASCII (the UTF-8 is as long as the text) the ends are the strings'
 * lengths; otherwise each string is encoded alone, as a lone surrogate at the end of one must not pair with the
 * start of the next.
 */
function utf8Of(strings: Strings, n: number): { text: Buffer; ends: Int32Array } {
  const ends = new Int32Array(n + 1);
  const all = new Array<string>(n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const s = strings.at(i);
    all[i] = s;
    chars += s.length;
    ends[i + 1] = chars;
  }
  const joined = Buffer.from(all.join(""), "utf8");
  if (joined.length === chars) return { text: joined, ends };
  const texts: Buffer[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const text = Buffer.from(all[i] as string, "utf8");
    texts.push(text);
    bytes += text.length;
    ends[i + 1] = bytes;
  }
  return { text: Buffer.concat(texts, bytes), ends };
}

const padded = (length: number): number => length + ((8 - (length % 8)) % 8);

/**
 * The block at byte `at` (8-byte aligned) of `region` (whose buffer offset is 8-byte aligned: its columns are views,
 * not copies), with its stored `tally`, and where the next block starts; null when the bytes do not hold one.
 */
export function decodeBlock(region: Buffer, at: number, tally: BlockTally | null): { block: RowBlock; end: number } | null {
  return blockAt(region, at, tally, null, false);
}

/**
 * decodeBlock's block, its strings `given` (else decoded from `region` when read); `packed`: `region` is all of the
 * block's encoding, made by its `encode` (see RowBlock.packed).
 */
function blockAt(region: Buffer, at: number, tally: BlockTally | null, given: (string | undefined)[] | null, packed: boolean): { block: RowBlock; end: number } | null {
  const end = blockEnd(region, at);
  if (end < 0) return null;
  const count = region.readUInt32LE(at);
  const n = region.readUInt32LE(at + 4);
  const textBytes = region.readUInt32LE(at + 8);
  const textAt = at + 16;
  const endsAt = textAt + padded(textBytes);
  const intsAt = endsAt + padded(4 * (n + 1));
  const numsAt = intsAt + padded(4 * INTS * count);
  const idsAt = numsAt + 16 * count;
  const keysAt = idsAt + padded(4 * count);
  // Not checked slot by slot (the frame's checksum holds): a slot or offset out of range reads as "".
  const base = region.byteOffset;
  const view = <T>(make: new (buffer: ArrayBufferLike, offset: number, length: number) => T, offset: number, length: number): T =>
    new make(region.buffer, base + offset, length);
  const strings = given !== null ? new Strings(null, null, given) : new Strings(region.subarray(textAt, textAt + textBytes), view(Int32Array, endsAt, n + 1), null);
  const columns = [view(Int32Array, intsAt, INTS * count), view(Float64Array, numsAt, 2 * count), view(Uint32Array, idsAt, count), view(Uint32Array, keysAt, count)] as const;
  const block = new RowBlock(count, strings, ...columns, tally, packed ? region : null);
  return { block, end };
}

/** Where the block encoded at `at` ends (its lengths read from its first 16 bytes), or -1 when `bytes` cannot hold it. */
export function blockEnd(bytes: Buffer, at: number): number {
  if (at + 16 > bytes.length) return -1;
  const count = bytes.readUInt32LE(at);
  const n = bytes.readUInt32LE(at + 4);
  const textBytes = bytes.readUInt32LE(at + 8);
  const end = at + 16 + padded(textBytes) + padded(4 * (n + 1)) + padded(4 * INTS * count) + 16 * count + 2 * padded(4 * count);
  return end > bytes.length ? -1 : end;
}

/** Builds a block row by row, interning its strings. */
class BlockBuilder {
  private readonly strings = new StringSlots();
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

  add(e: Pick<EditEvent, "id" | "file" | "timestamp" | "model" | "agent" | "sessionId" | "traceFile" | "traceOffset" | "toolCallId" | "changeSize">): void {
    const r = this.row++;
    const i = r * INTS;
    const canonical = `${e.agent}:${e.sessionId}:${e.toolCallId}:${e.file}`;
    this.ints[i + FILE] = this.strings.slot(e.file);
    this.ints[i + TIME] = this.strings.slot(e.timestamp);
    this.ints[i + MODEL] = this.strings.slot(e.model);
    this.ints[i + AGENT] = this.strings.slot(e.agent);
    this.ints[i + SESSION] = this.strings.slot(e.sessionId);
    this.ints[i + TRACE] = this.strings.slot(e.traceFile);
    this.ints[i + TOOL] = this.strings.slot(e.toolCallId);
    this.ints[i + ID] = e.id === canonical ? -1 : this.strings.slot(e.id);
    this.nums[r * 2] = e.traceOffset;
    this.nums[r * 2 + 1] = e.changeSize;
    this.idHashes[r] = hashKey(e.id);
    this.keyHashes[r] = hashKey(e.agent, e.toolCallId, e.file);
  }

  done(): RowBlock {
    return new RowBlock(this.count, new Strings(null, null, this.strings.values), this.ints, this.nums, this.idHashes, this.keyHashes);
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
