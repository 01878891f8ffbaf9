// The project view (store/project-view.ts) on real Claude-format traces and real index files in temp folders: a
// later process takes its records' heads from the one view file while their record files are unchanged, an append
// adds a frame to it instead of rewriting it, and whatever makes it stale or wrong — another process's append, a
// corrupt or torn view, a deleted trace, a trace whose project moved — falls back to the record files, so the
// events are always those of a cold index.

import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { encodeFrame, readFrames } from "../../src/store/frames";
import type { EditEvent } from "../../src/events/edit-event";
import { openTraceIndex, type TraceIndex } from "../../src/store/trace-index";
import { INDEX_VERSION } from "../../src/store/index-files";
import { ProjectView } from "../../src/store/project-view";
import { promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type RecordingLog, type Sandbox } from "./support/fixtures";
import { coldEvents, createMiniClaudeParser, type MiniParser } from "./support/mini-claude-parser";

let box: Sandbox;
let parser: MiniParser;
let log: RecordingLog;
beforeEach(() => {
  box = makeSandbox();
  parser = createMiniClaudeParser();
  log = recordingLog();
});
afterEach(() => box.cleanup());

const ctx: SessionCtx = { sessionId: "sess-a", cwd: "/proj" };
const other: SessionCtx = { sessionId: "sess-b", cwd: "/proj", model: "claude-sonnet-4-5-20250929" };

const writes = (session: SessionCtx, first: number, count: number): string => writeCallsText(session, box.project, first, count, 300);

function startTrace(name: string, session: SessionCtx, count: number): string {
  const path = join(box.traces, name);
  writeFileSync(path, promptLine(session, "2025-03-01T10:00:00.000Z", "please write the files") + writes(session, 0, count));
  return path;
}

/**
 * One process: opens the index of project `key`, updates it with `paths`, flushes. The event table (event-table.ts)
 * is removed first: with it, a process that needs no events never reads the view, and these tests are the view's.
 */
async function indexOnce(paths: string[], key = "p"): Promise<TraceIndex> {
  const views = join(box.dataDir, "index", "views");
  if (existsSync(views)) for (const name of readdirSync(views)) if (name.endsWith(".rows")) rmSync(join(views, name));
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, projectKey: key });
  await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
  await index.flush();
  return index;
}

/** The trace paths of the view's entry frames, in file order (the first frame is the header). */
function viewPaths(file: string): string[] {
  return readFrames(readFileSync(file))
    .frames.slice(1)
    .map((f) => (JSON.parse(f.toString("utf8")) as { path: string }).path);
}

/**
 * Traces a (3 writes) and b (10 writes of 2 lines, one prompt) indexed twice, the second time from the view since
 * a's record file changed only its mtime; and their events as a cold index gives them.
 */
async function twoTracesInTheView(): Promise<{ a: string; b: string; cold: EditEvent[] }> {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = join(box.traces, "b.jsonl");
  writeFileSync(b, promptLine(other, "2025-03-01T10:00:00.000Z", "write more files") + writes(other, 10, 2));
  await indexOnce([a, b]);
  roundMtime(recordFileOf(a));
  await indexOnce([a, b]);
  return { a, b, cold: await coldEvents([a, b]) };
}

function viewFile(): string {
  const dir = join(box.dataDir, "index", "views");
  const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith(".json")) : [];
  expect(names).toHaveLength(1);
  return join(dir, names[0] ?? "");
}

function recordFileOf(trace: string): string {
  const dir = join(box.dataDir, "index", "traces");
  const match = readdirSync(dir)
    .filter((n) => !n.endsWith(".copy"))
    .map((n) => join(dir, n))
    .find((file) => readFileSync(file).includes(JSON.stringify(trace)));
  if (match === undefined) throw new Error(`no record of ${trace}`);
  return match;
}

/** A whole-second mtime, which utimes can put back exactly (a process that reads the record then keys it so). */
function roundMtime(file: string): void {
  const seconds = Math.floor(statSync(file).mtimeMs / 1000) - 60;
  utimesSync(file, seconds, seconds);
}

/** Damages the first head frame's bytes in place and puts the (whole-second) mtime back: same inode, size, mtime. */
function damageKeepingKey(file: string): void {
  const seconds = statSync(file).mtimeMs / 1000;
  expect(Number.isInteger(seconds)).toBe(true);
  const bytes = readFileSync(file);
  const at = bytes.indexOf(10) + 3;
  bytes[at] = (bytes[at] ?? 0) ^ 0x20;
  writeFileSync(file, bytes);
  utimesSync(file, seconds, seconds);
}

it("a later process takes unchanged records from the view, without decoding their files", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  await indexOnce([a, b]);
  roundMtime(recordFileOf(a));
  await indexOnce([a, b]);
  const cold = await coldEvents([a, b]);
  // A record file damaged without changing its inode, size or mtime is not read at all while the view serves it.
  damageKeepingKey(recordFileOf(a));
  const index = await indexOnce([a, b]);
  expect(index.events()).toEqual(cold);
  expect(log.lines.filter((l) => l.includes("corrupt"))).toEqual([]);
  expect(parser.calls).toHaveLength(2);
  // Once its mtime differs, the view's entry no longer names that file: the record is read, found corrupt, and its
  // trace read again.
  utimesSync(recordFileOf(a), new Date(), new Date(Date.now() - 5000));
  expect((await indexOnce([a, b])).events()).toEqual(cold);
  expect(log.lines.some((l) => l.includes("corrupt"))).toBe(true);
  expect(parser.calls).toHaveLength(3);
});

it("an append adds a frame with the new segment to the view instead of rewriting it", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  await indexOnce([a, b]);
  roundMtime(recordFileOf(b));
  await indexOnce([a, b]);
  const before = readFileSync(viewFile());
  appendFileSync(a, writes(ctx, 3, 2));
  await indexOnce([a, b]);
  const after = readFileSync(viewFile());
  expect(after.subarray(0, before.length)).toEqual(before);
  const frames = readFrames(after);
  expect(frames.end).toBe("whole");
  const added = JSON.parse((frames.frames.at(-1) ?? Buffer.alloc(0)).toString("utf8")) as { path: string; from: number; heads: unknown[] };
  expect({ path: added.path, from: added.from, heads: added.heads.length }).toEqual({ path: a, from: 1, heads: 1 });
  // A third process folds the frames into the record: both segments, the same events as a cold index.
  damageKeepingKey(recordFileOf(b));
  expect((await indexOnce([a, b])).events()).toEqual(await coldEvents([a, b]));
  expect(log.lines.filter((l) => l.includes("corrupt"))).toEqual([]);
  // A record rewritten whole (its trace was replaced: read whole) replaces its entry: the file is rewritten with one
  // frame per record rather than carrying the old entry's bytes.
  startTrace("a.jsonl", ctx, 1);
  await indexOnce([a, b]);
  expect(readFrames(readFileSync(viewFile())).frames).toHaveLength(3);
  expect((await indexOnce([a, b])).events()).toHaveLength(5 + 2);
});

it("a view made stale by another project's append to a shared trace is not used for that trace", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  await indexOnce([a], "p");
  appendFileSync(a, writes(ctx, 3, 2));
  // Project q's process appends the new events to the shared record; p's view still describes the record before.
  await indexOnce([a], "q");
  const calls = parser.calls.length;
  const index = await indexOnce([a], "p");
  expect(index.events()).toEqual(await coldEvents([a]));
  expect(parser.calls).toHaveLength(calls);
});

it("a view put back to an older state (a process that died before saving it) is not trusted", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  await indexOnce([a]);
  const old = readFileSync(viewFile());
  appendFileSync(a, writes(ctx, 3, 2));
  await indexOnce([a]);
  writeFileSync(viewFile(), old);
  expect((await indexOnce([a])).events()).toEqual(await coldEvents([a]));
});

it("a corrupt or torn view is ignored and rewritten", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  await indexOnce([a, b]);
  const cold = await coldEvents([a, b]);
  const file = viewFile();
  const bytes = readFileSync(file);
  bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
  expect((await indexOnce([a, b])).events()).toEqual(cold);
  expect(readFrames(readFileSync(file)).end).toBe("whole");
  writeFileSync(file, readFileSync(file).subarray(0, 40));
  expect((await indexOnce([a, b])).events()).toEqual(cold);
  writeFileSync(file, "not a view");
  expect((await indexOnce([a, b])).events()).toEqual(cold);
  expect(readFrames(readFileSync(file)).end).toBe("whole");
  expect(parser.calls).toHaveLength(2);
});

it("a deleted trace's edits stay, from the view as from the records", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  await indexOnce([a, b]);
  const cold = await coldEvents([a, b]);
  rmSync(b);
  const first = await indexOnce([a]);
  expect(first.events()).toEqual(cold);
  expect(first.stats.eventsFromDeletedTraces).toBe(2);
  const second = await indexOnce([a]);
  expect(second.events()).toEqual(cold);
  expect(second.stats.eventsFromDeletedTraces).toBe(2);
  rmSync(viewFile());
  expect((await indexOnce([a])).events()).toEqual(cold);
});

it("a trace whose session now belongs to another project leaves the view's scope", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  await indexOnce([a, b]);
  // Discovery no longer returns b for this project, yet b still exists and names a working directory: moved away.
  expect((await indexOnce([a])).events()).toEqual(await coldEvents([a]));
  expect((await indexOnce([a])).events()).toEqual(await coldEvents([a]));
  const paths = viewPaths(viewFile());
  expect(paths).toEqual([a]);
});

it("a view entry that is not valid costs only its own record: the other entries are still used", async () => {
  const { a, b, cold } = await twoTracesInTheView();
  // b's frame checksums but holds no entry; a's record file is damaged keeping its key, so only the view serves a.
  const file = viewFile();
  const frames = readFrames(readFileSync(file)).frames.map((f) => f.toString("utf8"));
  const at = frames.findIndex((f) => f.startsWith(`{"path":${JSON.stringify(b)}`));
  expect(at).toBeGreaterThan(0);
  frames[at] = JSON.stringify({ path: b, key: "not a key" });
  writeFileSync(file, Buffer.concat(frames.map((f) => encodeFrame(f))));
  damageKeepingKey(recordFileOf(a));
  const index = await indexOnce([a, b]);
  expect(index.currentScope().eventsOfFiles((f) => f.endsWith("/f0.ts"))).toEqual(cold.filter((e) => e.file.endsWith("/f0.ts")));
  expect(index.events()).toEqual(cold);
  expect(log.lines.filter((l) => l.includes("corrupt"))).toEqual([]);
  expect(parser.calls).toHaveLength(2);
  // The next save rewrote the view whole with b's entry again.
  const paths = viewPaths(file);
  expect(paths.sort()).toEqual([a, b].sort());
});

it("a frame that fails its checksum costs only its own record, also when frames of other records follow it", async () => {
  const { a, b, cold } = await twoTracesInTheView();
  // b's frame has a byte of its heads flipped; a's entry is its first frame and the one appended after b's.
  const file = viewFile();
  const paths = viewPaths(file);
  expect(paths).toEqual([a, b, a]);
  const bytes = readFileSync(file);
  const damaged = bytes.indexOf(Buffer.from('"heads"'), bytes.indexOf(Buffer.from(JSON.stringify(b)))) + 2;
  bytes[damaged] = (bytes[damaged] ?? 0) ^ 0x01;
  writeFileSync(file, bytes);
  damageKeepingKey(recordFileOf(a));
  const index = await indexOnce([a, b]);
  expect(index.events()).toEqual(cold);
  expect(log.lines.filter((l) => l.includes("corrupt"))).toEqual([]);
  expect(parser.calls).toHaveLength(2);
  expect(readFrames(readFileSync(file)).end).toBe("whole");
});

it("a process that reads no events still grows the view by a frame for the segment it appended", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 2);
  const open = () => openTraceIndex({ dataDir: box.dataDir, mode: "on", log, projectKey: "p" });
  const update = async (): Promise<TraceIndex> => {
    const index = await open();
    await index.update([a, b].map((p) => discovered(p)), { "claude-code": parser });
    await index.flush();
    return index;
  };
  await update();
  // A process that reads the events brings the view up to date; with the event table, one that reads none never
  // reads the view.
  const reader = await update();
  reader.events();
  await reader.keepContents(0);
  const before = readFileSync(viewFile());
  appendFileSync(a, writes(ctx, 3, 2));
  await update();
  const after = readFileSync(viewFile());
  expect(after.subarray(0, before.length)).toEqual(before);
  const added = JSON.parse((readFrames(after).frames.at(-1) ?? Buffer.alloc(0)).toString("utf8")) as { path: string; from: number; heads: unknown[] };
  expect({ path: added.path, from: added.from, heads: added.heads.length }).toEqual({ path: a, from: 1, heads: 1 });
  // The view's entry names the record file as it is now: the next blame reads both segments from the view.
  const record = statSync(recordFileOf(a));
  const entry = new ProjectView(viewFile(), INDEX_VERSION, "p").entry(a);
  expect(entry?.key).toEqual([record.ino, record.size, record.mtimeMs]);
  expect(entry?.heads).toHaveLength(2);
  expect((await update()).events()).toEqual(await coldEvents([a, b]));
});
