// Writes small Claude Code and Codex traces into a temp home, for CLI tests that need precise, hand-built edit
// histories. The records come from the writer kits (examples/tools/writers), the one place their shapes are written;
// this wrapper keeps a fixed clock (7 s per Claude record, 5 s per Codex record), short readable ids and the file
// names each agent uses.

import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { structuredPatch } from "diff";
import {
  type ToolOutcome,
  ClaudeTraceWriter,
  bashResult,
  editApplied,
  multiEditApplied,
  toolError,
  writeCreated,
  writeUpdated,
} from "../../../examples/tools/writers/claude.mjs";
import { CodexRolloutWriter, patchOutput, rolloutPath } from "../../../examples/tools/writers/codex.mjs";

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

const UPDATED = "The file has been updated.";
const usage = () => ({ input_tokens: 10, output_tokens: 20 });
const noGap = () => 0;

export class ClaudeSession {
  readonly sessionId: string;
  private readonly records: object[] = [];
  private readonly writer: ClaudeTraceWriter;
  private clock: number;
  private calls = 0;
  /** Suffix of the next assistant message's `msg_`/`req_` ids. */
  private idTag = "";

  constructor(
    private readonly project: string,
    options: { model?: string; version?: string; start?: string; sessionId?: string } = {},
  ) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.clock = Date.parse(options.start ?? "2025-12-28T15:20:00.000Z");
    this.writer = new ClaudeTraceWriter({
      ids: {
        uuid: () => randomUUID(),
        toolUseId: () => {
          this.idTag = String(++this.calls);
          return `toolu_${this.idTag.padStart(2, "0")}${this.sessionId.slice(0, 8)}`;
        },
        messageId: () => `msg_${this.idTag}`,
        requestId: () => `req_${this.idTag}`,
        blob: (n) => "A".repeat(n),
      },
      tick: () => this.tick(),
      emit: (record) => void this.records.push(record),
      sessionId: this.sessionId,
      version: options.version ?? "2.0.75",
      gitBranch: "main",
      cwd: project,
      model: options.model ?? "claude-opus-4-5-20251101",
      slug: null,
      linkToolResults: true,
    });
  }

  private tick(): string {
    this.clock += 7_000;
    return new Date(this.clock).toISOString();
  }

  /** A human prompt. */
  prompt(text: string): this {
    this.writer.user({ uuid: randomUUID(), timestamp: this.tick(), content: text });
    return this;
  }

  /** An assistant text answer. */
  reply(text: string, model?: string): this {
    this.idTag = `text_${this.records.length}`;
    this.withModel(model, () => this.writer.assistant([{ type: "text", text }], usage, noGap, "end_turn"));
    return this;
  }

  /** A tool call and its result. */
  private call(name: string, input: Json, outcome: ToolOutcome, model?: string): this {
    this.withModel(model, () =>
      this.writer.toolCalls([{ name, input, run: () => outcome }], () => null, { usage, gapMs: noGap, resultGapMs: noGap, lateGapMs: 0 }),
    );
    return this;
  }

  private withModel(model: string | undefined, write: () => void): void {
    const usual = this.writer.model;
    this.writer.model = model ?? usual;
    write();
    this.writer.model = usual;
  }

  /** Write creating a file (`before` null) or overwriting it. */
  write(file: string, content: string, before: string | null = null, model?: string): this {
    const outcome = before === null ? writeCreated(file, content) : writeUpdated(file, content, before, hunks(before, content), UPDATED);
    return this.call("Write", { file_path: file, content }, outcome, model);
  }

  /** Edit of `before` (the whole file as the agent saw it) replacing `oldString` by `newString`. */
  edit(file: string, before: string, oldString: string, newString: string, replaceAll = false, model?: string): this {
    const after = replaceAll ? before.split(oldString).join(newString) : before.replace(oldString, () => newString);
    const outcome = editApplied({ filePath: file, oldString, newString, before, hunks: hunks(before, after), replaceAll, message: UPDATED });
    return this.call("Edit", { file_path: file, old_string: oldString, new_string: newString, replace_all: replaceAll }, outcome, model);
  }

  /** MultiEdit of `before`: the replacements apply in order, each to the previous result. */
  multiEdit(file: string, before: string, edits: Array<[string, string]>): this {
    let after = before;
    for (const [oldString, newString] of edits) after = after.replace(oldString, () => newString);
    const list = edits.map(([oldString, newString]) => ({ old_string: oldString, new_string: newString, replace_all: false }));
    return this.call("MultiEdit", { file_path: file, edits: list }, multiEditApplied(file, list, before, hunks(before, after), UPDATED));
  }

  /** A Bash call that ran `command` successfully (Claude Code's result shape: stdout, stderr, interrupted). */
  bash(command: string): this {
    return this.call("Bash", { command, description: "run a command" }, bashResult(""));
  }

  /** An Edit that failed (`is_error`): must not become an event. */
  failedEdit(file: string, oldString: string, newString: string): this {
    return this.call("Edit", { file_path: file, old_string: oldString, new_string: newString }, toolError("String to replace not found in file."));
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

/** Codex's `A`/`M`/`D path` summary of the files an apply_patch touched. */
function patchSummary(patch: string): string[] {
  const kinds: Record<string, string> = { Add: "A", Update: "M", Delete: "D" };
  const summary: string[] = [];
  for (const line of patch.split("\n")) {
    const header = /^\*\*\* (Add|Update|Delete) File: (.*)$/.exec(line);
    if (header) summary.push(`${kinds[header[1] ?? ""]} ${header[2]}`);
  }
  return summary;
}

/** A Codex rollout with one apply_patch per call. */
export class CodexSession {
  readonly sessionId: string;
  private readonly records: object[] = [];
  private readonly writer: CodexRolloutWriter;
  private clock: number;
  private calls = 0;

  constructor(project: string, options: { model?: string; start?: string; sessionId?: string } = {}) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.clock = Date.parse(options.start ?? "2025-12-29T09:00:00.000Z");
    this.writer = new CodexRolloutWriter({ emit: (record) => void this.records.push(record), tick: () => this.tick(), cwd: project });
    this.writer.sessionMeta({ id: this.sessionId, timestamp: new Date(this.clock + 5_000).toISOString(), cliVersion: "0.46.0" }, 0);
    this.writer.turnContext(options.model ?? "gpt-5-codex", 0);
  }

  private tick(): string {
    this.clock += 5_000;
    return new Date(this.clock).toISOString();
  }

  prompt(text: string): this {
    this.writer.prompt(text, 0);
    return this;
  }

  /** An apply_patch call with `patch` (the text between Begin/End Patch) and its successful output. */
  applyPatch(patch: string): this {
    const callId = `call_${++this.calls}`;
    this.writer.patchCall(callId, `*** Begin Patch\n${patch}*** End Patch\n`, 0);
    this.writer.patchOutputAt(this.tick(), callId, patchOutput(patchSummary(patch), "", 0));
    return this;
  }

  save(home: string): string {
    const day = new Date(this.clock).toISOString().slice(0, 10);
    const { dir, name } = rolloutPath(`${day}T09:00:00`, this.sessionId);
    const path = join(home, ".codex", "sessions", ...dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, this.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    return path;
  }
}
