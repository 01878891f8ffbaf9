// Codex CLI rollouts → transcripts. Messages come from `response_item` records (injected context shown as system),
// tool calls (function_call, custom_tool_call, local_shell_call) become tool_use blocks at call time and their
// outputs tool_result blocks; apply_patch calls add a file operation per patched file; the model is the turn's.

import { basename } from "node:path";
import { extractPatchFromScript, parseApplyPatch } from "../../traces/apply-patch";
import { resultText } from "../claude/transcript";
import { isInjectedText } from "../../transcripts/injected";
import { emptyMeta, finishTranscript, type ContentBlock, type Transcript, type TranscriptMessage, type TranscriptRole } from "../../transcripts/model";

type Json = Record<string, unknown>;

const rec = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

const CODEX_TYPES = new Set(["session_meta", "response_item", "event_msg", "turn_context", "compacted"]);

export function looksLikeCodex(records: readonly Json[]): boolean {
  return records.slice(0, 50).some((r) => typeof r.type === "string" && CODEX_TYPES.has(r.type) && rec(r.payload) !== undefined);
}

function isoOf(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}


function parseArguments(raw: unknown): unknown {
  if (typeof raw !== "string") return raw ?? null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The patch an apply_patch call carries: a custom tool input, `["apply_patch", patch]`, or a shell script. */
function patchOf(name: string, input: unknown): string | null {
  if (typeof input === "string") return name === "apply_patch" ? input : extractPatchFromScript(input);
  const args = rec(input);
  const command = args?.command ?? args?.cmd;
  if (Array.isArray(command)) {
    const parts = command.filter((c): c is string => typeof c === "string");
    if ((parts[0] === "apply_patch" || parts[0] === "applypatch") && parts[1]) return parts[1];
    return extractPatchFromScript(parts.join(" "));
  }
  if (typeof command === "string") return extractPatchFromScript(command);
  const patch = str(args?.input) ?? str(args?.patch);
  return name === "apply_patch" && patch ? patch : null;
}

function fileOps(patch: string | null, callId: string): ContentBlock[] {
  const ops = patch ? parseApplyPatch(patch) : null;
  if (!ops) return [];
  return ops.map((op): ContentBlock => {
    if (op.kind === "add") return { type: "file_operation", operation: "create", filePath: op.path, toolUseId: callId };
    if (op.kind === "delete") return { type: "file_operation", operation: "delete", filePath: op.path, toolUseId: callId };
    return { type: "file_operation", operation: op.moveTo ? "move" : "edit", filePath: op.moveTo ?? op.path, toolUseId: callId };
  });
}

/** Tool output: plain text, `{output, metadata: {exit_code}}` as a JSON string, or an array of content items. */
function outputOf(raw: unknown): { content: string; isError: boolean } {
  let value = raw;
  if (typeof raw === "string" && raw.startsWith("{")) {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      value = raw;
    }
  }
  const obj = rec(value);
  if (obj && ("output" in obj || "metadata" in obj || "content" in obj)) {
    const exit = num(rec(obj.metadata)?.exit_code);
    const content = resultText(obj.output ?? obj.content);
    return { content, isError: (exit !== null && exit !== 0) || obj.success === false };
  }
  const text = resultText(value);
  const exit = /^Exit code: (\d+)/.exec(text);
  return { content: text, isError: exit !== null && exit[1] !== "0" };
}

export function parseCodexTranscript(records: readonly Json[], traceFile: string): Transcript {
  const meta = emptyMeta("codex-cli", traceFile, basename(traceFile).replace(/\.jsonl(\.zst)?$/, ""));
  const messages: TranscriptMessage[] = [];
  let model: string | null = null;
  let n = 0;
  // A holder, so the closure's updates are visible to TypeScript's narrowing below.
  const latest: { assistant: TranscriptMessage | null } = { assistant: null };
  const push = (role: TranscriptRole, timestamp: string, content: ContentBlock[]): void => {
    const m: TranscriptMessage = { id: `msg_${++n}`, role, timestamp, model: role === "assistant" ? model : null, content, usage: null };
    messages.push(m);
    if (role === "assistant") latest.assistant = m;
  };
  for (const r of records) {
    const timestamp = isoOf(r.timestamp);
    const p = rec(r.payload);
    if (!p || !timestamp) continue;
    if (r.type === "session_meta") {
      if (meta.startTime === null) meta.startTime = isoOf(p.timestamp) ?? timestamp;
      if (typeof p.id === "string") meta.sessionId = p.id;
      meta.cwd ??= str(p.cwd) ?? null;
      meta.agentVersion ??= str(p.cli_version) ?? null;
      meta.gitBranch ??= str(rec(p.git)?.branch) ?? null;
      continue;
    }
    if (r.type === "turn_context") {
      model = str(p.model) ?? model;
      continue;
    }
    if (r.type === "event_msg") {
      const usage = rec(rec(p.info)?.last_token_usage);
      const target = latest.assistant;
      if (p.type === "token_count" && usage && target !== null && target.usage === null) {
        target.usage = {
          inputTokens: num(usage.input_tokens),
          outputTokens: num(usage.output_tokens),
          cacheReadTokens: num(usage.cached_input_tokens),
          cacheCreationTokens: null,
        };
      }
      continue;
    }
    if (r.type !== "response_item") continue;
    if (p.type === "message") {
      const texts = (Array.isArray(p.content) ? p.content : [])
        .map((c) => rec(c))
        .filter((c): c is Json => c !== undefined && typeof c.text === "string")
        .map((c) => c.text as string);
      if (texts.length === 0) continue;
      let role: TranscriptRole = p.role === "assistant" ? "assistant" : p.role === "user" ? "user" : "system";
      if (role === "user" && texts.every(isInjectedText)) role = "system";
      push(role, timestamp, texts.map((text) => ({ type: "text", text })));
    } else if (p.type === "reasoning") {
      const summary = (Array.isArray(p.summary) ? p.summary : [])
        .map((s) => str(rec(s)?.text))
        .filter((s): s is string => s !== undefined);
      if (summary.length > 0) push("assistant", timestamp, [{ type: "thinking", thinking: summary.join("\n\n") }]);
    } else if (p.type === "function_call" || p.type === "custom_tool_call" || p.type === "local_shell_call") {
      const callId = str(p.call_id) ?? str(p.id) ?? `call_${n + 1}`;
      const name = str(p.name) ?? (p.type === "local_shell_call" ? "shell" : "unknown");
      const input = p.type === "function_call" ? parseArguments(p.arguments) : p.type === "custom_tool_call" ? (p.input ?? null) : (p.action ?? null);
      const patchInput = p.type === "local_shell_call" ? rec(p.action) : input;
      push("assistant", timestamp, [{ type: "tool_use", id: callId, name, input }, ...fileOps(patchOf(name, patchInput), callId)]);
    } else if (p.type === "function_call_output" || p.type === "custom_tool_call_output") {
      const callId = str(p.call_id) ?? "";
      const out = outputOf(p.output);
      push("user", timestamp, [{ type: "tool_result", toolUseId: callId, content: out.content, isError: out.isError }]);
    }
  }
  return finishTranscript(meta, messages);
}
