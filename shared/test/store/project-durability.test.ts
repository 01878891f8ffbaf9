// When the project's trace list is fsync'd: only once it keeps edits no trace on disk yields (a trace deleted, or
// one that shrank). Before that, a lost list is rebuilt by discovery, and a cold index need not wait for the disk.
// The atomic writer is wrapped to record what each write of the list asked for; the writes themselves are real.

import { rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { openTraceIndex } from "../../src/store/trace-index";
import { promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";
import { createMiniClaudeParser } from "./support/mini-claude-parser";

/** fsyncData of each write of a project list (its two copies), in order. */
const projectWrites: boolean[] = [];
vi.mock("../../src/util/atomic-write", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/util/atomic-write")>();
  return {
    ...actual,
    writeFileAtomic: (path: string, data: Parameters<typeof actual.writeFileAtomic>[1], options: Parameters<typeof actual.writeFileAtomic>[2]) => {
      if (/[\\/]projects[\\/][0-9a-f]{40}\.json(\.copy)?$/.test(path)) projectWrites.push(options?.fsyncData !== false);
      return actual.writeFileAtomic(path, data, options);
    },
  };
});

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox();
  projectWrites.length = 0;
});
afterEach(() => box.cleanup());

const ctx = (sessionId: string): SessionCtx => ({ sessionId, cwd: "/proj" });

function writeTrace(name: string, session: string, count: number): string {
  const path = join(box.traces, name);
  writeFileSync(path, promptLine(ctx(session), "2025-03-01T10:00:00.000Z", "write the files") + writeCallsText(ctx(session), box.project, 0, count, 200));
  return path;
}

async function indexOnce(paths: string[]): Promise<number> {
  const index = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log: recordingLog(), projectKey: "p" });
  await index.update(paths.map((p) => discovered(p)), { "claude-code": createMiniClaudeParser() });
  await index.flush();
  return index.events().length;
}

it("a cold index writes the list without fsync; a deleted trace makes it durable, at once and from then on", async () => {
  const a = writeTrace("a.jsonl", "sess-a", 2);
  const b = writeTrace("b.jsonl", "sess-b", 1);
  expect(await indexOnce([a, b])).toBe(3);
  expect(projectWrites).toEqual([false, false]);
  // a is deleted: the list does not change, but now holds the only path to a's edits.
  projectWrites.length = 0;
  rmSync(a);
  expect(await indexOnce([b])).toBe(3);
  expect(projectWrites).toEqual([true, true]);
  // A new trace while a is gone: durable again.
  projectWrites.length = 0;
  const c = writeTrace("c.jsonl", "sess-c", 1);
  expect(await indexOnce([b, c])).toBe(4);
  expect(projectWrites).toEqual([true, true]);
});

it("a trace that shrank below what was indexed makes the list durable", async () => {
  const a = writeTrace("a.jsonl", "sess-a", 3);
  expect(await indexOnce([a])).toBe(3);
  projectWrites.length = 0;
  truncateSync(a, 400);
  expect(await indexOnce([a])).toBe(3);
  expect(projectWrites).toEqual([true, true]);
});
