// RecordLookup's save at a command's end (store/record-lookup.ts saveChanged): on real Claude-format traces indexed
// into real index files, the second save of a process writes only when something it writes from changed since the
// first: a record read or updated, the scope, or whether the index was read in bulk.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { IndexFiles, INDEX_VERSION } from "../../src/store/index-files";
import { RecordLookup } from "../../src/store/record-lookup";
import { openTraceIndex } from "../../src/store/trace-index";
import { promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type RecordingLog, type Sandbox } from "./support/fixtures";
import { createMiniClaudeParser } from "./support/mini-claude-parser";

let box: Sandbox;
let log: RecordingLog;
beforeEach(() => {
  box = makeSandbox();
  log = recordingLog();
});
afterEach(() => box.cleanup());

function startTrace(name: string, session: SessionCtx, count: number): string {
  const path = join(box.traces, name);
  writeFileSync(path, promptLine(session, "2025-03-01T10:00:00.000Z", "please write the files") + writeCallsText(session, box.project, 0, count, 300));
  return path;
}

it("a second save writes only after a record, the scope or the bulk flag changed", async () => {
  const a = startTrace("a.jsonl", { sessionId: "sess-a", cwd: "/proj" }, 3);
  const b = startTrace("b.jsonl", { sessionId: "sess-b", cwd: "/proj" }, 2);
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, projectKey: "p" });
  await index.update([a, b].map((p) => discovered(p)), { "claude-code": createMiniClaudeParser() });
  await index.flush();

  const lookup = new RecordLookup(new IndexFiles(join(box.dataDir, "index"), log), INDEX_VERSION, "p", true, log);
  let writes = 0;
  const write = (action: () => void): void => {
    writes += 1;
    action();
  };
  const scope = [a, b].map((path) => ({ path, live: true }));
  lookup.saveChanged(scope, false, write);
  expect(writes).toBe(2);
  lookup.saveChanged(scope, false, write);
  expect(writes).toBe(2);
  // A record read from its file (a blame's query) goes into the view: saved.
  expect(lookup.record(a)?.events.length).toBe(3);
  lookup.saveChanged(scope, false, write);
  expect(writes).toBe(4);
  lookup.saveChanged([...scope], false, write);
  expect(writes).toBe(4);
  // After a bulk read the view is not written (the table alone is).
  lookup.saveChanged(scope, true, write);
  expect(writes).toBe(5);
  lookup.saveChanged(scope.slice(0, 1), true, write);
  expect(writes).toBe(6);
  lookup.saveChanged([{ path: b, live: true }], true, write);
  expect(writes).toBe(7);
  lookup.saveChanged([{ path: b, live: true }], true, write);
  expect(writes).toBe(7);
  expect(log.lines).toEqual([]);
});
