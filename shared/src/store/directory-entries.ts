// The entries of an event table's directory as its file stores them (table-directory.ts): one frame of numbers (a
// fixed row per entry, then every entry's frame places) and one of strings (the paths, then the record files' names),
// so a read makes one string per path and name and a Map from path to row, and an entry's object (its frames, its cwd
// note) only when it is looked up. A warm command looks most entries up (discovery asks each trace's head, the index
// whether each trace is unchanged), but an object read from a row is a few property stores, where the JSON these rows
// replace took a parse of every entry's nested arrays, checked element by element, before the first was used.

import { StringSlots } from "../util/string-slots";
import type { RecordKey } from "./project-view";
import type { CwdNote, DirEntry } from "./table-directory";

/** Numbers per entry's row: its key (3), dev, ino, size, mtimeMs, offset, skipped, agent, cwd and head of its note, where its frame places begin and how many numbers they are. */
const ROW = 15;
const K_INO = 0;
const K_SIZE = 1;
const K_MTIME = 2;
const DEV = 3;
const INO = 4;
const SIZE = 5;
const MTIME = 6;
const OFFSET = 7;
const SKIPPED = 8;
const AGENT = 9;
const CWD = 10;
const HEAD_BYTES = 11;
const HEAD_SUM = 12;
const FRAMES_AT = 13;
const FRAMES_LENGTH = 14;

/** The stored rows an entry is decoded from (the agents and cwds are the first frame's lists the rows index). */
interface Rows {
  numbers: Float64Array;
  names: string[];
  agents: readonly string[];
  cwds: readonly (string | null)[];
}

/** Read-only lookup of entries by trace path (what record-lookup and the counts need of the directory). */
export interface DirLookup {
  get(path: string): DirEntry | undefined;
}

/**
 * Entries by trace path, in the order they were stored or set: a stored entry is its row's number until it is looked
 * up, then its object (kept: a looked-up entry is mutated by the table, its frames grown or replaced).
 */
export class DirEntries implements DirLookup {
  private readonly map = new Map<string, DirEntry | number>();
  /** Rows decoded so far, by row (the map keeps the row's number: no second store into it per lookup). */
  private readonly decoded: (DirEntry | undefined)[] = [];

  constructor(private readonly rows: Rows | null = null) {}

  get size(): number {
    return this.map.size;
  }

  get(path: string): DirEntry | undefined {
    const held = this.map.get(path);
    if (typeof held !== "number") return held;
    let entry = this.decoded[held];
    if (entry === undefined) {
      entry = this.decode(held);
      this.decoded[held] = entry;
    }
    return entry;
  }

  has(path: string): boolean {
    return this.map.has(path);
  }

  set(path: string, entry: DirEntry): void {
    this.map.set(path, entry);
  }

  /** Stores a row's number for `path` (a read; the row was checked by `decodeEntries`). */
  private setRow(path: string, row: number): void {
    this.map.set(path, row);
  }

  delete(path: string): boolean {
    return this.map.delete(path);
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  *[Symbol.iterator](): Generator<[string, DirEntry]> {
    for (const path of [...this.map.keys()]) yield [path, this.get(path) as DirEntry];
  }

  private decode(row: number): DirEntry {
    return new RowEntry(this.rows as Rows, row);
  }

  /**
   * The entries from their two stored frames and the first frame's lists, or null when they do not agree (counts,
   * slots out of range, frame places past the end): checked once here, so a lookup decodes without checks.
   */
  static decode(numbersFrame: Buffer, stringsFrame: Buffer, count: number, agents: readonly string[], cwds: readonly (string | null)[]): DirEntries | null {
    if (!Number.isSafeInteger(count) || count < 0 || numbersFrame.length % 8 !== 0 || numbersFrame.length / 8 < count * ROW) return null;
    const numbers = new Float64Array(numbersFrame.length / 8);
    Buffer.from(numbers.buffer).set(numbersFrame);
    const strings = count === 0 ? [] : stringsFrame.toString("utf8").split("\0");
    if (strings.length !== 2 * count) return null;
    const names = strings.slice(count);
    const entries = new DirEntries({ numbers, names, agents, cwds });
    for (let row = 0; row < count; row++) {
      const at = row * ROW;
      const agent = numbers[at + AGENT] as number;
      const cwd = numbers[at + CWD] as number;
      const framesAt = numbers[at + FRAMES_AT] as number;
      const framesLength = numbers[at + FRAMES_LENGTH] as number;
      if (!(agent >= 0 && agent < agents.length && Number.isInteger(agent)) || !(cwd >= -1 && cwd < cwds.length && Number.isInteger(cwd))) return null;
      if (!(framesAt >= count * ROW && framesLength % 2 === 0 && framesLength >= 0 && framesAt + framesLength <= numbers.length)) return null;
      entries.setRow(strings[row] as string, row);
    }
    return entries.size === count ? entries : null;
  }

  /** The entries as the two stored frames' contents, with the agents and cwds the rows index (for the first frame). */
  static encode(entries: Iterable<[string, DirEntry]>): { numbers: Uint8Array; strings: string; count: number; agents: string[]; cwds: (string | null)[] } {
    const agents = new StringSlots();
    const cwds = new StringSlots<string | null>();
    const rows: number[] = [];
    const frames: number[] = [];
    const paths: string[] = [];
    const names: string[] = [];
    for (const [path, e] of entries) {
      // A path or name holding the separator is no file's: its trace is read again rather than stored.
      if (path.includes("\0") || e.name.includes("\0")) continue;
      paths.push(path);
      names.push(e.name);
      const { note } = e;
      rows.push(e.key[0], e.key[1], e.key[2], e.dev, e.ino, e.size, e.mtimeMs, e.offset, e.skipped, agents.slot(e.agent));
      rows.push(note === undefined ? -1 : cwds.slot(note.cwd), note?.head?.[0] ?? 0, note?.head?.[1] ?? 0, frames.length, e.frames.length);
      for (const f of e.frames) frames.push(f);
    }
    const count = paths.length;
    const numbers = new Float64Array(rows.length + frames.length);
    numbers.set(rows, 0);
    // Frame places are stored after the rows: a row's place is relative to the frames' start, made absolute here.
    for (let row = 0; row < count; row++) numbers[row * ROW + FRAMES_AT] = (numbers[row * ROW + FRAMES_AT] as number) + rows.length;
    numbers.set(frames, rows.length);
    return { numbers: new Uint8Array(numbers.buffer), strings: count === 0 ? "" : `${paths.join("\0")}\0${names.join("\0")}`, count, agents: agents.values, cwds: cwds.values };
  }
}

/**
 * An entry read from its row when a field is asked for: a warm command asks most entries whether their trace is
 * unchanged (agent, device, inode, size, mtime) and for their cwd note, and few for the rest. An object made whole per
 * entry cost ~4 µs before the code is optimized (4 ms at 3 GB): a read of a field here is a getter and a typed array
 * load. The frames are an array of the entry's own once asked for (the table grows or replaces them); the key is made
 * once.
 */
class RowEntry implements DirEntry, CwdNote {
  private readonly at: number;
  private framesHeld: number[] | undefined;
  private keyHeld: RecordKey | undefined;

  constructor(
    private readonly rows: Rows,
    private readonly row: number,
  ) {
    this.at = row * ROW;
  }

  get key(): RecordKey {
    if (this.keyHeld === undefined) {
      const { numbers: n } = this.rows;
      const at = this.at;
      this.keyHeld = [n[at + K_INO] as number, n[at + K_SIZE] as number, n[at + K_MTIME] as number];
    }
    return this.keyHeld;
  }

  get name(): string {
    return this.rows.names[this.row] as string;
  }

  get agent(): string {
    return this.rows.agents[this.rows.numbers[this.at + AGENT] as number] as string;
  }

  get dev(): number {
    return this.rows.numbers[this.at + DEV] as number;
  }

  get ino(): number {
    return this.rows.numbers[this.at + INO] as number;
  }

  get size(): number {
    return this.rows.numbers[this.at + SIZE] as number;
  }

  get mtimeMs(): number {
    return this.rows.numbers[this.at + MTIME] as number;
  }

  get offset(): number {
    return this.rows.numbers[this.at + OFFSET] as number;
  }

  get skipped(): number {
    return this.rows.numbers[this.at + SKIPPED] as number;
  }

  get frames(): number[] {
    if (this.framesHeld === undefined) {
      const { numbers: n } = this.rows;
      const framesAt = n[this.at + FRAMES_AT] as number;
      const frames: number[] = [];
      for (let i = framesAt, end = framesAt + (n[this.at + FRAMES_LENGTH] as number); i < end; i++) frames.push(n[i] as number);
      this.framesHeld = frames;
    }
    return this.framesHeld;
  }

  set frames(frames: number[]) {
    this.framesHeld = frames;
  }

  /** The entry is its own note (a note's fields are its entry's, and its cwd and head): nothing made per entry. */
  get note(): CwdNote | undefined {
    return (this.rows.numbers[this.at + CWD] as number) < 0 ? undefined : this;
  }

  get cwd(): string | null {
    return this.rows.cwds[this.rows.numbers[this.at + CWD] as number] ?? null;
  }

  get head(): [bytes: number, sum: number] | undefined {
    const bytes = this.rows.numbers[this.at + HEAD_BYTES] as number;
    return bytes > 0 ? [bytes, this.rows.numbers[this.at + HEAD_SUM] as number] : undefined;
  }
}
