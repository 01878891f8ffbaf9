// Untrusted traces: truncated last lines, garbage of every kind, invalid UTF-8, empty files, a 50 MB line, missing
// and unreadable files. Each case is counted or reported as data; nothing throws.

import { chmodSync, readFileSync, rmSync, appendFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryContentStore } from "../../src/store/content-store";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { CodexTraceParser } from "../../src/agents/codex/parser";
import { fixtureText, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const claude = new ClaudeTraceParser();
const codex = new CodexTraceParser();
let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

describe("bad input", () => {
  it("leaves a truncated last line for the next call, which completes the edit", async () => {
    const path = placeFixture("bad/truncated-last-line.jsonl", `${t.root}/s.jsonl`, t.project);
    const first = await parseWhole(claude, path);
    expect(first.events.map((e) => e.toolCallId)).toEqual(["toolu_ok"]);
    const whole = fixtureText("bad/truncated-last-line.jsonl", { PROJECT: t.project });
    expect(first.endOffset).toBe(Buffer.byteLength(whole.slice(0, whole.lastIndexOf("\n") + 1)));
    expect(first.skippedLines).toBe(0);
    // The agent finishes writing the line.
    const full = fixtureText("bad/truncated-last-line.jsonl", { PROJECT: t.project });
    const completeResult = {
      parentUuid: "a2",
      isSidechain: false,
      userType: "external",
      cwd: t.project,
      sessionId: "0a1b2c3d-0000-4000-8000-0000000000bb",
      version: "2.0.76",
      gitBranch: "main",
      type: "user",
      message: { role: "user", content: [{ tool_use_id: "toolu_cut", type: "tool_result", content: "File created" }] },
      uuid: "r2",
      timestamp: "2025-12-01T10:00:04.000Z",
      toolUseResult: { type: "create", filePath: `${t.project}/b.txt`, content: "b\n", structuredPatch: [], originalFile: null },
    };
    const partial = full.slice(full.lastIndexOf("\n") + 1);
    expect(JSON.stringify(completeResult).startsWith(partial)).toBe(true);
    appendFileSync(path, `${JSON.stringify(completeResult).slice(partial.length)}\n`);
    const second = await claude.parse({ path, fromOffset: first.endOffset, state: first.state, contents: new MemoryContentStore() });
    expect(second.events.map((e) => [e.toolCallId, e.file, e.model])).toEqual([["toolu_cut", `${t.project}/b.txt`, "claude-opus-4-5-20251101"]]);
  });

  it("counts non-JSON, truncated, non-object and invalid UTF-8 lines, ignores unknown records, keeps the good edit", async () => {
    const path = placeFixture("bad/garbage.jsonl", `${t.root}/g.jsonl`, t.project);
    const out = await parseWhole(claude, path);
    expect(out.skippedLines).toBe(4);
    // toolUseResult of the wrong type: the call was not an error, so the edit is taken from the tool input.
    expect(out.events.map((e) => [e.toolCallId, e.action, e.promptText])).toEqual([["toolu_ok", "EDITED", "make a.txt"]]);
    expect(out.error).toBeUndefined();
  });

  it("reads an empty file as nothing", async () => {
    const path = placeFixture("bad/empty.jsonl", `${t.root}/e.jsonl`, t.project);
    for (const parser of [claude, codex]) {
      const out = await parseWhole(parser, path);
      expect(out).toMatchObject({ events: [], sessions: [], endOffset: 0, skippedLines: 0, bytesRead: 0 });
    }
  });

  it("parses an edit carried by a 50 MB line", async () => {
    const content = `${"0123456789abcdef".repeat(64)}\n`.repeat(50 * 1024);
    const base = { isSidechain: false, userType: "external", cwd: t.project, sessionId: "big", version: "2.0.76" };
    const lines = [
      { ...base, parentUuid: null, type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id: "toolu_big", name: "Write", input: { file_path: `${t.project}/big.txt`, content } }] }, uuid: "a", timestamp: "2025-12-01T10:00:00Z" },
      { ...base, parentUuid: "a", type: "user", message: { role: "user", content: [{ tool_use_id: "toolu_big", type: "tool_result", content: "ok" }] }, uuid: "r", timestamp: "2025-12-01T10:00:01Z", toolUseResult: { type: "create", filePath: `${t.project}/big.txt`, content, structuredPatch: [], originalFile: null } },
    ];
    const path = writeTrace(`${t.root}/big.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const out = await parseWhole(claude, path);
    expect(out.events).toHaveLength(1);
    expect(out.contents.get(out.events[0]!.change.after!)?.length).toBe(content.length);
    expect(out.events[0]!.changeSize).toBe(content.length);
  });

  it("ignores wrongly typed fields inside otherwise valid records", async () => {
    const base = { isSidechain: false, userType: "external", cwd: t.project, sessionId: 42, version: ["x"] };
    const lines = [
      { ...base, parentUuid: 7, type: "assistant", message: { model: 3, content: [{ type: "tool_use", id: 9, name: "Write" }, { type: "tool_use", id: "toolu_x", name: "Edit", input: "nope" }, null, "str"] }, uuid: "a", timestamp: "2025-12-01T10:00:00Z" },
      { ...base, parentUuid: "a", type: "user", message: { content: [{ tool_use_id: "toolu_x", type: "tool_result" }] }, uuid: "r", timestamp: "2025-12-01T10:00:01Z", toolUseResult: { filePath: 12, structuredPatch: "x" } },
      { ...base, type: "user", message: { content: [{ type: "tool_result", tool_use_id: null }] }, timestamp: {} },
    ];
    const path = writeTrace(`${t.root}/typed.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const out = await parseWhole(claude, path);
    expect(out.events).toEqual([]);
    expect(out.skippedLines).toBe(1);
    const codexLines = [
      { timestamp: 5, type: "session_meta", payload: { id: 1, cwd: {}, cli_version: null } },
      { timestamp: "2025-12-01T10:00:00Z", type: "response_item", payload: { type: "custom_tool_call", call_id: 3, name: "apply_patch", input: 4 } },
      { timestamp: "2025-12-01T10:00:00Z", type: "turn_context", payload: "not an object" },
      { timestamp: "2025-12-01T10:00:00Z", type: "response_item", payload: { type: "function_call", name: "shell", arguments: "{not json", call_id: "c" } },
    ];
    const cpath = writeTrace(`${t.root}/rollout-typed.jsonl`, codexLines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const cout = await parseWhole(codex, cpath);
    expect(cout.events).toEqual([]);
    expect(cout.skippedLines).toBe(1);
  });

  it("reports a file that vanished between listing and reading", async () => {
    const path = placeFixture("bad/truncated-last-line.jsonl", `${t.root}/gone/s.jsonl`, t.project);
    rmSync(`${t.root}/gone`, { recursive: true });
    const out = await parseWhole(claude, path);
    expect(out).toMatchObject({ events: [], endOffset: 0, bytesRead: 0, error: `trace file vanished: ${path}` });
  });

  it("reports a permission-denied file (or, as root, a folder that vanished)", async () => {
    const path = placeFixture("bad/truncated-last-line.jsonl", `${t.root}/locked/s.jsonl`, t.project);
    chmodSync(path, 0o000);
    let rootReadsAnything = false;
    try {
      readFileSync(path);
      rootReadsAnything = true;
    } catch {
      rootReadsAnything = false;
    }
    if (!rootReadsAnything) {
      const out = await parseWhole(claude, path);
      expect(out).toMatchObject({ events: [], endOffset: 0, error: `permission denied: ${path}` });
      return;
    }
    chmodSync(path, 0o644);
    rmSync(`${t.root}/locked`, { recursive: true });
    const out = await parseWhole(codex, path);
    expect(out).toMatchObject({ events: [], endOffset: 0, error: `trace file vanished: ${path}` });
  });
});
