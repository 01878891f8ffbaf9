// Codex CLI rollout parser: `apply_patch` calls (custom tool, function, or via the shell) and shell heredoc writes
// become edit events once their output (or `patch_apply_end`) reports success; each call gets the model and cwd of
// the turn it was made in and the latest user prompt before it. A call is emitted at most once however many success
// signals follow, and the resumable state (pending calls, turn, prompt, session) is JSON-serialisable and bounded.

import { basename } from "node:path";
import type { EditEvent, SessionInfo } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { resolveAgentPath } from "../../util/paths";
import { codexChangeOps, codexEventsOf, codexOpEdits, type ResolvedOp } from "./changes";
import { customToolCallEdits, functionCallEdits, outputSucceeded, type CallEdits } from "./calls";
import { CodexState, type PendingCall } from "./state";
import { addModel, asArray, asRecord, asString, eventId, normalizeTimestamp, promptSnippet, touchSession, type Json } from "../../traces/common";
import { bytesAt, compactLayout, contains, needle, parseJsonObject, peekString } from "../../traces/jsonl-reader";
import { parseLines, type LineRun } from "../../traces/line-run";
import type { ParseInput, ParseOutput, TraceParser } from "../../traces/parser";

const N = {
  parse: ['"session_meta"', '"turn_context"', '"function_call"', '"custom_tool_call"', '"local_shell_call"', '"user_message"', '"patch_apply_end"', '"role":"user"'].map(needle),
  outputs: ['"function_call_output"', '"custom_tool_call_output"'].map(needle),
  callId: needle('"call_id":"'),
  roleUser: needle('"role":"user"'),
  /**
   * What a function call needs to edit (calls.ts): `apply_patch`/`applypatch` (its name, or in its command) or a
   * heredoc, or an escape that could spell either.
   */
  callEdits: ["apply", "<<", "\\u"].map(needle),
  timestamp: needle('"timestamp":"'),
};

/** The head of a rollout record: `{"timestamp":"…","type":"…","payload":{"type":"…"` (payload type optional). */
const HEAD = { timestamp: needle('{"timestamp":"'), type: needle('","type":"'), payload: needle('","payload":{"type":"') };
const ROLE_AFTER_TYPE = { user: needle(',"role":"user"'), other: needle(',"role":"') };
/** Bytes of a head field read at most (timestamps and record kinds are short). */
const HEAD_FIELD = 64;

/** What a record's head decides, by its record type (each spelled with its closing quote). */
const Kind = {
  /** A type or payload type the prefilter knows it can skip. */
  Skip: 0,
  Parse: 1,
  /** A call's output: parsed only when it answers a pending call. */
  Output: 2,
  /** A response message: parsed when its role is the user's. */
  Message: 3,
  /** A function or shell call: parsed when its bytes could hold a patch or a heredoc. */
  Call: 4,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];
/** A name the head is matched against (with its closing quote), and what it decides. */
interface Name {
  bytes: Buffer;
  kind: Kind;
}
const EVENT_KINDS: Name[] = [
  { bytes: needle('user_message"'), kind: Kind.Parse },
  { bytes: needle('patch_apply_end"'), kind: Kind.Parse },
];
const ITEM_KINDS: Name[] = [
  { bytes: needle('message"'), kind: Kind.Message },
  { bytes: needle('function_call"'), kind: Kind.Call },
  { bytes: needle('custom_tool_call"'), kind: Kind.Parse },
  { bytes: needle('local_shell_call"'), kind: Kind.Call },
  { bytes: needle('function_call_output"'), kind: Kind.Output },
  { bytes: needle('custom_tool_call_output"'), kind: Kind.Output },
];
/** Record types: those with payload kinds to read, and those always parsed (null). */
const RECORD_TYPES: { bytes: Buffer; payloads: Name[] | null }[] = [
  { bytes: needle('event_msg"'), payloads: EVENT_KINDS },
  { bytes: needle('response_item"'), payloads: ITEM_KINDS },
  { bytes: needle('session_meta"'), payloads: null },
  { bytes: needle('turn_context"'), payloads: null },
];

/**
 * The head of a record in the layout Codex writes, read in place (no string is made for its type or kind): what the
 * record's type and payload type decide, the timestamp's byte range, and for a message whether its role (right after
 * its type) is the user's. Undefined when the head is not that layout or its type is not one the prefilter knows.
 */
interface Head {
  kind: Kind;
  timestampStart: number;
  timestampEnd: number;
  userMessage?: boolean;
}

/** The end of the plain (no escape) JSON string whose text starts at `from`, at most HEAD_FIELD bytes; -1 otherwise. */
function plainEnd(line: Buffer, from: number): number {
  const end = line.indexOf(0x22, from);
  if (end === -1 || end - from > HEAD_FIELD) return -1;
  for (let i = from; i < end; i++) if (line[i] === 0x5c) return -1;
  return end;
}

/**
 * The index of the entry of `names` spelled at `at`, or -1. Indexed loops, not iterator destructuring or callbacks:
 * this runs on every line from the first one on, much of it before the optimizing compiler takes over.
 */
function nameAt(line: Buffer, at: number, names: readonly { bytes: Buffer }[]): number {
  for (let i = 0; i < names.length; i++) if (bytesAt(line, at, names[i]!.bytes)) return i;
  return -1;
}

function readHead(line: Buffer, start: number): Head | undefined {
  if (!bytesAt(line, start, HEAD.timestamp)) return undefined;
  const timestampStart = start + HEAD.timestamp.length;
  const timestampEnd = plainEnd(line, timestampStart);
  if (timestampEnd === -1 || !bytesAt(line, timestampEnd, HEAD.type)) return undefined;
  const typeAt = timestampEnd + HEAD.type.length;
  const type = nameAt(line, typeAt, RECORD_TYPES);
  if (type === -1) return undefined;
  const { bytes, payloads } = RECORD_TYPES[type]!;
  if (payloads === null) return { kind: Kind.Parse, timestampStart, timestampEnd };
  const payloadAt = typeAt + bytes.length - 1;
  if (!bytesAt(line, payloadAt, HEAD.payload)) return undefined;
  const kindStart = payloadAt + HEAD.payload.length;
  const known = nameAt(line, kindStart, payloads);
  // Any other payload type is one the prefilter skips, when it is a plain string.
  const kindEnd = known !== -1 ? kindStart + payloads[known]!.bytes.length - 1 : plainEnd(line, kindStart);
  if (kindEnd === -1) return undefined;
  const head: Head = { kind: known !== -1 ? payloads[known]!.kind : Kind.Skip, timestampStart, timestampEnd };
  if (head.kind === Kind.Message) {
    const at = kindEnd + 1;
    if (bytesAt(line, at, ROLE_AFTER_TYPE.user)) head.userMessage = true;
    else if (bytesAt(line, at, ROLE_AFTER_TYPE.other)) head.userMessage = false;
  }
  return head;
}

/** Injected context Codex records as user messages; not typed by the user. */
const NOT_A_PROMPT = /^(<environment_context>|<user_instructions>|<INSTRUCTIONS>|# AGENTS\.md|<user_shell_command>|<turn_aborted>)/;

export class CodexTraceParser implements TraceParser {
  readonly agent = "codex-cli" as const;

  async parse(input: ParseInput): Promise<ParseOutput> {
    const run = new CodexRun(input.path, CodexState.restore(input.state, input.path), input.contents);
    return parseLines(input, run, input.path.endsWith(".zst"));
  }
}

class CodexRun implements LineRun {
  readonly events: EditEvent[] = [];
  skipped = 0;

  constructor(
    private readonly path: string,
    readonly state: CodexState,
    private readonly contents: ContentStore,
  ) {}

  finish(): { sessions: SessionInfo[]; state: unknown } {
    const session = this.state.session;
    return { sessions: session ? [{ ...session, models: [...session.models] }] : [], state: this.state.serialize() };
  }

  line(line: Buffer, offset: number): void {
    let first = 0;
    while (first < line.length && (line[first] === 0x20 || line[first] === 0x09)) first++;
    if (first === line.length) return;
    if (line[first] !== 0x7b) {
      this.skipped++;
      return;
    }
    const head = readHead(line, first);
    let parse: boolean;
    let timestamp: string | undefined;
    if (head !== undefined) {
      // The record's kind is in its first bytes: nothing else in the line is searched.
      const kind = head.kind;
      if (kind === Kind.Message) parse = head.userMessage ?? contains(line, N.roleUser);
      else if (kind === Kind.Output) parse = this.answersPending(line);
      else if (kind === Kind.Call) parse = contains(line, N.callEdits[0]!) || contains(line, N.callEdits[1]!) || contains(line, N.callEdits[2]!);
      else parse = kind === Kind.Parse;
      if (!parse) timestamp = line.toString("latin1", head.timestampStart, head.timestampEnd);
      // A call that cannot edit does, unparsed, what its parse would: it opens the session and widens its times.
      if (!parse && kind === Kind.Call) {
        touchSession(this.session(), normalizeTimestamp(timestamp));
        return;
      }
    } else if (!compactLayout(line, first)) {
      // Not the compact layout the needles are spelled in (a re-serialised rollout): parsed whole.
      parse = true;
    } else {
      // Another compact layout (other key order): any of the needles anywhere in the line.
      parse = N.parse.some((n) => contains(line, n));
      if (!parse && N.outputs.some((n) => contains(line, n))) parse = this.answersPending(line);
      if (!parse) timestamp = peekString(line, N.timestamp);
    }
    if (!parse) {
      const ts = normalizeTimestamp(timestamp);
      if (this.state.session) touchSession(this.state.session, ts);
      return;
    }
    const record = parseJsonObject(line);
    const payload = asRecord(record?.payload);
    if (!record || typeof record.type !== "string" || !payload) {
      this.skipped++;
      return;
    }
    this.record(record.type, payload, normalizeTimestamp(record.timestamp), offset);
  }

  /** Whether an output line answers a pending call (its `call_id` is read from the bytes). */
  private answersPending(line: Buffer): boolean {
    const callId = peekString(line, N.callId);
    return callId !== undefined && this.state.pending.has(callId);
  }

  private session(): SessionInfo {
    // The fallback name (two regexes) is worked out only while the file has no session yet.
    return this.state.session ?? this.state.ensureSession(basename(this.path).replace(/\.jsonl(\.zst)?$/, "").replace(/^rollout-[\dT:-]+?-(?=[0-9a-f]{8}-)/, ""));
  }

  private record(type: string, payload: Json, timestamp: string | undefined, offset: number): void {
    if (type === "session_meta") {
      this.state.sessionMeta(payload, this.path);
      touchSession(this.session(), timestamp);
      return;
    }
    const session = this.session();
    touchSession(session, timestamp);
    const kind = asString(payload.type);
    if (type === "turn_context") {
      const model = asString(payload.model);
      if (model) {
        this.state.model = model;
        addModel(session, model);
      }
      const cwd = asString(payload.cwd);
      if (cwd) this.state.turnCwd = cwd;
      return;
    }
    if (type === "event_msg") {
      if (kind === "user_message") this.prompt(asString(payload.message), timestamp ?? String(offset));
      else if (kind === "patch_apply_end") this.patchApplyEnd(payload, timestamp, offset);
      return;
    }
    if (type !== "response_item") return;
    if (kind === "message" && payload.role === "user") {
      // A loop, not a map/filter chain: arrays of changing kinds through one chain made the optimizing compiler redo
      // this step twice per cold index.
      const content = asArray(payload.content) ?? [];
      const texts: string[] = [];
      for (let i = 0; i < content.length; i++) {
        const c = asRecord(content[i]);
        if (c?.type === "input_text" && typeof c.text === "string") texts.push(c.text);
      }
      this.prompt(texts.join("\n"), timestamp ?? String(offset));
    } else if (kind === "function_call" || kind === "local_shell_call") {
      this.call(payload, functionCallEdits(payload));
    } else if (kind === "custom_tool_call") {
      this.call(payload, customToolCallEdits(payload));
    } else if (kind === "function_call_output" || kind === "custom_tool_call_output") {
      const callId = asString(payload.call_id);
      if (!callId || !this.state.pending.has(callId)) return;
      const pending = this.state.takePending(callId)!;
      if (!outputSucceeded(payload.output)) {
        this.state.markDone(callId);
        return;
      }
      if (timestamp === undefined) {
        this.skipped++;
        return;
      }
      this.emitAll(callId, pending, timestamp, offset);
    }
  }

  /** `at` names the prompt within its session: its record's time (the same in every JSON layout, unlike offsets). */
  private prompt(text: string | undefined, at: string): void {
    const trimmed = text?.trim() ?? "";
    if (trimmed === "" || NOT_A_PROMPT.test(trimmed)) return;
    const snippet = promptSnippet(trimmed);
    // Codex records each prompt twice (response_item message and event_msg user_message): keep the first id.
    if (this.state.prompt && this.state.prompt.text === snippet) return;
    const id = `${this.state.sessionId ?? this.path}:${at}`;
    this.state.prompt = { id, text: snippet };
    const session = this.session();
    if (session.firstPrompt === null) session.firstPrompt = snippet;
  }

  private call(payload: Json, edits: CallEdits | null): void {
    const callId = asString(payload.call_id) ?? asString(payload.id);
    if (!callId || !edits || this.state.isDone(callId)) return;
    const cwd = edits.workdir !== null ? resolveAgentPath(edits.workdir, this.state.turnCwd ?? this.session().cwd) : (this.state.turnCwd ?? this.session().cwd);
    const ops: ResolvedOp[] = edits.ops ? codexOpEdits(edits.ops, cwd) : [];
    for (const w of edits.writes) {
      const file = resolveAgentPath(w.path, cwd);
      if (file !== null) ops.push({ kind: "write", path: file, content: w.content });
    }
    if (ops.length === 0) return;
    this.state.addPending(callId, {
      toolName: edits.ops ? "apply_patch" : "shell",
      ops,
      model: this.state.model,
      promptId: this.state.prompt?.id ?? null,
      promptText: this.state.prompt?.text ?? null,
    });
  }

  private patchApplyEnd(payload: Json, timestamp: string | undefined, offset: number): void {
    const callId = asString(payload.call_id);
    if (!callId || this.state.isDone(callId)) return;
    const pending = this.state.takePending(callId);
    const success = payload.success === true || (payload.success === undefined && payload.status === "completed");
    if (!success) {
      this.state.markDone(callId);
      return;
    }
    if (timestamp === undefined) {
      this.skipped++;
      return;
    }
    const fromChanges = codexChangeOps(asRecord(payload.changes), this.state.turnCwd ?? this.session().cwd);
    let ops: ResolvedOp[];
    if (pending) {
      // The patch text is what the model wrote; the recorded unified diffs add exact line numbers.
      ops = pending.ops.map((op) => {
        const recorded = fromChanges.find((c) => c.path === op.path);
        if (op.kind === "update" && recorded?.kind === "update" && recorded.hunks) return { ...op, hunks: recorded.hunks };
        if (op.kind === "delete" && recorded?.kind === "delete" && recorded.before !== undefined) return recorded;
        return op;
      });
    } else {
      ops = fromChanges;
    }
    if (ops.length === 0) return;
    const call: PendingCall = pending
      ? { ...pending, ops }
      : {
          toolName: "apply_patch",
          ops,
          model: this.state.model,
          promptId: this.state.prompt?.id ?? null,
          promptText: this.state.prompt?.text ?? null,
        };
    this.emitAll(callId, call, timestamp, offset);
  }

  private emitAll(callId: string, call: PendingCall, timestamp: string, offset: number): void {
    this.state.markDone(callId);
    const session = this.session();
    const seen = new Set<string>();
    for (const edit of codexEventsOf(call.ops, this.contents)) {
      if (seen.has(edit.file)) continue;
      seen.add(edit.file);
      this.events.push({
        id: eventId("codex-cli", session.sessionId, callId, edit.file),
        file: edit.file,
        action: edit.action,
        timestamp,
        model: call.model ?? "unknown",
        agent: "codex-cli",
        agentVersion: session.agentVersion,
        sessionId: session.sessionId,
        parentSessionId: session.parentSessionId,
        subagentId: session.subagentId,
        traceFile: this.path,
        traceOffset: offset,
        toolCallId: callId,
        toolName: edit.toolName ?? call.toolName,
        promptId: call.promptId,
        promptText: call.promptText,
        changeSize: edit.changeSize,
        change: edit.change,
      });
    }
  }
}
