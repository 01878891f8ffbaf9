// The young generation stops growing at its cap once boundYoungGeneration saw it there (V8 would double it up to
// 32 MiB of new space during a long index), also when only boundHeapForBulkIndex was called at the start (checked
// after every scavenge, or where a synchronous stretch checks it), and still after a worker isolate started (which
// resets V8's growth factor); while a worker starts, V8's flags are at their defaults (Node's code cache of its
// built-in modules is then taken) and set again once it runs; a start that sets its own semi-space size is left
// alone. Each case runs in a fresh Node process: the flags are process-wide.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bundleLoadScript, type LoadScript } from "../support/load-script";

let script: LoadScript;
let load: string;
beforeAll(() => {
  script = bundleLoadScript(join(__dirname, "support", "young-generation-load.ts"), "ai-blame-young-");
  load = script.path;
});
afterAll(() => script.remove());

interface LoadResult {
  largest: number;
  workerNewSpace: number | null;
  /** Whether V8 rejected, at the worker's start, a code cache made under its default flags. */
  workerCacheRejected: boolean | null;
  /** The same on the main thread at the end. */
  cacheRejected: boolean;
  /** "worker-start" modes: the full GCs from the worker's start on, after the one made while it started ("-gc"). */
  fullGcs?: number;
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

it("starts a worker under V8's default flags during a bulk index, and sets them again once it runs", () => {
  const result = runLoad([load, "worker-start"]);
  expect(result.workerCacheRejected).toBe(false);
  expect(result.cacheRejected).toBe(true);
});

it("sets the flags again as soon as a worker is stopped while it starts, not when it has exited", () => {
  expect(runLoad([load, "worker-stopped"]).cacheRejected).toBe(true);
});

it("collects the heap again under the bound once a worker ran, when a full GC (under V8's default) came while it started", () => {
  // Such a GC set the old generation's next limit by V8's default growth (up to 4x what it kept), not the bound's.
  expect(runLoad(["--expose-gc", load, "worker-start-gc"]).fullGcs).toBe(1);
  expect(runLoad(["--expose-gc", load, "worker-start"]).fullGcs).toBe(0);
});

it("starts a worker beside it and still stays at 8 MiB of new space (the bound does not wait for the worker)", () => {
  const result = runLoad([load, "worker-first"]);
  expect(result.largest).toBeLessThanOrEqual(8 * MiB);
  expect(result.cacheRejected).toBe(true);
});

it("keeps the bound after a worker started once it was reached (V8 resets the growth factor for a new isolate)", () => {
  const result = runLoad([load, "worker-after"]);
  expect(result.workerCacheRejected).toBe(false);
  expect(result.cacheRejected).toBe(true);
  expect(result.largest).toBeLessThanOrEqual(8 * MiB);
});

it("takes a code cache made under V8's default flags without a bulk index, and not once one set them", () => {
  expect(runLoad([load, "free"]).cacheRejected).toBe(false);
  expect(runLoad([load, "watch"]).cacheRejected).toBe(true);
});

it("leaves a process started with its own semi-space size alone", () => {
  expect(largestNewSpace(["--max-semi-space-size=16", load, "bound"])).toBeGreaterThan(8 * MiB);
});
