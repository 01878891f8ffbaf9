// Agent Trace records (`.agent-trace/traces.jsonl`) → edit events. The file is append-only, so it is read
// incrementally like a session log. Records carry line ranges, not text: each AI range's lines are taken from the
// file at the record's `vcs.revision` (one `git cat-file --batch` for all records of a read) — or, when the
// revision does not have the file or the range, from the file as it is when the record is indexed — and become a
// hunk the attribution locates in today's file by content (the range start as a hint). Ranges of `human`, `mixed`
// and `unknown` contributors are not AI edits; records of the wrong shape or with bad ranges are skipped and counted.

import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import type { EditEvent, SessionInfo, StructuredHunk } from "../../events/edit-event";
import { readObjects } from "../../git/cat-file";
import { findRepository } from "../../git/repository";
import { addModel, eventId, newSession, normalizeTimestamp, touchSession } from "../../traces/common";
import { parseJsonObject, readLines } from "../../traces/jsonl-reader";
import type { ParseInput, ParseOutput, TraceParser } from "../../traces/parser";
import { normalizePath } from "../../util/paths";
import { modelOf, readAgentTraceRecord, type AgentTraceContributor, type AgentTraceRange, type AgentTraceRecord } from "./record";

interface Found {
  record: AgentTraceRecord;
  offset: number;
}

/** The folder record paths are relative to: the parent of `.agent-trace/`, else the file's repository root. */
async function rootOf(path: string): Promise<string> {
  const dir = dirname(path);
  if (basename(dir) === ".agent-trace") return dirname(dir);
  return (await findRepository(dir))?.root ?? dir;
}

function splitText(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

export class AgentTraceParser implements TraceParser {
  readonly agent = "agent-trace" as const;

  async parse(input: ParseInput): Promise<ParseOutput> {
    const found: Found[] = [];
    let skipped = 0;
    const read = await readLines(input.path, {
      fromOffset: input.fromOffset,
      onLine: (line, offset) => {
        const value = parseJsonObject(line);
        const record = value ? readAgentTraceRecord(value) : null;
        if (record === null) skipped++;
        else found.push({ record, offset });
      },
    });
    const root = await rootOf(input.path);
    const texts = await this.texts(root, found);
    const sessions = new Map<string, SessionInfo>();
    const events: EditEvent[] = [];
    for (const { record, offset } of found) {
      const timestamp = normalizeTimestamp(record.timestamp);
      if (timestamp === undefined) {
        skipped++;
        continue;
      }
      record.files.forEach((file, fileIndex) => {
        const abs = normalizePath(isAbsolute(file.path) ? file.path : join(root, file.path));
        const lines = texts.get(`${record.id}\u0000${file.path}`) ?? null;
        file.conversations.forEach((conversation, convIndex) => {
          // Ranges grouped by their effective contributor (a range may override its conversation's, e.g. a handoff).
          const byModel = new Map<string, AgentTraceRange[]>();
          for (const range of conversation.ranges) {
            const who: AgentTraceContributor | undefined = range.contributor ?? conversation.contributor;
            if (who?.type !== "ai") continue;
            const model = modelOf(who.model_id);
            byModel.set(model, [...(byModel.get(model) ?? []), range]);
          }
          for (const [model, ranges] of byModel) {
            const hunks: StructuredHunk[] = [];
            for (const r of ranges) {
              if (lines === null || r.end_line > lines.length) {
                skipped++;
                continue;
              }
              const run = lines.slice(r.start_line - 1, r.end_line);
              hunks.push({ oldStart: r.start_line, oldLines: 0, newStart: r.start_line, newLines: run.length, lines: run.map((l) => `+${l}`) });
            }
            if (hunks.length === 0) continue;
            const sessionId = conversation.url ?? record.id;
            const session = sessions.get(sessionId) ?? { ...newSession(sessionId, this.agent, input.path), agentVersion: toolVersion(record), cwd: root };
            sessions.set(sessionId, session);
            touchSession(session, timestamp);
            addModel(session, model);
            const callId = `${record.id}#${fileIndex}.${convIndex}${byModel.size > 1 ? `.${model}` : ""}`;
            events.push({
              id: eventId(this.agent, sessionId, callId, abs),
              file: abs,
              action: "EDITED",
              timestamp,
              model,
              agent: this.agent,
              agentVersion: toolVersion(record),
              sessionId,
              parentSessionId: null,
              subagentId: null,
              traceFile: input.path,
              traceOffset: offset,
              toolCallId: callId,
              toolName: record.tool?.name ?? "agent-trace",
              promptId: null,
              promptText: typeof record.metadata?.prompt === "string" ? record.metadata.prompt.slice(0, 500) : null,
              changeSize: hunks.reduce((n, h) => n + h.lines.reduce((m, l) => m + l.length - 1, 0), 0),
              change: { hunks },
            });
          }
        });
      });
    }
    const out: ParseOutput = { events, sessions: [...sessions.values()], endOffset: read.endOffset, state: null, skippedLines: skipped + read.skippedLines, bytesRead: read.bytesRead };
    if (read.error !== undefined) out.error = read.error;
    return out;
  }

  /** Each (record, file)'s lines: at `vcs.revision` when git has them there, else the file as it is now. */
  private async texts(root: string, found: Found[]): Promise<Map<string, string[]>> {
    const texts = new Map<string, string[]>();
    const repo = found.some((f) => f.record.vcs?.type === "git") ? await findRepository(root) : null;
    const names = new Map<string, string>();
    if (repo !== null) {
      for (const { record } of found) {
        if (record.vcs?.type !== "git" || !/^[0-9A-Za-z._\-/^~]+$/.test(record.vcs.revision)) continue;
        for (const file of record.files) {
          const rel = relative(repo.root, isAbsolute(file.path) ? file.path : join(root, file.path)).split("\\").join("/");
          if (!rel.startsWith("..")) names.set(`${record.id}\u0000${file.path}`, `${record.vcs.revision}:${rel}`);
        }
      }
    }
    let objects = new Map<string, { type: string; content: Buffer } | null>();
    try {
      if (repo !== null && names.size > 0) objects = await readObjects(repo.root, [...new Set(names.values())]);
    } catch {
      objects = new Map();
    }
    const current = new Map<string, string[] | null>();
    for (const { record } of found) {
      for (const file of record.files) {
        const key = `${record.id}\u0000${file.path}`;
        const name = names.get(key);
        const object = name === undefined ? null : objects.get(name);
        const atRevision = object && object.type === "blob" ? splitText(object.content.toString("utf8")) : null;
        const needed = Math.max(0, ...file.conversations.flatMap((c) => c.ranges.map((r) => r.end_line)));
        if (atRevision !== null && atRevision.length >= needed) {
          texts.set(key, atRevision);
          continue;
        }
        if (!current.has(file.path)) {
          try {
            current.set(file.path, splitText(await readFile(isAbsolute(file.path) ? file.path : join(root, file.path), "utf8")));
          } catch {
            current.set(file.path, null);
          }
        }
        const now = current.get(file.path);
        if (now) texts.set(key, now);
      }
    }
    return texts;
  }
}

function toolVersion(record: AgentTraceRecord): string | null {
  if (!record.tool) return null;
  return record.tool.version ? `${record.tool.name} ${record.tool.version}` : record.tool.name;
}
