// The server's reader of LSP base-protocol frames (`Content-Length: N\r\n\r\n` + N bytes of JSON), strict where the
// stock reader is lenient: a frame whose header is malformed or too long, whose length is over the cap, or whose
// body is not one JSON object means the stream is out of step for good (a length 10 bytes short swallows the next
// header, and every message after it, `exit` included). Such a stream is reported once through `onFatal` (main.ts
// logs it to stderr and exits non-zero, so the client restarts the server) instead of wedging the server.

import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader } from "vscode-languageserver/node";

/** The largest message accepted: a didOpen/didChange of a file of tens of MB fits; 99999999999 does not. */
export const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
/** The header block of a frame is a few dozen bytes; this much without its blank line is not LSP. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from("\r\n\r\n", "latin1");

export class StrictMessageReader extends AbstractMessageReader implements MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The body length of the frame being read, or -1 while reading its header. */
  private bodyLength = -1;
  private failed = false;
  /** Whether a `shutdown` request came through (the exit code when the input ends: 0 after it, else 1). */
  shutdownRequested = false;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly onFatal: (reason: string) => void,
    private readonly maxMessageBytes = MAX_MESSAGE_BYTES,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (data: Buffer | string): void => {
      if (this.failed) return;
      const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      try {
        for (let message = this.next(); message !== null; message = this.next()) {
          if ((message as { method?: unknown }).method === "shutdown") this.shutdownRequested = true;
          callback(message);
        }
      } catch (error) {
        this.fail(error instanceof Error ? error.message : String(error));
      }
    };
    const onError = (error: Error): void => this.fireError(error);
    const onEnd = (): void => this.fireClose();
    this.input.on("data", onData);
    this.input.on("error", onError);
    this.input.on("end", onEnd);
    this.input.on("close", onEnd);
    return {
      dispose: () => {
        this.input.off("data", onData);
        this.input.off("error", onError);
        this.input.off("end", onEnd);
        this.input.off("close", onEnd);
      },
    };
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.chunks = [];
    this.buffered = 0;
    this.onFatal(reason);
  }

  /** The buffered bytes as one buffer (kept as one afterwards, so a large body is joined once). */
  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private consume(bytes: number): void {
    const rest = this.joined().subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }

  /** The next complete message, null when more bytes are needed; throws when the stream is out of step. */
  private next(): Message | null {
    if (this.bodyLength === -1) {
      if (this.buffered === 0) return null;
      const bytes = this.joined();
      const end = bytes.indexOf(HEADER_END);
      if (end === -1) {
        if (this.buffered > MAX_HEADER_BYTES) throw new Error(`no end of the message header within ${MAX_HEADER_BYTES} bytes`);
        return null;
      }
      this.bodyLength = this.contentLength(bytes.toString("latin1", 0, end));
      this.consume(end + HEADER_END.length);
    }
    if (this.buffered < this.bodyLength) return null;
    const body = this.joined().subarray(0, this.bodyLength);
    let message: unknown;
    try {
      message = JSON.parse(body.toString("utf8"));
    } catch {
      throw new Error(`a message body of ${this.bodyLength} bytes is not valid JSON (wrong Content-Length?)`);
    }
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      throw new Error("a message body is not a JSON object");
    }
    this.consume(this.bodyLength);
    this.bodyLength = -1;
    return message as Message;
  }

  private contentLength(header: string): number {
    let length: number | null = null;
    for (const line of header.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new Error(`malformed message header line ${JSON.stringify(line.slice(0, 80))}`);
      if (line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,16}$/.test(value)) throw new Error(`invalid Content-Length ${JSON.stringify(value.slice(0, 40))}`);
      length = Number(value);
    }
    if (length === null) throw new Error("a message header without Content-Length");
    if (length > this.maxMessageBytes) throw new Error(`Content-Length ${length} is over the limit of ${this.maxMessageBytes} bytes`);
    return length;
  }
}
