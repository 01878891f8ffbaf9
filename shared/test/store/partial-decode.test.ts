// A warm engine (records from the project's saved view, their events decoded only when read) first blames one file,
// decoding only that file's events and keeping only their changes, then answers stats, timeline and every other
// file's blame exactly as an engine that indexed the traces cold: a whole decode after a partial one re-reads the
// changes the partial parse did not keep.

import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createEngine } from "../../src/engine";
import type { Snapshot } from "../../src/engine-api";
import { claudeSessionPath, makeTempHome, placeFixture, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
  placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f.jsonl"), t.project);
});
afterEach(() => t.cleanup());

async function snapshotOfNewEngine(): Promise<Snapshot> {
  const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: join(t.root, "data") });
  await engine.refresh();
  return engine.snapshot();
}

/** Each edited file with the text its last recorded edit left (what the file would hold on disk). */
function filesAndTexts(s: Snapshot): [string, string][] {
  const last = new Map<string, string>();
  for (const e of s.events()) last.set(e.file, s.content(e.change.after ?? "") ?? "");
  return [...last].map(([file, text]) => [s.relativePath(file), text]);
}

it("a warm blame of one file, then stats, timeline and the other files answer as a cold index", async () => {
  const cold = await snapshotOfNewEngine();
  const files = filesAndTexts(cold);
  expect(files.length).toBeGreaterThan(1);
  expect(files.some(([, text]) => text.length > 0)).toBe(true);
  const expected = files.map(([file, text]) => cold.blame(file, text));
  expect(expected.some((b) => b.lines.some((l) => l.owner !== null))).toBe(true);

  const warm = await snapshotOfNewEngine();
  const [first, text] = files[0] as [string, string];
  expect(warm.blame(first, text)).toEqual(expected[0]);
  expect(warm.stats()).toEqual(cold.stats());
  expect(warm.timeline()).toEqual(cold.timeline());
  expect(files.map(([file, t]) => warm.blame(file, t))).toEqual(expected);
});
