// The event table's directory (store/table-directory.ts) and the filter-free `stats` counts it keeps
// (store/table-counts.ts), on real Claude-format traces read by the real parser through the engine, in temp folders.
// After every change a trace can go through — an append of a new edit, an append that copies a known tool call, a
// truncation, a replacement by another file, a deletion, a directory left from another state of the table — the
// counts a later process reads must be exactly what counting the rows again gives (the directory removed), and what
// counting the snapshot's events gives.

import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { StatsJson } from "../../src/contract";
import { createEngine } from "../../src/engine";
import type { Snapshot } from "../../src/engine-api";
import { readFrames } from "../../src/store/frames";
import { sortedWith } from "../../src/store/table-directory";
import { claudeSessionPath, makeTempHome, type TempHome, writeTrace } from "../support/trace-home";
import { promptLine, type SessionCtx, writeCallLine, writeResultLine } from "./support/claude-lines";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const sa = (): SessionCtx => ({ sessionId: "sa", cwd: t.project });

function write(ctx: SessionCtx, minute: number, id: string, file: string): string {
  const ts = `2025-03-01T10:${String(minute % 60).padStart(2, "0")}:00.000Z`;
  const content = `export const x = ${minute};\n`;
  return writeCallLine(ctx, ts, id, file, content) + writeResultLine(ctx, ts, id, file, content);
}

const src = (n: number): string => join(t.project, "src", `f${n}.ts`);

/** Three sessions: a (three edits), b (a fork copying a's first edit, one of its own), c (one edit outside). */
function writeSessions(): { a: string; b: string; c: string } {
  const first = write(sa(), 1, "toolu_a1", src(1));
  const a = writeTrace(claudeSessionPath(t.home, t.project, "a.jsonl"), promptLine(sa(), "2025-03-01T09:00:00.000Z", "go") + first + write(sa(), 2, "toolu_a2", src(2)) + write(sa(), 3, "toolu_a3", src(3)));
  const b = writeTrace(claudeSessionPath(t.home, t.project, "b.jsonl"), promptLine(sa(), "2025-03-01T09:00:00.000Z", "go") + first + write(sa(), 4, "toolu_b4", src(4)));
  const sc: SessionCtx = { sessionId: "sc", cwd: t.project };
  const c = writeTrace(claudeSessionPath(t.home, t.project, "c.jsonl"), promptLine(sc, "2025-03-01T09:30:00.000Z", "more") + write(sc, 5, "toolu_c5", "/elsewhere/out.ts"));
  return { a, b, c };
}

const dataDir = (): string => join(t.root, "data");

async function snapshotOf(countsOnly = false): Promise<Snapshot> {
  const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: dataDir(), countsOnly });
  await engine.refresh();
  return engine.snapshot();
}

function viewFile(suffix: ".rows" | ".dir"): string {
  const dir = join(dataDir(), "index", "views");
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(suffix)) : [];
  expect(names).toHaveLength(1);
  return join(dir, names[0] ?? "");
}

/** The counts the directory keeps (null when it has none): its first frame's, as its deltas (after the entries, the hashes and the
 * counted sets) left them. */
function keptCounts(): { events: number } | null {
  const [first, , , , , ...deltas] = readFrames(readFileSync(viewFile(".dir"))).frames;
  let counts = (JSON.parse((first ?? Buffer.from("{}")).toString("utf8")) as { counts: { events: number } | null }).counts;
  for (const delta of deltas) {
    const change = (JSON.parse(delta.toString("utf8")) as { counts?: { events: number } | null }).counts;
    if (change !== undefined) counts = change === null || counts === null ? null : { ...counts, events: change.events };
  }
  return counts;
}

/** What a process says now, which must equal what one says after the directory is removed (the rows counted again). */
async function expectSameAsRecount(): Promise<StatsJson> {
  const snapshot = await snapshotOf();
  const stats = snapshot.stats();
  const events = snapshot.events();
  expect(stats.events).toBe(events.length);
  expect(stats.files).toBe(new Set(events.map((e) => e.file)).size);
  rmSync(viewFile(".dir"));
  expect((await snapshotOf()).stats()).toEqual(stats);
  // And the process after that reads the counts the recount kept.
  expect(keptCounts()).not.toBeNull();
  expect((await snapshotOf()).stats()).toEqual(stats);
  return stats;
}

it("keeps a filter-free stats's counts, and an append of a new edit updates them from its rows alone", async () => {
  const { a } = writeSessions();
  const cold = (await snapshotOf()).stats();
  expect(cold).toMatchObject({ events: 4, outsideProject: 1, sessions: 2 });
  expect(keptCounts()).toMatchObject({ events: 4 });
  const warm = await snapshotOf();
  expect(warm.stats()).toEqual(cold);
  // Filters still count the rows.
  expect(warm.stats({ pattern: "f1*" }).events).toBe(1);
  const table = readFileSync(viewFile(".rows"));
  const directory = readFileSync(viewFile(".dir"));
  appendFileSync(a, write(sa(), 7, "toolu_a7", src(7)));
  const grown = (await snapshotOf()).stats();
  expect(grown).toMatchObject({ events: 5, files: 5, outsideProject: 1 });
  // The table and its directory only grew by a frame each, and the counts were updated, not dropped.
  expect(readFileSync(viewFile(".rows")).subarray(0, table.length)).toEqual(table);
  expect(readFileSync(viewFile(".dir")).subarray(0, directory.length)).toEqual(directory);
  expect(readFileSync(viewFile(".dir")).length).toBeGreaterThan(directory.length);
  expect(keptCounts()).toMatchObject({ events: 5 });
  // A second append, in a later process, edits the file the first one created: one file more in all, not two.
  appendFileSync(a, write(sa(), 8, "toolu_a8", src(7)));
  const again = (await snapshotOf()).stats();
  expect(again).toMatchObject({ events: 6, files: 5, sessions: 2 });
  expect(keptCounts()).toMatchObject({ events: 6 });
  expect(await expectSameAsRecount()).toEqual(again);
});

it("an appended copy of a known tool call, an edit outside the project and a new session count as a recount does", async () => {
  const { b } = writeSessions();
  (await snapshotOf()).stats();
  expect(keptCounts()).not.toBeNull();
  // b now records a's second edit again (a fork's copy: same tool call, same file): one event, not two.
  appendFileSync(b, write(sa(), 2, "toolu_a2", src(2)));
  const copied = (await snapshotOf()).stats();
  expect(copied.events).toBe(4);
  expect(await expectSameAsRecount()).toEqual(copied);
  const sd: SessionCtx = { sessionId: "sd", cwd: t.project };
  appendFileSync(b, promptLine(sd, "2025-03-01T11:00:00.000Z", "again") + write(sd, 8, "toolu_d8", "/elsewhere/two.ts") + write(sd, 9, "toolu_d9", src(9)));
  const more = (await snapshotOf()).stats();
  expect(more).toMatchObject({ events: 5, outsideProject: 2, sessions: 3 });
  expect(await expectSameAsRecount()).toEqual(more);
});

it("a truncated, replaced or deleted trace, and a directory of another state of the table, count as a recount does", async () => {
  const { a, b, c } = writeSessions();
  (await snapshotOf()).stats();
  const staleDir = readFileSync(viewFile(".dir"));
  // Truncated back to its first edit with its old mtime: its later edits stay indexed (an agent only appends).
  const before = statSync(a);
  appendFileSync(a, write(sa(), 11, "toolu_a11", src(11)));
  const appended = (await snapshotOf()).stats();
  truncateSync(a, before.size);
  utimesSync(a, before.atime, before.mtime);
  expect((await expectSameAsRecount()).events).toBe(appended.events);
  // Replaced by another file (a new inode) holding other edits.
  rmSync(b);
  writeTrace(b, promptLine(sa(), "2025-03-01T09:00:00.000Z", "go") + write(sa(), 12, "toolu_b12", src(12)));
  const replaced = await expectSameAsRecount();
  expect(replaced.events).toBe(appended.events + 1);
  // Deleted: its events stay, counted as from a deleted trace.
  rmSync(c);
  const deleted = await expectSameAsRecount();
  expect(deleted).toMatchObject({ traceFiles: 2, outsideProject: 1, eventsFromDeletedTraces: 1 });
  // A directory written for an older state of the table describes another file: not used.
  writeFileSync(viewFile(".dir"), staleDir);
  expect((await snapshotOf()).stats()).toEqual(deleted);
  writeFileSync(viewFile(".dir"), "not a directory");
  expect((await snapshotOf()).stats()).toEqual(deleted);
});

it("a record file removed under an unchanged trace is noticed: the trace is read again", async () => {
  const { a } = writeSessions();
  const stats = (await snapshotOf()).stats();
  const traces = join(dataDir(), "index", "traces");
  for (const name of readdirSync(traces)) rmSync(join(traces, name));
  const snapshot = await snapshotOf();
  expect(snapshot.stats()).toEqual(stats);
  expect(snapshot.events().filter((e) => e.traceFile === a)).toHaveLength(3);
});

it("counts only: an unchanged trace is skipped on its table entry, its record file unchecked; reading events checks it", async () => {
  const { a } = writeSessions();
  const stats = (await snapshotOf()).stats();
  const traces = join(dataDir(), "index", "traces");
  for (const name of readdirSync(traces)) rmSync(join(traces, name));
  // The rows are the unchanged traces' rows: counted as before, and no trace is read again (no record file written).
  expect((await snapshotOf(true)).stats()).toEqual(stats);
  expect(readdirSync(traces)).toEqual([]);
  // An append is resumed on its record file, checked as before (here: missing, so the trace is read whole).
  appendFileSync(a, write(sa(), 7, "toolu_a7", src(7)));
  const grown = (await snapshotOf(true)).stats();
  expect(grown.events).toBe(stats.events + 1);
  expect(readdirSync(traces)).toHaveLength(1);
  // A command that reads events finds the others' record files missing and reads their traces again.
  const snapshot = await snapshotOf();
  expect(snapshot.stats()).toEqual(grown);
  expect(snapshot.events().filter((e) => e.traceFile === a)).toHaveLength(4);
  expect(readdirSync(traces)).toHaveLength(3);
  expect(await expectSameAsRecount()).toEqual(grown);
});

it("a copy of a tool call an earlier append counted is known by its hash; many appends write the hashes whole, sorted", async () => {
  const { a, b } = writeSessions();
  (await snapshotOf(true)).stats();
  appendFileSync(a, write(sa(), 7, "toolu_a7", src(7)));
  const grown = (await snapshotOf(true)).stats();
  expect(grown.events).toBe(5);
  // b records a7 again (a fork's copy): its hashes are only among the appended ones, not in the sorted arrays.
  appendFileSync(b, write(sa(), 7, "toolu_a7", src(7)));
  const copied = (await snapshotOf(true)).stats();
  expect(copied).toEqual(grown);
  expect(await expectSameAsRecount()).toEqual(copied);
  // Past the directory's bound of appended deltas it is written whole, the appended hashes merged in, sorted.
  for (let i = 0; i < 40; i++) {
    appendFileSync(a, write(sa(), 20 + i, `toolu_n${i}`, src(20 + i)));
    expect((await snapshotOf(true)).stats().events).toBe(copied.events + i + 1);
  }
  const [, , , hashes, , ...deltas] = readFrames(readFileSync(viewFile(".dir"))).frames;
  expect(deltas.length).toBeLessThan(40);
  const all = new Uint32Array(Uint8Array.from(hashes ?? []).buffer);
  const half = all.length / 2;
  // Every row's hash is in the sorted halves or in a delta appended since (rows: a 44, b 3, c 1).
  const appendedIds = deltas.map((d) => (JSON.parse(d.toString("utf8")) as { counts?: { ids: number[] } }).counts?.ids.length ?? 0);
  expect(half + appendedIds.reduce((x, y) => x + y, 0)).toBe(48);
  for (const part of [all.subarray(0, half), all.subarray(half)]) expect([...part]).toEqual([...part].sort((x, y) => x - y));
  expect(await expectSameAsRecount()).toMatchObject({ events: copied.events + 40 });
});

it("merges added hashes into sorted ones as sorting them all would", () => {
  let seed = 7;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (const [base, added] of [[0, 0], [0, 3], [5, 0], [100, 7], [3, 50]] as const) {
    const sorted = Uint32Array.from({ length: base }, () => next() % 1000).sort();
    const extra = Array.from({ length: added }, () => next() % 1000);
    expect([...sortedWith(sorted, extra)]).toEqual([...Uint32Array.from([...sorted, ...extra]).sort()]);
  }
});
