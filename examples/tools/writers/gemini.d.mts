// Types of the Gemini CLI trace-writer kit (gemini.mjs), for the TypeScript tests that use it.

export function projectHash(path: string): string;
export function chatsDir(home: string, projectId: string): string;
export function sessionFileName(startIso: string, sessionId: string, ext: ".json" | ".jsonl"): string;
export function projectsJson(projects: Record<string, string>): string;
export function fileDiff(f: { filePath: string; before: string | null; after: string; proposal?: string }): Record<string, unknown>;
export function functionResult(id: string, name: string, output: string): object[];
export class GeminiSession {
  constructor(o: { sessionId: string; projectPath: string; startTime: string; kind?: "main" | "subagent"; directories?: string[]; projectHash?: string });
  header: Record<string, unknown>;
  put(message: Record<string, unknown>): void;
  set(patch: Record<string, unknown>): void;
  user(id: string, timestamp: string, text: string): void;
  gemini(id: string, timestamp: string, model: string, body?: { content?: string; toolCalls?: object[]; thoughts?: object[]; tokens?: object }): void;
  rewindTo(id: string): void;
  json(): string;
  jsonl(): string;
}
export function writeFileCall(c: {
  id: string;
  timestamp: string;
  filePath: string;
  argPath?: string;
  before: string | null;
  after: string;
  proposal?: string;
  status?: string;
  display?: boolean;
}): Record<string, unknown> & { args: Record<string, unknown> };
export function replaceCall(c: { id: string; timestamp: string; filePath: string; before: string; oldString: string; newString: string; status?: string }): Record<string, unknown>;
