// `ai-blame transcript list|view` through the built CLI on a temp home holding a Claude session with a subagent
// (newer `<session>/subagents/` layout) and a Codex rollout: table and JSON listings, column selection, lookup by
// id prefix (main session preferred over its subagent), by subagent id and by path, and the three view formats.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, claudeProjectFolder, CodexSession } from "./support/traces";

let p: TestProject;
let claude: ClaudeSession;
let codex: CodexSession;
let claudeTrace: string;
let subagentTrace: string;

beforeAll(() => {
  p = makeProject();
  const file = p.file("src/greet.py", "print('hello')\n");
  claude = new ClaudeSession(p.project, { start: "2025-12-28T15:20:00.000Z" });
  claude.prompt("Write a greeting script.").write(file, "print('hello')\n");
  claudeTrace = claude.save(p.home);
  const common = { isSidechain: true, agentId: "5e6f7a8b", userType: "external", cwd: p.project, sessionId: claude.sessionId, version: "2.0.75", gitBranch: "main" };
  subagentTrace = join(dirname(claudeTrace), claude.sessionId, "subagents", "agent-5e6f7a8b.jsonl");
  mkdirSync(dirname(subagentTrace), { recursive: true });
  writeFileSync(
    subagentTrace,
    [
      { ...common, parentUuid: null, type: "user", uuid: "b1", timestamp: "2025-12-28T15:20:30.000Z", message: { role: "user", content: "Check the greeting for typos" } },
      { ...common, parentUuid: "b1", type: "assistant", uuid: "b2", timestamp: "2025-12-28T15:20:40.000Z", message: { model: "claude-haiku-4-5-20251001", id: "msg_b", type: "message", role: "assistant", content: [{ type: "text", text: "No typos found." }], usage: { input_tokens: 5, output_tokens: 4 } } },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  codex = new CodexSession(p.project, { start: "2025-12-29T09:00:00.000Z" });
  codex.prompt("Add a farewell module.").applyPatch(`*** Add File: ${p.path("src/bye.py")}\n+print('bye')\n`);
  codex.save(p.home);
  p.file("src/bye.py", "print('bye')\n");
  expect(claudeProjectFolder(p.project)).not.toBe("");
});

describe("transcript list", () => {
  it("shows sessions newest first, subagents under their parent", async () => {
    const r = await p.run(["transcript", "list"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "",
        "=== Transcripts ===",
        "Session ID                               Agent           Start Time           Msgs",
        "-".repeat(86),
        `${codex.sessionId}     codex-cli       2025-12-29 09:00            3`,
        `${claude.sessionId}     claude-code     2025-12-28 15:20            3`,
        "  ↳ agent-5e6f7a8b                       claude-code     2025-12-28 15:20            2",
        "",
        "Total transcripts: 3",
        "",
      ].join("\n"),
    );
  });

  it("--limit, --columns and --json", async () => {
    const limited = await p.run(["transcript", "list", "-n", "1", "--columns", "s f o"]);
    expect(limited.stdout).toContain(`\n${codex.sessionId}            1 gpt-5-codex\n\n... and 2 more transcripts (use -n 0 to show all)\n`);
    const json = await p.run(["transcript", "list", "--json"]);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r["sessionId"], r["agent"], r["filesTouched"], r["parentSessionId"]])).toEqual([
      [codex.sessionId, "codex-cli", 1, null],
      [claude.sessionId, "claude-code", 1, null],
      [`${claude.sessionId}/agent-5e6f7a8b`, "claude-code", 0, claude.sessionId],
    ]);
    expect(rows[2]?.["lastMessagePreview"]).toBe("No typos found.");
    const bad = await p.run(["transcript", "list", "--columns", "SX"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid column specifier 'X'; allowed: S,A,T,M,F,O,L/);
  });
});

describe("transcript view", () => {
  it("an id prefix picks the main session, not its subagent (no ambiguity note: they are one session); text format", async () => {
    const r = await p.run(["transcript", "view", claude.sessionId.slice(0, 8)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(`\nSession: ${claude.sessionId}\nAgent: claude-code\nVersion: 2.0.75\n`);
    expect(r.stdout).toContain("\n-------------------- [USER] 15:20:07\nWrite a greeting script.\n");
    expect(r.stdout).toContain(`\n[Tool: Write]\n`);
    expect(r.stdout).toContain(`\n[File create: ${p.path("src/greet.py")}]\n`);
  });

  it("says nothing when the choice is unambiguous: one match, or an exact id", async () => {
    const unique = await p.run(["transcript", "view", codex.sessionId.slice(0, 8), "--json"]);
    expect(unique).toMatchObject({ code: 0, stderr: "" });
    const exact = await p.run(["transcript", "view", claude.sessionId, "--json"]);
    expect(exact).toMatchObject({ code: 0, stderr: "" });
    expect((JSON.parse(exact.stdout) as { meta: { sessionId: string } }).meta.sessionId).toBe(claude.sessionId);
  });

  it("names how many sessions a broad query matched and which one it shows (main first, then newest)", async () => {
    const r = await p.run(["transcript", "view", ".jsonl", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ai-blame: note: '.jsonl' matches 3 sessions; showing ${codex.sessionId} (use a longer id)\n`);
    expect((JSON.parse(r.stdout) as { meta: { sessionId: string } }).meta.sessionId).toBe(codex.sessionId);
  });

  it("finds a subagent by its id and a trace file by path; markdown and json", async () => {
    const sub = await p.run(["transcript", "view", "5e6f7a8b", "--format", "markdown"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain(`**Session:** \`${claude.sessionId}/agent-5e6f7a8b\`  \n`);
    expect(sub.stdout).toContain("## Assistant (15:20:40) _claude-haiku-4-5-20251001_\n\nNo typos found.\n");
    const byPath = await p.run(["transcript", "view", subagentTrace, "--json"]);
    const t = JSON.parse(byPath.stdout) as { meta: Record<string, unknown>; messages: unknown[] };
    expect(t.meta["subagentId"]).toBe("5e6f7a8b");
    expect(t.messages.length).toBe(2);
    const tools = await p.run(["transcript", "view", codex.sessionId, "--show-tools"]);
    expect(tools.stdout).toContain("\n[Tool Use: apply_patch (call_1)]\n*** Begin Patch\n");
    expect(tools.stdout).toContain("\n[Result] Success. Updated the following files:\n");
  });

  it("never wraps text when stdout is not a terminal", async () => {
    const q = makeProject();
    const long = `Rename every helper in ${"src/module/".repeat(6)}util.py and keep the public names stable for callers downstream.`;
    const s = new ClaudeSession(q.project).prompt(long).write(q.path("util.py"), "x = 1\n");
    s.save(q.home);
    const r = await q.run(["transcript", "view", s.sessionId]);
    expect(r.code).toBe(0);
    expect(long.length).toBeGreaterThan(120);
    expect(r.stdout).toContain(`\n-------------------- [USER] 15:20:07\n${long}\n`);
  });

  it("an unknown session is a runtime error", async () => {
    const r = await p.run(["transcript", "view", "no-such-session"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ai-blame: error: transcript not found: no-such-session\n");
  });
});
