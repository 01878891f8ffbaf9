// The Claude prefilter's dispatch on a record's first bytes: one trace holding every record kind in the key order
// Claude Code writes (assistant records name their type after the message, user records before it), with needles
// that appear only inside string values and lines of megabytes, gives the same events and sessions as the same
// records re-serialised with spaces (every line parsed whole) and with sorted keys (the needle path).

import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { assistantMessage, contentToolCalls, PARENT_NULL, readClaudeHead, toolCallsOf } from "../../src/agents/claude/line-head";
import { claudeSessionPath, makeTempHome, parseWhole, writeTrace, type TempHome } from "../support/trace-home";

const SID = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
const OPUS = "claude-opus-4-5-20251101";
const SONNET = "claude-sonnet-4-5-20250929";
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

type Rec = Record<string, unknown>;

/** Python's json.dumps default layout: `{"key": value, ...}` with ", " and ": " separators. */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spaced).join(", ")}]`;
  if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`).join(", ")}}`;
  return JSON.stringify(value);
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys((value as Rec)[k])]));
  return value;
}

function records(cwd: string): Rec[] {
  const head = { isSidechain: false, userType: "external", cwd, sessionId: SID, version: "2.0.64", gitBranch: "main" };
  let n = 0;
  let parent: string | null = null;
  const ts = (): string => `2025-11-03T10:00:${String(n).padStart(2, "0")}.000Z`;
  const assistant = (content: unknown[], model = OPUS, extra: Rec = {}): Rec => {
    n++;
    const uuid = `a${n}`;
    const rec = { parentUuid: parent, ...head, message: { model, id: `msg_${n}`, type: "message", role: "assistant", content, stop_reason: null, ...extra }, requestId: `req_${n}`, type: "assistant", uuid, timestamp: ts() };
    parent = uuid;
    return rec;
  };
  const user = (content: unknown, toolUseResult?: unknown): Rec => {
    n++;
    const uuid = `u${n}`;
    const rec: Rec = { parentUuid: parent, ...head, type: "user", message: { role: "user", content }, uuid, timestamp: ts() };
    if (toolUseResult !== undefined) rec.toolUseResult = toolUseResult;
    parent = uuid;
    return rec;
  };
  const result = (id: string, toolUseResult: unknown, text = "ok"): Rec => user([{ tool_use_id: id, type: "tool_result", content: text }], toolUseResult);
  const file = `${cwd}/src/app.py`;
  const big = "x = 1\n".repeat(400_000);
  return [
    { type: "summary", summary: 'Fix "type":"tool_use" parsing', leafUuid: "a0" },
    // A prompt whose text spells needles of every kind (escaped inside the string, so never structure).
    user('write app.py; the log said {"type":"tool_use","id":"toolu_fake","name":"Write"} and "tool_use_id":"toolu_e1"'),
    assistant([{ type: "thinking", thinking: `plan: call "name":"Edit" then "type":"user" ${"…".repeat(300_000)}`, signature: "sig" }]),
    assistant([{ type: "text", text: "Reading it first." }, { type: "tool_use", id: "toolu_r1", name: "Read", input: { file_path: file } }], OPUS, { stop_reason: "tool_use" }),
    result("toolu_r1", { type: "text", file: { filePath: file, content: big, numLines: 400_000, startLine: 1, totalLines: 400_000 } }, big),
    { type: "file-history-snapshot", messageId: "msg_x", snapshot: { messageId: "msg_x", trackedFileBackups: {}, timestamp: ts() }, isSnapshotUpdate: false },
    { parentUuid: parent, ...head, type: "progress", data: { type: "agent_progress", message: { type: "assistant", message: { model: "claude-haiku-4-5-20251001", content: [{ type: "tool_use", id: "toolu_sub", name: "Edit", input: {} }] } } }, toolUseID: "toolu_t", uuid: "p1", timestamp: "2025-11-03T10:00:40.000Z" },
    { parentUuid: "p1", ...head, type: "system", subtype: "compact_boundary", content: 'saw "model":"gpt-5"', isMeta: false, uuid: "s1", timestamp: "2025-11-03T10:00:41.000Z", level: "info" },
    assistant([{ type: "tool_use", id: "toolu_w1", name: "Write", input: { file_path: file, content: "print(1)\n" } }], SONNET),
    result("toolu_w1", { type: "create", filePath: file, content: "print(1)\n", structuredPatch: [], originalFile: null }),
    assistant([{ type: "tool_use", id: "toolu_g1", name: "Grep", input: { pattern: "print" } }, { type: "tool_use", id: "toolu_e1", name: "Edit", input: { file_path: file, old_string: "1", new_string: "2", replace_all: false } }]),
    result("toolu_g1", { mode: "content", content: "print(1)", numLines: 1 }),
    result("toolu_e1", { filePath: file, oldString: "1", newString: "2", originalFile: "print(1)\n", structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-print(1)", "+print(2)"] }], userModified: false, replaceAll: false }),
  ];
}

/** Each layout in its own projects folder, under the session's own file name (a record without a session id, parsed whole, is given the file's). */
async function parsed(layout: (r: Rec) => string, folder: string): Promise<unknown> {
  const text = records(t.project).map(layout).join("\n") + "\n";
  const path = claudeSessionPath(t.home, t.project, `${SID}.jsonl`, join(t.home, folder));
  const out = await parseWhole(new ClaudeTraceParser(), writeTrace(path, text));
  const sessions = out.sessions.map((s) => ({ id: s.sessionId, models: s.models, start: s.startTime, end: s.endTime, prompt: s.firstPrompt }));
  return { events: out.events.map((e) => [e.toolCallId, e.toolName, e.action, e.model, e.promptText, e.timestamp]), sessions, skipped: out.skippedLines };
}

describe("Claude prefilter by record head", () => {
  it("gives the same events and sessions in the compact layout as spaced and sorted-key copies", async () => {
    const compact = await parsed((r) => JSON.stringify(r), "compact");
    expect(compact).toMatchObject({
      events: [
        ["toolu_w1", "Write", "CREATED", SONNET, expect.stringContaining("write app.py"), "2025-11-03T10:00:06.000Z"],
        ["toolu_e1", "Edit", "EDITED", OPUS, expect.stringContaining("write app.py"), "2025-11-03T10:00:09.000Z"],
      ],
      sessions: [{ models: [OPUS, SONNET], end: "2025-11-03T10:00:41.000Z" }],
      skipped: 0,
    });
    expect(await parsed(spaced, "spaced")).toEqual(compact);
    expect(await parsed((r) => JSON.stringify(sortedKeys(r)), "sorted")).toEqual(compact);
  });

  it("reads the head of each kind and stops at the first object, and the tool calls of an assistant line", () => {
    const line = (r: unknown): Buffer => Buffer.from(JSON.stringify(r));
    const [summary, prompt, thinking, read, , snapshot, progress, system] = records("/p");
    const kind = (r: unknown): unknown => {
      const head = readClaudeHead(line(r), 0);
      return head && { type: head.type, assistantMessage: head.assistantMessage };
    };
    expect(kind(summary)).toEqual({ type: "summary", assistantMessage: false });
    expect(kind(prompt)).toEqual({ type: "user", assistantMessage: false });
    expect(kind(thinking)).toEqual({ assistantMessage: true });
    expect(kind(snapshot)).toEqual({ type: "file-history-snapshot", assistantMessage: false });
    expect(kind(progress)).toEqual({ type: "progress", assistantMessage: false });
    expect(kind(system)).toEqual({ type: "system", assistantMessage: false });
    // Not the compact layout, a key with an escape, or a model before the message: the needle path decides.
    expect(readClaudeHead(Buffer.from(spaced(system)), 0)).toBeUndefined();
    expect(readClaudeHead(Buffer.from('{"ty\\"pe":"x","type":"system"}'), 0)).toBeUndefined();
    expect(readClaudeHead(Buffer.from('{"model":"m","message":{"model":"m","content":[]}}'), 0)).toBeUndefined();
    expect(toolCallsOf(line(thinking))).toEqual([]);
    // Each call with where its id starts (its input follows it).
    expect(toolCallsOf(line(read))).toEqual([{ id: "toolu_r1", name: "Read", at: line(read).indexOf('"toolu_r1"') + 1 }]);
    // A tool_use block in another key order is not trusted.
    expect(toolCallsOf(Buffer.from('{"message":{"content":[{"id":"toolu_x","type":"tool_use","name":"Write"}]}}'))).toBeUndefined();
  });

  it("reads the parent where the head holds it, and steps over text and thinking blocks to the tool calls", () => {
    const text = (r: unknown): string => JSON.stringify(r);
    const [, prompt, thinking, read] = records("/p");
    const readLine = Buffer.from(text(read));
    const head = readClaudeHead(readLine, 0)!;
    expect(readLine.toString("latin1", head.parentAt, head.parentAt + 2)).toBe("a2");
    expect(readClaudeHead(Buffer.from(text(prompt)), 0)!.parentAt).toBe(PARENT_NULL);
    const message = assistantMessage(readLine, head.member)!;
    expect(readLine.toString("latin1", message.modelAt, message.modelAt + OPUS.length)).toBe(OPUS);
    expect(contentToolCalls(readLine, message.contentAt)).toEqual([{ id: "toolu_r1", name: "Read", at: readLine.indexOf('"toolu_r1"') + 1 }]);
    // The thinking block spells tool calls inside its text: stepped over, never read as calls.
    const thinkingLine = Buffer.from(text(thinking));
    const thinkingHead = readClaudeHead(thinkingLine, 0)!;
    expect(contentToolCalls(thinkingLine, assistantMessage(thinkingLine, thinkingHead.member)!.contentAt)).toEqual([]);
    // Blocks after a text block with escaped quotes and backslashes are still found.
    const mixed = Buffer.from(
      '{"message":{"model":"m","content":[{"type":"text","text":"a \\\\\\"quoted\\" \\\\"},{"type":"thinking","thinking":"t","signature":"s"},' +
        '{"type":"tool_use","id":"toolu_1","name":"Edit","input":{}}]},"uuid":"u","timestamp":"2025-11-03T10:00:00.000Z"}',
    );
    expect(JSON.parse(mixed.toString()).message.content).toHaveLength(3);
    const mixedHead = readClaudeHead(mixed, 0)!;
    expect(contentToolCalls(mixed, assistantMessage(mixed, mixedHead.member)!.contentAt)).toEqual([{ id: "toolu_1", name: "Edit", at: mixed.indexOf('"toolu_1"') + 1 }]);
  });
  it("reads a head the same whatever heads were read before it (the run of plain members it compares)", () => {
    const run = '"isSidechain":false,"userType":"external","cwd":"/p","sessionId":"s1","version":"2.0.64","gitBranch":"main",';
    const heads = [
      `{"parentUuid":"a1",${run}"type":"user","message":{"role":"user","content":"hi"},"uuid":"u2"}`,
      `{"parentUuid":"u2",${run}"message":{"model":"m","content":[]},"type":"assistant","uuid":"a3"}`,
      // The same run, then a model before the message (left to the needle path), or a record's end.
      `{"parentUuid":"a3",${run}"model":"m","message":{"model":"m","content":[]}}`,
      `{"parentUuid":null,${run}"type":"summary","summary":"s"}`,
      `{"parentUuid":"a3",${run}"slug":"x","type":"system","content":"c"}`,
      // The run's bytes but for an escaped quote (the branch's value runs on past them), and a run with a `type` in it.
      `{"parentUuid":"a1",${run.replace('"main",', '"main\\",x",')}"type":"user","message":{}}`,
      `{"parentUuid":"a1",${run.replace("gitBranch", "type")}"message":{}}`,
      `{"type":"file-history-snapshot",${run}"snapshot":{}}`,
      // The run crosses the head's 4 KB limit: not stepped over.
      `{"parentUuid":"${"p".repeat(4060)}",${run}"type":"user","message":{}}`,
      '{"parentUuid":"a1","isSidechain":false,"type":"user","message":{}}',
    ].map((text) => Buffer.from(text));
    const alone = heads.map((line) => {
      readClaudeHead(Buffer.from('{"parentUuid":"z","other":"' + "q".repeat(60) + '","message":{}}'), 0);
      return readClaudeHead(line, 0);
    });
    expect(alone.map((h) => h?.type ?? (h === undefined ? "none" : "-"))).toEqual(["user", "-", "none", "summary", "system", "user", "main", "file-history-snapshot", "none", "user"]);
    for (const order of [heads, [...heads].reverse(), heads.flatMap((h) => [h, h])]) {
      for (const line of order) expect(readClaudeHead(line, 0)).toEqual(alone[heads.indexOf(line)]);
      for (const line of order) for (const before of heads) {
        readClaudeHead(before, 0);
        expect(readClaudeHead(line, 0)).toEqual(alone[heads.indexOf(line)]);
      }
    }
  });
});
