// Contents by reference: a whole-file text that sits verbatim in a trace as one JSON string token is not decoded,
// hashed or stored when the trace is read; its edit keeps a key naming the token (trace path, byte offset and length,
// and a guard hash of sampled bytes). Resolving the key reads the range back, checks the guard and decodes the token.
// Traces are append-only, so the range keeps its bytes until the agent deletes the trace: the index copies referenced
// texts into its own packs before that (see docs/index.md for when), and a guard mismatch reads as "unavailable".

import { closeSync, openSync, readSync } from "node:fs";
import { isAscii, isUtf8 } from "node:buffer";

/** Where a text sits in a trace: the JSON string token with its quotes, at an absolute byte offset. */
export interface ContentRef {
  path: string;
  offset: number;
  length: number;
  /** guardOf(the token's bytes). */
  guard: string;
}

const PREFIX = "ref:";
/**
 * Tokens shorter than this are decoded and stored at once. Storing even a small text costs ~0.3 ms (hash, fingerprint,
 * a brotli stream), so most file texts are worth referencing; a tiny one is cheaper to keep than to look up.
 */
export const MIN_REF_BYTES = 1024;
/** Bytes sampled by the guard: SAMPLES runs of SAMPLE_BYTES, evenly spread, plus the last run. */
const SAMPLES = 64;
const SAMPLE_BYTES = 16;

export function isRefKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

/** The store key of a reference: `ref:<offset>:<length>:<guard>:<path>` (the path last, as it may hold colons). */
export function refKey(ref: ContentRef): string {
  return `${PREFIX}${ref.offset}:${ref.length}:${ref.guard}:${ref.path}`;
}

const DERIVED = "after:";

/**
 * The key under which a blame records the text it derived for an edit whose after was left to replay (its before, a
 * reference, plus its edits): the next blame then knows that text's hash and fingerprint without replaying to see.
 */
export function derivedAfterKey(beforeKey: string): string | undefined {
  return isRefKey(beforeKey) ? `${DERIVED}${beforeKey}` : undefined;
}

export function parseRefKey(key: string): ContentRef | undefined {
  if (!isRefKey(key)) return undefined;
  const parts = key.slice(PREFIX.length).split(":");
  if (parts.length < 4) return undefined;
  const offset = Number(parts[0]);
  const length = Number(parts[1]);
  const guard = parts[2] ?? "";
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 2 || !/^[0-9a-f]{8}$/.test(guard)) return undefined;
  return { offset, length, guard, path: parts.slice(3).join(":") };
}

/**
 * A cheap check that a token's bytes are still the ones referenced: FNV-1a over the length and SAMPLES runs of
 * SAMPLE_BYTES spread evenly over the token (the first and the last run included). Not a checksum of every byte (that
 * is the cost references avoid): it catches a trace rewritten or replaced, where the bytes at an offset move.
 */
export function guardOf(token: Uint8Array): string {
  const n = token.length;
  let h = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  const step = n <= SAMPLES * SAMPLE_BYTES ? SAMPLE_BYTES : Math.floor((n - SAMPLE_BYTES) / (SAMPLES - 1));
  // Plain nested loops, no closure per run: a first index guards every cut-out text (~900 at 200 MB), most of them
  // before the optimizing compiler has seen this function, and a call per run took twice as long there.
  const last = n - SAMPLE_BYTES;
  for (let at = 0; at < last; at += step) {
    for (let i = at; i < at + SAMPLE_BYTES; i++) h = Math.imul(h ^ token[i]!, 0x01000193);
  }
  for (let i = Math.max(last, 0); i < n; i++) h = Math.imul(h ^ token[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Why a reference did not resolve: the file is gone or shorter, or the bytes there are not the referenced token. */
export type RefFailure = "unreadable" | "changed" | "invalid";

/** The text a reference names, read from its trace; a failure kind when it cannot be trusted. */
export function resolveRef(ref: ContentRef): { text: string } | { failure: RefFailure } {
  const token = readToken(ref);
  return typeof token === "string" ? { failure: token } : decodeToken(token);
}

/** The bytes a reference names, when its guard still matches them. */
export function readToken(ref: ContentRef): Buffer | RefFailure {
  const token = Buffer.allocUnsafe(ref.length);
  let fd: number | undefined;
  try {
    fd = openSync(ref.path, "r");
    let done = 0;
    while (done < ref.length) {
      const n = readSync(fd, token, done, ref.length - done, ref.offset + done);
      if (n === 0) return "changed";
      done += n;
    }
  } catch {
    return "unreadable";
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return guardOf(token) === ref.guard ? token : "changed";
}

/** A JSON string token (quotes included) as its text; strict UTF-8, as the line parser requires. */
export function decodeToken(token: Uint8Array): { text: string } | { failure: RefFailure } {
  const buffer = Buffer.from(token.buffer, token.byteOffset, token.length);
  if (buffer[0] !== 0x22 || buffer[buffer.length - 1] !== 0x22) return { failure: "invalid" };
  // ASCII (most source text) is read as one-byte text: cheaper than a UTF-8 decode, and the same string.
  const ascii = isAscii(buffer);
  if (!ascii && !isUtf8(buffer)) return { failure: "invalid" };
  try {
    const value: unknown = JSON.parse(buffer.toString(ascii ? "latin1" : "utf8"));
    return typeof value === "string" ? { text: value } : { failure: "invalid" };
  } catch {
    return { failure: "invalid" };
  }
}
