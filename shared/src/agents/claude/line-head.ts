// What the first bytes of a Claude Code record in the compact layout it writes say about the record, read in one pass:
// the top-level members before the first object or array value (the record `type` of most records, and whether the
// `message` is an assistant's), and one walk over an assistant line's tool_use blocks (id and name of each). The
// parser's prefilter dispatches on these instead of searching whole lines (thinking blocks, tool inputs) once per
// needle; anything these readers do not recognise is answered `undefined` and the line takes the needle path.

import { bytesAt, needle, stringAt } from "../../traces/jsonl-reader";

export interface ClaudeHead {
  /** The top-level `type` when it comes before the first object or array member (user, system, summary, …). */
  type?: string;
  /** Whether the first object member is `"message":{"model":"` (only an assistant's message carries a model). */
  assistantMessage: boolean;
  /**
   * The top-level `parentUuid` when the head holds it: the index its string's text starts at, PARENT_NULL for a null
   * value, PARENT_UNKNOWN when the head has none (or another value).
   */
  parentAt: number;
  /** The index of the first object or array member's key (its quote); -1 when the record has none. */
  member: number;
}

export const PARENT_NULL = -2;
export const PARENT_UNKNOWN = -1;

/** Bytes of a line walked at most for its head (the scalar members before `message` are a few hundred). */
const HEAD_BYTES = 4096;
const KEY_TYPE = needle("type");
const KEY_MESSAGE = needle("message");
const KEY_PARENT = needle("parentUuid");
const KEY_MODEL = needle("model");
const KEY_CONTENT = needle("content");
const MESSAGE_MODEL = needle('{"model":"');
const MESSAGE_OPEN = needle('"message":{');
const TYPE_USER = needle('user"');
const TYPE_ASSISTANT = needle('assistant"');
const NULL = needle("null");

/** The index of the quote closing the JSON string whose text starts at `from`, or -1 before `limit`. */
function stringEnd(line: Buffer, from: number, limit: number): number {
  let at = line.indexOf(0x22, from);
  while (at !== -1 && at < limit) {
    let slashes = 0;
    while (line[at - 1 - slashes] === 0x5c) slashes++;
    if (slashes % 2 === 0) return at;
    at = line.indexOf(0x22, at + 1);
  }
  return -1;
}

/** Whether the key whose text is `[from, to)` is `key`. */
function keyIs(line: Buffer, from: number, to: number, key: Buffer): boolean {
  return to - from === key.length && bytesAt(line, from, key);
}

/** Whether `[from, to)` holds no backslash. */
function plain(line: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (line[i] === 0x5c) return false;
  return true;
}

/**
 * One member `"key":value` of a compact object, read at `at` (its key's quote), into `walked` (reused: one line is
 * walked at a time, and a walk allocates nothing): `value` is the index of the value's first byte and `end` the
 * index just after it; for an object or array value, `end` is -1 (not walked). False when the bytes are not that
 * layout (an escape in the key, whitespace, a value running past `limit`).
 */
const walked = { keyEnd: 0, value: 0, end: 0 };

function readMember(line: Buffer, at: number, limit: number): boolean {
  if (line[at] !== 0x22) return false;
  const keyEnd = line.indexOf(0x22, at + 1);
  if (keyEnd === -1 || keyEnd >= limit || line[keyEnd + 1] !== 0x3a || line[keyEnd - 1] === 0x5c) return false;
  const value = keyEnd + 2;
  const c = line[value];
  let end: number;
  if (c === 0x22) {
    const close = stringEnd(line, value + 1, limit);
    if (close === -1) return false;
    end = close + 1;
  } else if (c === 0x7b || c === 0x5b) {
    end = -1;
  } else {
    // true, false, null or a number: none holds a comma, brace or quote.
    end = value;
    while (end < limit && line[end] !== 0x2c && line[end] !== 0x7d && line[end] !== 0x22) end++;
  }
  walked.keyEnd = keyEnd;
  walked.value = value;
  walked.end = end;
  return true;
}

/**
 * The last run of plain members a head walk met (scalar members that are neither `type`, `parentUuid` nor `model`, each
 * with its comma: `"isSidechain":false,…,"slug":"…",`), as a copy of its bytes. A session's records repeat the same run
 * after their parent uuid, so a head whose bytes there are the same is stepped over by one comparison instead of a
 * walk of its ~8 members: the walk reads nothing from such members, and bytes that are the same walk the same way.
 */
let plainRun: Buffer | null = null;
/** Runs shorter than this are walked: the comparison would save little. */
const MIN_PLAIN_RUN = 48;

/** Keeps `[from, to)` of `line` (a run of plain members the walk just read) as the run to compare the next heads with. */
function keepPlainRun(line: Buffer, from: number, to: number): void {
  if (to - from < MIN_PLAIN_RUN) return;
  if (plainRun !== null && plainRun.length === to - from && line.compare(plainRun, 0, plainRun.length, from, to) === 0) return;
  plainRun = Buffer.from(line.subarray(from, to));
}

/**
 * The head of the compact record whose `{` is at `first`: its scalar members are walked until the first object or
 * array value. Undefined when the bytes are not a plain `{"key":value,…` run (escapes in keys or `type`, whitespace,
 * members longer than the head limit): the caller then searches the line as before.
 */
export function readClaudeHead(line: Buffer, first: number): ClaudeHead | undefined {
  const limit = Math.min(line.length, first + HEAD_BYTES);
  let type: string | undefined;
  let parentAt = PARENT_UNKNOWN;
  let at = first + 1;
  /** Where the run of plain members being walked started, or -1. */
  let runStart = -1;
  /** Whether the kept run was compared with this line yet (once, at the second member: after the parent uuid). */
  let compared = false;
  while (at < limit) {
    if (!compared && at !== first + 1) {
      compared = true;
      const run = plainRun;
      if (run !== null && at + run.length <= limit && line.compare(run, 0, run.length, at, at + run.length) === 0) {
        at += run.length;
        runStart = -1;
        continue;
      }
    }
    if (!readMember(line, at, limit)) return undefined;
    const m = walked;
    if (m.end === -1) {
      if (runStart !== -1) keepPlainRun(line, runStart, at);
      const assistantMessage =
        line[m.value] === 0x7b && keyIs(line, at + 1, m.keyEnd, KEY_MESSAGE) && bytesAt(line, m.value, MESSAGE_MODEL);
      return { type, assistantMessage, parentAt, member: at };
    }
    // A model before the message would be the first one in the line: such a head is left to the needle path.
    if (keyIs(line, at + 1, m.keyEnd, KEY_MODEL)) return undefined;
    if (line[m.value] === 0x22 && keyIs(line, at + 1, m.keyEnd, KEY_TYPE)) {
      if (runStart !== -1) keepPlainRun(line, runStart, at);
      runStart = -1;
      if (!plain(line, m.value + 1, m.end - 1)) return undefined;
      if (bytesAt(line, m.value + 1, TYPE_USER) && m.end === m.value + 1 + TYPE_USER.length) type = "user";
      else if (bytesAt(line, m.value + 1, TYPE_ASSISTANT) && m.end === m.value + 1 + TYPE_ASSISTANT.length) type = "assistant";
      else type = line.toString("latin1", m.value + 1, m.end - 1);
    } else if (keyIs(line, at + 1, m.keyEnd, KEY_PARENT)) {
      if (runStart !== -1) keepPlainRun(line, runStart, at);
      runStart = -1;
      // Both tests run for every parent: a null one (a session's first record) met only after V8 optimized this
      // function made it deoptimize and compile it again ("insufficient type feedback").
      const isString = line[m.value] === 0x22;
      const nullLength = m.end - m.value === NULL.length;
      const spellsNull = bytesAt(line, m.value, NULL);
      parentAt = isString ? m.value + 1 : nullLength && spellsNull ? PARENT_NULL : PARENT_UNKNOWN;
    } else if (runStart === -1) {
      runStart = at;
    }
    if (line[m.end] === 0x7d) return { type, assistantMessage: false, parentAt, member: -1 };
    if (line[m.end] !== 0x2c) return undefined;
    at = m.end + 1;
  }
  return undefined;
}

/** Where an assistant message's model and content start: the text of its `model`, and its content array's `[`. */
export interface AssistantMessage {
  modelAt: number;
  contentAt: number;
}

/**
 * The model and content of the message member at `member` (`"message":{…`), when its members before `content` are all
 * scalars and `content` is an array; undefined otherwise (the caller searches the line as before).
 */
export function assistantMessage(line: Buffer, member: number): AssistantMessage | undefined {
  if (!bytesAt(line, member, MESSAGE_OPEN)) return undefined;
  const limit = Math.min(line.length, member + HEAD_BYTES);
  let at = member + MESSAGE_OPEN.length;
  let modelAt = -1;
  while (at < limit) {
    if (!readMember(line, at, limit)) return undefined;
    const m = walked;
    if (m.end === -1) {
      if (line[m.value] !== 0x5b || !keyIs(line, at + 1, m.keyEnd, KEY_CONTENT) || modelAt === -1) return undefined;
      return { modelAt, contentAt: m.value };
    }
    if (modelAt === -1 && line[m.value] === 0x22 && keyIs(line, at + 1, m.keyEnd, KEY_MODEL)) modelAt = m.value + 1;
    if (line[m.end] !== 0x2c) return undefined;
    at = m.end + 1;
  }
  return undefined;
}

const TOOL_USE = needle('"tool_use"');
const TYPE_KEY = needle('"type":');
const STOP_REASON_KEY = needle('"stop_reason":');
const ID_AFTER_TYPE = needle(',"id":"');
const NAME_AFTER_ID = needle('","name":"');

export interface ToolCall {
  id: string;
  name: string;
  /** Where the call's id starts in the line (its input follows). */
  at: number;
}

/**
 * Every tool_use block of an assistant line, in one pass over the line's `"tool_use"` occurrences from `from`: each
 * must be a block in the layout Claude Code writes (`"type":"tool_use","id":"…","name":"…"`) or the `stop_reason`
 * value; anything else (another layout, a key of that name) makes the answer undefined.
 */
export function toolCallsOf(line: Buffer, from = 0): ToolCall[] | undefined {
  const calls: ToolCall[] = [];
  for (let at = line.indexOf(TOOL_USE, from); at !== -1; at = line.indexOf(TOOL_USE, at + 1)) {
    if (bytesAt(line, at - STOP_REASON_KEY.length, STOP_REASON_KEY)) continue;
    if (!bytesAt(line, at - TYPE_KEY.length, TYPE_KEY) || !bytesAt(line, at + TOOL_USE.length, ID_AFTER_TYPE)) return undefined;
    const idStart = at + TOOL_USE.length + ID_AFTER_TYPE.length;
    const idEnd = line.indexOf(0x22, idStart);
    if (idEnd === -1 || line[idEnd - 1] === 0x5c || !bytesAt(line, idEnd, NAME_AFTER_ID)) return undefined;
    const nameStart = idEnd + NAME_AFTER_ID.length;
    const nameEnd = line.indexOf(0x22, nameStart);
    if (nameEnd === -1 || line[nameEnd - 1] === 0x5c) return undefined;
    calls.push({ id: line.toString("latin1", idStart, idEnd), name: line.toString("latin1", nameStart, nameEnd), at: idStart });
    at = nameEnd;
  }
  return calls;
}

/**
 * The tool calls of the message content array whose `[` is at `contentAt`. Blocks whose members are all scalars and
 * whose type is not tool_use (text, thinking: most of an assistant line's bytes) are stepped over string by string,
 * so their text is never searched; from the first other block on, the line is searched as toolCallsOf does.
 */
export function contentToolCalls(line: Buffer, contentAt: number): ToolCall[] | undefined {
  let at = contentAt + 1;
  if (line[at] === 0x5d) return [];
  for (;;) {
    const block = at;
    if (line[block] !== 0x7b) return toolCallsOf(line, block);
    at = block + 1;
    for (;;) {
      if (!readMember(line, at, line.length) || walked.end === -1) return toolCallsOf(line, block);
      const m = walked;
      if (keyIs(line, at + 1, m.keyEnd, KEY_TYPE) && bytesAt(line, m.value, TOOL_USE)) return toolCallsOf(line, block);
      at = m.end + 1;
      if (line[m.end] === 0x7d) break;
      if (line[m.end] !== 0x2c) return toolCallsOf(line, block);
    }
    if (line[at] === 0x5d) return [];
    if (line[at] !== 0x2c) return toolCallsOf(line, block);
    at++;
  }
}

const UUID = needle('"uuid":"');
const TIMESTAMP_AFTER_UUID = needle('","timestamp":');
/** Bytes after a uuid searched for its timestamp (`,"timestamp":"2025-…"` is ~45). */
const TIMESTAMP_PEEK = 96;

/**
 * The record's own uuid and the timestamp after it. A tool result's follows its message (its result, which may hold
 * whole records, comes after it): the first `"uuid":"…","timestamp":` past the result id. Elsewhere the last such
 * pair (nested records come earlier); else the last uuid in the line, without a timestamp.
 */
export function peekTopLevelUuid(line: Buffer, resultAt: number): { uuid: string; timestamp?: string } | undefined {
  if (resultAt !== -1) {
    for (let at = line.indexOf(UUID, resultAt); at !== -1; at = line.indexOf(UUID, at + 1)) {
      const found = uuidWithTimestamp(line, at);
      if (found !== undefined) return found;
    }
  }
  let at = line.lastIndexOf(UUID);
  let fallback: number | undefined;
  while (at !== -1) {
    fallback ??= at;
    const found = uuidWithTimestamp(line, at);
    if (found !== undefined) return found;
    at = at === 0 ? -1 : line.lastIndexOf(UUID, at - 1);
  }
  if (fallback === undefined) return undefined;
  const close = line.indexOf(0x22, fallback + UUID.length);
  return close === -1 ? undefined : { uuid: line.toString("utf8", fallback + UUID.length, close) };
}

/** The uuid at `at` when the timestamp key follows it, with that timestamp. */
function uuidWithTimestamp(line: Buffer, at: number): { uuid: string; timestamp?: string } | undefined {
  const close = line.indexOf(0x22, at + UUID.length);
  if (close === -1 || !bytesAt(line, close, TIMESTAMP_AFTER_UUID)) return undefined;
  const uuid = line.toString("utf8", at + UUID.length, close);
  const value = close + TIMESTAMP_AFTER_UUID.length;
  const timestamp = line[value] === 0x22 ? stringAt(line, value + 1, close + 1 + TIMESTAMP_PEEK) : undefined;
  return timestamp === undefined ? { uuid } : { uuid, timestamp };
}
