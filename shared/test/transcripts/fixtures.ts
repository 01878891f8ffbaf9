// Hand-written trace files in the agents' real on-disk formats for the transcript tests: a Claude Code session with
// thinking, parallel tool calls, array tool-result content and a Write/Edit, its subagent in the newer
// `<session>/subagents/` layout, and a Codex rollout with apply_patch (custom tool and shell heredoc) calls.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const SESSION = "2c965cfd-41e4-4e31-8339-2986ebced03c";
export const AGENT_ID = "a1b2c3d4";
export const CODEX_SESSION = "0199a1b2-7c3d-7e4f-9a0b-1c2d3e4f5a6b";

const common = (project: string) => ({
  isSidechain: false,
  userType: "external",
  cwd: project,
  sessionId: SESSION,
  version: "2.0.75",
  gitBranch: "main",
});

export function claudeMainRecords(project: string): Record<string, unknown>[] {
  const c = common(project);
  const file = join(project, "src", "main.py");
  return [
    { type: "file-history-snapshot", messageId: "m0", snapshot: { messageId: "m0", trackedFileBackups: {}, timestamp: "2025-12-28T15:20:00.000Z" }, isSnapshotUpdate: false },
    { ...c, parentUuid: null, type: "user", uuid: "u1", timestamp: "2025-12-28T15:20:00.000Z", message: { role: "user", content: "Create src/main.py that prints hello, then make it greet the world." } },
    { ...c, parentUuid: "u1", type: "assistant", uuid: "a1", timestamp: "2025-12-28T15:20:03.000Z", requestId: "req_1", message: { model: "claude-opus-4-5-20251101", id: "msg_1", type: "message", role: "assistant", content: [{ type: "thinking", thinking: "The user wants a tiny script. I will write it, then edit it.", signature: "sig" }], usage: { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 50, cache_creation_input_tokens: 0 } } },
    { ...c, parentUuid: "a1", type: "assistant", uuid: "a2", timestamp: "2025-12-28T15:20:04.000Z", requestId: "req_1", message: { model: "claude-opus-4-5-20251101", id: "msg_1", type: "message", role: "assistant", content: [{ type: "tool_use", id: "toolu_01write", name: "Write", input: { file_path: file, content: "print('hello')\n" } }], usage: { input_tokens: 100, output_tokens: 30 } } },
    { ...c, parentUuid: "a2", type: "assistant", uuid: "a3", timestamp: "2025-12-28T15:20:04.500Z", requestId: "req_1", message: { model: "claude-opus-4-5-20251101", id: "msg_1", type: "message", role: "assistant", content: [{ type: "tool_use", id: "toolu_02task", name: "Task", input: { description: "Check style", prompt: "Review src/main.py style", subagent_type: "general-purpose" } }], usage: { input_tokens: 100, output_tokens: 5 } } },
    { ...c, parentUuid: "a3", type: "user", uuid: "u2", timestamp: "2025-12-28T15:20:05.000Z", slug: "tiny-hello-script", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01write", content: "File created successfully at: " + file }] }, toolUseResult: { type: "create", filePath: file, content: "print('hello')\n", structuredPatch: [], originalFile: null }, sourceToolAssistantUUID: "a2" },
    { ...c, parentUuid: "u2", type: "user", uuid: "u3", timestamp: "2025-12-28T15:20:30.000Z", slug: "tiny-hello-script", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_02task", content: [{ type: "text", text: "Style is fine." }, { type: "text", text: "No changes needed." }] }] }, toolUseResult: { status: "completed", content: [{ type: "text", text: "Style is fine." }] } },
    { ...c, parentUuid: "u3", type: "assistant", uuid: "a4", timestamp: "2025-12-28T15:20:35.000Z", requestId: "req_2", slug: "tiny-hello-script", message: { model: "claude-haiku-4-5-20251001", id: "msg_2", type: "message", role: "assistant", content: [{ type: "tool_use", id: "toolu_03edit", name: "Edit", input: { file_path: file, old_string: "hello", new_string: "hello, world" } }], usage: { input_tokens: 200, output_tokens: 40 } } },
    { ...c, parentUuid: "a4", type: "user", uuid: "u4", timestamp: "2025-12-28T15:20:36.000Z", slug: "tiny-hello-script", message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_03edit", content: "The file has been updated." }] }, toolUseResult: { filePath: file, oldString: "hello", newString: "hello, world", originalFile: "print('hello')\n", structuredPatch: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-print('hello')", "+print('hello, world')"] }], userModified: false, replaceAll: false } },
    { ...c, parentUuid: "u4", type: "assistant", uuid: "a5", timestamp: "2025-12-28T15:20:40.000Z", requestId: "req_3", slug: "tiny-hello-script", message: { model: "claude-haiku-4-5-20251001", id: "msg_3", type: "message", role: "assistant", content: [{ type: "text", text: "Done: src/main.py now prints hello, world. " + "It is a one-line script. ".repeat(30) }], usage: { input_tokens: 250, output_tokens: 60 } } },
    { ...c, parentUuid: "a5", type: "user", uuid: "u5", timestamp: "2025-12-28T15:21:00.000Z", isMeta: true, message: { role: "user", content: "Caveat: The messages below were generated by the user while running local commands." } },
    // A resumed copy of an earlier line: the same uuid must not count twice.
    { ...c, parentUuid: null, type: "user", uuid: "u1", timestamp: "2025-12-28T15:20:00.000Z", message: { role: "user", content: "Create src/main.py that prints hello, then make it greet the world." } },
    { type: "summary", summary: "Hello world script", leafUuid: "a5" },
  ];
}

export function claudeSubagentRecords(project: string): Record<string, unknown>[] {
  const c = { ...common(project), isSidechain: true, agentId: AGENT_ID };
  return [
    { ...c, parentUuid: null, type: "user", uuid: "s1", timestamp: "2025-12-28T15:20:06.000Z", message: { role: "user", content: "Review src/main.py style" } },
    { ...c, parentUuid: "s1", type: "assistant", uuid: "s2", timestamp: "2025-12-28T15:20:20.000Z", message: { model: "claude-haiku-4-5-20251001", id: "msg_s1", type: "message", role: "assistant", content: [{ type: "text", text: "Style is fine." }], usage: { input_tokens: 20, output_tokens: 5 } } },
  ];
}

export function codexRecords(project: string): Record<string, unknown>[] {
  const file = join(project, "src", "util.py");
  const heredoc = `apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: src/util.py\n@@\n-X = 1\n+X = 2\n*** End Patch\nEOF\n`;
  return [
    { timestamp: "2025-12-29T09:00:00.000Z", type: "session_meta", payload: { id: CODEX_SESSION, timestamp: "2025-12-29T09:00:00.000Z", cwd: project, originator: "codex_cli_rs", cli_version: "0.46.0", instructions: null, git: { branch: "feature/x", commit_hash: "abc" } } },
    { timestamp: "2025-12-29T09:00:01.000Z", type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>\n  <cwd>" + project + "</cwd>\n</environment_context>" }] } },
    { timestamp: "2025-12-29T09:00:02.000Z", type: "turn_context", payload: { cwd: project, approval_policy: "on-request", sandbox_policy: { mode: "workspace-write" }, model: "gpt-5-codex", effort: "medium", summary: "auto" } },
    { timestamp: "2025-12-29T09:00:03.000Z", type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text: "Add a util module with X = 1, then bump it." }] } },
    { timestamp: "2025-12-29T09:00:03.100Z", type: "event_msg", payload: { type: "user_message", message: "Add a util module with X = 1, then bump it.", images: [] } },
    { timestamp: "2025-12-29T09:00:05.000Z", type: "response_item", payload: { type: "reasoning", summary: [{ type: "summary_text", text: "**Planning the util module**" }], content: null, encrypted_content: "gAAA" } },
    { timestamp: "2025-12-29T09:00:06.000Z", type: "response_item", payload: { type: "custom_tool_call", status: "completed", call_id: "call_add", name: "apply_patch", input: `*** Begin Patch\n*** Add File: ${file}\n+X = 1\n*** End Patch\n` } },
    { timestamp: "2025-12-29T09:00:07.000Z", type: "response_item", payload: { type: "custom_tool_call_output", call_id: "call_add", output: JSON.stringify({ output: "Success. Updated the following files:\nA src/util.py\n", metadata: { exit_code: 0, duration_seconds: 0.01 } }) } },
    { timestamp: "2025-12-29T09:00:07.500Z", type: "event_msg", payload: { type: "token_count", info: { total_token_usage: { input_tokens: 5000, output_tokens: 300 }, last_token_usage: { input_tokens: 1200, cached_input_tokens: 800, output_tokens: 90 } } } },
    { timestamp: "2025-12-29T09:00:08.000Z", type: "turn_context", payload: { cwd: project, approval_policy: "on-request", model: "gpt-5.1-codex", summary: "auto" } },
    { timestamp: "2025-12-29T09:00:09.000Z", type: "response_item", payload: { type: "function_call", name: "shell", arguments: JSON.stringify({ command: ["bash", "-lc", heredoc], workdir: project }), call_id: "call_shell" } },
    { timestamp: "2025-12-29T09:00:10.000Z", type: "response_item", payload: { type: "function_call_output", call_id: "call_shell", output: "Exit code: 0\nWall time: 0.1 seconds\nOutput:\nSuccess. Updated the following files:\nM src/util.py\n" } },
    { timestamp: "2025-12-29T09:00:11.000Z", type: "response_item", payload: { type: "function_call", name: "shell", arguments: JSON.stringify({ command: ["bash", "-lc", "pytest -q"] }), call_id: "call_test" } },
    { timestamp: "2025-12-29T09:00:12.000Z", type: "response_item", payload: { type: "function_call_output", call_id: "call_test", output: "Exit code: 1\nOutput:\n1 failed" } },
    { timestamp: "2025-12-29T09:00:13.000Z", type: "response_item", payload: { type: "message", role: "assistant", content: [{ type: "output_text", text: "Created src/util.py and bumped X to 2." }] } },
  ];
}

const jsonl = (records: Record<string, unknown>[]): string => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** Writes the three traces into `home` the way the agents lay them out; returns their paths. */
export function writeTraces(home: string, project: string): { main: string; subagent: string; codex: string } {
  const folder = join(home, ".claude", "projects", project.replace(/[^A-Za-z0-9]/g, "-"));
  const main = join(folder, `${SESSION}.jsonl`);
  const subagent = join(folder, SESSION, "subagents", `agent-${AGENT_ID}.jsonl`);
  const codex = join(home, ".codex", "sessions", "2025", "12", "29", `rollout-2025-12-29T09-00-00-${CODEX_SESSION}.jsonl`);
  for (const [path, records] of [
    [main, claudeMainRecords(project)],
    [subagent, claudeSubagentRecords(project)],
    [codex, codexRecords(project)],
  ] as const) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, jsonl(records));
  }
  return { main, subagent, codex };
}
