// @ts-check
// A buffered JSONL file writer for the generator: records are serialised one per line and flushed to disk every
// few megabytes, so memory stays flat however large the trace grows. `bytes` always counts what the file holds
// once flushed (UTF-8), which is what the size target is measured against.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

const FLUSH_AT = 4 * 1024 * 1024;

export class JsonlWriter {
  /** @param {string} path @param {"w" | "a"} [mode] */
  constructor(path, mode = "w") {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.fd = openSync(path, mode);
    /** @type {string[]} */
    this.parts = [];
    this.pending = 0;
    this.flushed = 0;
    this.records = 0;
  }

  /** @param {unknown} record */
  write(record) {
    const line = `${JSON.stringify(record)}\n`;
    this.parts.push(line);
    this.pending += Buffer.byteLength(line);
    this.records += 1;
    if (this.pending >= FLUSH_AT) this.flush();
  }

  /** Bytes written so far, flushed or not. */
  get bytes() {
    return this.flushed + this.pending;
  }

  flush() {
    if (this.parts.length === 0) return;
    const buffer = Buffer.from(this.parts.join(""));
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    this.flushed += buffer.length;
    this.parts = [];
    this.pending = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}
