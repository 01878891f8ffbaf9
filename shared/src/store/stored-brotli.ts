// A brotli stream that holds its bytes as they are: uncompressed meta-blocks (RFC 7932, section 9.2, ISUNCOMPRESSED),
// which every brotli decoder reads, so a pack payload written this way needs no format of its own. A first index
// stores its texts so: compressing them (~1 MB of whole-file texts at 200 MB of traces, a brotli encoder made per
// text) was ~8 ms of a cold `stats`' main thread, for ~0.6 MB less on disk.

import { brotliCompressSync, constants } from "node:zlib";

/** Brotli quality 0 compresses source text to ~40% at ~2× the speed of gzip level 1 (measured on bench contents). */
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_LGWIN]: 20 },
};

/** A content pack's payload for `text`: compressed, or as brotli's stored blocks. */
export function packPayload(text: string, compress: boolean): Buffer {
  return compress ? brotliCompressSync(text, BROTLI) : storedBrotli(text);
}

/** Bytes per meta-block: the 64 KiB window the stream declares (its smallest header: WBITS 16, one bit 0). */
const BLOCK = 1 << 16;

/** `text`'s UTF-8 as a brotli stream of stored meta-blocks (3 header bytes per 64 KiB, one end byte), in one buffer. */
export function storedBrotli(text: string): Buffer {
  const length = Buffer.byteLength(text, "utf8");
  const blocks = Math.ceil(length / BLOCK);
  const out = Buffer.allocUnsafe(length + 3 * blocks + 1);
  // The UTF-8 is written after room for every header, then each block moved down to its place behind its own.
  const from = 3 * blocks;
  out.write(text, from, "utf8");
  let at = 0;
  for (let i = 0; i < blocks; i++) {
    const size = Math.min(BLOCK, length - i * BLOCK);
    // Bits from the lowest: ISLAST 0, MNIBBLES 00 (four nibbles), MLEN - 1 in 16 bits, ISUNCOMPRESSED 1, zero padding
    // to the byte's end; the first block comes after the stream's WBITS bit (0: a 64 KiB window).
    const header = i === 0 ? ((size - 1) << 4) | (1 << 20) : ((size - 1) << 3) | (1 << 19);
    if (at + 3 !== from + i * BLOCK) out.copy(out, at + 3, from + i * BLOCK, from + i * BLOCK + size);
    out[at] = header & 0xff;
    out[at + 1] = (header >>> 8) & 0xff;
    out[at + 2] = header >>> 16;
    at += 3 + size;
  }
  // The last meta-block, empty: ISLAST 1, ISLASTEMPTY 1 (after the WBITS bit when no block came before).
  out[at] = blocks === 0 ? 0b110 : 0b11;
  return out;
}
