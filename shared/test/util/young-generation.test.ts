// The young generation stops growing at its cap once boundYoungGeneration saw it there (V8 would double it up to
// 32 MiB of new space during a long index), also when only boundHeapForBulkIndex was called at the start (checked
// after every scavenge, or where a synchronous stretch checks it), and still after a worker isolate started (which
// resets V8's growth factor), which itself starts at its working size; a start that sets its own semi-space size is
// left alone. Each case runs in a fresh Node process: the flags are process-wide.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

let dir: string;
let load: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ai-blame-young-"));
  load = join(dir, "load.cjs");
  buildSync({
    entryPoints: [join(__dirname, "support", "young-generation-load.ts")],
    outfile: load,
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "error",
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface LoadResult {
  largest: number;
  workerNewSpace: number | null;
}

function runLoad(args: string[]): LoadResult {
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as LoadResult;
}

const largestNewSpace = (args: string[]): number => runLoad(args).largest;

const MiB = 1024 * 1024;

it("grows past the cap without the bound, and stays at 8 MiB of new space with it", () => {
  expect(largestNewSpace([load, "free"])).toBeGreaterThan(8 * MiB);
  expect(largestNewSpace([load, "bound"])).toBeLessThanOrEqual(8 * MiB);
});

it("stays at 8 MiB of new space when bounded once at the start of a bulk index", () => {
  expect(largestNewSpace([load, "watch"])).toBeLessThanOrEqual(8 * MiB);
});

it("holds the bound through a stretch without a turn of the event loop where the index checks it, and only then", () => {
  expect(largestNewSpace([load, "checkpoint"])).toBeLessThanOrEqual(8 * MiB);
  expect(largestNewSpace([load, "checkpoint-unarmed"])).toBeGreaterThan(8 * MiB);
});

it("holds the bound through a replay of a long history from its contents (a first blame), without a bulk index", () => {
  expect(largestNewSpace([load, "replay"])).toBeLessThanOrEqual(8 * MiB);
});

it("starts a worker beside it at 4 MiB of new space, and the main thread still stays at 8 MiB", () => {
  const result = runLoad([load, "worker-first"]);
  expect(result.workerNewSpace).toBeGreaterThanOrEqual(4 * MiB);
  expect(result.largest).toBeLessThanOrEqual(8 * MiB);
});

it("keeps the bound after a worker started once it was reached (V8 resets the growth factor for a new isolate)", () => {
  const result = runLoad([load, "worker-after"]);
  expect(result.workerNewSpace).toBeGreaterThanOrEqual(4 * MiB);
  expect(result.largest).toBeLessThanOrEqual(8 * MiB);
});

it("leaves a process started with its own semi-space size alone", () => {
  expect(largestNewSpace(["--max-semi-space-size=16", load, "bound"])).toBeGreaterThan(8 * MiB);
});
