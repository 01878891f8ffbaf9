// The streaming line reader: offsets, unterminated last lines, CRLF, lines longer than the buffer and than the cap,
// reading from a middle offset, I/O problems reported as data, and buffers reused across reads.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLines, peekString, needle } from "../../src/traces/jsonl-reader";
import { makeTempHome, writeTrace, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

async function collect(path: string, fromOffset = 0, maxLineBytes?: number) {
  const lines: [number, string][] = [];
  const opts: Parameters<typeof readLines>[1] = { fromOffset, onLine: (line, offset) => lines.push([offset, line.toString("utf8")]) };
  if (maxLineBytes !== undefined) opts.maxLineBytes = maxLineBytes;
  const result = await readLines(path, opts);
  return { lines, result };
}

describe("readLines", () => {
  it("yields complete lines with byte offsets and leaves an unterminated last line unread", async () => {
    const path = writeTrace(`${t.root}/a.jsonl`, "{\"a\":1}\n\n{\"é\":2}\r\n{\"partial\":");
    const { lines, result } = await collect(path);
    expect(lines).toEqual([
      [0, '{"a":1}'],
      [9, '{"é":2}'],
    ]);
    expect(result.endOffset).toBe(Buffer.byteLength('{"a":1}\n\n{"é":2}\r\n'));
    expect(result.bytesRead).toBe(Buffer.byteLength('{"a":1}\n\n{"é":2}\r\n{"partial":'));
  });

  it("resumes from an offset", async () => {
    const path = writeTrace(`${t.root}/a.jsonl`, "one\ntwo\nthree\n");
    const { lines, result } = await collect(path, 4);
    expect(lines).toEqual([
      [4, "two"],
      [8, "three"],
    ]);
    expect(result.endOffset).toBe(14);
    expect(result.bytesRead).toBe(10);
  });

  it("handles lines longer than its buffer (grown up to the cap)", async () => {
    const long = "x".repeat(3 * 1024 * 1024 + 17);
    const path = writeTrace(`${t.root}/a.jsonl`, `short\n${long}\nafter\n`);
    const { lines, result } = await collect(path);
    expect(lines.map(([o, l]) => [o, l.length])).toEqual([
      [0, 5],
      [6, long.length],
      [6 + long.length + 1, 5],
    ]);
    expect(result.skippedLines).toBe(0);
  });

  it("skips and counts lines over the cap without losing the next line", async () => {
    const big = "y".repeat(2 * 1024 * 1024);
    const path = writeTrace(`${t.root}/a.jsonl`, `first\n${big}\nnext\n${big}`);
    const { lines, result } = await collect(path, 0, 1024 * 1024);
    expect(lines).toEqual([
      [0, "first"],
      [6 + big.length + 1, "next"],
    ]);
    expect(result.skippedLines).toBe(1);
    // The unterminated oversized tail stays unread: it starts after "next\n".
    expect(result.endOffset).toBe(6 + big.length + 1 + 5);
  });

  it("after a long line grew the buffer that is kept for reuse, a later read still skips lines over its lower cap", async () => {
    // A 3 MB line grows the line buffer to 4 MB, which is kept for later reads.
    const long = "z".repeat(3 * 1024 * 1024);
    const first = writeTrace(`${t.root}/long.jsonl`, `${long}\nend\n`);
    expect((await collect(first)).lines.map(([o, l]) => [o, l.length])).toEqual([
      [0, long.length],
      [long.length + 1, 3],
    ]);
    const capped = writeTrace(`${t.root}/capped.jsonl`, `a\n${"w".repeat(2 * 1024 * 1024)}\nb\n`);
    const { lines, result } = await collect(capped, 0, 1024 * 1024);
    expect(lines.map(([, l]) => l)).toEqual(["a", "b"]);
    expect(result.skippedLines).toBe(1);
  });

  it("gives reads running at the same time buffers of their own", async () => {
    const body = (tag: string) => Array.from({ length: 40_000 }, (_, i) => `{"${tag}":${i}}`).join("\n") + "\n";
    const a = writeTrace(`${t.root}/a.jsonl`, body("a"));
    const b = writeTrace(`${t.root}/b.jsonl`, body("b"));
    const [ra, rb] = await Promise.all([collect(a), collect(b)]);
    expect(ra.lines.length).toBe(40_000);
    expect(rb.lines.length).toBe(40_000);
    expect(ra.lines.every(([, l], i) => l === `{"a":${i}}`)).toBe(true);
    expect(rb.lines.every(([, l], i) => l === `{"b":${i}}`)).toBe(true);
  });

  it("hands out every line of a multi-megabyte file, within chunks and across their edges, as a model splits it", async () => {
    // Lines of 0 to 300 KB (LF, CRLF, empty), over several 1 MB reads: lines inside a read are views of it, the ones
    // crossing an edge are assembled; with a 200 KB cap the longer ones are skipped and counted wherever they fall.
    let seed = 11;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const parts: string[] = [];
    for (let i = 0; parts.join("").length < 5_000_000; i++) {
      const size = rand(10) === 0 ? rand(300_000) : rand(2_000);
      parts.push(`{"n":${i},"pad":"${"x".repeat(size)}"}${rand(4) === 0 ? "\r\n" : "\n"}`, rand(20) === 0 ? "\n" : "");
    }
    const text = parts.join("");
    const path = writeTrace(`${t.root}/big.jsonl`, text);
    const cap = 200_000;
    const expected: [number, string][] = [];
    let skipped = 0;
    let at = 0;
    for (const raw of text.split("\n").slice(0, -1)) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (raw.length + 1 > cap) skipped++;
      else if (line !== "") expected.push([at, line]);
      at += raw.length + 1;
    }
    const { lines, result } = await collect(path, 0, cap);
    expect(lines.length).toBe(expected.length);
    expect(lines).toEqual(expected);
    expect(result.skippedLines).toBe(skipped);
    expect(skipped).toBeGreaterThan(0);
    expect(result.endOffset).toBe(text.length);
  });

  it("reports a missing file as an error line instead of throwing", async () => {
    const { lines, result } = await collect(`${t.root}/nope/missing.jsonl`, 12);
    expect(lines).toEqual([]);
    expect(result).toEqual({ endOffset: 12, bytesRead: 0, skippedLines: 0, error: `trace file vanished: ${t.root}/nope/missing.jsonl` });
  });
});

describe("peekString", () => {
  it("reads a top-level string value without parsing and decodes escapes", () => {
    const line = Buffer.from('{"parentUuid":"p","message":{"content":"say \\"uuid\\":\\"fake\\""},"uuid":"real\\u00e9","timestamp":"t"}');
    expect(peekString(line, needle('"uuid":"'))).toBe("realé");
    expect(peekString(line, needle('"parentUuid":"'))).toBe("p");
    expect(peekString(line, needle('"missing":"'))).toBeUndefined();
  });
});
