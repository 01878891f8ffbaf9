// The event table (store/event-table.ts) and `stats` counted over its rows (snapshot-stats.ts), on real Claude-format
// traces read by the real parser through the engine, in temp folders: forks that copy a tool call with its session,
// resumes that copy it under a new session, an edit outside the project, a deleted trace (one of whose events has a
// live copy), an append, filters. Every count must equal what counting the snapshot's events gives — in the process
// that indexed, in a later process that reads only the table, and in one whose table was lost or damaged.

import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { StatsJson } from "../../src/contract";
import { createEngine } from "../../src/engine";
import type { Snapshot } from "../../src/engine-api";
import type { EventFilter } from "../../src/events/filter";
import type { RowBlock } from "../../src/store/event-rows";
import { readFrames } from "../../src/store/frames";
import { STATES_IN_MEMORY } from "../../src/store/parser-states";
import { decodeBatch } from "../../src/store/table-frames";
import { claudeSessionPath, makeTempHome, type TempHome, writeTrace } from "../support/trace-home";
import { editCallLine, editResultLine, promptLine, type SessionCtx, writeCallLine, writeResultLine } from "./support/claude-lines";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const OPUS = "claude-opus-4-5-20251101";
const SONNET = "claude-sonnet-4-5-20250929";

/** The lines of one Write call and its result. */
function write(ctx: SessionCtx, minute: number, id: string, file: string, content = `export const x = ${minute};\n`): string {
  const ts = `2025-03-0${1 + (minute % 3)}T10:${String(minute % 60).padStart(2, "0")}:00.000Z`;
  return writeCallLine(ctx, ts, id, file, content) + writeResultLine(ctx, ts, id, file, content);
}

function edit(ctx: SessionCtx, minute: number, id: string, file: string, before: string, after: string): string {
  const ts = `2025-03-02T11:${String(minute).padStart(2, "0")}:00.000Z`;
  return editCallLine(ctx, ts, id, file, before, after) + editResultLine(ctx, ts, id, file, `${before}\n`, before, after);
}

function session(name: string, text: string): string {
  return writeTrace(claudeSessionPath(t.home, t.project, `${name}.jsonl`), text);
}

/** Traces with copies of one another's tool calls, an edit outside the project and two models. */
function writeSessions(): { a: string; d: string } {
  const sa: SessionCtx = { sessionId: "sa", cwd: t.project };
  const sc: SessionCtx = { sessionId: "sc", cwd: t.project, model: SONNET };
  const sd: SessionCtx = { sessionId: "sd", cwd: t.project };
  const f = (n: number): string => join(t.project, "src", `f${n}.ts`);
  const own = [0, 1, 2, 3, 4].map((i) => write(sa, i, `toolu_a${i}`, f(i)));
  const a = session("a", promptLine(sa, "2025-03-01T09:00:00.000Z", "write") + own.join("") + edit(sa, 5, "toolu_a5", f(0), "export const x = 0;", "export const y = 0;"));
  // A fork: a copy of a's first calls, session and all, then calls of its own.
  session("b", promptLine(sa, "2025-03-01T09:00:00.000Z", "write") + own.slice(0, 3).join("") + write(sa, 7, "toolu_b7", f(7)));
  // A resume under a new session: the same tool calls recorded again with another session id, and a later copy.
  const again = [0, 1].map((i) => write(sc, 20 + i, `toolu_a${i}`, f(i)));
  session("c", promptLine(sc, "2025-03-01T09:30:00.000Z", "go on") + again.join("") + write(sc, 8, "toolu_c8", f(8), "big ".repeat(400)) + write(sc, 9, "toolu_c9", "/elsewhere/outside.ts"));
  // To be deleted: one call copied from a (which stays live), one of its own.
  const d = session("d", promptLine(sd, "2025-03-01T09:00:00.000Z", "write") + own[4] + write(sd, 10, "toolu_d10", f(10)));
  return { a, d };
}

const dataDir = (): string => join(t.root, "data");

async function snapshotOf(): Promise<Snapshot> {
  const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: dataDir() });
  await engine.refresh();
  return engine.snapshot();
}

/** What `stats` must say, counted from the snapshot's events (the events path every other command uses). */
function countedFromEvents(snapshot: Snapshot, filter?: EventFilter): Partial<StatsJson> {
  const events = snapshot.events(filter);
  const tally = (key: (e: (typeof events)[number]) => string): Record<string, number> => {
    const m = new Map<string, number>();
    for (const e of events) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
    return Object.fromEntries([...m].sort(([x], [y]) => (x < y ? -1 : 1)));
  };
  const sessions = new Set(events.map((e) => `${e.agent}\u0000${e.sessionId}`));
  if (filter === undefined) for (const s of snapshot.sessions()) sessions.add(`${s.agent}\u0000${s.sessionId}`);
  return { events: events.length, files: new Set(events.map((e) => e.file)).size, sessions: sessions.size, byModel: tally((e) => e.model), byAgent: tally((e) => e.agent) };
}

const filters: (EventFilter | undefined)[] = [
  undefined,
  { pattern: "f1*" },
  { pattern: "src" },
  { since: "2025-03-02" },
  { until: "2025-03-01T10:03:00Z" },
  { minChangeSize: 100 },
  { initialAndRecent: true },
  { agents: ["claude"] },
  { target: "f0" },
];

function expectCountsMatch(snapshot: Snapshot): void {
  for (const filter of filters) expect(snapshot.stats(filter), JSON.stringify(filter)).toMatchObject(countedFromEvents(snapshot, filter));
}

function tableFile(): string {
  const dir = join(dataDir(), "index", "views");
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".rows")) : [];
  expect(names).toHaveLength(1);
  return join(dir, names[0] ?? "");
}

it("counts rows exactly as the events count: copies, resumes, outside edits, filters, cold and warm", async () => {
  writeSessions();
  const cold = await snapshotOf();
  expectCountsMatch(cold);
  const stats = cold.stats();
  // a: 6, b: 1 of its own, c: 1 of its own + 1 outside, d: 1 of its own; c's copy of a1 is the earlier one.
  expect(stats).toMatchObject({ events: 9, outsideProject: 1, eventsFromDeletedTraces: 0, byModel: { [OPUS]: 7, [SONNET]: 2 } });
  const warm = await snapshotOf();
  expect(warm.stats()).toEqual(stats);
  expectCountsMatch(warm);
  // Without the table (lost), the records answer the same, and the table is written again.
  rmSync(tableFile());
  expect((await snapshotOf()).stats()).toEqual(stats);
  expect((await snapshotOf()).stats()).toEqual(stats);
});

it("a deleted trace's events stay counted, a live copy preferred", async () => {
  const { d } = writeSessions();
  const before = (await snapshotOf()).stats();
  rmSync(d);
  for (let run = 0; run < 2; run++) {
    const snapshot = await snapshotOf();
    expect(snapshot.stats()).toEqual({ ...before, traceFiles: before.traceFiles - 1, eventsFromDeletedTraces: 1 });
    expectCountsMatch(snapshot);
  }
});

it("an append adds a frame with only the new rows to the table, and later processes count them", async () => {
  const { a } = writeSessions();
  await snapshotOf();
  await snapshotOf();
  const before = readFileSync(tableFile());
  appendFileSync(a, write({ sessionId: "sa", cwd: t.project }, 30, "toolu_a30", join(t.project, "src", "new.ts")));
  const grown = await snapshotOf();
  expect(grown.stats().events).toBe(10);
  expectCountsMatch(grown);
  const after = readFileSync(tableFile());
  expect(after.subarray(0, before.length)).toEqual(before);
  const frames = readFrames(after);
  expect(frames.end).toBe("whole");
  const last = frames.frames.at(-1) ?? Buffer.alloc(8);
  const batch = JSON.parse(last.toString("utf8", 8, 8 + last.readUInt32LE(0))) as { entries: { path: string; from: number; blocks: unknown[] }[] };
  expect(batch.entries.map((e) => ({ path: e.path, from: e.from, blocks: e.blocks.length }))).toEqual([{ path: a, from: 1, blocks: 1 }]);
  const warm = await snapshotOf();
  expect(warm.stats()).toEqual(grown.stats());
  expectCountsMatch(warm);
  // The events a blame or timeline reads are still every event, the appended one included.
  expect(warm.events().map((e) => e.toolCallId)).toContain("toolu_a30");
});

it("a damaged, torn or foreign table is not used", async () => {
  writeSessions();
  const stats = (await snapshotOf()).stats();
  const file = tableFile();
  const bytes = readFileSync(file);
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
  expect((await snapshotOf()).stats()).toEqual(stats);
  writeFileSync(file, readFileSync(file).subarray(0, 60));
  expect((await snapshotOf()).stats()).toEqual(stats);
  writeFileSync(file, "not a table");
  expect((await snapshotOf()).stats()).toEqual(stats);
  expect(readFrames(readFileSync(file)).end).toBe("whole");
});

it("an entry whose record file changed under it (another process wrote it) is not used", async () => {
  const { a } = writeSessions();
  const stats = (await snapshotOf()).stats();
  // Another project's process (another key, its own table) appends to the shared record of a.
  const other = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: dataDir(), agents: { codex: false } });
  appendFileSync(a, write({ sessionId: "sa", cwd: t.project }, 31, "toolu_a31", join(t.project, "src", "more.ts")));
  await other.refresh();
  const snapshot = await snapshotOf();
  const byModel = { ...stats.byModel, [OPUS]: (stats.byModel[OPUS] ?? 0) + 1 };
  expect(snapshot.stats()).toEqual({ ...stats, events: stats.events + 1, files: stats.files + 1, byModel, byAgent: { "claude-code": stats.events + 1 } });
  expectCountsMatch(snapshot);
});

it("one entry decoded alone from a batch frame has the rows the whole frame's decode gives it", async () => {
  writeSessions();
  await snapshotOf();
  const payload = readFrames(readFileSync(tableFile())).frames[1] ?? Buffer.alloc(0);
  const whole = decodeBatch(payload) ?? [];
  expect(whole.length).toBe(4);
  const rows = (part: { blocks: RowBlock[] }): string[] =>
    part.blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => [b.toolCallId(i), b.file(i), b.timestamp(i), b.sessionId(i), b.traceOffset(i)].join(" ")));
  for (const part of whole) {
    const alone = decodeBatch(payload, part.head.path);
    expect(alone?.map((p) => p.head)).toEqual([part.head]);
    expect(alone?.map(rows)).toEqual([rows(part)]);
    expect(rows(part).length).toBeGreaterThan(0);
  }
  expect(decodeBatch(payload, join(t.home, "absent.jsonl"))).toEqual([]);
  // The others' blocks are still stepped over to the frame's end: a frame cut short in its last entry is not one.
  expect(decodeBatch(payload.subarray(0, payload.length - 8), whole[0]?.head.path)).toBeNull();
});

it("a row's strings keep their UTF-8 in the table: non-ASCII names exactly, a lone surrogate encoded alone", async () => {
  const file = join(t.project, "src", "naïve-日本語-😀.ts");
  const sa: SessionCtx = { sessionId: "sa", cwd: t.project };
  // The second row's new strings are its model, ending in a lone high surrogate, then its tool-call id, starting with
  // a lone low one: encoded together they would make one valid pair (4 bytes), not two replacement characters.
  const odd: SessionCtx = { sessionId: "sa", cwd: t.project, model: "m\uD83D" };
  session("u", promptLine(sa, "2025-03-01T09:00:00.000Z", "write") + write(sa, 1, "toolu_1", file) + write(odd, 2, "\uDE00toolu_2", file));
  const cold = await snapshotOf();
  expect(cold.stats()).toMatchObject({ events: 2, files: 1 });
  const payload = readFrames(readFileSync(tableFile())).frames[1] ?? Buffer.alloc(0);
  const rows = (decodeBatch(payload) ?? []).flatMap((part) =>
    part.blocks.flatMap((b) => Array.from({ length: b.count }, (_, i) => [b.file(i), b.model(i), b.toolCallId(i), b.timestamp(i)])),
  );
  expect(rows).toEqual([
    [file, OPUS, "toolu_1", "2025-03-02T10:01:00.000Z"],
    [file, "m\uFFFD", "\uFFFDtoolu_2", "2025-03-03T10:02:00.000Z"],
  ]);
  // A later process counts the same rows from the table alone.
  expect((await snapshotOf()).stats()).toMatchObject({ events: 2, files: 1, byAgent: { "claude-code": 2 } });
});

it("a counts-only first index's flush leaves the table's directory to the stats that follows, or to the command's end", async () => {
  writeSessions();
  // A bulk read: more traces than an update keeps parser states of in memory.
  for (let i = 0; i <= STATES_IN_MEMORY; i++) {
    const ctx: SessionCtx = { sessionId: `bulk${i}`, cwd: t.project };
    session(`bulk${i}`, promptLine(ctx, "2025-03-01T09:00:00.000Z", "write") + write(ctx, i % 60, `toolu_bulk${i}`, join(t.project, "src", `b${i}.ts`)));
  }
  const expected = (await snapshotOf()).stats();
  rmSync(dataDir(), { recursive: true, force: true });
  const dirFile = (): string => tableFile().replace(/\.rows$/, ".dir");
  const countsOnly = () => createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: dataDir(), countsOnly: true });
  // A filter-free stats writes it once, with its counts.
  const first = countsOnly();
  await first.refresh();
  expect(existsSync(dirFile())).toBe(false);
  expect(first.snapshot().stats()).toEqual(expected);
  expect(existsSync(dirFile())).toBe(true);
  await first.keepContents(0);
  expect((await snapshotOf()).stats()).toEqual(expected);
  // A filtered one keeps no counts: the command's end writes it.
  rmSync(dataDir(), { recursive: true, force: true });
  const filtered = countsOnly();
  await filtered.refresh();
  filtered.snapshot().stats({ pattern: "f1*" });
  expect(existsSync(dirFile())).toBe(false);
  await filtered.keepContents(0);
  expect(existsSync(dirFile())).toBe(true);
  // A process stopped after its flush leaves none: the next one reads the table whole and counts the same.
  rmSync(dataDir(), { recursive: true, force: true });
  await countsOnly().refresh();
  expect(existsSync(dirFile())).toBe(false);
  expect((await snapshotOf()).stats()).toEqual(expected);
  expect(existsSync(dirFile())).toBe(true);
});
