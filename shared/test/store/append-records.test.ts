// Records that grow by appending, on real Claude-format traces and real index files in temp folders: a resumed
// parse appends a segment (the record file grows, its earlier bytes unchanged), a torn or flipped appended segment
// loses only itself (the trace is resumed from the last verified offset with the parser state kept for it), many
// appends are compacted into one segment, and the second copy of a record whose edits are in no trace any more
// follows the appends so a deleted trace's edits stay exact.

import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { readFrames } from "../../src/store/frames";
import { INDEX_VERSION, MAX_SEGMENTS } from "../../src/store/index-files";
import { isStateFrame } from "../../src/store/record-codec";
import { openTraceIndex, type TraceIndex } from "../../src/store/trace-index";
import { promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";
import { coldEvents, createMiniClaudeParser, type MiniParser } from "./support/mini-claude-parser";

let box: Sandbox;
let parser: MiniParser;
beforeEach(() => {
  box = makeSandbox();
  parser = createMiniClaudeParser();
});
afterEach(() => box.cleanup());

const ctx: SessionCtx = { sessionId: "sess-a", cwd: "/proj" };
const other: SessionCtx = { sessionId: "sess-b", cwd: "/proj", model: "claude-sonnet-4-5-20250929" };

const writes = (session: SessionCtx, first: number, count: number): string => writeCallsText(session, box.project, first, count, 500);

function startTrace(name: string, session: SessionCtx, count: number): string {
  const path = join(box.traces, name);
  writeFileSync(path, promptLine(session, "2025-03-01T10:00:00.000Z", "please write the files") + writes(session, 0, count));
  return path;
}

async function indexOnce(paths: string[]): Promise<TraceIndex> {
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log: recordingLog(), projectKey: "p" });
  await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
  await index.flush();
  return index;
}


/** The record file of the only trace indexed (and its second copy's path). */
function recordFile(): string {
  const traces = join(box.dataDir, "index", "traces");
  const [name] = readdirSync(traces).filter((n) => !n.endsWith(".copy"));
  return join(traces, name ?? "");
}

/** Segments (head and changes frames) of a record file, after the parser state frame a whole read writes first. */
const segmentsOf = (file: string): number => {
  const frames = readFrames(readFileSync(file)).frames;
  return (frames.length - (frames[0] !== undefined && isStateFrame(frames[0], INDEX_VERSION) ? 1 : 0)) / 2;
};

it("appends a resumed parse's events to the record: the file grows, its earlier bytes and inode unchanged", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  await indexOnce([a]);
  const file = recordFile();
  const before = readFileSync(file);
  const inode = statSync(file).ino;

  appendFileSync(a, writes(ctx, 3, 2));
  const index = await indexOnce([a]);
  expect(parser.calls.at(-1)?.fromOffset).toBeGreaterThan(0);
  const after = readFileSync(file);
  expect(after.length).toBeGreaterThan(before.length);
  expect(after.subarray(0, before.length)).toEqual(before);
  expect(statSync(file).ino).toBe(inode);
  expect(segmentsOf(file)).toBe(2);
  expect(index.events()).toEqual(await coldEvents([a]));
  // Another process reads the two segments back as the same record.
  expect((await indexOnce([a])).events()).toEqual(await coldEvents([a]));
  expect(parser.calls).toHaveLength(2);
});

it("a torn appended segment loses only itself: the trace resumes from the last verified offset", async () => {
  const a = startTrace("a.jsonl", ctx, 2);
  await indexOnce([a]);
  const file = recordFile();
  const firstOffset = statSync(a).size;
  const firstSegment = readFileSync(file).length;
  appendFileSync(a, writes(ctx, 2, 2));
  await indexOnce([a]);
  // A crash in the middle of the append: the file ends inside the new segment.
  truncateSync(file, readFileSync(file).length - 20);

  appendFileSync(a, writes(ctx, 4, 1));
  const index = await indexOnce([a]);
  // The parser state saved for the verified offset was kept: no whole re-read.
  expect(parser.calls.at(-1)).toEqual({ path: a, fromOffset: firstOffset });
  expect(index.events()).toEqual(await coldEvents([a]));
  expect(index.events()).toHaveLength(5);
  // The torn bytes were replaced by the new segment.
  const bytes = readFileSync(file);
  expect(readFrames(bytes).end).toBe("whole");
  expect(bytes.length).toBeGreaterThan(firstSegment);
  expect(segmentsOf(file)).toBe(2);
  expect((await indexOnce([a])).events()).toEqual(await coldEvents([a]));
});

it("an appended segment with a flipped bit reads as absent, never as different events", async () => {
  const a = startTrace("a.jsonl", ctx, 2);
  await indexOnce([a]);
  appendFileSync(a, writes(ctx, 2, 2));
  await indexOnce([a]);
  const file = recordFile();
  expect(segmentsOf(file)).toBe(2);
  const bytes = readFileSync(file);
  bytes[bytes.length - 30] = (bytes[bytes.length - 30] ?? 0) ^ 0x08;
  writeFileSync(file, bytes);
  const index = await indexOnce([a]);
  expect(index.events()).toEqual(await coldEvents([a]));
  expect(readFrames(readFileSync(file)).end).toBe("whole");
});

it("compacts a record into one segment when appends reach the limit", async () => {
  const a = startTrace("a.jsonl", ctx, 1);
  await indexOnce([a]);
  const file = recordFile();
  let largest = 1;
  for (let i = 1; i <= MAX_SEGMENTS; i++) {
    appendFileSync(a, writes(ctx, i, 1));
    await indexOnce([a]);
    largest = Math.max(largest, segmentsOf(file));
  }
  expect(largest).toBe(MAX_SEGMENTS);
  expect(segmentsOf(file)).toBe(1);
  const index = await indexOnce([a]);
  expect(index.events()).toHaveLength(MAX_SEGMENTS + 1);
  expect(index.events()).toEqual(await coldEvents([a]));
});

it("merges the appended segments of a large record after its first one, whose bytes stay unchanged", async () => {
  const a = startTrace("a.jsonl", ctx, 300);
  await indexOnce([a]);
  const file = recordFile();
  const first = readFileSync(file);
  for (let i = 0; i < MAX_SEGMENTS; i++) {
    appendFileSync(a, writes(ctx, 300 + i, 1));
    await indexOnce([a]);
  }
  expect(segmentsOf(file)).toBe(2);
  expect(readFileSync(file).subarray(0, first.length)).toEqual(first);
  const index = await indexOnce([a]);
  expect(index.events()).toHaveLength(300 + MAX_SEGMENTS);
  expect(index.events()).toEqual(await coldEvents([a]));
});

it("keeps the second copy in step with appends, so a deleted trace's kept edits stay exact", async () => {
  const a = startTrace("a.jsonl", ctx, 3);
  const b = startTrace("b.jsonl", other, 1);
  const all = await indexOnce([a, b]);
  const original = all.events().filter((e) => e.traceFile === a);
  // The trace lost its last calls (a damaged file): re-read whole, its record keeps them and gets a second copy.
  truncateSync(a, Buffer.byteLength(promptLine(ctx, "2025-03-01T10:00:00.000Z", "please write the files") + writes(ctx, 0, 1)));
  await indexOnce([a, b]);
  appendFileSync(a, writes(ctx, 3, 2));
  const grown = await indexOnce([a, b]);
  const traces = join(box.dataDir, "index", "traces");
  const copies = readdirSync(traces).filter((n) => n.endsWith(".copy"));
  expect(copies).toHaveLength(1);
  const record = join(traces, (copies[0] ?? "").slice(0, -".copy".length));
  expect(segmentsOf(record)).toBe(2);
  expect(readFileSync(`${record}.copy`)).toEqual(readFileSync(record));
  const expected = grown.events().filter((e) => e.traceFile === a);
  expect(expected.map((e) => e.toolCallId)).toEqual([...original.map((e) => e.toolCallId), "toolu_sess-a_3", "toolu_sess-a_4"]);

  // The trace is deleted, then the first copy is damaged: every kept edit is still there, exactly.
  rmSync(a);
  await indexOnce([b]);
  const bytes = readFileSync(record);
  bytes[10] = (bytes[10] ?? 0) ^ 0x04;
  writeFileSync(record, bytes);
  const after = await indexOnce([b]);
  expect(after.events().filter((e) => e.traceFile === a)).toEqual(expected);
  expect(after.stats.eventsFromDeletedTraces).toBe(expected.length);
  expect(readFileSync(record)).toEqual(readFileSync(`${record}.copy`));
});
