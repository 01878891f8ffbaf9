// The frames of a project's event table (event-table.ts): a batch of entries per frame, each entry's head as JSON
// (its metadata, extent, and per block its counts over the batch's table of names) followed by its blocks' columns,
// 8-byte aligned, read in place. Validated field by field: a frame that does not hold exactly this reads as absent.

import { type BlockTally, blockEnd, decodeBlock, type RowBlock } from "./event-rows";
import { StringSlots } from "../util/string-slots";
import { encodeFrame } from "./frames";
import { isKey, type RecordKey } from "./project-view";
import type { TableEntry, RecordMeta } from "./event-table";
import type { TraceRecord } from "./record-codec";

export interface EntryHead {
  path: string;
  key: RecordKey;
  name: string;
  from: number;
  prev?: RecordKey;
  meta: RecordMeta;
  extent: TableEntry["extent"];
  /** Per new block: its counts as indexes into the batch's names and row counts (see tallyOut). */
  blocks: number[][][];
}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function validMeta(m: unknown, path: string): m is RecordMeta {
  if (!isObj(m)) return false;
  return (
    m["path"] === path && typeof m["agent"] === "string" && isNum(m["v"]) && isNum(m["dev"]) && isNum(m["ino"]) && isNum(m["size"]) &&
    isNum(m["mtimeMs"]) && isNum(m["offset"]) && isNum(m["skipped"]) && typeof m["compressed"] === "boolean" && typeof m["tail"] === "string" &&
    Array.isArray(m["sessions"]) && m["sessions"].every((s) => isObj(s) && typeof s["sessionId"] === "string" && typeof s["agent"] === "string")
  );
}

function validExtent(e: unknown): e is TableEntry["extent"] {
  if (!isObj(e)) return false;
  const base = e["base"];
  return (
    isNum(e["ino"]) && isNum(e["fileBytes"]) && isNum(e["bytes"]) && isNum(e["segments"]) && isNum(e["events"]) &&
    (e["mtimeMs"] === undefined || isNum(e["mtimeMs"])) && isObj(base) && isNum(base["bytes"]) && isNum(base["events"])
  );
}

export function validHead(h: unknown): h is EntryHead {
  if (!isObj(h) || typeof h["path"] !== "string") return false;
  return (
    isKey(h["key"]) && typeof h["name"] === "string" && /^[0-9a-f]{40}$/.test(h["name"]) && isNum(h["from"]) && (h["prev"] === undefined || isKey(h["prev"])) && validMeta(h["meta"], h["path"]) &&
    validExtent(h["extent"]) && Array.isArray(h["blocks"]) && h["blocks"].every((t) => Array.isArray(t) && t.length === 8 && t.every((a) => Array.isArray(a) && a.every(isNum)))
  );
}

/** A block's counts as the batch stores them: names as indexes into `name` (interned), row counts as they are. */
function tallyOut(t: BlockTally, name: (s: string) => number): number[][] {
  return [t.models.map(name), t.modelRows, t.agents.map(name), t.agentRows, t.files.map(name), t.fileRows, t.sessionAgents.map(name), t.sessionIds.map(name)];
}

function tallyIn(t: number[][], names: string[]): BlockTally {
  const at = (i: number): string[] => (t[i] ?? []).map((k) => names[k] ?? "");
  return { models: at(0), modelRows: t[1] ?? [], agents: at(2), agentRows: t[3] ?? [], files: at(4), fileRows: t[5] ?? [], sessionAgents: at(6), sessionIds: at(7) };
}

/** One frame holding `entries` (each with the blocks it adds). */
export function encodeBatch(entries: { head: Omit<EntryHead, "blocks">; blocks: RowBlock[] }[]): Buffer {
  const table = new StringSlots();
  const names = table.values;
  const name = (s: string): number => table.slot(s);
  const heads = entries.map(({ head, blocks }) => ({ ...head, blocks: blocks.map((b) => tallyOut(b.tally, name)) }));
  const json = Buffer.from(JSON.stringify({ names, entries: heads }), "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(json.length, 0);
  const pad = Buffer.alloc((8 - (json.length % 8)) % 8);
  return encodeFrame(Buffer.concat([prefix, json, pad, ...entries.flatMap(({ blocks }) => blocks.map((b) => b.encode()))]));
}

/**
 * A batch frame's entries and their blocks, or null when the payload is not one. With `only`, that path's entry
 * alone is checked and decoded (the others' blocks are stepped over by their lengths, so the frame must still hold
 * them whole): a trace read alone after an append does not check, copy and decode the fifteen others its first
 * frame holds (each is checked when it is read).
 */
export function decodeBatch(payload: Buffer, only?: string): { head: EntryHead; blocks: RowBlock[] }[] | null {
  if (payload.length < 8) return null;
  const jsonEnd = 8 + payload.readUInt32LE(0);
  if (jsonEnd > payload.length) return null;
  let batch: unknown;
  try {
    batch = JSON.parse(payload.toString("utf8", 8, jsonEnd));
  } catch {
    return null;
  }
  if (!isObj(batch) || !Array.isArray(batch["names"]) || !batch["names"].every((n) => typeof n === "string") || !Array.isArray(batch["entries"])) return null;
  const names = batch["names"] as string[];
  const heads = batch["entries"] as unknown[];
  const start = jsonEnd + ((8 - (jsonEnd % 8)) % 8);
  if (only !== undefined) return decodeOne(payload, start, heads, names, only);
  if (!heads.every(validHead)) return null;
  // The columns are read in place: copied once into memory of their own, whose offset is 8-byte aligned.
  const region = aligned(payload, start, payload.length);
  const out: { head: EntryHead; blocks: RowBlock[] }[] = [];
  let at = 0;
  for (const head of heads as EntryHead[]) {
    const blocks = decodeBlocks(region, at, head, names);
    if (blocks === null) return null;
    out.push({ head, blocks: blocks.blocks });
    at = blocks.end;
  }
  return at === region.length ? out : null;
}

/** The entry of `only` alone; the others' heads are checked only as far as stepping over their blocks needs. */
function decodeOne(payload: Buffer, start: number, heads: unknown[], names: string[], only: string): { head: EntryHead; blocks: RowBlock[] }[] | null {
  let out: { head: EntryHead; blocks: RowBlock[] } | null = null;
  let at = start;
  for (const head of heads) {
    if (!isObj(head) || !Array.isArray(head["blocks"])) return null;
    const from = at;
    for (let i = 0; i < head["blocks"].length; i++) {
      at = blockEnd(payload, at);
      if (at < 0) return null;
    }
    if (head["path"] !== only || out !== null) continue;
    if (!validHead(head)) return null;
    const blocks = decodeBlocks(aligned(payload, from, at), 0, head, names);
    if (blocks === null) return null;
    out = { head, blocks: blocks.blocks };
  }
  return at === payload.length ? (out === null ? [] : [out]) : null;
}

/** `payload[from, to)` copied into memory of its own, so its offset is 8-byte aligned for the typed views. */
function aligned(payload: Buffer, from: number, to: number): Buffer {
  const region = Buffer.from(new ArrayBuffer(Math.max(0, to - from)));
  region.set(payload.subarray(from, to));
  return region;
}

function decodeBlocks(region: Buffer, at: number, head: EntryHead, names: string[]): { blocks: RowBlock[]; end: number } | null {
  const blocks: RowBlock[] = [];
  let end = at;
  for (const tally of head.blocks) {
    const decoded = decodeBlock(region, end, tallyIn(tally, names));
    if (decoded === null) return null;
    blocks.push(decoded.block);
    end = decoded.end;
  }
  return { blocks, end };
}

/** The record's metadata, read field by field: its events (maybe not loaded yet) are not touched. */
export function metaOf(r: TraceRecord): RecordMeta {
  const { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions } = r;
  return { v, path, agent, dev, ino, size, mtimeMs, compressed, offset, tail, skipped, sessions };
}

