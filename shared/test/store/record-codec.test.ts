// The stored form of a trace record: a lossless round trip of events (nulls, non-canonical ids, every change
// shape), changes parsed only on first use, a record torn or with any flipped bit read as corrupt (checksums), and a
// checksummed but invalid changes frame degrading to empty changes with a report; a decode of one file's events
// parses only their lines of the changes frame; a record staged after a parser state frame is described as decoded.

import { expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { encodeFrame, readFrames } from "../../src/store/frames";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compactRecord, decodeRecord, encodeRecord, encodeSegment, eventsOfRecord, recordFile, recordFromHeads, type TraceRecord } from "../../src/store/record-codec";
import { encodeStaged } from "../../src/store/record-stage";
import { encodeStateFrame, readStateFrame } from "../../src/store/parser-states";

function event(over: Partial<EditEvent>): EditEvent {
  return {
    id: "claude-code:s1:toolu_1:/p/a.ts", file: "/p/a.ts", action: "EDITED", timestamp: "2025-01-01T00:00:00.000Z",
    model: "claude-opus-4-5-20251101", agent: "claude-code", agentVersion: "2.0.75", sessionId: "s1", parentSessionId: null,
    subagentId: null, traceFile: "/t/s1.jsonl", traceOffset: 120, toolCallId: "toolu_1", toolName: "Edit", promptId: "u1",
    promptText: "line one\nline two", changeSize: 7,
    change: { before: "a".repeat(40), edits: [{ oldString: "x\n", newString: "y\n", replaceAll: false }], hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-x", "+y"] }] },
    ...over,
  };
}

const record: TraceRecord = {
  v: 3, path: "/t/s1.jsonl", agent: "claude-code", dev: 1, ino: 2, size: 300, mtimeMs: 4.5, compressed: false, offset: 290,
  tail: "YWJj", skipped: 2,
  sessions: [{ sessionId: "s1", agent: "claude-code", agentVersion: null, cwd: "/p", gitBranch: null, slug: null, traceFile: "/t/s1.jsonl", startTime: null, endTime: null, models: [], parentSessionId: null, subagentId: null, firstPrompt: null }],
  events: [
    event({}),
    event({ id: "custom-id", file: "/p/b.ts", action: "CREATED", agentVersion: null, promptId: null, promptText: null, change: { after: "b".repeat(40) } }),
    event({ id: "codex-cli:s2:call_9:/p/c.ts", agent: "codex-cli", sessionId: "s2", toolCallId: "call_9", file: "/p/c.ts", subagentId: "ag1", parentSessionId: "s0", change: { chunks: [{ context: "fn", oldLines: ["a"], newLines: ["b"], endOfFile: true }], movedTo: "/p/d.ts" } }),
  ],
};

it("round-trips a record exactly", () => {
  const decoded = decodeRecord(Buffer.from(encodeRecord(record)), record.path, 3, () => undefined);
  expect(decoded.kind).toBe("ok");
  if (decoded.kind !== "ok") return;
  expect(decoded.record).toEqual(record);
  expect(JSON.parse(JSON.stringify(decoded.record.events))).toEqual(record.events);
  expect({ ...decoded.record.events[1] }).toEqual(record.events[1]);
});

it("parses the changes only when a change is read, and reports invalid ones", () => {
  const [head] = readFrames(encodeRecord(record)).frames;
  let reports = 0;
  const bytes = Buffer.concat([encodeFrame(head ?? ""), encodeFrame('[{"before":')]);
  const decoded = decodeRecord(bytes, record.path, 3, () => (reports += 1));
  expect(decoded.kind).toBe("ok");
  if (decoded.kind !== "ok") return;
  expect(decoded.record.events.map((e) => e.file)).toEqual(["/p/a.ts", "/p/b.ts", "/p/c.ts"]);
  expect(reports).toBe(0);
  expect(decoded.record.events[0]?.change).toEqual({});
  expect(decoded.record.events[2]?.change).toEqual({});
  expect(reports).toBe(1);
  // A change can still be assigned (it becomes a plain field).
  const first = decoded.record.events[0];
  if (first !== undefined) first.change = { after: "c".repeat(40) };
  expect(first?.change).toEqual({ after: "c".repeat(40) });
});

it("tells a record of another version, a torn record and one of another path apart", () => {
  const bytes = encodeRecord(record);
  expect(decodeRecord(bytes, record.path, 4, () => undefined)).toEqual({ kind: "old-version", version: 3 });
  expect(decodeRecord(bytes.subarray(0, 40), record.path, 3, () => undefined)).toEqual({ kind: "corrupt" });
  expect(decodeRecord(bytes.subarray(0, bytes.length - 1), record.path, 3, () => undefined)).toEqual({ kind: "corrupt" });
  expect(decodeRecord(bytes, "/t/other.jsonl", 3, () => undefined)).toEqual({ kind: "corrupt" });
  // The unframed format of version 2 is recognised by its version, for the notice.
  const older = Buffer.from(`${JSON.stringify({ v: 2, path: record.path })}\n[]`);
  expect(decodeRecord(older, record.path, 3, () => undefined)).toEqual({ kind: "old-version", version: 2 });
});

it("reads a record with any single flipped bit as corrupt, never as different data", () => {
  const bytes = encodeRecord(record);
  // Every byte of the head and changes frames, one bit each (a stride keeps it quick; headers included).
  for (let at = 0; at < bytes.length; at += 3) {
    const flipped = Buffer.from(bytes);
    flipped[at] = (flipped[at] ?? 0) ^ (1 << (at % 8));
    const decoded = decodeRecord(flipped, record.path, 3, () => undefined);
    if (decoded.kind === "ok") expect(JSON.parse(JSON.stringify(decoded.record))).toEqual(JSON.parse(JSON.stringify(record)));
    else expect(decoded.kind).toBe("corrupt");
  }
});

it("reads appended segments as one record: events in order, the last segment's metadata, a torn tail dropped", () => {
  const base = encodeRecord({ ...record, events: record.events.slice(0, 1), size: 100, offset: 90, sessions: [] });
  const bytes = Buffer.concat([base, encodeSegment(record, 1)]);
  const decoded = decodeRecord(bytes, record.path, 3, () => undefined);
  expect(decoded.kind).toBe("ok");
  if (decoded.kind !== "ok") return;
  expect(decoded.record).toEqual(record);
  const { heads, ...extent } = decoded.extent;
  expect(extent).toEqual({ bytes: bytes.length, segments: 2, events: 3, base: { bytes: base.length, events: 1 } });
  // The heads a project view keeps: one per segment, each naming its changes frame's place (ending each segment).
  expect(heads?.map((h) => h.at[1])).toEqual([base.length, bytes.length]);
  expect(decoded.whole).toBe(true);
  const torn = decodeRecord(bytes.subarray(0, bytes.length - 5), record.path, 3, () => undefined);
  expect(torn.kind === "ok" && { events: torn.record.events.length, offset: torn.record.offset, extent: torn.extent, whole: torn.whole }).toEqual({
    events: 1, offset: 90, extent: expect.objectContaining({ bytes: base.length, segments: 1, events: 1, base: { bytes: base.length, events: 1 } }), whole: false,
  });
});

it("keeps a record compact until flush: its stored bytes and the same record read back from them", () => {
  const compact = compactRecord({ ...record, v: 3 });
  expect(compact.bytes).toEqual(encodeRecord(record));
  expect(compact.record).toEqual(record);
  expect(compact.record.events[0]).not.toBe(record.events[0]);
});

it("stores one change per line and parses only the lines of the events a partial decode made", () => {
  const [head, changes] = readFrames(encodeRecord(record)).frames;
  const lines = (changes ?? Buffer.alloc(0)).toString("utf8").split("\n");
  expect(lines.map((line) => JSON.parse(line))).toEqual(record.events.map((e) => e.change));
  // The second event's line is no JSON (in a frame whose checksum holds): the other events' changes never read it.
  const bytes = Buffer.concat([encodeFrame(head ?? ""), encodeFrame([lines[0], "{not json", lines[2]].join("\n"))]);
  const dir = mkdtempSync(join(tmpdir(), "ai-blame-codec-"));
  try {
    const path = join(dir, "record.json");
    writeFileSync(path, bytes);
    let reports = 0;
    const decoded = decodeRecord(bytes, record.path, 3, () => undefined);
    if (decoded.kind !== "ok") throw new Error("did not decode");
    const heads = decoded.extent.heads ?? [];
    const partial = recordFromHeads(heads, record.path, 3, () => (reports += 1), recordFile(path, record.path, 3));
    if (partial === null) throw new Error("no record from heads");
    const [a] = eventsOfRecord(partial, (file) => file === "/p/a.ts");
    const [c] = eventsOfRecord(partial, (file) => file === "/p/c.ts");
    expect([a?.change, c?.change]).toEqual([record.events[0]?.change, record.events[2]?.change]);
    expect(reports).toBe(0);
    // The second event's change needs the whole frame parsed: it reads as corrupt (an empty change, one report).
    expect(partial.events[1]?.change).toEqual({});
    expect(reports).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("a staged record described without parsing matches the decode of the file it was written to, after a state frame", () => {
  const dir = mkdtempSync(join(tmpdir(), "ai-blame-stage-"));
  try {
    const path = join(dir, "record.json");
    const state = encodeStateFrame({ v: 3, path: record.path, offset: 290, state: { pending: [], links: [["u1", ["u0", null]]] } });
    const staged = encodeStaged(record, state.length);
    writeFileSync(path, Buffer.concat([state, ...staged.pieces]));
    const bytes = readFileSync(path);
    expect(staged.bytes).toBe(bytes.length - state.length);
    const decoded = decodeRecord(bytes, record.path, 3, () => undefined, recordFile(path, record.path, 3));
    expect(decoded.kind).toBe("ok");
    if (decoded.kind !== "ok") return;
    expect(staged.extent).toEqual(decoded.extent);
    const { events, ...meta } = decoded.record;
    expect(staged.meta).toEqual(meta);
    // The events and their changes, read from the file at the places the encoding gives, are the record's.
    expect(JSON.parse(JSON.stringify(events))).toEqual(record.events);
    expect(readStateFrame(path, record.path, 290, 3)).toEqual({ state: { pending: [], links: [["u1", ["u0", null]]] } });
    expect(readStateFrame(path, record.path, 291, 3)).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
