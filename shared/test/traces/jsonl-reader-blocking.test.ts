// The line reader's blocking mode (a parse worker's): the same lines, offsets, skips and errors as reads through the
// thread pool, on traces whose lines cross its 1 MB read chunks.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLines, useBlockingReads } from "../../src/traces/jsonl-reader";
import { makeTempHome, writeTrace, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => {
  useBlockingReads(false);
  t.cleanup();
});

async function collect(path: string, fromOffset: number, maxLineBytes: number) {
  const lines: [number, string][] = [];
  const result = await readLines(path, { fromOffset, maxLineBytes, onLine: (line, offset) => lines.push([offset, line.toString("utf8")]) });
  return { lines, result };
}

/** A Claude-like trace of ~3 MB: lines of varied lengths (so many cross a chunk's end), CRLF, one over-long line. */
function sampleTrace(): string {
  const rows: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const text = "é".repeat((i * 37) % 700);
    rows.push(JSON.stringify({ type: "assistant", uuid: `u-${i}`, message: { content: [{ type: "text", text }] } }));
    if (i === 1500) rows.push(`{"big":"${"q".repeat(1536 * 1024)}"}`);
  }
  return `${rows.join("\n").replace("u-7\"", "u-7\"\r")}\n{"partial":`;
}

describe("readLines with blocking reads", () => {
  it("hands out the same lines, offsets and counts as reads through the thread pool", async () => {
    const path = writeTrace(`${t.root}/a.jsonl`, sampleTrace());
    for (const [from, cap] of [
      [0, 1024 * 1024],
      [12345, 256 * 1024 * 1024],
    ] as const) {
      const pooled = await collect(path, from, cap);
      useBlockingReads();
      const blocking = await collect(path, from, cap);
      useBlockingReads(false);
      expect(blocking.lines.length).toBeGreaterThan(3000);
      expect(blocking).toEqual(pooled);
    }
    expect((await collect(path, 0, 1024 * 1024)).result.skippedLines).toBe(1);
  });

  it("reports a vanished trace as data", async () => {
    useBlockingReads();
    const { lines, result } = await collect(`${t.root}/gone.jsonl`, 0, 1024);
    expect(lines).toEqual([]);
    expect(result.error).toContain("trace file vanished");
  });
});
