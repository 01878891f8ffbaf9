// Small helpers shared by the agent parsers: safe field access on untrusted JSON, timestamp normalization, prompt
// snippets, event ids and insertion-ordered bounded maps for resumable state. Nothing here throws on bad input;
// a missing or wrongly typed field reads as undefined.

import type { AgentKind, SessionInfo } from "../events/edit-event";

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** ISO 8601 UTC (`new Date(x).toISOString()`), or undefined when the value is not a valid date. */
export function normalizeTimestamp(value: unknown): string | undefined {
  // Traces almost always hold the canonical form already: checked by its digits, it is its own normal form.
  if (typeof value === "string" && isCanonicalUtc(value)) return value;
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  if (typeof value === "string" && value.trim() === "") return undefined;
  const date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time) || time < 0 || time > 8.64e15) return undefined;
  return date.toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number spelled by the ASCII digits of `s` in `[from, to)`, or -1 when one is not a digit. */
function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` with every field in range and a year from 1970 (what toISOString gives back as is).
 * Character codes and a top-level digit reader, not one-character strings and a closure: it runs once per trace line
 * from the first line on, mostly before the optimizing compiler has seen it.
 */
function isCanonicalUtc(s: string): boolean {
  if (s.length !== 24) return false;
  // - - T : : . Z
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return false;
  if (s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false;
  const hour = digitsAt(s, 11, 13);
  const minute = digitsAt(s, 14, 16);
  const second = digitsAt(s, 17, 19);
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && digitsAt(s, 20, 23) >= 0;
}

const PROMPT_LIMIT = 500;

/** The first lines of a prompt, trimmed, at most 500 characters (cut at a line end when one fits). */
export function promptSnippet(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (trimmed.length <= PROMPT_LIMIT) return trimmed;
  const cut = trimmed.slice(0, PROMPT_LIMIT);
  const lastBreak = cut.lastIndexOf("\n");
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : cut).trimEnd();
}

/** The stable event id: agent + session + tool call + file. */
export function eventId(agent: AgentKind, sessionId: string, toolCallId: string, file: string): string {
  return `${agent}:${sessionId}:${toolCallId}:${file}`;
}

/**
 * Per bounded map, an iterator standing at its oldest live entry (everything before it was evicted through it; a key
 * set again moves past it), kept on the map under this symbol (a property lookup; a WeakMap's cost one per set once
 * the map is full). A fresh `keys()` per eviction walks every slot deleted since the map's table was last rebuilt,
 * which made each eviction of a full 1,024-link map cost a scan.
 */
const OLDEST = Symbol("oldest entry");
type Cursored<K> = Map<K, unknown> & { [OLDEST]?: Iterator<K> };

/** Adds `key → value` to an insertion-ordered map, evicting the oldest entries beyond `cap`. */
export function boundedSet<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  const size = map.size;
  map.set(key, value);
  if (map.size === size) {
    // An existing key: set again, it becomes the newest.
    map.delete(key);
    map.set(key, value);
  }
  if (map.size <= cap) return;
  const cursored = map as Cursored<K>;
  let cursor = cursored[OLDEST];
  while (map.size > cap) {
    let oldest = cursor?.next();
    if (cursor === undefined || oldest!.done) {
      // An exhausted iterator stays done even when keys are added later: start a new one at the front.
      cursor = map.keys();
      cursored[OLDEST] = cursor;
      oldest = cursor.next();
      if (oldest.done) break;
    }
    map.delete(oldest!.value as K);
  }
}

/** Restores a map from its serialised entries, ignoring entries of the wrong shape. */
export function restoreMap<V>(entries: unknown, check: (value: unknown) => value is V): Map<string, V> {
  const map = new Map<string, V>();
  if (!Array.isArray(entries)) return map;
  for (const entry of entries) {
    if (Array.isArray(entry) && typeof entry[0] === "string" && check(entry[1])) map.set(entry[0], entry[1]);
  }
  return map;
}

export function newSession(sessionId: string, agent: AgentKind, traceFile: string): SessionInfo {
  return {
    sessionId,
    agent,
    agentVersion: null,
    cwd: null,
    gitBranch: null,
    slug: null,
    traceFile,
    startTime: null,
    endTime: null,
    models: [],
    parentSessionId: null,
    subagentId: null,
    firstPrompt: null,
  };
}

/** Widens a session's time range with one record's timestamp. */
export function touchSession(session: SessionInfo, timestamp: string | undefined): void {
  if (timestamp === undefined) return;
  // Both times are stored on every call: a store only on a rare branch (a line older than its session's start) made
  // V8 deoptimize this function, inlined in the parsers' hot paths, the first time a trace had one.
  const start = session.startTime;
  const end = session.endTime;
  session.startTime = start === null || timestamp < start ? timestamp : start;
  session.endTime = end === null || timestamp > end ? timestamp : end;
}

export function addModel(session: SessionInfo, model: string | undefined | null): void {
  if (model && model !== "<synthetic>" && !session.models.includes(model)) session.models.push(model);
}

/** Whether a restored value has the shape of a SessionInfo (state written by an older build may not). */
export function isSessionInfo(value: unknown): value is SessionInfo {
  const r = asRecord(value);
  return !!r && typeof r.sessionId === "string" && typeof r.traceFile === "string" && Array.isArray(r.models);
}
