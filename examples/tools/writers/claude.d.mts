// Types of the Claude Code trace-writer kit (claude.mjs), for the TypeScript tests that use it.

export interface ClaudeIds {
  uuid(): string;
  messageId(): string;
  requestId(): string;
  toolUseId(): string;
  blob(n: number): string;
}
export interface ToolOutcome {
  content: unknown;
  toolUseResult: unknown;
  isError?: boolean;
}
export interface ToolCall {
  name: string;
  input: Record<string, unknown>;
  run: (timestamp: string, toolUseId: string) => ToolOutcome;
  late?: boolean;
}
export class ClaudeTraceWriter {
  constructor(o: {
    ids: ClaudeIds;
    tick: (ms: number) => string;
    emit: (record: object) => void;
    sessionId: string;
    version: string;
    gitBranch: string;
    cwd: string;
    model: string;
    slug: string | null;
    agentId?: string | null;
    last?: string | null;
    linkToolResults?: boolean;
  });
  sessionId: string;
  model: string;
  cwd: string;
  last: string | null;
  showSlug(): boolean;
  beforeToolResult(): void;
  abs(rel: string): string;
  envelope(type: string): Record<string, unknown>;
  snapshot(messageId: string, backups: object, timestamp: string): void;
  user(r: { uuid: string; timestamp: string; content: string; isMeta?: boolean; extra?: object }): void;
  slashCommand(caveat: string, name: string, args: string, stdout: string, gapMs: number): void;
  thinkingBlock(thinking: string): object;
  assistant(blocks: object[], usage: (block: object) => object, gapMs: (block: object) => number, stopReason?: string | null): void;
  toolCalls(
    calls: ToolCall[],
    thinking: () => string | null,
    timing: { usage: (block: object) => object; gapMs: (block: object) => number; resultGapMs: () => number; lateGapMs: number },
  ): void;
}
export function writeCreated(filePath: string, content: string): ToolOutcome;
export function writeUpdated(filePath: string, content: string, before: string, hunks: object[], message: string): ToolOutcome;
export function editApplied(e: { filePath: string; oldString: string; newString: string; before: string; hunks: object[]; replaceAll: boolean; message: string }): ToolOutcome;
export function multiEditApplied(filePath: string, edits: object[], before: string, hunks: object[], message: string): ToolOutcome;
export function toolError(message: string): ToolOutcome;
export function readResult(filePath: string, content: string, numLines: number, totalLines: number, numbered: string): ToolOutcome;
export function bashResult(stdout: string): ToolOutcome;
export function taskCompleted(t: { prompt: string; agentId: string; report: string; totalDurationMs: number; totalTokens: number; totalToolUseCount: number; usage: object }): ToolOutcome;
