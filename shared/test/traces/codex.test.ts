// Codex parser on a hand-written rollout in the real record format: apply_patch as a custom tool and through the
// shell (argv and heredoc), heredoc writes, failed patches, per-turn model and cwd, patch_apply_end, and .jsonl.zst.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodexTraceParser } from "../../src/agents/codex/parser";
import { brief, codexRolloutPath, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const CSID = "019b6b08-58f3-7580-9dca-fe3f30a10650";
const parser = new CodexTraceParser();
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

function place(): string {
  return placeFixture("codex/rollout.jsonl", codexRolloutPath(`${t.home}/.codex`, CSID), t.project);
}

describe("CodexTraceParser", () => {
  it("emits add, update, heredoc write, delete and move, skipping the failed patch", async () => {
    const out = await parseWhole(parser, place());
    expect(out.events.map((e) => brief(e, t.project))).toEqual([
      { file: "src/notes.py", action: "CREATED", tool: "apply_patch", model: "gpt-5.2-codex", call: "call_add1" },
      { file: "src/notes.py", action: "EDITED", tool: "apply_patch", model: "gpt-5.2-codex", call: "call_upd1" },
      { file: "docs/notes.md", action: "EDITED", tool: "shell", model: "gpt-5.1-codex-max", call: "call_doc1" },
      { file: "old.sh", action: "DELETED", tool: "apply_patch", model: "gpt-5.1-codex-max", call: "call_mv1" },
      { file: "src/helper.py", action: "DELETED", tool: "apply_patch", model: "gpt-5.1-codex-max", call: "call_mv1" },
      { file: "src/util/helper.py", action: "CREATED", tool: "apply_patch", model: "gpt-5.1-codex-max", call: "call_mv1" },
    ]);
    expect(out.skippedLines).toBe(0);
  });

  it("records contents, chunks, recorded hunks and the move target", async () => {
    const { events, contents } = await parseWhole(parser, place());
    const [add, update, doc, del, moved, created] = events;
    expect(contents.get(add!.change.after!)).toBe("def add(note):\n    return [note]\n");
    expect(update!.change.chunks).toEqual([
      { context: "def add(note):", oldLines: ["    return [note]"], newLines: ["    return [note.strip()]"], endOfFile: false },
    ]);
    expect(contents.get(doc!.change.after!)).toBe("# Notes\n\nUse `add`.\n");
    expect(contents.get(del!.change.before!)).toBe("#!/bin/sh\necho old\n");
    expect(moved!.change.movedTo).toBe(`${t.project}/src/util/helper.py`);
    expect(created!.change.chunks).toEqual([{ context: null, oldLines: ["VERSION = 1"], newLines: ["VERSION = 2"], endOfFile: true }]);
    expect(created!.change.hunks).toEqual([{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-VERSION = 1", "+VERSION = 2"] }]);
  });

  it("fills session, prompt and version fields; a call confirmed twice is emitted once", async () => {
    const path = place();
    const { events, sessions } = await parseWhole(parser, path);
    const add = events[0]!;
    expect(add).toMatchObject({
      id: `codex-cli:${CSID}:call_add1:${t.project}/src/notes.py`,
      timestamp: "2025-12-29T16:54:46.200Z",
      agent: "codex-cli",
      agentVersion: "0.77.0",
      sessionId: CSID,
      traceFile: path,
      promptText: "Add a notes module and document it",
    });
    expect(add.promptId).toMatch(new RegExp(`^${CSID}:\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`));
    expect(events.filter((e) => e.toolCallId === "call_mv1")).toHaveLength(3);
    expect(events[3]!.promptText).toBe("Write docs, drop the old script and move the helper");
    expect(events[3]!.promptId).not.toBe(add.promptId);
    expect(sessions).toEqual([
      expect.objectContaining({
        sessionId: CSID,
        agent: "codex-cli",
        cwd: t.project,
        gitBranch: "main",
        models: ["gpt-5.2-codex", "gpt-5.1-codex-max"],
        firstPrompt: "Add a notes module and document it",
        startTime: "2025-12-29T16:54:27.851Z",
        endTime: "2025-12-29T16:56:10.000Z",
      }),
    ]);
  });

  it("reads .jsonl.zst rollouts", async () => {
    let hasZstd = true;
    try {
      execFileSync("zstd", ["--version"], { stdio: "ignore" });
    } catch {
      hasZstd = false;
    }
    expect(hasZstd, "the zstd CLI is needed to build the compressed fixture (apt-get install zstd)").toBe(true);
    const plain = place();
    const compressed = writeTrace(`${t.root}/archive/rollout-${CSID}.jsonl.zst`, execFileSync("zstd", ["-q", "-c", plain]));
    const a = await parseWhole(parser, plain);
    const b = await parseWhole(parser, compressed);
    expect(b.events.map((e) => ({ ...e, traceFile: "" }))).toEqual(a.events.map((e) => ({ ...e, traceFile: "" })));
    expect(b.endOffset).toBe(readFileSync(plain).length);
    expect(b.bytesRead).toBe(readFileSync(compressed).length);
  });

  it("reports corrupt compressed data as an error line, not an exception", async () => {
    const path = writeTrace(`${t.root}/rollout-bad.jsonl.zst`, Buffer.from("definitely not zstd data\n"));
    const out = await parseWhole(parser, path);
    expect(out.events).toEqual([]);
    expect(out.error).toMatch(/zstd/);
  });

  it("applies patch_apply_end alone (limited history) with its recorded changes", async () => {
    const lines = [
      { timestamp: "2026-05-01T08:00:00Z", type: "session_meta", payload: { id: "s-limited", cwd: t.project, cli_version: "0.140.0" } },
      { timestamp: "2026-05-01T08:00:01Z", type: "turn_context", payload: { cwd: t.project, model: "gpt-5.5" } },
      {
        timestamp: "2026-05-01T08:00:02Z",
        type: "event_msg",
        payload: {
          type: "patch_apply_end",
          call_id: "call_only_end",
          success: true,
          changes: { [`${t.project}/new.txt`]: { add: { content: "hello\n" } }, "rel.txt": { type: "update", unified_diff: "@@ -1,2 +1,2 @@\n a\n-b\n+c\n", move_path: null } },
        },
      },
      { timestamp: "2026-05-01T08:00:03Z", type: "event_msg", payload: { type: "patch_apply_end", call_id: "call_fail", success: false, changes: { "x.txt": { type: "add", content: "x" } } } },
    ];
    const path = writeTrace(`${t.root}/limited/rollout-x.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const { events, contents } = await parseWhole(parser, path);
    expect(events.map((e) => [e.file, e.action, e.model])).toEqual([
      [`${t.project}/new.txt`, "CREATED", "gpt-5.5"],
      [`${t.project}/rel.txt`, "EDITED", "gpt-5.5"],
    ]);
    expect(contents.get(events[0]!.change.after!)).toBe("hello\n");
    expect(events[1]!.change.hunks?.[0]?.lines).toEqual([" a", "-b", "+c"]);
  });

  it("recognises apply_patch through bash -lc argv and exec_command, with workdir-relative paths", async () => {
    const patch = "*** Begin Patch\n*** Add File: lib/a.txt\n+A\n*** End Patch";
    const lines = [
      { timestamp: "2026-01-01T00:00:00Z", type: "session_meta", payload: { id: "s-argv", cwd: t.project, cli_version: "0.80.0" } },
      { timestamp: "2026-01-01T00:00:01Z", type: "turn_context", payload: { cwd: t.project, model: "gpt-5" } },
      { timestamp: "2026-01-01T00:00:02Z", type: "response_item", payload: { type: "function_call", name: "shell", arguments: JSON.stringify({ command: ["bash", "-lc", `apply_patch <<'EOF'\n${patch}\nEOF`], workdir: `${t.project}/pkg` }), call_id: "c1" } },
      { timestamp: "2026-01-01T00:00:03Z", type: "response_item", payload: { type: "function_call_output", call_id: "c1", output: JSON.stringify({ output: "Success", metadata: { exit_code: 0, duration_seconds: 0.1 } }) } },
      { timestamp: "2026-01-01T00:00:04Z", type: "response_item", payload: { type: "function_call", name: "exec_command", arguments: JSON.stringify({ cmd: "tee out.log <<EOF\nlog line\nEOF" }), call_id: "c2" } },
      { timestamp: "2026-01-01T00:00:05Z", type: "response_item", payload: { type: "function_call_output", call_id: "c2", output: "Chunk ID: 1\nWall time: 0.0 seconds\nProcess exited with code 0\nOutput:\nlog line\n" } },
      { timestamp: "2026-01-01T00:00:06Z", type: "response_item", payload: { type: "function_call", name: "shell_command", arguments: JSON.stringify({ command: "cat <<'EOF' > fail.txt\nx\nEOF" }), call_id: "c3" } },
      { timestamp: "2026-01-01T00:00:07Z", type: "response_item", payload: { type: "function_call_output", call_id: "c3", output: "Exit code: 1\nOutput:\nPermission denied\n" } },
      // A heredoc whose `<<` the arguments spell as escapes: the call's bytes never hold `<<`, it is still read.
      { timestamp: "2026-01-01T00:00:08Z", type: "response_item", payload: { type: "function_call", name: "shell_command", arguments: '{"command":"cat \\u003c\\u003c\'EOF\' > esc.txt\\nz\\nEOF"}', call_id: "c4" } },
      { timestamp: "2026-01-01T00:00:09Z", type: "response_item", payload: { type: "function_call_output", call_id: "c4", output: "Exit code: 0\nOutput:\n" } },
      // A call that cannot edit (not parsed) still ends the session.
      { timestamp: "2026-01-01T00:00:10Z", type: "response_item", payload: { type: "function_call", name: "shell_command", arguments: JSON.stringify({ command: "rg -n x src" }), call_id: "c5" } },
    ];
    const path = writeTrace(`${t.root}/argv/rollout-y.jsonl`, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const { events, sessions } = await parseWhole(parser, path);
    expect(events.map((e) => [e.file, e.toolName])).toEqual([
      [`${t.project}/pkg/lib/a.txt`, "apply_patch"],
      [`${t.project}/out.log`, "shell"],
      [`${t.project}/esc.txt`, "shell"],
    ]);
    expect(sessions[0]!.endTime).toBe("2026-01-01T00:00:10.000Z");
  });
});
