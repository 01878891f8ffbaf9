// The discovery cwd cache as the index stores it (store/cwd-cache-file.ts): what a later process reads back is what
// was saved — a trace's size, mtime, cwd and the checksum of its first bytes (kept through appended frames, where the
// later entry wins), and an entry saved without that checksum has none.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TrackedCwdCache } from "../../src/discovery/head";
import { CwdCacheFile } from "../../src/store/cwd-cache-file";
import { encodeFrame } from "../../src/store/frames";
import { makeSandbox, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

function readBack(file: string): TrackedCwdCache {
  const cache = new TrackedCwdCache();
  new CwdCacheFile(file, 7).read(cache);
  return cache;
}

it("reads back sizes, times, cwds and head checksums, whole and through appended frames", () => {
  const file = join(box.dataDir, "cwd-cache.json");
  const cache = new TrackedCwdCache();
  cache.set("/h/a.jsonl", { size: 10, mtimeMs: 1.5, cwd: "/p", head: [120, 987654321] });
  cache.set("/h/b.jsonl", { size: 20, mtimeMs: 2, cwd: null });
  const writer = new CwdCacheFile(file, 7);
  writer.save(cache);
  expect([...readBack(file)]).toEqual([...cache]);
  // A grown trace's entry is appended as a frame of its own; the later one wins.
  const whole = readFileSync(file);
  cache.set("/h/a.jsonl", { size: 30, mtimeMs: 3, cwd: "/p", head: [120, 987654321] });
  writer.save(cache);
  expect(readFileSync(file).subarray(0, whole.length)).toEqual(whole);
  expect(readBack(file).get("/h/a.jsonl")).toEqual({ size: 30, mtimeMs: 3, cwd: "/p", head: [120, 987654321] });
  expect(readBack(file).get("/h/b.jsonl")).toEqual({ size: 20, mtimeMs: 2, cwd: null });
  // A head checksum of the wrong shape is not trusted: the entry is read without one.
  writeFileSync(file, encodeFrame(JSON.stringify({ v: 7, entries: [["/h/a.jsonl", 10, 1, "/p", [120, "x"]]] })));
  expect(readBack(file).get("/h/a.jsonl")).toEqual({ size: 10, mtimeMs: 1, cwd: "/p" });
});
