// Forked and resumed sessions copy their parent's records into a new file: after parsing both, each tool call
// counts once (the earliest occurrence), while the fork's own new edits are kept.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dedupeEvents } from "../../src/events/dedupe";
import { compareEvents } from "../../src/events/edit-event";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { claudeSessionPath, fixtureText, makeTempHome, parseWhole, writeTrace, type TempHome } from "../support/trace-home";

const SID = "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f";
const FORK = "9e8d7c6b-0000-4000-8000-00000000f0f0";
let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

describe("dedupeEvents", () => {
  it("keeps one event per tool call across a forked session that copied the parent's records", async () => {
    const parentText = fixtureText("claude/session.jsonl", { PROJECT: t.project });
    const parentPath = writeTrace(claudeSessionPath(t.home, t.project, `${SID}.jsonl`), parentText);
    // The fork copies the first 12 records under its own session id, then continues with one new edit.
    const copied = parentText
      .split("\n")
      .slice(0, 12)
      .map((l) => l.replaceAll(SID, FORK))
      .join("\n");
    const env = { isSidechain: false, userType: "external", cwd: t.project, sessionId: FORK, version: "2.0.76", gitBranch: "main" };
    const own = [
      { ...env, parentUuid: "33333333-0000-4000-8000-000000000004", type: "user", message: { role: "user", content: "also add a .gitignore" }, uuid: "f-1", timestamp: "2025-12-21T08:00:00.000Z" },
      { ...env, parentUuid: "f-1", type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id: "toolu_forkOnly", name: "Write", input: { file_path: `${t.project}/.gitignore`, content: "dist/\n" } }] }, uuid: "f-2", timestamp: "2025-12-21T08:00:01.000Z" },
      { ...env, parentUuid: "f-2", type: "user", message: { role: "user", content: [{ tool_use_id: "toolu_forkOnly", type: "tool_result", content: "ok" }] }, uuid: "f-3", timestamp: "2025-12-21T08:00:02.000Z", toolUseResult: { type: "create", filePath: `${t.project}/.gitignore`, content: "dist/\n", structuredPatch: [], originalFile: null } },
    ];
    const forkPath = writeTrace(
      claudeSessionPath(t.home, t.project, `${FORK}.jsonl`),
      `${copied}\n${own.map((r) => JSON.stringify(r)).join("\n")}\n`,
    );
    const parent = await parseWhole(new ClaudeTraceParser(), parentPath);
    const fork = await parseWhole(new ClaudeTraceParser(), forkPath);
    const copiedCalls = fork.events.map((e) => e.toolCallId);
    expect(copiedCalls).toEqual(["toolu_01Write", "toolu_02Edit", "toolu_03Readme", "toolu_forkOnly"]);

    const merged = dedupeEvents([...fork.events, ...parent.events]);
    const calls = merged.map((e) => e.toolCallId);
    expect(calls).toEqual([
      "toolu_01Write",
      "toolu_02Edit",
      "toolu_03Readme",
      "toolu_04Config",
      "toolu_06Multi",
      "toolu_07Over",
      "toolu_08Bash",
      "toolu_forkOnly",
    ]);
    // Copies share timestamps; the tie goes to the earlier trace file by path, deterministically.
    const first = merged.find((e) => e.toolCallId === "toolu_01Write")!;
    expect(first.traceFile).toBe([parentPath, forkPath].sort()[0]);
  });

  it("keeps different files of one call and the same call of different agents apart", () => {
    const base = {
      id: "x",
      action: "EDITED" as const,
      timestamp: "2025-01-01T00:00:00.000Z",
      model: "m",
      agentVersion: null,
      sessionId: "s",
      parentSessionId: null,
      subagentId: null,
      traceFile: "/t/a.jsonl",
      traceOffset: 0,
      toolCallId: "call_1",
      toolName: "apply_patch",
      promptId: null,
      promptText: null,
      changeSize: 1,
      change: {},
    };
    const events = [
      { ...base, agent: "codex-cli" as const, file: "/p/a" },
      { ...base, agent: "codex-cli" as const, file: "/p/b" },
      { ...base, agent: "claude-code" as const, file: "/p/a" },
      { ...base, agent: "codex-cli" as const, file: "/p/a", traceFile: "/t/b.jsonl", timestamp: "2024-12-31T00:00:00.000Z" },
    ];
    const kept = dedupeEvents(events);
    expect(kept.map((e) => [e.agent, e.file, e.traceFile])).toEqual([
      ["codex-cli", "/p/a", "/t/b.jsonl"],
      ["codex-cli", "/p/b", "/t/a.jsonl"],
      ["claude-code", "/p/a", "/t/a.jsonl"],
    ]);
    // Input already in order (as the index gives it, checked, not sorted again) keeps the same copies in the same
    // order as any other order of it (offsets make the order total: ties keep their input order either way).
    const total = events.map((e, i) => ({ ...e, traceOffset: 10 - i }));
    const inOrder = [...total].sort(compareEvents);
    expect(dedupeEvents(inOrder).map((e) => e.traceOffset)).toEqual([7, 8, 9]);
    expect(dedupeEvents([...inOrder].reverse())).toEqual(dedupeEvents(inOrder));
    expect(dedupeEvents(total)).toEqual(dedupeEvents(inOrder));
  });
});
