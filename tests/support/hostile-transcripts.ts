// Hostile Claude Code and Codex traces for the transcript-markdown injection tests (CLI and server): every message
// kind a transcript renders — prompt, answer, thinking/reasoning, tool input and tool output — carries text that
// would form links, images, raw HTML, headings, rules or fake turns if rendered as markdown, plus one ordinary
// answer with a fenced code block. Records are hand-written in the agents' real JSONL shapes (field names of SPEC §3).
// `inertHtml` renders markdown the way VS Code's preview does and reports what trace text managed to form.

import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Markup of every kind a trace could try to smuggle into the rendered transcript. */
export const HOSTILE = [
  "![pixel](https://evil.example/t.png) [Open transcript](https://evil.example/run) [ref link][r] ![ref image][r]",
  "[r]: https://evil.example/ref",
  "<img src=https://evil.example/q.png> <script>alert(1)</script> <iframe src=https://evil.example/f></iframe>",
  "<https://evil.example/auto> https://evil.example/bare www.evil.example mail@evil.example &lt;b&gt;",
  "</details></summary><details open><summary>fake</summary>",
  "",
  "<div>",
  "## User (12:00:00)",
  "Forged prompt",
  "===",
  "---",
  "* [x](javascript:alert(1))",
  "> quoted [link](https://evil.example/q)",
  "    indented <b>code</b>",
  "| a | b |\n|---|---|\n| [t](https://evil.example/t) | c |",
  "\r## CR heading\u2028## LS heading\u2029## PS heading\u0085## NEL heading\v## VT heading\f## FF heading",
].join("\n");

/** A fenced block in trace text that tries to end early and forge a turn, then an unclosed fence. */
export const HOSTILE_FENCES = "Look:\n```js\nconst s = '```';\n````\n## Assistant (12:00:01)\n```\n\nAfter ![img](https://evil.example/after.png)\n~~~\n## User (never closed)";

/** An ordinary answer: a paragraph, two lines, a fenced code block with indentation, a closing line. */
export const NORMAL_ANSWER = "I added the greeting helper.\nIt returns the text instead of printing it.\n\n```python\ndef greet(name):\n    return f\"Hello, {name}\"\n```\n\nRun the tests again to check.";

type Json = Record<string, unknown>;

export interface HostileTrace {
  sessionId: string;
  path: string;
  /** Messages the transcript has: each becomes one `## Role (time)` heading. */
  messages: number;
  /** Of those, the messages holding only a tool result (not shown without tools; Claude's also has the file operation). */
  toolResults: number;
}

/** A Claude Code session: hostile prompt, thinking + answer, a Write (input) and its result, a normal answer. */
export function writeHostileClaude(home: string, project: string): HostileTrace {
  const sessionId = randomUUID();
  let parentUuid: string | null = null;
  let clock = Date.parse("2026-01-05T10:00:00.000Z");
  const records: Json[] = [];
  const record = (type: string, fields: Json): string => {
    const uuid = randomUUID();
    clock += 5_000;
    records.push({ parentUuid, isSidechain: false, userType: "external", cwd: project, sessionId, version: "2.0.75", gitBranch: "main", type, uuid, timestamp: new Date(clock).toISOString(), ...fields });
    parentUuid = uuid;
    return uuid;
  };
  const assistant = (n: number, content: Json[]): string =>
    record("assistant", {
      requestId: `req_${n}`,
      message: { model: "claude-opus-4-5-20251101", id: `msg_${n}`, type: "message", role: "assistant", content, stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 20 } },
    });
  const file = join(project, "src", "hostile.md");
  record("user", { message: { role: "user", content: `Please ${HOSTILE}` } });
  assistant(1, [{ type: "thinking", thinking: `${HOSTILE}\n${HOSTILE_FENCES}`, signature: "EqQBCkYIBxgCKkB" }, { type: "text", text: `${HOSTILE}\n\n${HOSTILE_FENCES}` }]);
  const toolUseId = "toolu_01HostileWrite";
  const call = assistant(2, [{ type: "tool_use", id: toolUseId, name: "Write", input: { file_path: file, content: `${HOSTILE}\n` } }]);
  record("user", {
    message: { role: "user", content: [{ type: "tool_result", tool_use_id: toolUseId, content: `${HOSTILE}\n\`\`\`\n${HOSTILE}` }] },
    toolUseResult: { type: "create", filePath: file, content: `${HOSTILE}\n`, structuredPatch: [] },
    sourceToolAssistantUUID: call,
  });
  assistant(3, [{ type: "text", text: NORMAL_ANSWER }]);
  const path = join(home, ".claude", "projects", project.replace(/[^A-Za-z0-9]/g, "-"), `${sessionId}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return { sessionId, path, messages: 5, toolResults: 0 };
}

/** A Codex rollout: hostile prompt, reasoning, answer, apply_patch and shell calls with their outputs, a normal answer. */
export function writeHostileCodex(home: string, project: string): HostileTrace {
  const sessionId = randomUUID();
  let clock = Date.parse("2026-01-06T09:00:00.000Z");
  const records: Json[] = [];
  const push = (type: string, payload: Json): void => {
    clock += 3_000;
    records.push({ timestamp: new Date(clock).toISOString(), type, payload });
  };
  push("session_meta", { id: sessionId, timestamp: new Date(clock).toISOString(), cwd: project, originator: "codex_cli_rs", cli_version: "0.63.0", instructions: null, source: "cli", model_provider: "openai" });
  push("turn_context", { cwd: project, approval_policy: "on-request", sandbox_policy: { type: "workspace-write" }, model: "gpt-5-codex", effort: "medium", summary: "auto" });
  push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: `Please ${HOSTILE}` }] });
  push("event_msg", { type: "user_message", message: `Please ${HOSTILE}`, images: [] });
  push("response_item", { type: "reasoning", summary: [{ type: "summary_text", text: `**Planning** ${HOSTILE}\n${HOSTILE_FENCES}` }], content: null, encrypted_content: "gAAAAABhostile" });
  push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: `${HOSTILE}\n\n${HOSTILE_FENCES}` }] });
  const added = HOSTILE.split("\n").map((line) => `+${line}`).join("\n");
  push("response_item", { type: "custom_tool_call", status: "completed", call_id: "call_patch", name: "apply_patch", input: `*** Begin Patch\n*** Add File: ${join(project, "src", "hostile-codex.md")}\n${added}\n*** End Patch\n` });
  push("response_item", { type: "custom_tool_call_output", call_id: "call_patch", output: JSON.stringify({ output: `Success. Updated the following files:\nA src/hostile-codex.md\n${HOSTILE}\n`, metadata: { exit_code: 0, duration_seconds: 0.1 } }) });
  push("response_item", { type: "function_call", name: "shell_command", arguments: JSON.stringify({ command: `echo '${HOSTILE}'`, workdir: project }), call_id: "call_shell" });
  push("response_item", { type: "function_call_output", call_id: "call_shell", output: `Exit code: 0\nWall time: 0.1 seconds\nOutput:\n${HOSTILE}\n\`\`\`\`\n${HOSTILE}` });
  push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: NORMAL_ANSWER }] });
  const day = new Date(clock).toISOString().slice(0, 10).split("-");
  const path = join(home, ".codex", "sessions", ...day, `rollout-${day.join("-")}T09-00-00-${sessionId}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return { sessionId, path, messages: 8, toolResults: 2 };
}

interface MarkdownRenderer {
  render(text: string): string;
}
const MarkdownIt = createRequire(import.meta.url)("markdown-it") as new (options: object) => MarkdownRenderer;
// As VS Code's markdown preview: raw HTML allowed, `https://…`, `www.…` and e-mail addresses become links.
const markdown = new MarkdownIt({ html: true, linkify: true });
(markdown as unknown as { linkify: { set(o: object): void } }).linkify.set({ fuzzyLink: false });

/** Tags markdown itself writes for what the transcript renderer emits; anything else came from trace text. */
const OWN_TAGS = new Set(["h1", "h2", "p", "br", "strong", "em", "code", "pre", "hr", "blockquote", "details", "summary"]);
const OWN_SUMMARIES = new Set(["Thinking", "Input", "Change", "Result", "Error"]);

export interface RenderedTranscript {
  html: string;
  /** The visible text: tags removed, entities decoded. */
  text: string;
  h1: number;
  h2: number;
  hr: number;
  /** Tags that are not ones the renderer's own markdown produces (links, images, scripts, stray HTML). */
  foreignTags: string[];
  /** `<summary>` texts other than the renderer's own. */
  foreignSummaries: string[];
  detailsOpened: number;
  detailsClosed: number;
}

export function renderTranscript(md: string): RenderedTranscript {
  const html = markdown.render(md);
  const tags = [...html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => (m[1] ?? "").toLowerCase());
  const text = html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  const count = (tag: string) => tags.filter((t) => t === tag).length / (tag === "br" || tag === "hr" ? 1 : 2);
  return {
    html,
    text,
    h1: count("h1"),
    h2: count("h2"),
    hr: count("hr"),
    foreignTags: [...new Set(tags.filter((t) => !OWN_TAGS.has(t)))],
    foreignSummaries: [...html.matchAll(/<summary>(.*?)<\/summary>/g)].map((m) => m[1] ?? "").filter((s) => !OWN_SUMMARIES.has(s)),
    detailsOpened: (html.match(/<details/g) ?? []).length,
    detailsClosed: (html.match(/<\/details>/g) ?? []).length,
  };
}
