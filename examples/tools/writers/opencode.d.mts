// Types of the opencode writer kit (opencode.mjs), for the TypeScript tests that use it.

interface OpencodeSessionInfo {
  id: string;
  projectID: string;
  directory: string;
  parentID?: string;
  title: string;
  version: string;
  time: { created: number; updated: number };
}
export class OpencodeSession {
  constructor(info: OpencodeSessionInfo);
  info: OpencodeSessionInfo;
  user(at: number, text: string, model: { providerID: string; modelID: string }): void;
  assistant(at: number, providerID: string, modelID: string, tools: Record<string, unknown>[]): void;
  storageFiles(): Map<string, string>;
  writeStorage(data: string): void;
  sql(): string;
}
export const OPENCODE_SCHEMA: string;
export function toolPart(callID: string, tool: string, input: Record<string, unknown>, metadata: Record<string, unknown>, at: number, status?: string): Record<string, unknown>;
