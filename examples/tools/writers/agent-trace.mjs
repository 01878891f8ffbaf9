// @ts-check
// The Agent Trace writer kit: records of agent-trace.dev (`schemas.ts` of cursor/agent-trace) as hooks append them
// to `.agent-trace/traces.jsonl` — {version, id, timestamp, vcs{type, revision}, tool{name, version}, files[{path,
// conversations[{url, contributor{type, model_id}, ranges[{start_line, end_line, content_hash?, contributor?}]}]}],
// metadata}.

/**
 * One record. `files` maps a repository-relative path to its conversations.
 * @param {{id: string, timestamp: string, revision?: string, tool?: {name: string, version?: string},
 *   files: Array<{path: string, conversations: Array<{url?: string, contributor?: {type: string, model_id?: string},
 *   ranges: Array<{start_line: number, end_line: number, content_hash?: string, contributor?: {type: string, model_id?: string}}>}>}>,
 *   metadata?: Record<string, unknown>}} r
 */
export function traceRecord(r) {
  /** @type {Record<string, unknown>} */
  const record = { version: "1.0", id: r.id, timestamp: r.timestamp };
  if (r.revision !== undefined) record.vcs = { type: "git", revision: r.revision };
  record.tool = r.tool ?? { name: "cursor", version: "2.0.77" };
  record.files = r.files;
  if (r.metadata) record.metadata = r.metadata;
  return record;
}

/** The JSONL text of records, one per line. @param {object[]} records */
export function tracesJsonl(records) {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}
