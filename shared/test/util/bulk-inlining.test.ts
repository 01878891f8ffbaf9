// TurboFan's inlining budget is capped while a bulk index runs and back at V8's default when it ends (a server lives
// on and optimizes its later work as V8 would); capping or ending twice changes nothing. Each case runs in a fresh
// Node process (V8's flags are process-wide) and asks V8 itself: a code cache made under the flags of one moment is
// taken only under the same flags.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleLoadScript, type LoadScript } from "../support/load-script";
import { claudeSessionPath, makeTempHome, placeFixture } from "../support/trace-home";

let script: LoadScript;
let load: string;
beforeAll(() => {
  script = bundleLoadScript(join(__dirname, "support", "bulk-inlining-load.ts"), "ai-blame-inlining-");
  load = script.path;
});
afterAll(() => script.remove());

function runLoad(args: string[]): Record<string, unknown> {
  const run = spawnSync(process.execPath, [load, ...args], { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

it("sets the capped budget once, and V8's default again at the end", () => {
  expect(runLoad(["cap"])).toEqual({ before: false, capped: true, ended: false, endedTwice: false });
});

it("holds the cap while a first index applies its traces, and lifts it when the index ends", () => {
  const t = makeTempHome();
  try {
    placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f.jsonl"), t.project);
    const result = runLoad(["index", t.project, t.home, join(t.root, "data")]);
    expect(result).toEqual({ filesRead: 1, during: [true], after: false });
  } finally {
    t.cleanup();
  }
});
