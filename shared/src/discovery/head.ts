// Reads the head of a trace file (≤ 256 KB, decompressed for `.jsonl.zst`) to learn the `cwd` it recorded and which
// agent wrote it, without parsing the rest. Results are cached by path while size and mtime are unchanged, so a
// rediscovery costs one stat per file.

import { closeSync, openSync, readSync } from "node:fs";
import { crc32 } from "../store/frames";
import { open } from "node:fs/promises";
import { Decompress } from "fzstd";
import { agentModules, type AgentKind } from "../agents/registry";
import type { CwdCache } from "./types";
import { heapCheckpoint } from "../util/young-generation";

export const HEAD_BYTES = 256 * 1024;
const STEP = 64 * 1024;
/**
 * Bytes read and decoded first when only the cwd is asked: agents record it in a trace's first lines (within ~300
 * bytes in Claude's and Codex's), and reading 64 KB of each head into a new 256 KB buffer and decoding it was ~5 ms
 * of a first index of 73 traces (and 256 MB of buffers at 3 GB). The first cwd of a prefix is the first cwd of the
 * whole text when its closing quote lies in the prefix.
 */
const FIRST_LOOK = 4 * 1024;

export interface HeadInfo {
  cwd: string | null;
  agent: AgentKind | null;
}

/** The first `"cwd":"…"`, in any JSON spacing (re-serialised traces write `"cwd": "…"`). */
const CWD = /"cwd"[ \t]*:[ \t]*"((?:[^"\\]|\\.)*)"/;

export interface HeadQuery {
  path: string;
  compressed: boolean;
  size: number;
  mtimeMs: number;
  /** Files found by location have a known agent; files of `--trace-dir` need it detected from content. */
  needAgent: boolean;
}

/** Head info of a file as the cache has it while its size and mtime are unchanged, else undefined (read it). */
export function cachedHeadInfo(file: Pick<HeadQuery, "path" | "size" | "mtimeMs">, needAgent: boolean, cache?: CwdCache): HeadInfo | undefined {
  const cached = cache?.get(file.path);
  if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs && (!needAgent || cached.agent !== undefined)) {
    return { cwd: cached.cwd, agent: cached.agent ?? null };
  }
  return undefined;
}

/** Head info of a file; throws only for I/O errors (the caller counts the file as unreadable). */
export async function readHeadInfo(query: HeadQuery, cache?: CwdCache): Promise<HeadInfo> {
  const { path, size, mtimeMs, needAgent } = query;
  const hit = cachedHeadInfo(query, needAgent, cache);
  if (hit !== undefined) return hit;
  const known = cache?.get(path);
  if (!needAgent && !query.compressed && known?.head !== undefined && known.cwd !== null && size > known.size && sameHead(path, known.head)) {
    // A trace that grew (an agent appending): its head up to the cwd is what it was, so the cwd is too.
    cache?.set(path, { size, mtimeMs, cwd: known.cwd, head: known.head });
    return { cwd: known.cwd, agent: null };
  }
  const read = query.compressed ? { info: await readCompressedHead(path, needAgent) } : await readPlainHead(path, needAgent);
  const { info } = read;
  // Heads are read one after the other without a turn of the event loop: a first index's heap bound is checked here.
  heapCheckpoint();
  const entry: { size: number; mtimeMs: number; cwd: string | null; agent?: AgentKind | null; head?: [number, number] } = { size, mtimeMs, cwd: info.cwd };
  if (needAgent) entry.agent = info.agent;
  if ("head" in read && read.head !== undefined) entry.head = read.head;
  cache?.set(path, entry);
  return info;
}

/**
 * Whether the file's first `head[0]` bytes still have the CRC-32 `head[1]`: one small read instead of a 64 KB head
 * read, decoded and searched again on every append (~1.5 ms a command). The first cwd in the head ends within them,
 * so equal bytes have the same first cwd.
 */
function sameHead(path: string, [bytes, sum]: [number, number]): boolean {
  try {
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.allocUnsafe(bytes);
      return readSync(fd, buf, 0, bytes, 0) === bytes && crc32(buf) === sum;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Synchronous reads: a first index reads the head of every trace, one after the other, while nothing else waits on
 * this thread, and three thread-pool round trips per file (open, read, close) made discovery of 73 traces take
 * 40-100 ms of wall time for ~20 ms of CPU on a busy 2-core machine, before any trace could be parsed.
 */
async function readPlainHead(path: string, needAgent: boolean): Promise<{ info: HeadInfo; head?: [number, number] }> {
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.allocUnsafe(needAgent ? HEAD_BYTES : FIRST_LOOK);
    let filled = 0;
    let info: HeadInfo & { cwdEnd?: number } = { cwd: null, agent: null };
    let text = "";
    while (filled < HEAD_BYTES) {
      if (filled === buf.length) {
        const grown = Buffer.allocUnsafe(HEAD_BYTES);
        buf.copy(grown, 0, 0, filled);
        buf = grown;
      }
      const bytesRead = readSync(fd, buf, filled, Math.min(STEP, buf.length - filled), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      text = buf.toString("utf8", 0, filled);
      info = inspectHead(text, needAgent);
      if (info.cwd !== null && (info.agent !== null || !needAgent)) break;
    }
    const { cwdEnd, ...found } = info;
    if (found.cwd === null || cwdEnd === undefined) return { info: found };
    // The bytes through the end of the first cwd: what a later read of the grown file compares (sameHead).
    const bytes = Buffer.byteLength(text.slice(0, cwdEnd), "utf8");
    if (bytes > filled) return { info: found };
    return { info: found, head: [bytes, crc32(buf.subarray(0, bytes))] };
  } finally {
    closeSync(fd);
  }
}

async function readCompressedHead(path: string, needAgent: boolean): Promise<HeadInfo> {
  const handle = await open(path, "r");
  const parts: Uint8Array[] = [];
  let produced = 0;
  const decompress = new Decompress((data) => {
    if (produced < HEAD_BYTES) {
      parts.push(data.slice(0, HEAD_BYTES - produced));
      produced += Math.min(data.length, HEAD_BYTES - produced);
    }
  });
  try {
    const chunk = Buffer.allocUnsafe(STEP);
    let position = 0;
    while (produced < HEAD_BYTES) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      try {
        decompress.push(Uint8Array.prototype.slice.call(chunk, 0, bytesRead));
      } catch {
        break;
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  return inspect(Buffer.concat(parts).toString("utf8"), needAgent);
}

/** The first recorded cwd and the agent, from the text of a head (its last line may be cut). */
export function inspect(text: string, needAgent = true): HeadInfo {
  const { cwd, agent } = inspectHead(text, needAgent);
  return { cwd, agent };
}

/** `inspect`'s answer, with where the first cwd's text ends (just past its closing quote) when there is one. */
function inspectHead(text: string, needAgent: boolean): HeadInfo & { cwdEnd?: number } {
  const agent = needAgent ? detectAgent(text) : null;
  const match = CWD.exec(text);
  if (match === null) return { cwd: null, agent };
  try {
    return { cwd: JSON.parse(`"${match[1]}"`) as string, agent, cwdEnd: match.index + match[0].length };
  } catch {
    return { cwd: null, agent };
  }
}

function detectAgent(text: string): AgentKind | null {
  let start = 0;
  for (let n = 0; n < 50 && start < text.length; n++) {
    const end = text.indexOf("\n", start);
    if (end === -1) break;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (!line.startsWith("{")) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (record === null || typeof record !== "object") continue;
    // The first record any agent recognises decides; a certain match beats a plausible one.
    let best: AgentKind | null = null;
    let score = 0;
    for (const agent of agentModules) {
      const s = agent.matchesHeadRecord(record as Record<string, unknown>);
      if (s > score) [best, score] = [agent.kind, s];
    }
    if (best !== null) return best;
  }
  // A head that ends inside a very long first line: fall back to the envelope's opening bytes.
  return agentModules.find((agent) => agent.matchesHeadText(text))?.kind ?? null;
}

/**
 * A cwd cache that notes which entries were set since `changed` was last cleared, so its owner writes back only those
 * (comparing its serialised text cost two JSON encodings of every entry per command; rewriting it whole on every
 * grown trace ~10 ms at 3 GB of traces).
 */
export class TrackedCwdCache extends Map<string, CwdEntry> {
  /** Paths set since the owner last saved (undefined only while the Map's constructor fills it). */
  private readonly setSince: Set<string> | undefined;

  constructor(entries?: Iterable<[string, CwdEntry]>) {
    super(entries ?? []);
    this.setSince = new Set();
  }

  get changed(): boolean {
    return (this.setSince?.size ?? 0) > 0;
  }

  /** The paths set since the last `saved()`. */
  changedPaths(): string[] {
    return [...(this.setSince ?? [])];
  }

  saved(): void {
    this.setSince?.clear();
  }

  override set(key: string, value: CwdEntry): this {
    this.setSince?.add(key);
    return super.set(key, value);
  }
}

type CwdEntry = CwdCache extends Map<string, infer E> ? E : never;
