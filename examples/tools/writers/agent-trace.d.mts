// Types of the Agent Trace writer kit (agent-trace.mjs), for the TypeScript tests that use it.

interface Contributor {
  type: string;
  model_id?: string;
}
export function traceRecord(r: {
  id: string;
  timestamp: string;
  revision?: string;
  tool?: { name: string; version?: string };
  files: Array<{
    path: string;
    conversations: Array<{ url?: string; contributor?: Contributor; ranges: Array<{ start_line: number; end_line: number; content_hash?: string; contributor?: Contributor }> }>;
  }>;
  metadata?: Record<string, unknown>;
}): Record<string, unknown>;
export function tracesJsonl(records: object[]): string;
