// The stored form of a trace record: a lossless round trip of events (nulls, non-canonical ids, every change
// shape), changes parsed only on first use, and a corrupt changes line degrading to empty changes with a report.

import { expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { decodeRecord, encodeRecord, type TraceRecord } from "../../src/store/record-codec";

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

it("parses the changes line only when a change is read, and reports a corrupt one", () => {
  const text = encodeRecord(record);
  const newline = text.indexOf("\n");
  let reports = 0;
  const decoded = decodeRecord(Buffer.from(`${text.slice(0, newline)}\n[{"before":`), record.path, 3, () => (reports += 1));
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
  const text = encodeRecord(record);
  expect(decodeRecord(Buffer.from(text), record.path, 4, () => undefined)).toEqual({ kind: "old-version", version: 3 });
  expect(decodeRecord(Buffer.from(text.slice(0, 40)), record.path, 3, () => undefined)).toEqual({ kind: "corrupt" });
  expect(decodeRecord(Buffer.from(text), "/t/other.jsonl", 3, () => undefined)).toEqual({ kind: "corrupt" });
});
