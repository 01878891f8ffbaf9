// Checksummed frames, the unit every index file is verified by: `#<length> <crc32 hex>\n<payload>\n`. A file is a
// sequence of frames, so a format that grows by appending adds frames and each appended chunk carries its own
// checksum. Reading stops at the first frame that is torn (shorter than its length: a crash or power loss during an
// append) or does not match its checksum (a bit flip, a foreign write), and says which, so the caller can keep what
// verified and re-read the rest from its source.

// A named import: a namespace import of a built-in made the bundle copy all ~100 of zlib's exports as getters at load.
import { crc32 as zlibCrc32 } from "node:zlib";

/** CRC-32 (IEEE) of `bytes`: zlib's native one where Node has it (20.15+; undefined before), else a table-driven fallback. */
export const crc32: (bytes: Uint8Array) => number = typeof (zlibCrc32 as unknown) === "function" ? (bytes) => zlibCrc32(bytes) : tableCrc32;

let table: Uint32Array | null = null;

function tableCrc32(bytes: Uint8Array): number {
  if (table === null) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One frame around `payload` (a string is encoded as UTF-8). */
export function encodeFrame(payload: string | Uint8Array): Buffer {
  return Buffer.concat(framePieces(payload));
}

const NEWLINE = Buffer.from("\n", "latin1");

/**
 * A frame around `payload` as its header line, body and closing newline, for a writer that writes pieces (one copy
 * of the body fewer than encodeFrame); the header's text without its newline is what a changes frame's readers check.
 */
export function framePieces(payload: string | Uint8Array): [header: Buffer, body: Buffer, newline: Buffer] {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  return [Buffer.from(`#${body.length} ${crc32(body).toString(16)}\n`, "latin1"), body, NEWLINE];
}

/**
 * The frames of `payloads` as chunks for a writer that writes each chunk before asking for the next (writeFileAtomic):
 * every body is encoded into one reused scratch buffer, so writing a file of many frames leaves no buffer per frame
 * for the GC to collect (V8 frees them only at its next scavenge: a 14 MB view held 10 MB of them at once).
 */
export function* frameChunks(payloads: Iterable<string>): Generator<Uint8Array> {
  let scratch = Buffer.allocUnsafe(64 * 1024);
  const newline = Buffer.from("\n", "latin1");
  for (const payload of payloads) {
    const length = Buffer.byteLength(payload, "utf8");
    if (length > scratch.length) scratch = Buffer.allocUnsafe(Math.max(length, 2 * scratch.length));
    const body = scratch.subarray(0, scratch.write(payload, 0, "utf8"));
    yield Buffer.from(`#${body.length} ${crc32(body).toString(16)}\n`, "latin1");
    yield body;
    yield newline;
  }
}

export interface ReadFrames {
  /** Payloads of the frames that verified, in order (views into the input). */
  frames: Buffer[];
  /** "whole": every byte is in a verified frame; "torn": the file ends inside a frame; "corrupt": a frame fails. */
  end: "whole" | "torn" | "corrupt";
}

/** Longest frame header: `#` + 15 digits + space + 8 hex digits + newline. */
const MAX_HEADER = 32;
const FRAME_HEADER = /^#(\d{1,15}) ([0-9a-f]{1,8})$/;

/** Splits `bytes` into verified frames, stopping at the first torn or corrupt one. */
export function readFrames(bytes: Buffer): ReadFrames {
  const frames: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const newline = bytes.indexOf(10, at);
    if (newline === -1 || newline - at > MAX_HEADER) {
      // A header cut short by the end of the file is torn; anything else is not a frame.
      const torn = newline === -1 && bytes.length - at <= MAX_HEADER && bytes[at] === 0x23;
      return { frames, end: torn ? "torn" : "corrupt" };
    }
    const header = FRAME_HEADER.exec(bytes.toString("latin1", at, newline));
    if (header === null) return { frames, end: "corrupt" };
    const length = Number(header[1]);
    const start = newline + 1;
    if (start + length + 1 > bytes.length) return { frames, end: "torn" };
    const payload = bytes.subarray(start, start + length);
    if (bytes[start + length] !== 10 || crc32(payload) !== Number.parseInt(header[2] ?? "", 16)) return { frames, end: "corrupt" };
    frames.push(payload);
    at = start + length + 1;
  }
  return { frames, end: "whole" };
}

export interface SplitFrames {
  /** Payloads of the frames found whole, in order (views into the input), their checksums not verified yet. */
  frames: Buffer[];
  /** Each frame's checksum as its header gives it: `frameIntact(frames[i], sums[i])` verifies it. */
  sums: number[];
  /** "whole": the bytes are a sequence of whole frames; "torn" or "corrupt" as readFrames says (no checksum read). */
  end: "whole" | "torn" | "corrupt";
}

/**
 * Splits `bytes` into frames without verifying their checksums, for a reader that uses few of many frames and
 * verifies each (frameIntact) before it uses it: a damaged frame then costs only what it held.
 */
export function splitFrames(bytes: Buffer): SplitFrames {
  const frames: Buffer[] = [];
  const sums: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    const newline = bytes.indexOf(10, at);
    if (newline === -1 || newline - at > MAX_HEADER) {
      const torn = newline === -1 && bytes.length - at <= MAX_HEADER && bytes[at] === 0x23;
      return { frames, sums, end: torn ? "torn" : "corrupt" };
    }
    const header = FRAME_HEADER.exec(bytes.toString("latin1", at, newline));
    if (header === null) return { frames, sums, end: "corrupt" };
    const length = Number(header[1]);
    const start = newline + 1;
    if (start + length + 1 > bytes.length) return { frames, sums, end: "torn" };
    if (bytes[start + length] !== 10) return { frames, sums, end: "corrupt" };
    frames.push(bytes.subarray(start, start + length));
    sums.push(Number.parseInt(header[2] ?? "", 16));
    at = start + length + 1;
  }
  return { frames, sums, end: "whole" };
}

/** Whether a frame's payload matches the checksum its header gave (splitFrames). */
export function frameIntact(payload: Uint8Array, sum: number): boolean {
  return crc32(payload) === sum;
}
