// Agent Trace record files → a transcript: records carry no conversation, so each record becomes one assistant
// message listing the lines it attributes (file, ranges, contributor and model), with a file operation per file.

import { basename } from "node:path";
import type { Json } from "../../traces/common";
import { emptyMeta, finishTranscript, type ContentBlock, type Transcript, type TranscriptMessage } from "../../transcripts/model";
import { looksLikeAgentTrace, modelOf, readAgentTraceRecord } from "./record";

export function looksLikeAgentTraceFile(records: readonly Json[]): boolean {
  return records.length > 0 && records.slice(0, 20).some(looksLikeAgentTrace);
}

export function parseAgentTraceTranscript(records: Json[], path: string): Transcript {
  const meta = emptyMeta("agent-trace", path, basename(path));
  const messages: TranscriptMessage[] = [];
  for (const raw of records) {
    const record = readAgentTraceRecord(raw);
    if (!record) continue;
    const ms = Date.parse(record.timestamp);
    const content: ContentBlock[] = [];
    let model: string | null = null;
    for (const file of record.files) {
      for (const c of file.conversations) {
        const who = c.contributor;
        if (who?.model_id) model ??= modelOf(who.model_id);
        const ranges = c.ranges.map((r) => `${r.start_line}-${r.end_line}${r.contributor ? ` (${r.contributor.type})` : ""}`).join(", ");
        content.push({ type: "text", text: `${file.path}: lines ${ranges} by ${who?.type ?? "unknown"}${who?.model_id ? ` (${who.model_id})` : ""}${c.url ? ` — ${c.url}` : ""}` });
      }
      content.push({ type: "file_operation", operation: "edit", filePath: file.path, toolUseId: record.id });
    }
    messages.push({ id: record.id, role: "assistant", timestamp: Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString(), model, content, usage: null });
  }
  return finishTranscript(meta, messages);
}
