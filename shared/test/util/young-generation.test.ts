// The young generation stops growing at its cap once boundYoungGeneration saw it there (V8 would double it up to
// 32 MiB of new space during a long index), and a start that sets its own semi-space size is left alone. Each case
// runs in a fresh Node process: the flag is process-wide.

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

function largestNewSpace(args: string[]): number {
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { largest: number }).largest;
}

const MiB = 1024 * 1024;

it("grows past the cap without the bound, and stays at 8 MiB of new space with it", () => {
  expect(largestNewSpace([load, "free"])).toBeGreaterThan(8 * MiB);
  expect(largestNewSpace([load, "bound"])).toBeLessThanOrEqual(8 * MiB);
});

it("leaves a process started with its own semi-space size alone", () => {
  expect(largestNewSpace(["--max-semi-space-size=16", load, "bound"])).toBeGreaterThan(8 * MiB);
});
