// Types of the Codex CLI trace-writer kit (codex.mjs), for the TypeScript tests that use it.

export class CodexRolloutWriter {
  constructor(o: { emit: (record: object) => void; tick: (ms: number) => string; cwd: string });
  push(type: string, payload: object, gapMs: number): void;
  sessionStart(s: { id: string; timestamp: string; cliVersion: string; commitHash: string; branch: string; repositoryUrl: string; shell: string }, gapMs: number): void;
  sessionMeta(s: { id: string; timestamp: string; cliVersion: string; git?: { commit_hash: string; branch: string; repository_url: string } }, gapMs: number): void;
  turn(model: string, prompt: string, gapMs: number, promptGapMs: number): void;
  turnContext(model: string, gapMs: number): void;
  prompt(prompt: string, gapMs: number): void;
  tokenCount(total: object, last: object, rateLimits: object, gapMs: number): void;
  reasoning(summary: string, encrypted: string, gapMs: number): void;
  shellCall(callId: string, command: string, gapMs: number): void;
  shellOutput(callId: string, exitCode: number, wallSeconds: number, output: string, gapMs: number): void;
  patchCall(callId: string, patch: string, gapMs: number): void;
  patchOutputAt(timestamp: string, callId: string, output: object): void;
  agentMessage(text: string, gapMs: number): void;
}
export function patchOutput(summary: string[] | null, error: string, durationSeconds: number): object;
export function rolloutPath(startIso: string, id: string): { dir: string[]; name: string };
