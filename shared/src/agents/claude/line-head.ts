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
}

/** Bytes of a line walked at most for its head (the scalar members before `message` are a few hundred). */
const HEAD_BYTES = 4096;
const KEY_TYPE = needle("type");
const KEY_MESSAGE = needle("message");
const MESSAGE_MODEL = needle('{"model":"');

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

/**
 * The head of the compact record whose `{` is at `first`: its scalar members are walked until the first object or
 * array value. Undefined when the bytes are not a plain `{"key":value,…` run (escapes in keys or `type`, whitespace,
 * members longer than the head limit): the caller then searches the line as before.
 */
export function readClaudeHead(line: Buffer, first: number): ClaudeHead | undefined {
  const limit = Math.min(line.length, first + HEAD_BYTES);
  let type: string | undefined;
  let at = first + 1;
  while (at < limit && line[at] === 0x22) {
    const keyEnd = line.indexOf(0x22, at + 1);
    if (keyEnd === -1 || keyEnd >= limit || line[keyEnd + 1] !== 0x3a || line[keyEnd - 1] === 0x5c) return undefined;
    const keyLength = keyEnd - at - 1;
    let value = keyEnd + 2;
    const c = line[value];
    if (c === 0x22) {
      const close = stringEnd(line, value + 1, limit);
      if (close === -1) return undefined;
      if (keyLength === KEY_TYPE.length && bytesAt(line, at + 1, KEY_TYPE)) {
        if (line.subarray(value + 1, close).includes(0x5c)) return undefined;
        type = line.toString("latin1", value + 1, close);
      }
      value = close + 1;
    } else if (c === 0x7b || c === 0x5b) {
      const assistantMessage = c === 0x7b && keyLength === KEY_MESSAGE.length && bytesAt(line, at + 1, KEY_MESSAGE) && bytesAt(line, value, MESSAGE_MODEL);
      return type === undefined ? { assistantMessage } : { type, assistantMessage };
    } else {
      // true, false, null or a number: none holds a comma, brace or quote.
      while (value < limit && line[value] !== 0x2c && line[value] !== 0x7d && line[value] !== 0x22) value++;
    }
    if (line[value] === 0x7d) return type === undefined ? { assistantMessage: false } : { type, assistantMessage: false };
    if (line[value] !== 0x2c) return undefined;
    at = value + 1;
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
}

/**
 * Every tool_use block of an assistant line, in one pass over the line's `"tool_use"` occurrences: each must be a
 * block in the layout Claude Code writes (`"type":"tool_use","id":"…","name":"…"`) or the `stop_reason` value;
 * anything else (another layout, a key of that name) makes the answer undefined.
 */
export function toolCallsOf(line: Buffer): ToolCall[] | undefined {
  const calls: ToolCall[] = [];
  for (let at = line.indexOf(TOOL_USE); at !== -1; at = line.indexOf(TOOL_USE, at + 1)) {
    if (bytesAt(line, at - STOP_REASON_KEY.length, STOP_REASON_KEY)) continue;
    if (!bytesAt(line, at - TYPE_KEY.length, TYPE_KEY) || !bytesAt(line, at + TOOL_USE.length, ID_AFTER_TYPE)) return undefined;
    const idStart = at + TOOL_USE.length + ID_AFTER_TYPE.length;
    const idEnd = line.indexOf(0x22, idStart);
    if (idEnd === -1 || line[idEnd - 1] === 0x5c || !bytesAt(line, idEnd, NAME_AFTER_ID)) return undefined;
    const nameStart = idEnd + NAME_AFTER_ID.length;
    const nameEnd = line.indexOf(0x22, nameStart);
    if (nameEnd === -1 || line[nameEnd - 1] === 0x5c) return undefined;
    calls.push({ id: line.toString("latin1", idStart, idEnd), name: line.toString("latin1", nameStart, nameEnd) });
    at = nameEnd;
  }
  return calls;
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
