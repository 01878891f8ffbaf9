// The first frame of a kept replay (replay-cache.ts) as stored, and its checks: everything but the state's chain and
// claims. Compact where a blame reads it on every warm run: the owners as tuples of their values (built into
// objects with the contract's key order when read), the final owners as runs of one code (a 10,000-line file has a
// few hundred).

import type { KeptReplay } from "../attribution/kept-replays";
import type { LineOwnerJson } from "../contract";

/** A kept replay's head, without its version and packs. */
export interface Head extends Omit<KeptReplay, "state"> {
  /** The blamed file (first, so pruning reads it from the file's head). */
  file: string;
}

/** A complete pack as a kept replay names it. */
export type PackStamp = [name: string, size: number, mtimeMs: number];

/** An owner as stored: its event index, then LineOwnerJson's values in toLineOwner's key order. */
type OwnerTuple = [index: number, ...values: (string | null)[]];

const REASONS = new Set([-1, -2, -3]);
/** Owner-code flags (person-edits.ts REFORMATTED, MOVED) and the event index below them. */
const FLAGS = (1 << 28) | (1 << 29);
const EVENT_INDEX = (1 << 28) - 1;
const ACTIONS = new Set<unknown>(["CREATED", "EDITED", "DELETED"]);
/** More lines than any blamed text has: a damaged run length is refused before anything that long is made. */
const MAX_LINES = 1 << 26;

export const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isStringOrNull = (x: unknown): x is string | null => x === null || typeof x === "string";

/** Whether `code` is an owner code of a history of `events` events (a reason, or an event index with flags). */
export function validCode(code: unknown, events: number): boolean {
  return isInt(code) && (code < 0 ? REASONS.has(code) : (code & ~(EVENT_INDEX | FLAGS)) === 0 && (code & EVENT_INDEX) < events);
}

/** The head's JSON as stored, without the version and packs the writer adds around it. */
export function encodeHead(head: Head): string {
  const { file, key, events, created, fallbacks, history, final } = head;
  const stored: Record<string, unknown> = { file, key, events, created, fallbacks };
  if (history !== undefined) {
    const { sources, files, personRenames, scope } = history;
    const owners = history.owners.map(([index, o]): OwnerTuple => [
      index, o.timestamp, o.model, o.agent, o.agentVersion, o.sessionId, o.action, o.toolCallId, o.promptId, o.promptText, o.eventId, o.traceFile,
    ]);
    stored["history"] = { sources, files, personRenames, ...(scope === undefined ? {} : { scope }), owners };
  }
  if (final !== undefined) {
    const runs: number[] = [];
    const codes = final.owners;
    for (let i = 0; i < codes.length; ) {
      let end = i + 1;
      while (end < codes.length && codes[end] === codes[i]) end++;
      runs.push(codes[i] as number, end - i);
      i = end;
    }
    stored["final"] = { text: final.text, runs };
  }
  return JSON.stringify(stored);
}

/** The head of a parsed first frame of format `format`, with its packs; undefined when it is not a valid one. */
export function decodeHead(x: unknown, format: number): { head: Head; packs: PackStamp[] } | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const h = x as Record<string, unknown>;
  const { file, key, events, created, fallbacks, packs } = h;
  if (h["v"] !== format || typeof file !== "string" || typeof key !== "string" || !isInt(events) || !isStringOrNull(created) || !isInt(fallbacks)) {
    return undefined;
  }
  if (!Array.isArray(packs)) return undefined;
  const head: Head = { file, key, events, created, fallbacks };
  if (h["history"] !== undefined) {
    const history = decodeHistory(h["history"], events);
    if (history === undefined) return undefined;
    head.history = history;
  }
  if (h["final"] !== undefined) {
    const final = decodeFinal(h["final"], events);
    if (final === undefined) return undefined;
    head.final = final;
  }
  return { head, packs: packs as PackStamp[] };
}

/** A kept history: its sources, and owners of ascending event indexes below `events`. */
function decodeHistory(x: unknown, events: number): Head["history"] {
  if (typeof x !== "object" || x === null) return undefined;
  const { sources, files, personRenames, scope, owners } = x as Record<string, unknown>;
  if (scope !== undefined && typeof scope !== "string") return undefined;
  if (typeof sources !== "string" || !Array.isArray(files) || !files.every((f) => typeof f === "string") || typeof personRenames !== "boolean") {
    return undefined;
  }
  if (!Array.isArray(owners)) return undefined;
  const out: [number, LineOwnerJson][] = [];
  let previous = -1;
  for (const tuple of owners as unknown[]) {
    if (!Array.isArray(tuple) || tuple.length !== 12) return undefined;
    // Indexed: destructuring walks an iterator per value, and this runs before V8 optimized anything.
    const t = tuple as unknown[];
    const index = t[0];
    const timestamp = t[1];
    const model = t[2];
    const agent = t[3];
    const agentVersion = t[4];
    const sessionId = t[5];
    const action = t[6];
    const toolCallId = t[7];
    const promptId = t[8];
    const promptText = t[9];
    const eventId = t[10];
    const traceFile = t[11];
    if (!isInt(index) || index <= previous || index >= events) return undefined;
    if (typeof timestamp !== "string" || typeof model !== "string" || typeof agent !== "string" || !isStringOrNull(agentVersion)) return undefined;
    if (typeof sessionId !== "string" || !ACTIONS.has(action) || typeof toolCallId !== "string" || !isStringOrNull(promptId)) return undefined;
    if (!isStringOrNull(promptText) || typeof eventId !== "string" || typeof traceFile !== "string") return undefined;
    const owner: LineOwnerJson = {
      timestamp,
      model,
      agent,
      agentVersion,
      sessionId,
      action: action as LineOwnerJson["action"],
      toolCallId,
      promptId,
      promptText,
      eventId,
      traceFile,
    };
    out.push([index, owner]);
    previous = index;
  }
  return { sources, files: files as string[], personRenames, ...(scope === undefined ? {} : { scope }), owners: out };
}

/** Final owners from their runs, when every run is a valid code and a positive length. */
function decodeFinal(x: unknown, events: number): Head["final"] {
  if (typeof x !== "object" || x === null) return undefined;
  const { text, runs } = x as Record<string, unknown>;
  if (typeof text !== "string" || !Array.isArray(runs) || runs.length % 2 !== 0) return undefined;
  let total = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const length = runs[i + 1];
    if (!validCode(runs[i], events) || !isInt(length) || length <= 0) return undefined;
    total += length;
    if (total > MAX_LINES) return undefined;
  }
  const owners = new Array<number>(total);
  for (let i = 0, at = 0; i < runs.length; i += 2) {
    const length = runs[i + 1] as number;
    owners.fill(runs[i] as number, at, at + length);
    at += length;
  }
  return { text, owners };
}
