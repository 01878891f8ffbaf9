// Parses one JSONL line (bytes) as a JSON object, accepting only strict UTF-8. Lines are read as one-byte (latin1)
// text: ASCII lines directly, lines with a few non-ASCII characters after rewriting each as its `\uXXXX` escape, which
// JSON.parse turns back into the same character (outside a string it is invalid JSON either way, as the raw byte was).
// Only densely non-ASCII lines take the slower UTF-8 decode; every path gives what `JSON.parse(utf8 text)` gives.

import { isAscii, isUtf8 } from "node:buffer";

/** Bytes checked at a time for non-ASCII (a native SIMD check per block, a byte loop only in mixed blocks). */
const BLOCK = 1024;
/** Lines with more mixed blocks than this share are decoded as UTF-8 instead (escaping would be slower). */
const MAX_MIXED_SHARE = 0.25;
/** The scratch buffer is dropped after a line longer than this, so one huge line does not hold memory. */
const KEEP_SCRATCH = 16 * 1024 * 1024;
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

const utf8 = new TextDecoder("utf-8");
/** The escaped copy of the current line, reused across lines (grown when needed). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Lines up to this size are parsed as they are; longer ones are first checked for their structure. */
const LARGE_LINE = 1024 * 1024;
/**
 * Objects and arrays a large line may hold. A genuinely large record is large because of its strings (whole file
 * contents); tens of millions of tiny containers (a line of `{},{},…`) would cost gigabytes and minutes to parse.
 */
export const MAX_CONTAINERS = 250_000;

/**
 * Decodes a line as strict UTF-8 and parses it as a JSON object; undefined for anything else (caller counts it),
 * including a large line with more than MAX_CONTAINERS objects and arrays, which is never handed to JSON.parse.
 */
export function parseJsonObject(line: Buffer): Record<string, unknown> | undefined {
  if (line.length > LARGE_LINE && !containersAtMost(line, MAX_CONTAINERS)) return undefined;
  let text: string;
  if (isAscii(line)) text = line.toString("latin1");
  else if (!isUtf8(line)) return undefined;
  else text = escapedText(line) ?? utf8.decode(line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A valid UTF-8 line as ASCII text with every non-ASCII character `\u`-escaped; null when too many are not ASCII. */
function escapedText(line: Buffer): string | null {
  const maxMixed = Math.max(2, (line.length / BLOCK) * MAX_MIXED_SHARE);
  let mixed = 0;
  let out = 0;
  let copied = 0;
  const ensure = (extra: number): void => {
    if (out + extra <= scratch.length) return;
    const next = Buffer.allocUnsafe(Math.max(scratch.length * 2, out + extra));
    scratch.copy(next, 0, 0, out);
    scratch = next;
  };
  const escape = (unit: number): void => {
    scratch[out++] = 0x5c;
    scratch[out++] = 0x75;
    for (let shift = 12; shift >= 0; shift -= 4) scratch[out++] = HEX[(unit >> shift) & 15]!;
  };
  let at = 0;
  while (at < line.length) {
    const end = Math.min(at + BLOCK, line.length);
    if (isAscii(line.subarray(at, end))) {
      at = end;
      continue;
    }
    if (++mixed > maxMixed) return null;
    // A character may run past the block's end; the next block starts after it.
    while (at < end) {
      const b = line[at]!;
      if (b < 0x80) {
        at++;
        continue;
      }
      // After a backslash the raw character would be an (invalid) escape, which `\u` would turn into a valid one.
      if (at > 0 && line[at - 1] === 0x5c) return null;
      ensure(at - copied + 12);
      line.copy(scratch, out, copied, at);
      out += at - copied;
      let cp: number;
      if (b < 0xe0) {
        cp = ((b & 0x1f) << 6) | (line[at + 1]! & 0x3f);
        at += 2;
      } else if (b < 0xf0) {
        cp = ((b & 0x0f) << 12) | ((line[at + 1]! & 0x3f) << 6) | (line[at + 2]! & 0x3f);
        at += 3;
      } else {
        cp = ((b & 0x07) << 18) | ((line[at + 1]! & 0x3f) << 12) | ((line[at + 2]! & 0x3f) << 6) | (line[at + 3]! & 0x3f);
        at += 4;
      }
      if (cp >= 0x10000) {
        escape(0xd800 | ((cp - 0x10000) >> 10));
        escape(0xdc00 | ((cp - 0x10000) & 0x3ff));
      } else {
        escape(cp);
      }
      copied = at;
    }
  }
  ensure(line.length - copied);
  line.copy(scratch, out, copied, line.length);
  out += line.length - copied;
  const text = scratch.toString("latin1", 0, out);
  if (scratch.length > KEEP_SCRATCH) scratch = Buffer.allocUnsafe(64 * 1024);
  return text;
}

/**
 * Whether `line` has at most `max` objects and arrays outside its strings: one linear pass that jumps over strings
 * with a native search and stops as soon as the count is over.
 */
export function containersAtMost(line: Buffer, max: number): boolean {
  let count = 0;
  let at = 0;
  while (at < line.length) {
    const c = line[at]!;
    if (c === 0x22) {
      // A string: its end is the next quote not escaped by an odd run of backslashes.
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf(0x22, from);
        if (quote === -1) return true;
        let slashes = 0;
        while (quote - slashes - 1 > at && line[quote - slashes - 1] === 0x5c) slashes++;
        from = quote + 1;
        if (slashes % 2 === 0) break;
      }
      at = from;
      continue;
    }
    if ((c === 0x7b || c === 0x5b) && ++count > max) return false;
    at++;
  }
  return true;
}
