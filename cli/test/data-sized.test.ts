// Data-sized inputs and hostile tally keys: model ids named like Object.prototype members count correctly in
// `stats --json` and `stats` (built CLI); a transcript with a 200,000-line answer renders as text and markdown
// (built CLI); the stats and timeline layouts take 200,000 models or rows — sizes where `push(...items)` and
// `Math.max(...values)` overflow the stack (the limit is near 125,000 arguments).

import { describe, expect, it } from "vitest";
import type { StatsJson, TimelineEntryJson } from "@ai-blame/shared";
import { formatStats } from "../src/output/stats-text";
import { formatTimeline } from "../src/output/timeline-text";
import { makeProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const PROTO_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];
const MANY = 200_000;

describe("tallies keyed by trace text", () => {
  it("count model ids named like Object.prototype members", async () => {
    const p = makeProject();
    const s = new ClaudeSession(p.project).prompt("one file per model");
    PROTO_NAMES.forEach((model, i) => {
      for (let k = 0; k <= i; k++) s.write(p.path(`f${i}-${k}.txt`), `${model}\n`, null, model);
    });
    s.save(p.home);
    const r = await p.run(["stats", "--json"]);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout) as StatsJson;
    expect(Object.entries(stats.byModel).sort()).toEqual(PROTO_NAMES.map((m, i) => [m, i + 1]).sort());
    expect(stats.events).toBe(15);
    const text = (await p.run(["stats"])).stdout;
    for (const [i, m] of PROTO_NAMES.entries()) expect(text).toMatch(new RegExp(`\\n  ${m} +${i + 1}\\n`));
  });
});

describe("data-sized inputs", () => {
  it("transcript view renders a 200,000-line answer as text and markdown", async () => {
    const p = makeProject();
    const big = Array.from({ length: MANY }, (_, i) => `row ${i}`).join("\n");
    const s = new ClaudeSession(p.project).prompt("print a big table").reply(big);
    s.save(p.home);
    for (const format of ["text", "markdown"]) {
      const r = await p.run(["transcript", "view", s.sessionId, "--show-tools", "--full", "--format", format]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`row ${MANY - 1}`);
    }
  });

  it("stats and timeline layouts take 200,000 models and rows", () => {
    const byModel: Record<string, number> = {};
    for (let i = 0; i < MANY; i++) byModel[`model-${i}`] = 1;
    const stats = { traceFiles: 1, sessions: 1, events: MANY, files: MANY, skippedLines: 0, byModel, byAgent: { "claude-code": MANY } } as unknown as StatsJson;
    const text = formatStats(stats, [], null);
    expect(text.split("\n").filter((l) => l.startsWith("  model-"))).toHaveLength(MANY);
    const entries: TimelineEntryJson[] = Array.from({ length: MANY }, (_, i) => ({
      timestamp: "2025-12-28T15:20:00Z", file: `f${i}.ts`, action: "EDITED", model: `model-${i}`, agent: "claude-code",
      agentVersion: null, sessionId: "s", toolCallId: `t${i}`, changeSize: 1,
    }));
    expect(formatTimeline(entries, 0)).toContain(`Total edits found: ${MANY}`);
  });
});
