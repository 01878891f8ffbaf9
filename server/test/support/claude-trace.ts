// Writes Claude Code session traces for server tests: real record shapes (user prompt, assistant tool_use, user
// tool_result with toolUseResult, uuid/parentUuid chain) into `<home>/.claude/projects/<encoded project>/`, while
// keeping the simulated file contents so every `originalFile` and `structuredPatch` matches the chain exactly.

import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface SessionOptions {
  home: string;
  project: string;
  sessionId?: string;
  model?: string;
  version?: string;
  gitBranch?: string;
}

/** Claude's project folder name: every character outside [A-Za-z0-9] becomes `-`. */
export function encodeProjectPath(path: string): string {
  return path.replace(/[^A-Za-z0-9]/g, "-");
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** One hunk with up to 3 lines of context around the changed region, like Claude's structuredPatch. */
export function structuredPatch(before: string, after: string): Hunk[] {
  if (before === after) return [];
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ctxStart = Math.max(0, head - 3);
  const aEnd = a.length - tail;
  const bEnd = b.length - tail;
  const ctxEndA = Math.min(a.length, aEnd + 3);
  const lines = [
    ...a.slice(ctxStart, head).map((l) => ` ${l}`),
    ...a.slice(head, aEnd).map((l) => `-${l}`),
    ...b.slice(head, bEnd).map((l) => `+${l}`),
    ...a.slice(aEnd, ctxEndA).map((l) => ` ${l}`),
  ];
  const trailing = ctxEndA - aEnd;
  return [
    {
      oldStart: ctxStart + 1,
      oldLines: head - ctxStart + (aEnd - head) + trailing,
      newStart: ctxStart + 1,
      newLines: head - ctxStart + (bEnd - head) + trailing,
      lines,
    },
  ];
}

export class ClaudeSession {
  readonly sessionId: string;
  readonly path: string;
  model: string;
  private readonly version: string;
  private readonly gitBranch: string;
  private readonly project: string;
  private readonly contents = new Map<string, string>();
  private lastUuid: string | null = null;
  private pending: string[] = [];
  private promptText: string | null = null;

  constructor(options: SessionOptions) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.model = options.model ?? "claude-opus-4-5-20251101";
    this.version = options.version ?? "2.0.50";
    this.gitBranch = options.gitBranch ?? "main";
    this.project = options.project;
    this.path = join(options.home, ".claude", "projects", encodeProjectPath(options.project), `${this.sessionId}.jsonl`);
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, "");
  }

  /** The file's content as the traces say it is now (what a test writes to disk when no human edited it). */
  content(file: string): string {
    return this.contents.get(file) ?? "";
  }

  /** Tells the session what a file holds before it touches it (a file written earlier by someone else). */
  know(file: string, content: string): this {
    this.contents.set(file, content);
    return this;
  }

  prompt(text: string, at: Date): this {
    this.promptText = text;
    this.record({ type: "user", message: { role: "user", content: text } }, at);
    return this;
  }

  write(file: string, content: string, at: Date): this {
    const original = this.contents.get(file) ?? null;
    const toolId = toolUseId();
    this.toolUse(toolId, "Write", { file_path: file, content }, at);
    this.contents.set(file, content);
    this.toolResult(
      toolId,
      original === null ? `File created successfully at: ${file}` : `The file ${file} has been updated.`,
      {
        type: original === null ? "create" : "update",
        filePath: file,
        content,
        structuredPatch: original === null ? [] : structuredPatch(original, content),
        originalFile: original,
      },
      at,
    );
    return this;
  }

  edit(file: string, oldString: string, newString: string, at: Date): this {
    const original = this.contents.get(file);
    if (original === undefined || !original.includes(oldString)) throw new Error(`fixture: ${oldString} not in ${file}`);
    const toolId = toolUseId();
    this.toolUse(toolId, "Edit", { file_path: file, old_string: oldString, new_string: newString }, at);
    const updated = original.replace(oldString, newString);
    this.contents.set(file, updated);
    this.toolResult(
      toolId,
      `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:`,
      {
        filePath: file,
        oldString,
        newString,
        originalFile: original,
        structuredPatch: structuredPatch(original, updated),
        userModified: false,
        replaceAll: false,
      },
      at,
    );
    return this;
  }

  /** Appends the records written since the last flush to the trace file (as a running agent does). */
  flush(): this {
    if (this.pending.length > 0) appendFileSync(this.path, this.pending.join(""));
    this.pending = [];
    return this;
  }

  get lastPrompt(): string | null {
    return this.promptText;
  }

  private envelope(at: Date): Record<string, unknown> {
    return {
      parentUuid: this.lastUuid,
      isSidechain: false,
      userType: "external",
      cwd: this.project,
      sessionId: this.sessionId,
      version: this.version,
      gitBranch: this.gitBranch,
      timestamp: at.toISOString(),
    };
  }

  private record(fields: Record<string, unknown>, at: Date): string {
    const uuid = randomUUID();
    this.pending.push(`${JSON.stringify({ ...this.envelope(at), ...fields, uuid })}\n`);
    this.lastUuid = uuid;
    return uuid;
  }

  /** The tool call is issued 1.5 s before `at`; its result (the edit's timestamp) is recorded at `at`. */
  private toolUse(id: string, name: string, input: Record<string, unknown>, at: Date): void {
    const issued = new Date(at.getTime() - 1500);
    this.record(
      {
        type: "assistant",
        requestId: `req_${id.slice(6)}`,
        message: {
          model: this.model,
          id: `msg_${id.slice(6)}`,
          type: "message",
          role: "assistant",
          content: [{ type: "tool_use", id, name, input }],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 12, output_tokens: 80, cache_read_input_tokens: 4000 },
        },
      },
      issued,
    );
  }

  private toolResult(id: string, text: string, result: Record<string, unknown>, at: Date): void {
    const assistantUuid = this.lastUuid;
    this.record(
      {
        type: "user",
        message: { role: "user", content: [{ tool_use_id: id, type: "tool_result", content: text }] },
        toolUseResult: result,
        sourceToolAssistantUUID: assistantUuid,
      },
      at,
    );
  }
}

function toolUseId(): string {
  return `toolu_01${randomUUID().replace(/-/g, "").slice(0, 22)}`;
}

/** A date `days` days (and `hours` hours) before now. */
export function daysAgo(days: number, hours = 0): Date {
  return new Date(Date.now() - days * 24 * 3600_000 - hours * 3600_000);
}
