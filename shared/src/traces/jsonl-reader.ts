// Streaming line reader for append-only JSONL traces, plain or zstd-compressed. It reads into one reusable buffer
// (grown only for long lines, never past the line cap) and hands each complete line to a visitor as a byte view with
// its stream offset; an unterminated last line is left unread, so `endOffset` is always the start of unread bytes.

import { closeSync, openSync, read, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { Decompress } from "fzstd";

export { parseJsonObject } from "./json-line";

/** Lines longer than this are skipped (and counted) without being buffered whole. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

const INITIAL_BUFFER = 1024 * 1024;
const COMPRESSED_CHUNK = 256 * 1024;
const READ_CHUNK = 1024 * 1024;
/** Spare buffers kept between reads, and the largest one kept (a longer line's buffer is left to the GC). */
const SPARE_BUFFERS = 3;
const MAX_SPARE_BYTES = 4 * 1024 * 1024;
const spares: Buffer[] = [];

/**
 * A buffer of `min` to `max` bytes, reused from an earlier read when one is free. A cold index reads hundreds of
 * traces: fresh 1 MB buffers per file live across many scavenges, so they are promoted and freed only by the rare
 * full GC, and their malloc'd memory piled up (~30 MB at 1 GB of traces) until then.
 */
function takeBuffer(min: number, max = Number.POSITIVE_INFINITY): Buffer {
  let at = -1;
  for (let i = 0; i < spares.length; i++) {
    const size = spares[i]!.length;
    if (size >= min && size <= max && (at === -1 || size < spares[at]!.length)) at = i;
  }
  if (at === -1) return Buffer.allocUnsafe(min);
  return spares.splice(at, 1)[0]!;
}

/** Returns a buffer no line view or read uses any more (line views are valid only during the visitor's call). */
function releaseBuffer(buffer: Buffer): void {
  if (buffer.length >= READ_CHUNK && buffer.length <= MAX_SPARE_BYTES && spares.length < SPARE_BUFFERS && !spares.includes(buffer)) spares.push(buffer);
}

/** Receives one complete line (without `\n` or `\r\n`); the view is only valid during the call. */
export type LineVisitor = (line: Buffer, offset: number) => void;

export interface ReadLinesOptions {
  fromOffset: number;
  /** `.jsonl.zst`: offsets are positions in the decompressed stream. */
  compressed?: boolean;
  maxLineBytes?: number;
  onLine: LineVisitor;
}

export interface ReadLinesResult {
  /** Offset just after the last complete line (the start of an unterminated last line, if any). */
  endOffset: number;
  /** Bytes read from disk. */
  bytesRead: number;
  /**
   * Lines skipped: over the cap, or lines the visitor threw on (a parser bug or an input nobody foresaw is one
   * skipped line, never the end of the trace: otherwise every later edit in it would be lost on every run).
   */
  skippedLines: number;
  /** One-line reason when the file could not be read (vanished, permission denied, corrupt compression). */
  error?: string;
}

/** Splits a byte stream into lines, keeping only the current partial line buffered. */
class LineSplitter {
  private buf: Buffer;
  private len = 0;
  /** Stream offset of buf[0], which is always the start of the current (partial) line. */
  private base: number;
  private scanFrom = 0;
  private skipping = false;
  /** Stream offset where the oversized line being skipped started. */
  private skipStart = 0;
  /** Lines over the cap and lines the visitor threw on. */
  skipped = 0;

  constructor(
    start: number,
    private readonly maxLine: number,
    private readonly minOffset: number,
    private readonly onLine: LineVisitor,
  ) {
    this.base = start;
    // Never larger than the line cap: a full buffer is what tells an oversized line.
    this.buf = maxLine >= INITIAL_BUFFER ? takeBuffer(INITIAL_BUFFER, maxLine) : Buffer.allocUnsafe(maxLine);
  }

  /** Hands the buffer back for the next read; the splitter is not used after this. */
  release(): void {
    releaseBuffer(this.buf);
  }

  /** A writable region at the end of the buffer (grown or reset as needed), for reading straight into it. */
  writable(): Buffer {
    this.makeRoom();
    return this.buf.subarray(this.len);
  }

  /** Marks `n` bytes written into the region returned by `writable()` and emits the complete lines. */
  commit(n: number): void {
    this.len += n;
    this.consume();
  }

  /**
   * Takes the next bytes of the stream, emitting lines as they complete. Only the line carried over from the last
   * chunk and the partial line at the end are copied into the buffer: the lines between are handed out as views of
   * `chunk` itself (which the caller reuses only after this returns).
   */
  push(chunk: Uint8Array): void {
    const firstNewline = chunk.indexOf(10);
    if (firstNewline === -1 || firstNewline === chunk.length - 1) {
      this.copyIn(chunk);
      return;
    }
    this.copyIn(chunk.subarray(0, firstNewline + 1));
    // The buffer is empty now: `base` is the stream offset of the byte after that newline.
    const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = firstNewline + 1;
    const startBase = this.base - start;
    for (let nl = view.indexOf(10, start); nl !== -1; nl = view.indexOf(10, start)) {
      let end = nl;
      if (end > start && view[end - 1] === 13) end--;
      const offset = startBase + start;
      // A line with its newline must fit the capped buffer, as when it is read through the buffer.
      if (nl + 1 - start > this.maxLine) this.skipped++;
      else if (end > start && offset >= this.minOffset) {
        try {
          this.onLine(view.subarray(start, end), offset);
        } catch {
          this.skipped++;
        }
      }
      start = nl + 1;
    }
    this.base = startBase + start;
    if (start < chunk.length) this.copyIn(chunk.subarray(start));
  }

  /** Copies bytes of the stream in, emitting lines as they complete. */
  private copyIn(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      const target = this.writable();
      const n = Math.min(target.length, chunk.length - pos);
      target.set(chunk.subarray(pos, pos + n));
      pos += n;
      this.commit(n);
    }
  }

  private makeRoom(): void {
    if (this.len < this.buf.length) return;
    if (this.skipping) {
      this.base += this.len;
      this.len = 0;
      this.scanFrom = 0;
      return;
    }
    if (this.buf.length >= this.maxLine) {
      // The partial line is already over the cap: drop it and skip bytes up to its newline.
      this.skipping = true;
      this.skipStart = this.base;
      this.base += this.len;
      this.len = 0;
      this.scanFrom = 0;
      return;
    }
    const next = Buffer.allocUnsafe(Math.min(this.buf.length * 2, this.maxLine));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private consume(): void {
    const view = this.buf.subarray(0, this.len);
    let start = 0;
    let nl = view.indexOf(10, this.scanFrom);
    while (nl !== -1) {
      if (this.skipping) {
        this.skipping = false;
        this.skipped++;
        // `base` kept advancing while skipping; the skipped line ends here.
      } else {
        let end = nl;
        if (end > start && view[end - 1] === 13) end--;
        const offset = this.base + start;
        if (end > start && offset >= this.minOffset) {
          try {
            this.onLine(view.subarray(start, end), offset);
          } catch {
            this.skipped++;
          }
        }
      }
      start = nl + 1;
      nl = view.indexOf(10, start);
    }
    if (this.skipping) {
      this.base += this.len;
      this.len = 0;
      this.scanFrom = 0;
      return;
    }
    if (start > 0) {
      this.buf.copy(this.buf, 0, start, this.len);
      this.base += start;
      this.len -= start;
    }
    this.scanFrom = this.len;
  }

  /** The offset after the last complete line (an unterminated oversized line is left for the next call too). */
  get endOffset(): number {
    return this.skipping ? this.skipStart : this.base;
  }
}

let blockingReads = false;

/**
 * Makes this thread read plain traces with blocking reads. For a parse worker, or a command's thread while no pool
 * runs (TraceIndexOptions.blockingReads), where nothing else waits for the thread: a thread-pool read costs a futex wake-up, an eventfd write and an epoll wake-up per 1 MB chunk and doubles
 * the context switches, more CPU than overlapping the copy with parsing wins back (issue 15: at 3 GB of traces, cold
 * `stats` spent ~0.2 s less system time and ~0.4 s less CPU). The main thread keeps the pool: it serves requests.
 */
export function useBlockingReads(on = true): void {
  blockingReads = on;
}

/** Whether this thread reads plain traces with blocking reads now. */
export function readsBlock(): boolean {
  return blockingReads;
}

/** Reads complete lines of `path` from `fromOffset` and passes each to `onLine`. Never throws for I/O problems. */
export async function readLines(path: string, options: ReadLinesOptions): Promise<ReadLinesResult> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  if (options.compressed) return readCompressed(path, options, maxLine);
  const splitter = new LineSplitter(options.fromOffset, maxLine, 0, options.onLine);
  let bytesRead = 0;
  // Opened and closed on this thread (microseconds each), read in the thread pool: a FileHandle's open, reads and
  // close cost ~0.15 ms of this thread per trace file (its objects, promises and a pool round trip each way).
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    splitter.release();
    return { endOffset: options.fromOffset, bytesRead: 0, skippedLines: 0, error: ioReason(path, err) };
  }
  // Double-buffered: the next chunk is read (in the thread pool) while the lines of the current one are handled.
  let current = takeBuffer(READ_CHUNK);
  let next = blockingReads ? undefined : takeBuffer(READ_CHUNK);
  let position = options.fromOffset;
  let reading: Promise<number> | undefined;
  try {
    if (next === undefined) {
      for (let n = readSync(fd, current, 0, READ_CHUNK, position); n > 0; n = readSync(fd, current, 0, READ_CHUNK, position)) {
        position += n;
        bytesRead += n;
        splitter.push(current.subarray(0, n));
      }
      return { endOffset: splitter.endOffset, bytesRead, skippedLines: splitter.skipped };
    }
    reading = readAt(fd, current, position);
    for (;;) {
      const n = await reading;
      if (n === 0) break;
      position += n;
      reading = readAt(fd, next, position);
      bytesRead += n;
      splitter.push(current.subarray(0, n));
      [current, next] = [next, current];
    }
  } catch (err) {
    return {
      endOffset: splitter.endOffset,
      bytesRead,
      skippedLines: splitter.skipped,
      error: ioReason(path, err),
    };
  } finally {
    // A read still in flight (a visitor threw) settles before the file closes, and never rejects unhandled.
    await reading?.catch(() => undefined);
    try {
      closeSync(fd);
    } catch {
      // Closing a file only read cannot lose anything.
    }
    releaseBuffer(current);
    if (next !== undefined) releaseBuffer(next);
    splitter.release();
  }
  return { endOffset: splitter.endOffset, bytesRead, skippedLines: splitter.skipped };
}

/** Reads up to READ_CHUNK bytes of `fd` at `position` into `buffer`, in the thread pool; resolves to the count. */
function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, READ_CHUNK, position, (error, n) => (error === null ? resolve(n) : reject(error)));
  });
}

async function readCompressed(path: string, options: ReadLinesOptions, maxLine: number): Promise<ReadLinesResult> {
  // Compressed rollouts are read whole from the start; lines before `fromOffset` (decompressed) are not reported.
  const splitter = new LineSplitter(0, maxLine, options.fromOffset, options.onLine);
  const decompress = new Decompress((data) => splitter.push(data));
  let bytesRead = 0;
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    splitter.release();
    return { endOffset: options.fromOffset, bytesRead: 0, skippedLines: 0, error: ioReason(path, err) };
  }
  const chunk = Buffer.allocUnsafe(COMPRESSED_CHUNK);
  let error: string | undefined;
  try {
    for (;;) {
      const { bytesRead: n } = await handle.read(chunk, 0, chunk.length, bytesRead);
      if (n === 0) {
        decompress.push(new Uint8Array(0), true);
        break;
      }
      bytesRead += n;
      // fzstd keeps references to pushed chunks until a block is complete, so each push gets its own copy.
      decompress.push(Uint8Array.prototype.slice.call(chunk, 0, n));
    }
  } catch (err) {
    error = err instanceof Error && !("syscall" in err) ? `corrupt zstd data in ${path}: ${err.message}` : ioReason(path, err);
  } finally {
    await handle.close().catch(() => undefined);
    splitter.release();
  }
  const endOffset = Math.max(options.fromOffset, splitter.endOffset);
  const result: ReadLinesResult = { endOffset, bytesRead, skippedLines: splitter.skipped };
  if (error !== undefined) result.error = error;
  return result;
}

function ioReason(path: string, err: unknown): string {
  const code = err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : "";
  if (code === "ENOENT") return `trace file vanished: ${path}`;
  if (code === "EACCES" || code === "EPERM") return `permission denied: ${path}`;
  if (code === "EISDIR") return `not a file: ${path}`;
  const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return `cannot read ${path}: ${message}`;
}

const fatalDecoder = new TextDecoder("utf-8", { fatal: true });

/** Pre-encoded byte needles for the prefilter. */
export function needle(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

/**
 * Whether the JSON object line starting at `first` (its `{`) is in the compact layout the byte needles are spelled in:
 * judged by its first member, `{"key":value` with no whitespace around the colon. Re-serialised traces (Python's
 * `json.dumps` defaults: `{"key": value, …}`) fail this and are parsed whole, line by line, instead of being
 * filtered by needles that can never match them.
 */
export function compactLayout(line: Buffer, first: number): boolean {
  if (line[first + 1] !== 0x22) return false;
  const close = line.indexOf(0x22, first + 2);
  if (close === -1 || line[close + 1] !== 0x3a) return false;
  const next = line[close + 2];
  return next !== 0x20 && next !== 0x09;
}

/** Whether `line` contains `pattern`, starting the search at `from`. */
export function contains(line: Buffer, pattern: Buffer, from = 0): boolean {
  return line.indexOf(pattern, from) !== -1;
}

/**
 * The JSON string value following `"key":"` at its first (or last) structural occurrence, without parsing the line.
 * Inside JSON strings quotes are escaped, so the needle only matches a real key; values with escapes are decoded.
 */
export function peekString(line: Buffer, keyNeedle: Buffer, last = false): string | undefined {
  const at = last ? line.lastIndexOf(keyNeedle) : line.indexOf(keyNeedle);
  return at === -1 ? undefined : stringAt(line, at + keyNeedle.length);
}

/**
 * The JSON string whose text starts at `start` (just after its opening quote), ending before `limit`. Plain ASCII
 * text (most keys' values: ids, timestamps, models) is read as it is; text with escapes or other bytes is decoded.
 */
export function stringAt(line: Buffer, start: number, limit = line.length): string | undefined {
  const stop = Math.min(limit, line.length);
  let end = start;
  let escaped = false;
  let plain = true;
  while (end < stop) {
    const c = line[end]!;
    if (c === 0x22 && !escaped) break;
    escaped = c === 0x5c && !escaped;
    if (c === 0x5c || c >= 0x80) plain = false;
    end++;
  }
  if (end >= stop) return undefined;
  if (plain) return line.toString("latin1", start, end);
  const raw = line.subarray(start, end);
  try {
    const text = fatalDecoder.decode(raw);
    return raw.includes(0x5c) ? (JSON.parse(`"${text}"`) as string) : text;
  } catch {
    return undefined;
  }
}

/** Whether `line` holds `bytes` at `at` (compared in place: no view is made). */
export function bytesAt(line: Buffer, at: number, bytes: Buffer): boolean {
  if (at < 0 || at + bytes.length > line.length) return false;
  for (let i = 0; i < bytes.length; i++) if (line[at + i] !== bytes[i]) return false;
  return true;
}

/** Every string value following `"key":"` in the line (for tool-use ids of parallel results). */
export function peekAllStrings(line: Buffer, keyNeedle: Buffer, limit = 64): string[] {
  const out: string[] = [];
  let at = line.indexOf(keyNeedle);
  while (at !== -1 && out.length < limit) {
    const start = at + keyNeedle.length;
    const end = line.indexOf(0x22, start);
    if (end === -1) break;
    out.push(line.toString("latin1", start, end));
    at = line.indexOf(keyNeedle, end);
  }
  return out;
}
