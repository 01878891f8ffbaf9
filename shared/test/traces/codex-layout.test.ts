// The Codex parser reads a record's kind from its first bytes when the rollout has the layout Codex writes
// (`{"timestamp":…,"type":…,"payload":{"type":…`); rollouts whose records have their keys in another order (the
// kind found anywhere in the line instead) must give exactly the same events, sessions and prompts.

import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EditEvent } from "../../src/events/edit-event";
import { CodexTraceParser } from "../../src/agents/codex/parser";
import { codexRolloutPath, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const CSID = "019b6b08-58f3-7580-9dca-fe3f30a10650";
const parser = new CodexTraceParser();
let t: TempHome;

beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

/** The same record with its keys in reverse order, at the top and in the payload. */
function reordered(line: string): string {
  const rec = JSON.parse(line) as Record<string, unknown>;
  const flip = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).reverse());
  const out = flip(rec);
  if (out.payload !== null && typeof out.payload === "object") out.payload = flip(out.payload as Record<string, unknown>);
  return JSON.stringify(out);
}

/** Events without the fields that name the trace file (the two rollouts are different files). */
function comparable(events: EditEvent[]): unknown[] {
  return events.map(({ traceFile, traceOffset, promptId, ...rest }) => ({ ...rest, hasPrompt: promptId !== null }));
}

describe("Codex record heads", () => {
  it("gives the same events for the Codex layout and for records with their keys in another order", async () => {
    const written = placeFixture("codex/rollout.jsonl", codexRolloutPath(`${t.home}/.codex`, CSID), t.project);
    const text = readFileSync(written, "utf8");
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    expect(lines.every((l) => l.startsWith('{"timestamp":"'))).toBe(true);
    const other = writeTrace(codexRolloutPath(`${t.home}/.codex`, CSID, "2025/12/30"), lines.map(reordered).join("\n") + "\n");
    const a = await parseWhole(parser, written);
    const b = await parseWhole(parser, other);
    expect(a.events.length).toBeGreaterThan(3);
    expect(comparable(b.events)).toEqual(comparable(a.events));
    expect(b.events.map((e) => e.promptText)).toEqual(a.events.map((e) => e.promptText));
    expect(b.sessions.map(({ traceFile, ...s }) => s)).toEqual(a.sessions.map(({ traceFile, ...s }) => s));
    expect(b.skippedLines).toBe(a.skippedLines);
  });
});
