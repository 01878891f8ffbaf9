// Frames written chunk by chunk from one reused buffer read back exactly as frames encoded one buffer each: the
// project view is written this way, so a reused buffer must never leak one frame's bytes into the next.

import { expect, it } from "vitest";
import { encodeFrame, frameChunks, readFrames } from "../../src/store/frames";

it("gives the same bytes as encodeFrame per payload, across payloads longer than the scratch buffer and multibyte text", () => {
  const payloads = [
    JSON.stringify({ v: 5, projectKey: "/home/ana/proj", entries: 3 }),
    JSON.stringify({ path: "/home/ana/.claude/projects/-home-ana-proj/a.jsonl", heads: ["x".repeat(70_000)] }),
    JSON.stringify({ prompt: "Fix the 日本語 parser — ünïcödé", n: 1 }),
    JSON.stringify({ short: true }),
  ];
  const written: number[] = [];
  for (const chunk of frameChunks(payloads)) written.push(...chunk);
  const expected = Buffer.concat(payloads.map((p) => encodeFrame(p)));
  expect(Buffer.from(written).equals(expected)).toBe(true);
  const read = readFrames(Buffer.from(written));
  expect(read.end).toBe("whole");
  expect(read.frames.map((f) => f.toString("utf8"))).toEqual(payloads);
});
