// Engine ingest on real trace files in a temp home: a watcher's paths that are known traces which grew are read
// through the index without rediscovery (a trace created meanwhile stays unseen until discovery runs), while an
// unknown path, a replaced file or a truncated one falls back to full discovery.

import { appendFileSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../src/engine";
import type { Engine } from "../src/engine-api";
import { claudeSessionPath, makeTempHome, placeFixture, writeTrace, type TempHome } from "./support/trace-home";

const SID = "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f";
const OTHER = "9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
let t: TempHome;
let engine: Engine;
let session: string;

beforeEach(async () => {
  t = makeTempHome();
  session = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
  engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: join(t.root, "data") });
  await engine.refresh();
});
afterEach(() => t.cleanup());

/** A Write call and its successful result, appended as Claude Code would (same session, new uuids). */
function writeCall(id: string, file: string, sessionId = SID): string {
  const base = { isSidechain: false, userType: "external", cwd: t.project, sessionId, version: "2.0.75", gitBranch: "main" };
  const path = `${t.project}/${file}`;
  const use = { ...base, parentUuid: null, type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id, name: "Write", input: { file_path: path, content: "new\n" } }] }, uuid: `${id}-a`, timestamp: "2025-12-21T10:00:00Z" };
  const result = { ...base, parentUuid: `${id}-a`, type: "user", message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: "ok" }] }, uuid: `${id}-r`, timestamp: "2025-12-21T10:00:01Z", toolUseResult: { type: "create", filePath: path, content: "new\n", structuredPatch: [], originalFile: null } };
  return `${JSON.stringify(use)}\n${JSON.stringify(result)}\n`;
}

/** Another session's trace in the project, created after the engine's discovery. */
function otherTrace(): string {
  return writeTrace(claudeSessionPath(t.home, t.project, `${OTHER}.jsonl`), writeCall("toolu_other", "other.txt", OTHER));
}

function calls(): string[] {
  return engine.snapshot().events().map((e) => e.toolCallId);
}

describe("Engine.ingest", () => {
  it("reads a grown known trace without rediscovery", async () => {
    const before = calls();
    const other = otherTrace();
    appendFileSync(session, writeCall("toolu_appended", "appended.txt"));
    const result = await engine.ingest([session]);
    expect(result).toMatchObject({ traceFiles: 1, filesRead: 1, newEvents: 1 });
    expect(calls()).toEqual([...before, "toolu_appended"]);
    // The trace created meanwhile is found once discovery runs: here, by naming it.
    const found = await engine.ingest([other]);
    expect(found.traceFiles).toBe(2);
    expect(calls()).toContain("toolu_other");
  });

  it("rediscovers when a known trace was replaced or truncated", async () => {
    otherTrace();
    // Replaced: the same contents plus a call, as a new file renamed over the old one (a new inode).
    const replacement = `${session}.tmp`;
    writeFileSync(replacement, readFileSync(session, "utf8") + writeCall("toolu_replaced", "replaced.txt"));
    renameSync(replacement, session);
    const replaced = await engine.ingest([session]);
    expect(replaced.traceFiles).toBe(2);
    expect(calls()).toContain("toolu_replaced");

    const text = readFileSync(session, "utf8");
    const truncated = text.slice(0, text.indexOf("\n") + 1);
    writeFileSync(session, truncated);
    const result = await engine.ingest([session]);
    expect(result.traceFiles).toBe(2);
    expect(result.filesRead).toBe(1);
  });

  it("rediscovers for a path it does not know and for an empty list", async () => {
    otherTrace();
    expect((await engine.ingest([join(t.project, "not-a-trace.jsonl")])).traceFiles).toBe(2);
    const again = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: join(t.root, "data") });
    expect((await again.ingest([])).traceFiles).toBe(2);
  });
});
