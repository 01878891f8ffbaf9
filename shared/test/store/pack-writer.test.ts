// A pack's writer holds payloads and writes them a batch at a time: every entry reads back exactly while the pack is
// unfinished (held in memory or already in the file) and from the completed pack, and an abandoned pack leaves no file.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { PackWriter, readPackIndex, readPayload } from "../../src/store/content-pack";
import { makeSandbox, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

it("reads every payload back before and after the pack is complete, across several batches", () => {
  const dir = join(box.dataDir, "contents");
  mkdirSync(dir, { recursive: true });
  const writer = new PackWriter(dir);
  // ~1.5 MB of payloads from 10 bytes to 300 KB (written at once): several batches written, the last ones still held.
  const payloads = Array.from({ length: 40 }, (_, i) => randomBytes(i === 5 ? 300_000 : i % 3 === 0 ? 100_000 : 10 + i * 97));
  payloads.forEach((payload, i) => {
    writer.append(`k${i}`, payload);
    // Every earlier payload reads back as appended, wherever it is now.
    for (const j of [0, Math.floor(i / 2), i]) expect(writer.read(`k${j}`)?.equals(payloads[j]!)).toBe(true);
  });
  const path = writer.finish();
  if (path === null) throw new Error("no pack");
  const index = readPackIndex(path);
  if (index === null || index === "old") throw new Error("unreadable pack");
  expect(index.map(([key]) => key)).toEqual(payloads.map((_, i) => `k${i}`));
  for (const [key, offset, length, crc] of index) expect(readPayload({ pack: path, offset, length, crc }).equals(payloads[Number(key.slice(1))]!)).toBe(true);
});

it("leaves no file when abandoned with payloads still held", () => {
  const dir = join(box.dataDir, "contents");
  mkdirSync(dir, { recursive: true });
  const writer = new PackWriter(dir);
  writer.append("a", randomBytes(300_000));
  writer.append("b", randomBytes(1_000));
  expect(writer.read("b")?.length).toBe(1_000);
  writer.abandon();
  expect(readdirSync(dir)).toEqual([]);
  expect(existsSync(join(dir, writer.name))).toBe(false);
});
