// The per-line guard every parser shares: a line that makes a parser throw is counted as skipped and the lines
// after it are still read, so one unforeseen input never stops a trace at that line for good.

import { writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MemoryContentStore } from "../../src/store/content-store";
import { parseLines, type LineRun } from "../../src/traces/line-run";
import { makeTempHome, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

it("counts a line that throws as skipped and reads on", async () => {
  const path = `${t.root}/trace.jsonl`;
  writeFileSync(path, '{"n":1}\n{"n":"boom"}\n{"n":3}\n');
  const seen: number[] = [];
  const run: LineRun = {
    events: [],
    skipped: 0,
    line(line) {
      const record = JSON.parse(line.toString("utf8")) as { n: unknown };
      if (typeof record.n !== "number") throw new RangeError("Maximum call stack size exceeded");
      seen.push(record.n);
    },
    finish: () => ({ sessions: [], state: null }),
  };
  const out = await parseLines({ path, fromOffset: 0, state: null, contents: new MemoryContentStore() }, run);
  expect(seen).toEqual([1, 3]);
  expect(out.skippedLines).toBe(1);
  expect(out.endOffset).toBe(Buffer.byteLength('{"n":1}\n{"n":"boom"}\n{"n":3}\n'));
  expect(out.error).toBeUndefined();
});
