// `--no-cache` equivalence at the engine level: for each fixture home, the answers of an uncached engine, a cold
// cached one, a warm cached one (a second process reading the stored index) and a rebuilt one are identical —
// stats, timeline, sessions and the blame of every edited file.

import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createEngine } from "../../src/engine";
import type { EngineOptions } from "../../src/engine-api";
import { claudeSessionPath, codexRolloutPath, makeTempHome, placeFixture, type TempHome } from "../support/trace-home";

let temp: TempHome | null = null;
afterEach(() => temp?.cleanup());

/** Everything a user can ask, as one comparable value. */
async function answers(options: EngineOptions) {
  const engine = createEngine(options);
  const refreshed = await engine.refresh();
  const snap = engine.snapshot();
  const events = snap.events();
  const files = [...new Set(events.map((e) => e.file))].sort();
  const blames = files.map((file) => {
    // The last AI content of the file stands in for the file on disk (the fixtures ship no project files).
    const last = [...events].reverse().find((e) => e.file === file && e.change.after !== undefined);
    const text = last?.change.after === undefined ? "" : (snap.content(last.change.after) ?? "");
    return snap.blame(file, text);
  });
  return { filesRead: refreshed.filesRead, value: { stats: snap.stats(), timeline: snap.timeline(), sessions: snap.sessions(), blames } };
}

const fixtureHomes: [string, (t: TempHome) => void][] = [
  [
    "claude session with a subagent",
    (t) => {
      placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, "7f3c1a52-1b2c-4d5e-8f90-0a1b2c3d4e5f.jsonl"), t.project);
      placeFixture("claude/agent-a3f9c21.jsonl", claudeSessionPath(t.home, t.project, "agent-a3f9c21.jsonl"), t.project);
    },
  ],
  ["codex rollout", (t) => void placeFixture("codex/rollout.jsonl", codexRolloutPath(join(t.home, ".codex"), "019b6b08-58f3-7580-9dca-fe3f30a10650"), t.project)],
];

it.each(fixtureHomes)("cached and uncached answers are identical: %s", async (_name, place) => {
  temp = makeTempHome();
  place(temp);
  const base: EngineOptions = { projectDir: temp.project, home: temp.home, env: { HOME: temp.home }, dataDir: join(temp.root, "data") };
  const uncached = await answers({ ...base, cache: "off" });
  expect(uncached.value.stats.events).toBeGreaterThan(0);
  const cold = await answers({ ...base, cache: "on" });
  const warm = await answers({ ...base, cache: "on" });
  const rebuilt = await answers({ ...base, cache: "rebuild" });
  expect(cold.filesRead).toBeGreaterThan(0);
  expect(warm.filesRead).toBe(0);
  expect(rebuilt.filesRead).toBe(cold.filesRead);
  expect(JSON.stringify(cold.value)).toBe(JSON.stringify(uncached.value));
  expect(JSON.stringify(warm.value)).toBe(JSON.stringify(uncached.value));
  expect(JSON.stringify(rebuilt.value)).toBe(JSON.stringify(uncached.value));
});
