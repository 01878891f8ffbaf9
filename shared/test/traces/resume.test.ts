// Resuming after an append: parsing a file in two parts (the second from the first's endOffset with its state, the
// state round-tripped through JSON as the index stores it) gives exactly the events and sessions of one whole parse,
// wherever the file was cut — at a line boundary or in the middle of a line the agent was still writing.

import { writeFileSync, appendFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryContentStore } from "../../src/store/content-store";
import { ClaudeTraceParser } from "../../src/agents/claude/parser";
import { CodexTraceParser } from "../../src/agents/codex/parser";
import type { TraceParser } from "../../src/traces/parser";
import { fixtureBytes, makeTempHome, parseWhole, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

/** Cut points: every line start, and the middle of every line. */
function cutPoints(bytes: Buffer): number[] {
  const cuts: number[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    if (nl === -1) break;
    cuts.push(start, start + Math.floor((nl - start) / 2));
    start = nl + 1;
  }
  return cuts;
}

async function checkResume(parser: TraceParser, fixture: string, fileName: string): Promise<number> {
  const bytes = fixtureBytes(fixture, { PROJECT: t.project });
  const path = `${t.root}/${fileName}`;
  writeFileSync(path, bytes);
  const whole = await parseWhole(parser, path);
  expect(whole.events.length).toBeGreaterThan(2);
  let checked = 0;
  for (const cut of cutPoints(bytes)) {
    writeFileSync(path, bytes.subarray(0, cut));
    const contents = new MemoryContentStore();
    const first = await parser.parse({ path, fromOffset: 0, state: null, contents });
    appendFileSync(path, bytes.subarray(cut));
    const state = JSON.parse(JSON.stringify(first.state)) as unknown;
    const second = await parser.parse({ path, fromOffset: first.endOffset, state, contents });
    expect([...first.events, ...second.events], `cut at byte ${cut}`).toEqual(whole.events);
    expect(second.sessions, `cut at byte ${cut}`).toEqual(whole.sessions);
    expect(first.bytesRead + second.bytesRead).toBe(bytes.length + (cut - first.endOffset));
    checked++;
  }
  return checked;
}

describe("resume after append", () => {
  it("Claude: two parts equal one whole parse at every cut", async () => {
    expect(await checkResume(new ClaudeTraceParser(), "claude/session.jsonl", "session.jsonl")).toBeGreaterThan(40);
  });

  it("Claude subagent file: two parts equal one whole parse", async () => {
    const bytes = fixtureBytes("claude/agent-a3f9c21.jsonl", { PROJECT: t.project });
    const path = `${t.root}/agent-a3f9c21.jsonl`;
    writeFileSync(path, bytes);
    const parser = new ClaudeTraceParser();
    const whole = await parseWhole(parser, path);
    for (const cut of cutPoints(bytes)) {
      writeFileSync(path, bytes.subarray(0, cut));
      const contents = new MemoryContentStore();
      const first = await parser.parse({ path, fromOffset: 0, state: null, contents });
      appendFileSync(path, bytes.subarray(cut));
      const second = await parser.parse({ path, fromOffset: first.endOffset, state: JSON.parse(JSON.stringify(first.state)), contents });
      expect([...first.events, ...second.events]).toEqual(whole.events);
    }
  });

  it("Codex: two parts equal one whole parse at every cut", async () => {
    expect(await checkResume(new CodexTraceParser(), "codex/rollout.jsonl", "rollout-x.jsonl")).toBeGreaterThan(30);
  });

  it("ignores a state of an unknown shape (an older build's) and starts clean", async () => {
    const path = `${t.root}/session.jsonl`;
    writeFileSync(path, fixtureBytes("claude/session.jsonl", { PROJECT: t.project }));
    const parser = new ClaudeTraceParser();
    const whole = await parseWhole(parser, path);
    const odd = await parser.parse({ path, fromOffset: 0, state: { v: 99, pending: "x" }, contents: new MemoryContentStore() });
    expect(odd.events).toEqual(whole.events);
  });
});
