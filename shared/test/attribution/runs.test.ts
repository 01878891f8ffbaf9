// AI runs (the grouping behind code lenses and inlay hints): consecutive AI lines of one session form one run
// whatever their models, a subagent joins its parent's run, another session or an unattributed line ends a run, and
// each run knows its models (most lines first), its distinct edits and its newest edit.

import { describe, expect, it } from "vitest";
import type { BlameJson, LineOwnerJson } from "../../src/contract";
import { aiRuns, runSession } from "../../src/attribution/runs";

const PARENT = "14408b5e-9898-4517-9771-f2e6ea0ed7dc";

function owner(eventId: string, model: string, sessionId: string, timestamp: string): LineOwnerJson {
  return {
    timestamp,
    model,
    agent: "claude-code",
    agentVersion: "2.0.50",
    sessionId,
    action: "EDITED",
    toolCallId: `toolu_${eventId}`,
    promptId: null,
    promptText: null,
    eventId,
    traceFile: `/home/.claude/projects/p/${sessionId}.jsonl`,
  };
}

const opus = owner("opus-write", "claude-opus-4-5-20251101", PARENT, "2025-11-03T13:58:23.917Z");
const sonnet = owner("sonnet-edit", "claude-sonnet-4-5-20250929", PARENT, "2025-11-03T14:04:47.687Z");
const sonnetLater = owner("sonnet-write", "claude-sonnet-4-5-20250929", PARENT, "2025-11-03T14:08:20.387Z");
const haiku = owner("haiku-edit", "claude-haiku-4-5-20251001", `${PARENT}/agent-ae7758fc`, "2025-11-03T14:08:10.437Z");
const codex = owner("codex-patch", "gpt-5.1-codex-max", "019a4e53-dcbc-7173-a2b4-9e6273e4bad7", "2025-11-04T10:05:28.692Z");

function blameOf(owners: (LineOwnerJson | null)[]): BlameJson {
  return {
    file: "tasklog/cli.py",
    lines: owners.map((o, i) => ({ line: i + 1, text: `line ${i + 1}`, owner: o, reason: o ? null : "changed-after-ai" })),
    // Runs are built from lines; blocks are not consulted.
    blocks: [],
    created: null,
    events: 5,
    fallbacks: 0,
  };
}

describe("aiRuns", () => {
  it("keeps one session's alternating models in one run, models by line count, edits distinct, newest edit", () => {
    const runs = aiRuns(blameOf([sonnet, opus, opus, sonnetLater, opus, sonnet, opus]));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ start: 1, end: 7, session: PARENT, models: ["claude-opus-4-5", "claude-sonnet-4-5"], edits: 3 });
    expect(runs[0]?.newest.eventId).toBe("sonnet-write");
  });

  it("ends a run at an unattributed line and at another session, and starts each run on an attributed line", () => {
    const runs = aiRuns(blameOf([null, opus, opus, null, sonnet, codex, codex, opus, null]));
    expect(runs.map((r) => [r.start, r.end, r.session, r.edits])).toEqual([
      [2, 3, PARENT, 1],
      [5, 5, PARENT, 1],
      [6, 7, codex.sessionId, 1],
      [8, 8, PARENT, 1],
    ]);
    expect(runs.map((r) => r.models)).toEqual([["claude-opus-4-5"], ["claude-sonnet-4-5"], ["gpt-5.1-codex-max"], ["claude-opus-4-5"]]);
  });

  it("counts a subagent's lines in its parent session's run", () => {
    const runs = aiRuns(blameOf([opus, haiku, haiku, haiku, opus]));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ start: 1, end: 5, session: PARENT, models: ["claude-haiku-4-5", "claude-opus-4-5"], edits: 2 });
    expect(runs[0]?.newest.eventId).toBe("haiku-edit");
  });

  it("breaks a tie in line counts by the model seen first", () => {
    expect(aiRuns(blameOf([sonnet, opus]))[0]?.models).toEqual(["claude-sonnet-4-5", "claude-opus-4-5"]);
    expect(aiRuns(blameOf([opus, sonnet]))[0]?.models).toEqual(["claude-opus-4-5", "claude-sonnet-4-5"]);
  });

  it("has no runs for a file no agent wrote", () => {
    expect(aiRuns(blameOf([null, null]))).toEqual([]);
    expect(aiRuns(blameOf([]))).toEqual([]);
  });
});

describe("runSession", () => {
  it("maps a Claude subagent session to its parent and leaves other ids alone", () => {
    expect(runSession(`${PARENT}/agent-ae7758fc`)).toBe(PARENT);
    expect(runSession(PARENT)).toBe(PARENT);
    expect(runSession("019a4e53-dcbc-7173-a2b4-9e6273e4bad7")).toBe("019a4e53-dcbc-7173-a2b4-9e6273e4bad7");
  });
});
