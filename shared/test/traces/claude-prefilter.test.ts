// The Claude parser's byte prefilter on records in the real layout: results of known non-edit calls are never
// parsed (whatever their result holds), results are matched to pending edit calls one by one or in one pass when many
// are pending, and a skipped result's uuid and timestamp are the record's own, not those of records inside it.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { claudeSessionPath, makeTempHome, parseWhole, writeTrace, type TempHome } from "../support/trace-home";

const SID = "5e0b7a61-2c4d-4f8e-9a1b-3c5d7e9f0a2b";
const parser = new ClaudeTraceParser();
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const base = { isSidechain: false, userType: "external", sessionId: SID, version: "2.1.3", gitBranch: "main" };

function lines(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

function call(cwd: string, uuid: string, parent: string | null, blocks: object[], model = "claude-opus-4-5-20251101"): object {
  return { ...base, cwd, parentUuid: parent, type: "assistant", message: { model, role: "assistant", content: blocks }, uuid, timestamp: "2025-11-02T09:00:00Z" };
}

function result(cwd: string, uuid: string, parent: string, id: string, toolUseResult: unknown, timestamp = "2025-11-02T09:00:01Z"): object {
  return { ...base, cwd, parentUuid: parent, type: "user", message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: "ok" }] }, uuid, timestamp, toolUseResult };
}

describe("Claude prefilter", () => {
  it("never reads a result of a non-edit call of the same file as an edit, even with an edit's shape", async () => {
    const cwd = t.project;
    const editShape = { filePath: `${cwd}/a.txt`, oldString: "a", newString: "b", originalFile: "a\n", structuredPatch: [] };
    const text = lines([
      call(cwd, "a1", null, [{ type: "tool_use", id: "toolu_read", name: "Read", input: { file_path: `${cwd}/a.txt` } }]),
      result(cwd, "r1", "a1", "toolu_read", editShape),
      // The same result for a call this file does not hold (a resumed session) is still read as the edit it shows.
      result(cwd, "r2", "r1", "toolu_earlier", editShape, "2025-11-02T09:00:02Z"),
    ]);
    const out = await parseWhole(parser, writeTrace(claudeSessionPath(t.home, t.project, `${SID}.jsonl`), text));
    expect(out.events.map((e) => [e.toolCallId, e.toolName])).toEqual([["toolu_earlier", "Edit"]]);
    expect(out.skippedLines).toBe(0);
  });

  it("matches results to pending edits in any order, with few and with many calls pending", async () => {
    const cwd = t.project;
    for (const count of [3, 12]) {
      const ids = Array.from({ length: count }, (_, i) => `toolu_w${count}_${i}`);
      const records: object[] = ids.map((id, i) =>
        call(cwd, `a${count}-${i}`, i === 0 ? null : `a${count}-${i - 1}`, [{ type: "tool_use", id, name: "Write", input: { file_path: `${cwd}/${id}.txt`, content: `${id}\n` } }]),
      );
      // A Read result in between, then the results from last to first.
      records.push(call(cwd, `ar${count}`, `a${count}-${count - 1}`, [{ type: "tool_use", id: `toolu_r${count}`, name: "Read", input: { file_path: `${cwd}/x` } }]));
      records.push(result(cwd, `rr${count}`, `ar${count}`, `toolu_r${count}`, { type: "text", file: { filePath: `${cwd}/x`, content: "x" } }));
      [...ids].reverse().forEach((id, i) => records.push(result(cwd, `r${count}-${i}`, `rr${count}`, id, { type: "create", filePath: `${cwd}/${id}.txt`, content: `${id}\n`, structuredPatch: [], originalFile: null })));
      const path = writeTrace(claudeSessionPath(t.home, t.project, `many-${count}.jsonl`), lines(records));
      const out = await parseWhole(parser, path);
      expect(out.events.map((e) => e.toolCallId)).toEqual([...ids].reverse());
      expect(new Set(out.events.map((e) => e.action))).toEqual(new Set(["CREATED"]));
    }
  });

  it("reads Bash heredoc writes and renames however their command is escaped, and no edit from a Bash call that makes none", async () => {
    const cwd = t.project;
    const bash = (uuid: string, parent: string | null, id: string, command: string): object =>
      call(cwd, uuid, parent, [{ type: "text", text: "Running it." }, { type: "tool_use", id, name: "Bash", input: { command, description: "run" } }]);
    const shellResult = (uuid: string, parent: string, id: string, seconds: number): object =>
      result(cwd, uuid, parent, id, { stdout: "", stderr: "", interrupted: false, isImage: false }, `2025-11-02T09:00:${String(seconds).padStart(2, "0")}Z`);
    const editShape = { filePath: `${cwd}/a.txt`, oldString: "a", newString: "b", originalFile: "a\n", structuredPatch: [] };
    const text = lines([
      bash("a1", null, "toolu_plain", "cat > one.txt <<'EOF'\none\nEOF"),
      shellResult("r1", "a1", "toolu_plain", 1),
      bash("a2", "r1", "toolu_escaped", "cat > two.txt <<'EOF'\ntwo\nEOF"),
      shellResult("r2", "a2", "toolu_escaped", 2),
      bash("a3", "r2", "toolu_mv", "mv one.txt three.txt"),
      shellResult("r3", "a3", "toolu_mv", 3),
      bash("a4", "r3", "toolu_status", "git status && ls -la"),
      // A result of that call never reads as an edit, whatever its shape.
      result(cwd, "r4", "a4", "toolu_status", editShape, "2025-11-02T09:00:04Z"),
    ])
      // Escapes JSON allows and some writers use: `<<` and `mv` spelled as \u escapes in the second and third calls.
      .replace("two.txt <<", "two.txt \\u003c\\u003c")
      .replace('"mv one', '"\\u006dv one');
    expect(text).toContain("\\u003c\\u003c");
    const out = await parseWhole(parser, writeTrace(claudeSessionPath(t.home, t.project, `${SID}.jsonl`), text));
    expect(out.events.map((e) => [e.toolCallId, e.action, e.file.slice(cwd.length + 1)])).toEqual([
      ["toolu_plain", "EDITED", "one.txt"],
      ["toolu_escaped", "EDITED", "two.txt"],
      ["toolu_mv", "DELETED", "one.txt"],
      ["toolu_mv", "CREATED", "three.txt"],
    ]);
    expect(out.skippedLines).toBe(0);
  });

  it("takes a skipped result's own timestamp and no model from an assistant record inside its result", async () => {
    const cwd = t.project;
    const inner = { type: "assistant", message: { model: "claude-haiku-4-5-20251001", role: "assistant" }, uuid: "inner", timestamp: "2031-01-01T00:00:00Z" };
    const text = lines([
      { ...base, cwd, parentUuid: null, type: "user", message: { role: "user", content: "look around, then write w" }, uuid: "p1", timestamp: "2025-11-02T08:59:59Z" },
      call(cwd, "a1", "p1", [{ type: "tool_use", id: "toolu_task", name: "Task", input: { prompt: "look around" } }]),
      result(cwd, "r1", "a1", "toolu_task", { status: "completed", transcript: [inner] }, "2025-11-02T09:00:05Z"),
      call(cwd, "a2", "r1", [{ type: "tool_use", id: "toolu_w", name: "Write", input: { file_path: `${cwd}/w.txt`, content: "w\n" } }], "claude-sonnet-4-5-20250929"),
      result(cwd, "r2", "a2", "toolu_w", { type: "create", filePath: `${cwd}/w.txt`, content: "w\n", structuredPatch: [], originalFile: null }, "2025-11-02T09:00:06Z"),
    ]);
    const out = await parseWhole(parser, writeTrace(claudeSessionPath(t.home, t.project, `${SID}.jsonl`), text));
    expect(out.events.map((e) => e.model)).toEqual(["claude-sonnet-4-5-20250929"]);
    expect(out.sessions).toHaveLength(1);
    expect(out.sessions[0]!.models).toEqual(["claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929"]);
    expect(out.sessions[0]!.endTime).toBe("2025-11-02T09:00:06.000Z");
  });
});
