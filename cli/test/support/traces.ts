// Writes small Claude Code and Codex traces in their real on-disk formats (field names of SPEC §3) into a temp home,
// for CLI tests that need precise, hand-built edit histories. Each record is what the agent would append; the
// builder keeps the uuid chain, tool_use ids and timestamps consistent.

import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { structuredPatch } from "diff";

/** Claude Code's folder name for a project: every non-alphanumeric character becomes `-`. */
export function claudeProjectFolder(project: string): string {
  return project.replace(/[^A-Za-z0-9]/g, "-");
}

type Json = Record<string, unknown>;

function hunks(before: string, after: string): Json[] {
  return structuredPatch("a", "b", before, after, "", "", { context: 3 }).hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines,
  }));
}

export class ClaudeSession {
  readonly sessionId: string;
  private readonly records: Json[] = [];
  private lastUuid: string | null = null;
  private clock: number;
  private calls = 0;

  constructor(
    private readonly project: string,
    private readonly options: { model?: string; version?: string; start?: string; sessionId?: string } = {},
  ) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.clock = Date.parse(options.start ?? "2025-12-28T15:20:00.000Z");
  }

  private tick(): string {
    this.clock += 7_000;
    return new Date(this.clock).toISOString();
  }

  private base(type: string): Json {
    const uuid = randomUUID();
    const record: Json = {
      parentUuid: this.lastUuid,
      isSidechain: false,
      userType: "external",
      cwd: this.project,
      sessionId: this.sessionId,
      version: this.options.version ?? "2.0.75",
      gitBranch: "main",
      type,
      uuid,
      timestamp: this.tick(),
    };
    this.lastUuid = uuid;
    return record;
  }

  /** A human prompt. */
  prompt(text: string): this {
    this.records.push({ ...this.base("user"), message: { role: "user", content: text } });
    return this;
  }

  /** An assistant text answer. */
  reply(text: string, model?: string): this {
    this.records.push({
      ...this.base("assistant"),
      requestId: `req_text_${this.records.length}`,
      message: {
        model: model ?? this.options.model ?? "claude-opus-4-5-20251101",
        id: `msg_text_${this.records.length}`,
        type: "message",
        role: "assistant",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 20 },
      },
    });
    return this;
  }

  /** A tool call and its result; `result` is the `toolUseResult` (a string for an error). */
  private call(name: string, input: Json, result: Json | string, isError = false, model?: string): this {
    const id = `toolu_${String(++this.calls).padStart(2, "0")}${this.sessionId.slice(0, 8)}`;
    const head = this.base("assistant");
    const assistant = {
      ...head,
      requestId: `req_${this.calls}`,
      message: {
        model: model ?? this.options.model ?? "claude-opus-4-5-20251101",
        id: `msg_${this.calls}`,
        type: "message",
        role: "assistant",
        content: [{ type: "tool_use", id, name, input }],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 20 },
      },
    };
    this.records.push(assistant);
    const content = isError
      ? [{ type: "tool_result", tool_use_id: id, content: String(result), is_error: true }]
      : [{ type: "tool_result", tool_use_id: id, content: "The file has been updated." }];
    this.records.push({
      ...this.base("user"),
      message: { role: "user", content },
      toolUseResult: result,
      sourceToolAssistantUUID: head["uuid"],
    });
    return this;
  }

  /** Write creating a file (`before` null) or overwriting it. */
  write(file: string, content: string, before: string | null = null, model?: string): this {
    const result: Json = before === null
      ? { type: "create", filePath: file, content, structuredPatch: [] }
      : { type: "update", filePath: file, content, originalFile: before, structuredPatch: hunks(before, content) };
    return this.call("Write", { file_path: file, content }, result, false, model);
  }

  /** Edit of `before` (the whole file as the agent saw it) replacing `oldString` by `newString`. */
  edit(file: string, before: string, oldString: string, newString: string, replaceAll = false, model?: string): this {
    const after = replaceAll ? before.split(oldString).join(newString) : before.replace(oldString, () => newString);
    const result: Json = {
      filePath: file,
      oldString,
      newString,
      originalFile: before,
      structuredPatch: hunks(before, after),
      userModified: false,
      replaceAll,
    };
    return this.call("Edit", { file_path: file, old_string: oldString, new_string: newString, replace_all: replaceAll }, result, false, model);
  }

  /** MultiEdit of `before`: the replacements apply in order, each to the previous result. */
  multiEdit(file: string, before: string, edits: Array<[string, string]>): this {
    let after = before;
    for (const [oldString, newString] of edits) after = after.replace(oldString, () => newString);
    const list = edits.map(([oldString, newString]) => ({ old_string: oldString, new_string: newString, replace_all: false }));
    const result: Json = { filePath: file, edits: list, originalFileContents: before, structuredPatch: hunks(before, after) };
    return this.call("MultiEdit", { file_path: file, edits: list }, result);
  }

  /** A Bash call that ran `command` successfully (Claude Code's result shape: stdout, stderr, interrupted). */
  bash(command: string): this {
    return this.call("Bash", { command, description: "run a command" }, { stdout: "", stderr: "", interrupted: false, isImage: false });
  }

  /** An Edit that failed (`is_error`): must not become an event. */
  failedEdit(file: string, oldString: string, newString: string): this {
    return this.call(
      "Edit",
      { file_path: file, old_string: oldString, new_string: newString },
      "Error: String to replace not found in file.",
      true,
    );
  }

  /** Lines as they are appended to the trace file. */
  jsonl(): string {
    return this.records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  }

  /** Writes `~/.claude/projects/<encoded project>/<session>.jsonl` under `home`; returns its path. */
  save(home: string, extra = ""): string {
    const path = join(home, ".claude", "projects", claudeProjectFolder(this.project), `${this.sessionId}.jsonl`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.jsonl() + extra);
    return path;
  }
}

/** A Codex rollout with one apply_patch per call. */
export class CodexSession {
  readonly sessionId: string;
  private readonly records: Json[] = [];
  private clock: number;
  private calls = 0;

  constructor(project: string, options: { model?: string; start?: string; sessionId?: string } = {}) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.clock = Date.parse(options.start ?? "2025-12-29T09:00:00.000Z");
    const ts = this.tick();
    this.records.push({
      timestamp: ts,
      type: "session_meta",
      payload: { id: this.sessionId, timestamp: ts, cwd: project, originator: "codex_cli_rs", cli_version: "0.46.0", instructions: null },
    });
    this.records.push({
      timestamp: this.tick(),
      type: "turn_context",
      payload: { cwd: project, approval_policy: "on-request", sandbox_policy: { mode: "workspace-write" }, model: options.model ?? "gpt-5-codex", effort: "medium", summary: "auto" },
    });
  }

  private tick(): string {
    this.clock += 5_000;
    return new Date(this.clock).toISOString();
  }

  prompt(text: string): this {
    this.records.push({ timestamp: this.tick(), type: "response_item", payload: { type: "message", role: "user", content: [{ type: "input_text", text }] } });
    this.records.push({ timestamp: this.tick(), type: "event_msg", payload: { type: "user_message", message: text, images: [] } });
    return this;
  }

  /** An apply_patch call with `patch` (the text between Begin/End Patch) and its successful output. */
  applyPatch(patch: string): this {
    const callId = `call_${++this.calls}`;
    const input = `*** Begin Patch\n${patch}*** End Patch\n`;
    this.records.push({ timestamp: this.tick(), type: "response_item", payload: { type: "custom_tool_call", status: "completed", call_id: callId, name: "apply_patch", input } });
    const output = JSON.stringify({ output: "Success. Updated the following files:\n", metadata: { exit_code: 0, duration_seconds: 0 } });
    this.records.push({ timestamp: this.tick(), type: "response_item", payload: { type: "custom_tool_call_output", call_id: callId, output } });
    return this;
  }

  save(home: string): string {
    const day = new Date(this.clock);
    const y = String(day.getUTCFullYear());
    const m = String(day.getUTCMonth() + 1).padStart(2, "0");
    const d = String(day.getUTCDate()).padStart(2, "0");
    const path = join(home, ".codex", "sessions", y, m, d, `rollout-${y}-${m}-${d}T09-00-00-${this.sessionId}.jsonl`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    return path;
  }
}
