// Writes Claude Code session traces for server tests into `<home>/.claude/projects/<encoded project>/`, appending
// them as a running agent does, while keeping the simulated file contents so every `originalFile` and
// `structuredPatch` matches the chain exactly. The records come from the Claude writer kit
// (examples/tools/writers/claude.mjs), the one place their shapes are written.

import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ClaudeTraceWriter, editApplied, writeCreated, writeUpdated } from "../../../examples/tools/writers/claude.mjs";

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
  private readonly writer: ClaudeTraceWriter;
  private readonly contents = new Map<string, string>();
  private pending: string[] = [];
  private promptText: string | null = null;
  /** Timestamps of the records about to be written, in order (the kit asks for one per record). */
  private times: Date[] = [];
  /** Id suffix shared by a tool call's `toolu_`, `msg_` and `req_` ids. */
  private idTag = "";

  constructor(options: SessionOptions) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.path = join(options.home, ".claude", "projects", encodeProjectPath(options.project), `${this.sessionId}.jsonl`);
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, "");
    this.writer = new ClaudeTraceWriter({
      ids: {
        uuid: () => randomUUID(),
        toolUseId: () => {
          this.idTag = `01${randomUUID().replace(/-/g, "").slice(0, 22)}`;
          return `toolu_${this.idTag}`;
        },
        messageId: () => `msg_${this.idTag}`,
        requestId: () => `req_${this.idTag}`,
        blob: (n) => "A".repeat(n),
      },
      tick: () => {
        const at = this.times.shift();
        if (at === undefined) throw new Error("fixture: a record without its time");
        return at.toISOString();
      },
      emit: (record) => void this.pending.push(`${JSON.stringify(record)}\n`),
      sessionId: this.sessionId,
      version: options.version ?? "2.0.50",
      gitBranch: options.gitBranch ?? "main",
      cwd: options.project,
      model: options.model ?? "claude-opus-4-5-20251101",
      slug: null,
      linkToolResults: true,
    });
  }

  /** The model of the next tool calls. */
  get model(): string {
    return this.writer.model;
  }

  set model(model: string) {
    this.writer.model = model;
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
    this.writer.user({ uuid: randomUUID(), timestamp: at.toISOString(), content: text });
    return this;
  }

  write(file: string, content: string, at: Date): this {
    const original = this.contents.get(file) ?? null;
    this.contents.set(file, content);
    const outcome =
      original === null
        ? writeCreated(file, content)
        : writeUpdated(file, content, original, structuredPatch(original, content), `The file ${file} has been updated.`);
    this.toolCall("Write", { file_path: file, content }, outcome, at);
    return this;
  }

  edit(file: string, oldString: string, newString: string, at: Date): this {
    const original = this.contents.get(file);
    if (original === undefined || !original.includes(oldString)) throw new Error(`fixture: ${oldString} not in ${file}`);
    const updated = original.replace(oldString, newString);
    this.contents.set(file, updated);
    const message = `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:`;
    const hunks = structuredPatch(original, updated);
    this.toolCall("Edit", { file_path: file, old_string: oldString, new_string: newString }, editApplied({ filePath: file, oldString, newString, before: original, hunks, replaceAll: false, message }), at);
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

  /** The tool call is issued 1.5 s before `at`; its result (the edit's timestamp) is recorded at `at`. */
  private toolCall(name: string, input: Record<string, unknown>, outcome: ReturnType<typeof writeCreated>, at: Date): void {
    this.times = [new Date(at.getTime() - 1500), at];
    const usage = () => ({ input_tokens: 12, output_tokens: 80, cache_read_input_tokens: 4000 });
    this.writer.toolCalls([{ name, input, run: () => outcome }], () => null, { usage, gapMs: () => 0, resultGapMs: () => 0, lateGapMs: 0 });
  }
}

/** A date `days` days (and `hours` hours) before now. */
export function daysAgo(days: number, hours = 0): Date {
  return new Date(Date.now() - days * 24 * 3600_000 - hours * 3600_000);
}
