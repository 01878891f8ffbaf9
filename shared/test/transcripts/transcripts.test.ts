// Transcripts from real-format traces: Claude (thinking, parallel tools, array tool-result content, file operations,
// a subagent linked to its parent) and Codex (apply_patch as custom tool and shell heredoc, per-turn models, tool
// errors); listing order, finding a session, and the text / markdown / json renderings with their options.

import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { SessionInfo } from "../../src/events/edit-event";
import { findSession, listTranscripts, loadTranscript, matchSessions } from "../../src/transcripts/load";
import type { Transcript } from "../../src/transcripts/model";
import { renderTranscriptMarkdown } from "../../src/transcripts/render-markdown";
import { renderTranscriptJson, renderTranscriptText, wrapLine } from "../../src/transcripts/render-text";
import { AGENT_ID, CODEX_SESSION, SESSION, writeTraces } from "./fixtures";

let home: string;
let project: string;
let paths: ReturnType<typeof writeTraces>;
let main: Transcript;
let sub: Transcript;
let codex: Transcript;

beforeAll(async () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-transcripts-")));
  home = join(root, "home");
  project = join(root, "project");
  paths = writeTraces(home, project);
  main = await loadTranscript(paths.main);
  sub = await loadTranscript(paths.subagent);
  codex = await loadTranscript(paths.codex);
});

describe("Claude transcripts", () => {
  it("collects metadata, slug and title, and links no parent for the main session", () => {
    expect(main.meta).toMatchObject({
      sessionId: SESSION, agent: "claude-code", agentVersion: "2.0.75", cwd: project, gitBranch: "main",
      slug: "tiny-hello-script", title: "Hello world script", startTime: "2025-12-28T15:20:00.000Z",
      endTime: "2025-12-28T15:21:00.000Z", parentSessionId: null, subagentId: null,
    });
  });

  it("keeps one message per record (duplicates once), with models, roles, blocks; usage once per API message", () => {
    expect(main.messages.map((m) => [m.role, m.model, m.content.map((b) => b.type).join("+")])).toEqual([
      ["user", null, "text"],
      ["assistant", "claude-opus-4-5-20251101", "thinking"],
      ["assistant", "claude-opus-4-5-20251101", "tool_use"],
      ["assistant", "claude-opus-4-5-20251101", "tool_use"],
      ["user", null, "tool_result+file_operation"],
      ["user", null, "tool_result"],
      ["assistant", "claude-haiku-4-5-20251001", "tool_use"],
      ["user", null, "tool_result+file_operation"],
      ["assistant", "claude-haiku-4-5-20251001", "text"],
      ["system", null, "text"],
    ]);
    const arrayResult = main.messages[5]?.content[0];
    expect(arrayResult).toEqual({ type: "tool_result", toolUseId: "toolu_02task", content: "Style is fine.\nNo changes needed.", isError: false });
    expect(main.stats).toEqual({
      messageCount: 10, userMessageCount: 4, assistantMessageCount: 5, toolUseCount: 3, filesTouched: 1,
      totalInputTokens: 550, totalOutputTokens: 105,
    });
  });

  it("names a subagent file after its parent session and agent id", () => {
    expect(sub.meta).toMatchObject({ sessionId: `${SESSION}/agent-${AGENT_ID}`, parentSessionId: SESSION, subagentId: AGENT_ID });
    expect(sub.stats.messageCount).toBe(2);
  });
});

describe("Codex transcripts", () => {
  it("reads apply_patch calls (custom tool and shell heredoc) as tool uses with file operations", () => {
    expect(codex.meta).toMatchObject({ sessionId: CODEX_SESSION, agent: "codex-cli", agentVersion: "0.46.0", gitBranch: "feature/x", cwd: project });
    expect(codex.messages.map((m) => [m.role, m.model, m.content.map((b) => (b.type === "file_operation" ? `${b.operation}:${b.filePath}` : b.type)).join("+")])).toEqual([
      ["system", null, "text"],
      ["user", null, "text"],
      ["assistant", "gpt-5-codex", "thinking"],
      ["assistant", "gpt-5-codex", `tool_use+create:${join(project, "src", "util.py")}`],
      ["user", null, "tool_result"],
      ["assistant", "gpt-5.1-codex", "tool_use+edit:src/util.py"],
      ["user", null, "tool_result"],
      ["assistant", "gpt-5.1-codex", "tool_use"],
      ["user", null, "tool_result"],
      ["assistant", "gpt-5.1-codex", "text"],
    ]);
    expect(codex.messages[4]?.content[0]).toEqual({ type: "tool_result", toolUseId: "call_add", content: "Success. Updated the following files:\nA src/util.py\n", isError: false });
    expect(codex.messages[8]?.content[0]).toMatchObject({ isError: true });
    expect(codex.messages[3]?.usage).toEqual({ inputTokens: 1200, outputTokens: 90, cacheReadTokens: 800, cacheCreationTokens: null });
    expect(codex.stats.filesTouched).toBe(2);
  });
});

describe("listing and finding", () => {
  it("reports progress per file read, ending at every file and byte", async () => {
    const steps: { filesDone: number; bytesDone: number; filesTotal: number; bytesTotal: number }[] = [];
    await listTranscripts([paths.subagent, paths.main, paths.codex, paths.main], (p) => steps.push({ ...p }));
    expect(steps.map((p) => p.filesDone)).toEqual([1, 2, 3]);
    const last = steps[steps.length - 1];
    expect(last?.filesTotal).toBe(3);
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    expect(last?.bytesTotal).toBeGreaterThan(0);
  });

  it("lists newest first with subagents right after their parent", async () => {
    const listing = await listTranscripts([paths.subagent, paths.main, paths.codex, paths.main]);
    expect(listing.summaries.map((s) => s.sessionId)).toEqual([CODEX_SESSION, SESSION, `${SESSION}/agent-${AGENT_ID}`]);
    expect(listing.summaries[1]).toMatchObject({
      primaryModel: "claude-opus-4-5-20251101",
      models: ["claude-haiku-4-5-20251001", "claude-opus-4-5-20251101"],
      messageCount: 10,
      filesTouched: 1,
    });
    expect(listing.summaries[1]?.lastMessagePreview).toMatch(/^Done: src\/main\.py now prints hello, world\. It is .*\.\.\.$/);
    expect([...(listing.summaries[1]?.lastMessagePreview ?? "")].length).toBe(80);
  });

  it("counts unreadable and unknown files instead of failing", async () => {
    const junk = join(home, "junk.jsonl");
    writeFileSync(junk, '{"hello": "world"}\nnot json\n');
    const listing = await listTranscripts([paths.codex, junk, join(home, "missing.jsonl")]);
    expect(listing.summaries.length).toBe(1);
    expect(listing.unreadable).toBe(2);
  });

  it("prefers the main session over its subagents for a bare id, and matches slugs and agent ids", () => {
    const info = (sessionId: string, startTime: string, extra: Partial<SessionInfo> = {}): SessionInfo => ({
      sessionId, agent: "claude-code", agentVersion: null, cwd: null, gitBranch: null, slug: null,
      traceFile: `/t/${sessionId.replace("/", "_")}.jsonl`, startTime, endTime: null, models: [],
      parentSessionId: null, subagentId: null, firstPrompt: null, ...extra,
    });
    const sessions = [
      info(`${SESSION}/agent-${AGENT_ID}`, "2025-12-28T15:20:06Z", { parentSessionId: SESSION, subagentId: AGENT_ID }),
      info(SESSION, "2025-12-28T15:20:00Z", { slug: "tiny-hello-script" }),
      info("ffff0000-1111", "2025-12-30T00:00:00Z"),
    ];
    expect(findSession(sessions, "2c965cfd")?.sessionId).toBe(SESSION);
    expect(findSession(sessions, "tiny-hello")?.sessionId).toBe(SESSION);
    expect(findSession(sessions, AGENT_ID)?.sessionId).toBe(`${SESSION}/agent-${AGENT_ID}`);
    expect(findSession(sessions, "nope")).toBeNull();
    // All matches, best first (what `transcript view` counts for its note): main, newest main, then subagents.
    expect(matchSessions(sessions, "/t/").map((s) => s.sessionId)).toEqual(["ffff0000-1111", SESSION, `${SESSION}/agent-${AGENT_ID}`]);
    expect(matchSessions(sessions, SESSION).map((s) => s.sessionId)).toEqual([SESSION, `${SESSION}/agent-${AGENT_ID}`]);
    expect(matchSessions(sessions, "  ")).toEqual([]);
  });
});

describe("rendering", () => {
  it("text: header, truncation note, hidden thinking and tools by default", () => {
    const text = renderTranscriptText(main, { width: 200 });
    const lines = text.split("\n");
    expect(lines.slice(0, 15)).toEqual([
      "",
      "=".repeat(80),
      `Session: ${SESSION}`,
      "Slug: tiny-hello-script",
      "Title: Hello world script",
      "Agent: claude-code",
      "Version: 2.0.75",
      `Working Directory: ${project}`,
      "Git Branch: main",
      `Trace File: ${paths.main}`,
      "Start: 2025-12-28 15:20:00",
      "End: 2025-12-28 15:21:00",
      "Messages: 10",
      "Files Touched: 1",
      "=".repeat(80),
    ]);
    expect(text).toContain("\n-------------------- [ASSISTANT] 15:20:03 (claude-opus-4-5-20251101)\n[thinking block - use --show-thinking to view]\n");
    expect(text).toContain("\n[Tool: Write]\n");
    expect(text).toContain(`\n[File create: ${project}/src/main.py]\n`);
    expect(text).toContain("...\n[truncated, use --full to see all]\n");
    expect(text).not.toContain("[Result]");
  });

  it("text: --show-thinking, --show-tools and --full", () => {
    const text = renderTranscriptText(main, { width: 200, showThinking: true, showTools: true, full: true });
    expect(text).toContain("\n<thinking>\nThe user wants a tiny script. I will write it, then edit it.\n</thinking>\n");
    expect(text).toContain("\n[Tool Use: Edit (toolu_03edit)]\n{\n  \"file_path\":");
    expect(text).toContain("\n[Result] Style is fine.\nNo changes needed.\n");
    expect(text).not.toContain("[truncated");
  });

  it("text wraps long lines to the width, keeping indentation", () => {
    expect(wrapLine("    alpha beta gamma delta epsilon zeta eta theta", 24)).toEqual([
      "    alpha beta gamma",
      "    delta epsilon zeta",
      "    eta theta",
    ]);
    const narrow = renderTranscriptText(main, { width: 50, full: true }).split("\n");
    // The header (up to the second rule) keeps paths whole; the messages are wrapped.
    const bodyStart = narrow.indexOf("=".repeat(50), 2) + 1;
    expect(narrow.find((l) => l.startsWith("Trace File: "))).toMatch(/^Trace File: \/.*\.jsonl$/);
    expect(Math.max(...narrow.slice(bodyStart).map((l) => [...l].length))).toBeLessThanOrEqual(50);
  });

  it("text with an infinite width (not a terminal) wraps nothing, rules stay 80 wide", () => {
    const whole = renderTranscriptText(main, { width: Number.POSITIVE_INFINITY, full: true, showTools: true });
    const unwrapped = renderTranscriptText(main, { width: 100_000, full: true, showTools: true });
    expect(whole).toBe(unwrapped);
    expect(whole.split("\n")[1]).toBe("=".repeat(80));
    expect(Math.max(...whole.split("\n").map((l) => [...l].length))).toBeGreaterThan(80);
  });

  it("markdown: returns the line where a tool call is rendered, in full even without --show-tools", () => {
    const { markdown, line } = renderTranscriptMarkdown(main, { toolCallId: "toolu_03edit" });
    const lines = markdown.split("\n");
    expect(line).not.toBeNull();
    expect(lines[(line ?? 0) - 1]).toBe("**Tool Use:** `Edit` (`toolu_03edit`)");
    expect(lines[(line ?? 0) + 1]).toBe("```json");
    expect(markdown).toContain("> **Tool:** `Write`");
    expect(markdown.startsWith("# Transcript: Hello world script\n\n**Session:** `2c965cfd-41e4-4e31-8339-2986ebced03c`  \n")).toBe(true);
    expect(markdown).toContain("## Assistant (15:20:35) _claude-haiku-4-5-20251001_");
    expect(markdown).toContain("> **File edit:** `" + project + "/src/main.py`");
    expect(renderTranscriptMarkdown(main, { toolCallId: "toolu_missing" }).line).toBeNull();
  });

  it("markdown for an editor: thinking and tool output folded, edits as diffs, the target edit unfolded", () => {
    const { markdown, line } = renderTranscriptMarkdown(main, { toolCallId: "toolu_03edit", editor: true });
    const lines = markdown.split("\n");
    expect(lines[(line ?? 0) - 1]).toBe("**Tool Use:** `Edit` (`toolu_03edit`)");
    // The target edit: its diff unfolded right below the heading.
    expect(lines.slice(line ?? 0, (line ?? 0) + 9)).toEqual([
      "",
      "<details open><summary>Change</summary>",
      "",
      "```diff",
      `--- ${project}/src/main.py`,
      `+++ ${project}/src/main.py`,
      "@@ -1,1 +1,1 @@",
      "-hello",
      "+hello, world",
    ]);
    // The Write before it: the written content as added lines, folded.
    expect(markdown).toContain("<details><summary>Change</summary>\n\n```diff\n--- " + project + "/src/main.py");
    expect(markdown).toContain("+print('hello')");
    // Thinking is shown (no CLI hint), folded, inside a code fence so its text forms no markup.
    expect(markdown).not.toContain("--show-thinking");
    expect(markdown).toContain("<details><summary>Thinking</summary>\n\n```\nThe user wants a tiny script.");
    // Tool output folded; a non-edit tool's input folded as JSON.
    expect(markdown).toContain("<details><summary>Result</summary>\n\n```\nFile created successfully at: ");
    expect(markdown).toContain("**Tool Use:** `Task` (`toolu_02task`)\n\n<details><summary>Input</summary>\n\n```json");
  });

  it("json: the whole transcript, untruncated", () => {
    const parsed = JSON.parse(renderTranscriptJson(main)) as Transcript;
    expect(parsed.meta.sessionId).toBe(SESSION);
    expect(parsed.messages.length).toBe(10);
    expect(JSON.stringify(parsed)).toContain("It is a one-line script. ".repeat(30).trim());
  });
});
