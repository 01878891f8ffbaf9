// A small but real Claude Code parser for the index tests (the production parsers live in shared/src/traces): it
// streams with the production line reader, pairs tool_use calls with their results across resumes through its
// JSON state, and records every call's fromOffset so tests can see what the index asked for.

import type { EditEvent, SessionInfo } from "../../../src/events/edit-event";
import { parseJsonObject, readLines } from "../../../src/traces/jsonl-reader";
import { openTraceIndex } from "../../../src/store/trace-index";
import type { ParseInput, ParseOutput, TraceParser } from "../../../src/traces/parser";
import { discovered } from "./fixtures";

interface MiniState {
  pending: Record<string, { model: string; name: string }>;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

export interface MiniParser extends TraceParser {
  calls: { path: string; fromOffset: number }[];
}

export function createMiniClaudeParser(): MiniParser {
  const calls: { path: string; fromOffset: number }[] = [];
  return {
    agent: "claude-code",
    calls,
    async parse(input: ParseInput): Promise<ParseOutput> {
      calls.push({ path: input.path, fromOffset: input.fromOffset });
      const state: MiniState = isObj(input.state) ? structuredClone(input.state as unknown as MiniState) : { pending: {} };
      const events: EditEvent[] = [];
      const sessions = new Map<string, SessionInfo>();
      let skippedLines = 0;
      const read = await readLines(input.path, {
        fromOffset: input.fromOffset,
        onLine(line, offset) {
          const record = parseJsonObject(line);
          if (record === undefined) {
            skippedLines += 1;
            return;
          }
          const sessionId = typeof record["sessionId"] === "string" ? record["sessionId"] : null;
          const timestamp = typeof record["timestamp"] === "string" ? record["timestamp"] : null;
          if (sessionId === null || timestamp === null) return;
          const session = sessions.get(sessionId) ?? {
            sessionId, agent: "claude-code", agentVersion: typeof record["version"] === "string" ? record["version"] : null,
            cwd: typeof record["cwd"] === "string" ? record["cwd"] : null, gitBranch: null, slug: null, traceFile: input.path,
            startTime: timestamp, endTime: timestamp, models: [], parentSessionId: null, subagentId: null, firstPrompt: null,
          };
          session.endTime = timestamp;
          sessions.set(sessionId, session);
          const message = isObj(record["message"]) ? record["message"] : {};
          const content = Array.isArray(message["content"]) ? message["content"] : [];
          if (record["type"] === "assistant") {
            const model = typeof message["model"] === "string" ? message["model"] : "unknown";
            if (!session.models.includes(model)) session.models.push(model);
            for (const item of content) {
              if (isObj(item) && item["type"] === "tool_use" && typeof item["id"] === "string" && typeof item["name"] === "string") {
                state.pending[item["id"]] = { model, name: item["name"] };
              }
            }
            return;
          }
          const result = record["toolUseResult"];
          for (const item of content) {
            if (!isObj(item) || item["type"] !== "tool_result" || typeof item["tool_use_id"] !== "string") continue;
            const call = state.pending[item["tool_use_id"]];
            if (call === undefined || item["is_error"] === true || !isObj(result) || typeof result["filePath"] !== "string") continue;
            delete state.pending[item["tool_use_id"]];
            const file = result["filePath"];
            const event: EditEvent = {
              id: `claude-code:${sessionId}:${item["tool_use_id"]}:${file}`, file, action: result["type"] === "create" ? "CREATED" : "EDITED",
              timestamp, model: call.model, agent: "claude-code", agentVersion: session.agentVersion, sessionId,
              parentSessionId: null, subagentId: null, traceFile: input.path, traceOffset: offset, toolCallId: item["tool_use_id"],
              toolName: call.name, promptId: null, promptText: null, changeSize: 0, change: {},
            };
            if (typeof result["content"] === "string") {
              event.change.after = input.contents.put(result["content"]);
              event.changeSize = result["content"].length;
            }
            if (typeof result["originalFile"] === "string") event.change.before = input.contents.put(result["originalFile"]);
            if (typeof result["oldString"] === "string" && typeof result["newString"] === "string") {
              event.change.edits = [{ oldString: result["oldString"], newString: result["newString"], replaceAll: false }];
              event.changeSize = Math.max(result["oldString"].length, result["newString"].length);
            }
            events.push(event);
          }
        },
      });
      if (read.error !== undefined) throw new Error(read.error);
      return { events, sessions: [...sessions.values()], endOffset: read.endOffset, state, skippedLines, bytesRead: read.bytesRead };
    },
  };
}

/** What a cold, in-memory parse of the files yields (the reference for every incremental result). */
export async function coldEvents(paths: string[]): Promise<EditEvent[]> {
  const index = await openTraceIndex({ dataDir: null, mode: "off", projectKey: "cold" });
  await index.update(paths.map((p) => discovered(p)), { "claude-code": createMiniClaudeParser() });
  return index.events();
}
