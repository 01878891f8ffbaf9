// The event table directory's entries as stored (store/directory-entries.ts: a frame of numbers, one of strings,
// entries read from their rows when looked up) and the directory file around them (store/table-directory.ts): what is
// written is read back field for field, in order; a damaged byte anywhere makes the whole directory unread.

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DirEntries } from "../../src/store/directory-entries";
import { encodeFrame, splitFrames } from "../../src/store/frames";
import { type DirEntry, DirectoryFile, type TableExtent } from "../../src/store/table-directory";
import { makeTempHome, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const trace = (n: number): string => join("/home/dev/.claude/projects/-home-dev-app", `sess-${n}-é.jsonl`);

/** Entries as a table makes them: notes with and without a head checksum, none, a null cwd, one or several frames. */
function sampleEntries(): [string, DirEntry][] {
  const entry = (n: number, agent: string, frames: number[], note: "head" | "plain" | "none" | "null-cwd"): DirEntry => {
    const size = 1000 * n + 17;
    const mtimeMs = 1796684839441.7268 + n;
    const e: DirEntry = { key: [9000 + n, size, mtimeMs], name: `${n}`.padStart(40, "a"), agent, dev: 65024, ino: 11814859 + n, size, mtimeMs, offset: size - 3, skipped: n % 3, frames };
    if (note === "head") e.note = { size, mtimeMs, agent, cwd: "/home/dev/app", head: [512 + n, 0xfedcba98] };
    if (note === "plain") e.note = { size, mtimeMs, agent, cwd: "/home/dev/other" };
    if (note === "null-cwd") e.note = { size, mtimeMs, agent, cwd: null };
    return e;
  };
  return [
    [trace(1), entry(1, "claude-code", [300, 123346], "head")],
    [trace(2), entry(2, "codex", [300, 123346, 9000000, 4400, 9004400, 812], "plain")],
    [trace(3), entry(3, "claude-code", [], "none")],
    [trace(4), entry(4, "gemini", [123646, 77], "null-cwd")],
  ];
}

/** The fields of an entry as plain values (an entry read from its row answers through getters). */
const plain = (e: DirEntry | undefined): unknown =>
  e === undefined
    ? undefined
    : {
        key: e.key,
        name: e.name,
        agent: e.agent,
        dev: e.dev,
        ino: e.ino,
        size: e.size,
        mtimeMs: e.mtimeMs,
        offset: e.offset,
        skipped: e.skipped,
        frames: [...e.frames],
        note: e.note === undefined ? undefined : { size: e.note.size, mtimeMs: e.note.mtimeMs, agent: e.note.agent, cwd: e.note.cwd, head: e.note.head },
      };

function roundTrip(entries: [string, DirEntry][]): DirEntries | null {
  const stored = DirEntries.encode(entries);
  return DirEntries.decode(Buffer.from(stored.numbers), Buffer.from(stored.strings, "utf8"), stored.count, stored.agents, stored.cwds);
}

it("reads back every entry field for field, in the order written, and an entry's frames grow as the table's own", () => {
  const entries = sampleEntries();
  const read = roundTrip(entries);
  expect(read).not.toBeNull();
  expect([...(read?.keys() ?? [])]).toEqual(entries.map(([path]) => path));
  for (const [path, e] of entries) expect(plain(read?.get(path))).toEqual(plain(e));
  expect(read?.get("/not/indexed.jsonl")).toBeUndefined();
  // The table grows a looked-up entry's frames in place, replaces them after a whole write, and sets and drops entries.
  read?.get(trace(1))?.frames.push(5000, 10);
  expect(read?.get(trace(1))?.frames).toEqual([300, 123346, 5000, 10]);
  const second = read?.get(trace(2));
  if (second !== undefined) second.frames = [1, 2];
  expect(read?.get(trace(2))?.frames).toEqual([1, 2]);
  read?.delete(trace(3));
  read?.set(trace(5), sampleEntries()[0]?.[1] as DirEntry);
  expect(read?.size).toBe(4);
  // Written again from what was read (as a whole rewrite does), it reads back the same.
  const again = roundTrip([...(read ?? [])]);
  expect([...(again?.keys() ?? [])]).toEqual([trace(1), trace(2), trace(4), trace(5)]);
  for (const [path, e] of read ?? []) expect(plain(again?.get(path))).toEqual(plain(e));
  expect(roundTrip([])?.size).toBe(0);
});

it("does not store a path holding the strings' separator (no file's path), and rejects rows its lists do not match", () => {
  const entries = sampleEntries();
  const withNul: [string, DirEntry][] = [...entries, ["/tmp/a\0b.jsonl", entries[0]?.[1] as DirEntry]];
  expect([...(roundTrip(withNul)?.keys() ?? [])]).toEqual(entries.map(([path]) => path));
  const stored = DirEntries.encode(entries);
  const numbers = Buffer.from(stored.numbers);
  const strings = Buffer.from(stored.strings, "utf8");
  expect(DirEntries.decode(numbers, strings, stored.count + 1, stored.agents, stored.cwds)).toBeNull();
  expect(DirEntries.decode(numbers, strings, stored.count, stored.agents.slice(0, 1), stored.cwds)).toBeNull();
  expect(DirEntries.decode(numbers, strings, stored.count, stored.agents, stored.cwds.slice(0, 1))).toBeNull();
  expect(DirEntries.decode(numbers.subarray(0, numbers.length - 8), strings, stored.count, stored.agents, stored.cwds)).toBeNull();
  expect(DirEntries.decode(numbers, Buffer.from(`${stored.strings}\0extra`), stored.count, stored.agents, stored.cwds)).toBeNull();
});

it("a directory file is read whole or not at all: any damaged byte, a cut, or another table state makes it unread", () => {
  const table = join(t.root, "table.rows");
  writeFileSync(table, encodeFrame(JSON.stringify({ v: 7, gen: "0123456789abcdef" })));
  const info = statSync(table);
  const extent: TableExtent = { ino: info.ino, bytes: info.size, frames: 0, wholeBytes: info.size, wholeFrames: 0, gen: "0123456789abcdef" };
  const path = join(t.root, "views", "table.dir");
  const entries = sampleEntries();
  new DirectoryFile(path, 7, "project").writeWhole(extent, entries, null);
  const read = new DirectoryFile(path, 7, "project").read(table);
  expect(read?.extent).toEqual(extent);
  for (const [p, e] of entries) expect(plain(read?.entries.get(p))).toEqual(plain(e));
  // Another index version or project reads nothing.
  expect(new DirectoryFile(path, 8, "project").read(table)).toBeNull();
  expect(new DirectoryFile(path, 7, "other").read(table)).toBeNull();
  const bytes = readFileSync(path);
  const { frames } = splitFrames(bytes);
  expect(frames).toHaveLength(5);
  // A byte flipped in each frame's body in turn (the JSON, the numbers, the strings, the sets; the hashes are empty
  // without counts), and in a frame's header: unread.
  const bodies = frames.filter((f) => f.length > 0).map((f) => f.byteOffset - bytes.byteOffset + Math.floor(f.length / 2));
  expect(bodies).toHaveLength(4);
  for (const at of [...bodies, 1]) {
    const damaged = Buffer.from(bytes);
    damaged[at] = (damaged[at] as number) ^ 0x01;
    writeFileSync(path, damaged);
    expect(new DirectoryFile(path, 7, "project").read(table)).toBeNull();
  }
  writeFileSync(path, bytes.subarray(0, bytes.length - 3));
  expect(new DirectoryFile(path, 7, "project").read(table)).toBeNull();
  writeFileSync(path, bytes);
  expect(new DirectoryFile(path, 7, "project").read(table)).not.toBeNull();
  writeFileSync(table, encodeFrame(JSON.stringify({ v: 7, gen: "fedcba9876543210" })));
  expect(new DirectoryFile(path, 7, "project").read(table)).toBeNull();
});
