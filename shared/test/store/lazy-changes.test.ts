// Changes read from the record files when used, on real Claude-format traces and index files in temp folders: an
// update stages each record it read whole in a file of its own until flush (no temp file is left after it), a
// record rewritten by another process since it was loaded still gives each event its own change (by id), and a
// changes frame damaged after loading reads as empty with one warning, never as another event's change.

import { appendFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { readFrames } from "../../src/store/frames";
import { decodeRecord, encodeRecord, recordFile } from "../../src/store/record-codec";
import { openTraceIndex, type TraceIndex } from "../../src/store/trace-index";
import { promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type RecordingLog, type Sandbox } from "./support/fixtures";
import { coldEvents, createMiniClaudeParser } from "./support/mini-claude-parser";

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox();
});
afterEach(() => box.cleanup());

const ctx: SessionCtx = { sessionId: "sess-a", cwd: "/proj" };

const writes = (first: number, count: number): string => writeCallsText(ctx, box.project, first, count, 300);

function startTrace(count: number): string {
  const path = join(box.traces, "a.jsonl");
  writeFileSync(path, promptLine(ctx, "2025-03-01T10:00:00.000Z", "write them") + writes(0, count));
  return path;
}

async function openIndex(log: RecordingLog = recordingLog()): Promise<TraceIndex> {
  return openTraceIndex({ dataDir: box.dataDir, mode: "on", log, projectKey: "p", parseWorkerSource: null });
}

async function indexOnce(paths: string[], log?: RecordingLog): Promise<TraceIndex> {
  const index = await openIndex(log);
  await index.update(paths.map((p) => discovered(p)), { "claude-code": createMiniClaudeParser() });
  await index.flush();
  return index;
}


const tracesDir = (): string => join(box.dataDir, "index", "traces");
const tempFiles = (): string[] => readdirSync(tracesDir()).filter((name) => name.endsWith(".tmp"));
const changes = (events: EditEvent[]): unknown[] => events.map((e) => ({ id: e.id, change: e.change }));

it("stages a record read whole until flush, reads its changes from there, and leaves no temp file", async () => {
  const a = startTrace(3);
  const index = await openIndex();
  await index.update([discovered(a)], { "claude-code": createMiniClaudeParser() });
  expect(tempFiles()).toHaveLength(1);
  expect(readdirSync(tracesDir()).filter((name) => name.endsWith(".json"))).toEqual([]);
  const full = changes(await coldEvents([a]));
  expect(changes(index.events())).toEqual(full);
  // A second update before the flush replaces the staged record (the trace was damaged: read whole again).
  truncateSync(a, Buffer.byteLength(promptLine(ctx, "2025-03-01T10:00:00.000Z", "write them") + writes(0, 1)));
  const before = index.events();
  await index.update([discovered(a)], { "claude-code": createMiniClaudeParser() });
  await index.flush();
  expect(tempFiles()).toEqual([]);
  expect(readdirSync(tracesDir()).filter((name) => name.endsWith(".json"))).toHaveLength(1);
  // Events of the replaced record (an older snapshot) and of the new one still read their own changes.
  expect(changes(before)).toEqual(full);
  expect(changes(index.events())).toEqual(full);
});

it("gives each event its own change after another process rewrote the record it was loaded from", async () => {
  const a = startTrace(2);
  await indexOnce([a]);
  appendFileSync(a, writes(2, 2));
  await indexOnce([a]);
  const loaded = await indexOnce([a]);
  const events = loaded.events();
  // Another process re-reads the trace whole (it shrank) and rewrites the record with another layout.
  const record = join(tracesDir(), readdirSync(tracesDir()).find((name) => name.endsWith(".json")) ?? "");
  const layout = readFrames(readFileSync(record)).frames.length;
  truncateSync(a, Buffer.byteLength(promptLine(ctx, "2025-03-01T10:00:00.000Z", "write them") + writes(0, 1)));
  await indexOnce([a]);
  expect(readFrames(readFileSync(record)).frames.length).not.toBe(layout);
  expect(events.map((e) => e.change)).toEqual((await indexOnce([a])).events().map((e) => e.change));
  expect(events.map((e) => Object.keys(e.change).length > 0)).toEqual([true, true, true, true]);
});

it("reads a changes frame damaged after loading as empty changes with one warning, never as others' changes", async () => {
  const a = startTrace(3);
  await indexOnce([a]);
  const log = recordingLog();
  const loaded = await indexOnce([a], log);
  const events = loaded.events();
  const record = join(tracesDir(), readdirSync(tracesDir()).find((name) => name.endsWith(".json")) ?? "");
  const bytes = readFileSync(record);
  bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0x02;
  writeFileSync(record, bytes);
  expect(events.map((e) => e.change)).toEqual([{}, {}, {}]);
  expect(log.lines.filter((line) => line.includes("stored changes"))).toHaveLength(1);
});

it("never gives an event the change of another one a rewrite put at the same place in the file", async () => {
  const a = startTrace(3);
  const [record] = [(await indexOnce([a])).events()];
  const path = join(box.root, "record.json");
  const trace = { v: 4, path: a, agent: "claude-code" as const, dev: 1, ino: 2, size: 9, mtimeMs: 1, compressed: false, offset: 9, tail: "", skipped: 0, sessions: [] };
  const events = (record ?? []).map((e) => ({ ...e }));
  writeFileSync(path, encodeRecord({ ...trace, events }));
  const decoded = decodeRecord(readFileSync(path), a, 4, () => undefined, recordFile(path, a, 4));
  if (decoded.kind !== "ok") throw new Error("did not decode");
  // The same events in another order: the same frame sizes, other contents at each place.
  const permuted = [events[1], events[2], events[0]].filter((e) => e !== undefined);
  const rewritten = encodeRecord({ ...trace, events: permuted.map((e) => ({ ...e, id: e.id })) });
  writeFileSync(path, rewritten);
  expect(decoded.record.events.map((e) => ({ id: e.id, change: e.change }))).toEqual(events.map((e) => ({ id: e.id, change: e.change })));
});
