// Claude Code parser on hand-written sessions in the real record format: every edit tool, failures, parallel calls
// whose results chain to the previous user record, a /model switch, subagent files in both layouts, Bash heredocs.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import type { EditEvent } from "../../src/events/edit-event";
import { brief, claudeSessionPath, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const SID = "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f";
const parser = new ClaudeTraceParser();
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

function byCall(events: EditEvent[], call: string): EditEvent {
  const e = events.find((x) => x.toolCallId === call);
  if (!e) throw new Error(`no event for ${call}`);
  return e;
}

describe("ClaudeTraceParser on a main session", () => {
  it("emits one event per successful file tool call, in trace order, with the issuing model", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const out = await parseWhole(parser, path);
    expect(out.events.map((e) => brief(e, t.project))).toEqual([
      { file: "src/hello.py", action: "CREATED", tool: "Write", model: "claude-opus-4-5-20251101", call: "toolu_01Write" },
      { file: "src/hello.py", action: "EDITED", tool: "Edit", model: "claude-opus-4-5-20251101", call: "toolu_02Edit" },
      { file: "README.md", action: "CREATED", tool: "Write", model: "claude-opus-4-5-20251101", call: "toolu_03Readme" },
      { file: "config.toml", action: "CREATED", tool: "Write", model: "claude-opus-4-5-20251101", call: "toolu_04Config" },
      { file: "src/hello.py", action: "EDITED", tool: "MultiEdit", model: "claude-sonnet-4-5-20250929", call: "toolu_06Multi" },
      { file: "config.toml", action: "EDITED", tool: "Write", model: "claude-sonnet-4-5-20250929", call: "toolu_07Over" },
      { file: "scripts/run.sh", action: "EDITED", tool: "shell", model: "claude-sonnet-4-5-20250929", call: "toolu_08Bash" },
    ]);
    expect(out.skippedLines).toBe(0);
    expect(out.endOffset).toBe(out.bytesRead);
  });

  it("fills the event fields from the records", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events } = await parseWhole(parser, path);
    const e = byCall(events, "toolu_01Write");
    expect(e).toMatchObject({
      id: `claude-code:${SID}:toolu_01Write:${t.project}/src/hello.py`,
      file: `${t.project}/src/hello.py`,
      timestamp: "2025-12-20T10:00:04.000Z",
      agent: "claude-code",
      agentVersion: "2.0.75",
      sessionId: SID,
      parentSessionId: null,
      subagentId: null,
      traceFile: path,
      promptId: "11111111-0000-4000-8000-000000000001",
      promptText: "Create a hello module\nwith greet and wave functions",
    });
    expect(e.changeSize).toBe("def greet():\n    return 'hi'\n\n\ndef wave():\n    return 'hi'\n".length);
  });

  it("records whole contents: Write after, Edit before/after with replaceAll applied, MultiEdit in order", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events, contents } = await parseWhole(parser, path);
    const text = (key: string | undefined) => (key === undefined ? undefined : contents.get(key));
    const v1 = "def greet():\n    return 'hi'\n\n\ndef wave():\n    return 'hi'\n";
    const v2 = v1.replaceAll("'hi'", "'hello'");
    const v3 = v2.replace("def greet", "def salute").replace("def wave", "def farewell");
    expect(text(byCall(events, "toolu_01Write").change.after)).toBe(v1);
    const edit = byCall(events, "toolu_02Edit");
    expect(text(edit.change.before)).toBe(v1);
    expect(text(edit.change.after)).toBe(v2);
    expect(edit.change.edits).toEqual([{ oldString: "'hi'", newString: "'hello'", replaceAll: true }]);
    expect(edit.change.hunks?.[0]?.oldStart).toBe(1);
    const multi = byCall(events, "toolu_06Multi");
    expect(text(multi.change.before)).toBe(v2);
    expect(text(multi.change.after)).toBe(v3);
    expect(multi.change.edits).toHaveLength(2);
    const over = byCall(events, "toolu_07Over");
    expect(text(over.change.before)).toBe('[app]\nname = "hello"\ndebug = true\n');
    expect(text(over.change.after)).toBe('[app]\nname = "hello"\ndebug = false\nlevel = "info"\n');
    expect(text(byCall(events, "toolu_08Bash").change.after)).toBe('#!/bin/sh\necho "run $1"\n');
  });

  it("keeps the model of the issuing assistant when parallel results chain to the previous user record", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events } = await parseWhole(parser, path);
    const parallel = byCall(events, "toolu_04Config");
    expect(parallel.model).toBe("claude-opus-4-5-20251101");
    expect(parallel.promptText).toBe("Add a README and a config file");
  });

  it("links edits after a /model switch to the new model and the typed prompt, not the command echo", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events, sessions } = await parseWhole(parser, path);
    const multi = byCall(events, "toolu_06Multi");
    expect(multi.promptId).toBe("11111111-0000-4000-8000-000000000005");
    expect(multi.promptText).toBe("Rename greet to salute and wave to farewell, then turn debug off");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      sessionId: SID,
      cwd: t.project,
      gitBranch: "main",
      slug: "hello-module-work",
      agentVersion: "2.0.75",
      startTime: "2025-12-20T10:00:00.000Z",
      endTime: "2025-12-20T10:02:21.000Z",
      models: ["claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929"],
      firstPrompt: "Create a hello module\nwith greet and wave functions",
    });
  });

  it("ignores failed calls and non-edit tools", async () => {
    const path = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
    const { events } = await parseWhole(parser, path);
    expect(events.find((e) => e.toolCallId === "toolu_05Fail")).toBeUndefined();
    expect(events.find((e) => e.toolCallId === "toolu_09Read")).toBeUndefined();
  });
});

describe("ClaudeTraceParser on subagents", () => {
  it("reads an agent-<id>.jsonl beside the session (older layout) as its own session", async () => {
    const path = placeFixture("claude/agent-a3f9c21.jsonl", claudeSessionPath(t.home, t.project, "agent-a3f9c21.jsonl"), t.project);
    const { events, sessions } = await parseWhole(parser, path);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      file: `${t.project}/CHANGELOG.md`,
      action: "CREATED",
      model: "claude-haiku-4-5-20251001",
      sessionId: `${SID}/agent-a3f9c21`,
      parentSessionId: SID,
      subagentId: "a3f9c21",
      promptText: "Write a CHANGELOG entry for the rename",
    });
    expect(sessions[0]).toMatchObject({ parentSessionId: SID, subagentId: "a3f9c21", models: ["claude-haiku-4-5-20251001"] });
  });

  it("reads <session>/subagents/agent-<id>.jsonl (newer layout) the same way", async () => {
    const path = placeFixture(
      "claude/agent-a3f9c21.jsonl",
      claudeSessionPath(t.home, t.project, `${SID}/subagents/agent-a3f9c21.jsonl`),
      t.project,
    );
    const { events } = await parseWhole(parser, path);
    expect(events.map((e) => [e.sessionId, e.parentSessionId, e.subagentId])).toEqual([[`${SID}/agent-a3f9c21`, SID, "a3f9c21"]]);
  });
});

describe("ClaudeTraceParser edge cases", () => {
  const base = {
    isSidechain: false,
    userType: "external",
    sessionId: SID,
    version: "2.1.3",
    gitBranch: "main",
  };
  function lines(records: object[]): string {
    return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  }

  it("takes the model from sourceToolAssistantUUID when the tool_use is in an earlier file", async () => {
    const cwd = t.project;
    const text = lines([
      { ...base, cwd, parentUuid: null, type: "assistant", message: { model: "claude-opus-4-1-20250805", role: "assistant", content: [{ type: "text", text: "Resuming." }] }, uuid: "a-1", timestamp: "2025-11-02T09:00:00Z" },
      {
        ...base,
        cwd,
        parentUuid: "a-1",
        type: "user",
        message: { role: "user", content: [{ tool_use_id: "toolu_prev", type: "tool_result", content: "ok" }] },
        uuid: "u-1",
        timestamp: "2025-11-02T09:00:01Z",
        toolUseResult: { filePath: `${cwd}/a.txt`, oldString: "a", newString: "b", originalFile: "a\n", structuredPatch: [], userModified: false, replaceAll: false },
        sourceToolAssistantUUID: "a-1",
      },
    ]);
    const path = writeTrace(claudeSessionPath(t.home, t.project, "resumed.jsonl"), text);
    const { events, contents } = await parseWhole(parser, path);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ model: "claude-opus-4-1-20250805", toolName: "Edit", action: "EDITED" });
    expect(contents.get(events[0]!.change.after!)).toBe("b\n");
  });

  it("falls back to structuredPatch when the old string is ambiguous", async () => {
    const cwd = t.project;
    const original = "x = 1\ny = 2\nx = 1\n";
    const text = lines([
      { ...base, cwd, parentUuid: null, type: "user", message: { role: "user", content: "fix the second x" }, uuid: "p", timestamp: "2025-11-02T09:00:00Z" },
      { ...base, cwd, parentUuid: "p", type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id: "toolu_amb", name: "Edit", input: { file_path: `${cwd}/x.py`, old_string: "x = 1", new_string: "x = 3" } }] }, uuid: "a", timestamp: "2025-11-02T09:00:01Z" },
      {
        ...base,
        cwd,
        parentUuid: "a",
        type: "user",
        message: { role: "user", content: [{ tool_use_id: "toolu_amb", type: "tool_result", content: "ok" }] },
        uuid: "r",
        timestamp: "2025-11-02T09:00:02Z",
        toolUseResult: {
          filePath: `${cwd}/x.py`,
          oldString: "x = 1",
          newString: "x = 3",
          originalFile: original,
          structuredPatch: [{ oldStart: 2, oldLines: 2, newStart: 2, newLines: 2, lines: [" y = 2", "-x = 1", "+x = 3"] }],
          replaceAll: false,
        },
      },
    ]);
    const path = writeTrace(claudeSessionPath(t.home, t.project, "amb.jsonl"), text);
    const { events, contents } = await parseWhole(parser, path);
    expect(contents.get(events[0]!.change.after!)).toBe("x = 1\ny = 2\nx = 3\n");
    expect(events[0]!.promptText).toBe("fix the second x");
  });

  it("skips results with an invalid timestamp and counts them; normalizes valid ones to ISO UTC", async () => {
    const cwd = t.project;
    const use = (id: string, uuid: string) => ({ ...base, cwd, parentUuid: null, type: "assistant", message: { model: "m-1", role: "assistant", content: [{ type: "tool_use", id, name: "Write", input: { file_path: `${cwd}/${id}.txt`, content: "x\n" } }] }, uuid, timestamp: "2025-11-02T09:00:00Z" });
    const res = (id: string, timestamp: unknown) => ({ ...base, cwd, parentUuid: null, type: "user", message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: "ok" }] }, uuid: `r-${id}`, timestamp, toolUseResult: { type: "create", filePath: `${cwd}/${id}.txt`, content: "x\n", structuredPatch: [], originalFile: null } });
    const text = lines([use("t1", "a1"), res("t1", "yesterday"), use("t2", "a2"), res("t2", "2025-11-02T10:00:00+02:00")]);
    const path = writeTrace(claudeSessionPath(t.home, t.project, "ts.jsonl"), text);
    const out = await parseWhole(parser, path);
    expect(out.events.map((e) => [e.toolCallId, e.timestamp])).toEqual([["t2", "2025-11-02T08:00:00.000Z"]]);
    expect(out.skippedLines).toBe(1);
  });
});
