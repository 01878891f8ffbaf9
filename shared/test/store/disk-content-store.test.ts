// The disk content store: texts survive a new process (a new store on the same folder), versions of an edited file
// are stored as small deltas yet read back exactly (also past the chain limit), and damaged blobs read as missing
// with a warning instead of wrong text.

import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { MAX_DEPTH } from "../../src/store/content-delta";
import { commonPrefixLength, commonSuffixLength } from "../../src/util/common-affix";
import { DiskContentStore } from "../../src/store/disk-content-store";
import { makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

/** A 2,000-line source file; version n has line n*7 changed and one line inserted (like a run of Edits). */
function version(n: number): string {
  const lines = Array.from({ length: 2000 }, (_, i) => `    value_${i} = compute(${i}, options)  # line ${i}`);
  for (let k = 1; k <= n; k++) {
    lines[(k * 7) % 2000] = `    value_${k} = compute_fast(${k}, options, cache)  # edited in version ${k}`;
    lines.splice((k * 13) % 2000, 0, `    log("version ${k}")`);
  }
  return `${lines.join("\n")}\n`;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

it("stores successive versions as deltas and reads every one back exactly from a new store", async () => {
  const dir = join(box.dataDir, "contents");
  const store = new DiskContentStore(dir, recordingLog(), (e) => {
    throw e;
  });
  const versions = Array.from({ length: 3 * MAX_DEPTH }, (_, n) => version(n));
  const keys = versions.map((v) => store.put(v));
  expect(store.get(keys[5] ?? "")).toBe(versions[5]);
  await store.drain();
  const log = recordingLog();
  const fresh = new DiskContentStore(dir, log, () => undefined);
  // Read newest first, so every chain is walked from the disk rather than from the cache.
  for (let n = versions.length - 1; n >= 0; n--) expect(fresh.get(keys[n] ?? "")).toBe(versions[n]);
  expect(log.lines).toEqual([]);
  const whole = versions.reduce((sum, v) => sum + v.length, 0);
  // Deltas: a fraction of the versions compressed one by one (each alone compresses to ~20% of its size).
  expect(dirBytes(dir)).toBeLessThan(whole / 20);
  // One pack for the whole run, not one file per text.
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/\.pack$/)]);
});

it("puts the same text once, and finds texts another process stored", async () => {
  const dir = join(box.dataDir, "contents");
  const a = new DiskContentStore(dir, recordingLog(), () => undefined);
  const key = a.put("hello\n");
  expect(a.put("hello\n")).toBe(key);
  await a.drain();
  const b = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect(b.put("hello\n")).toBe(key);
  expect(b.get(key)).toBe("hello\n");
  expect(b.get("0".repeat(40))).toBeUndefined();
  expect(b.get("../../etc/passwd")).toBeUndefined();
});

it("stores a process's first few new texts without reading the packs' keys (duplicates merge away); looks up the rest", async () => {
  const dir = join(box.dataDir, "contents");
  const packs = (): string[] => readdirSync(dir).filter((name) => name.endsWith(".pack"));
  const a = new DiskContentStore(dir, recordingLog(), () => undefined);
  const hello = a.put("hello\n");
  const big = version(3);
  const bigKey = a.put(big);
  await a.drain();
  expect(packs()).toHaveLength(1);
  // A new process's first small text is not looked up among the packs: stored again, in a pack of its own.
  const b = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect(b.put("hello\n")).toBe(hello);
  await b.drain();
  expect(packs()).toHaveLength(2);
  // Past UNCHECKED_CHARS a text is looked up: one the packs hold is not stored again.
  const c = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect(big.length).toBeGreaterThan(64 * 1024);
  expect(c.put(big)).toBe(bigKey);
  await c.drain();
  expect(packs()).toHaveLength(2);
  const d = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect([d.get(hello), d.get(bigKey)]).toEqual(["hello\n", big]);
});

it("reads a damaged text, or a delta whose base is gone, as missing with a warning", async () => {
  const dir = join(box.dataDir, "contents");
  const store = new DiskContentStore(dir, recordingLog(), () => undefined);
  const base = store.put(version(1));
  await store.drain();
  const [basePack] = readdirSync(dir);
  const next = store.put(version(2));
  const other = store.put(`${"z".repeat(70_000)}\n${version(300)}`);
  await store.drain();
  expect(readdirSync(dir)).toHaveLength(2);
  rmSync(join(dir, basePack ?? ""));
  // Damage the middle of the second pack's data (the whole text `other` is most of it).
  const second = join(dir, readdirSync(dir)[0] ?? "");
  const bytes = readFileSync(second);
  bytes.fill(0x55, 2000, 2400);
  writeFileSync(second, bytes);
  const log = recordingLog();
  const lost: string[] = [];
  const fresh = new DiskContentStore(dir, log, () => undefined, (key) => lost.push(key));
  expect(fresh.get(base)).toBeUndefined();
  expect(fresh.get(next)).toBeUndefined();
  expect(fresh.get(other)).toBeUndefined();
  expect(log.lines).toHaveLength(2);
  expect(log.lines.every((l) => l.startsWith("warn: index: content blob"))).toBe(true);
  expect(log.lines[1]).toContain("checksum mismatch");
  // Each lost key is reported once (the owner re-reads the traces that need it).
  expect(fresh.get(other)).toBeUndefined();
  expect(lost.sort()).toEqual([base, next, other].sort());
  // The corrupt payload was dropped from its pack, so storing the text again (a re-read trace) makes it whole.
  const healed = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect(healed.put(`${"z".repeat(70_000)}\n${version(300)}`)).toBe(other);
  await healed.drain();
  expect(new DiskContentStore(dir, recordingLog(), () => undefined).get(other)).toBe(`${"z".repeat(70_000)}\n${version(300)}`);
});

it("skips a torn pack with a warning, and merges many small packs into one", async () => {
  const dir = join(box.dataDir, "contents");
  const keys: string[] = [];
  for (let run = 0; run < 18; run++) {
    // A new store per run, as each CLI process has: every run leaves one small pack, until they are merged.
    const store = new DiskContentStore(dir, recordingLog(), () => undefined);
    keys.push(store.put(`text of run ${run}\n`));
    await store.drain();
  }
  expect(readdirSync(dir).length).toBeLessThanOrEqual(2);
  const reader = new DiskContentStore(dir, recordingLog(), () => undefined);
  expect(keys.map((k) => reader.get(k))).toEqual(keys.map((_, run) => `text of run ${run}\n`));
  writeFileSync(join(dir, "torn.pack"), "APK2 but nothing else, and more");
  const log = recordingLog();
  const afterTear = new DiskContentStore(dir, log, () => undefined);
  expect(afterTear.get(keys[3] ?? "")).toBe("text of run 3\n");
  expect(log.lines).toEqual([
    `warn: index: content pack ${join(dir, "torn.pack")} is unreadable, torn or fails its checksum; removed, its texts are re-read from their traces`,
  ]);
  expect(readdirSync(dir)).not.toContain("torn.pack");
});

it("finds common prefixes and suffixes across block boundaries", () => {
  const a = `${"x".repeat(10_000)}A${"y".repeat(9_000)}`;
  const b = `${"x".repeat(10_000)}BB${"y".repeat(9_000)}`;
  expect(commonPrefixLength(a, b)).toBe(10_000);
  expect(commonSuffixLength(a, b, 19_001 - 10_000)).toBe(9_000);
  expect(commonPrefixLength("abc", "abc")).toBe(3);
  // The suffix never overlaps the prefix (identical texts: all prefix).
  expect(commonSuffixLength("abc", "abc", 3 - 3)).toBe(0);
  expect(commonSuffixLength("aXa", "aa", 2 - 1)).toBe(1);
});

it("settles a pack while more texts are put: both readable at once, complete and visible only after drain", async () => {
  const dir = join(box.dataDir, "contents");
  const store = new DiskContentStore(dir, recordingLog(), (e) => {
    throw e;
  });
  const first = [version(1), version(2)];
  const firstKeys = first.map((v) => store.put(v));
  store.settle();
  // Sealed, its fsync running: not a pack others see yet, still read from its file (and known: not stored again).
  expect(readdirSync(dir).filter((name) => name.endsWith(".pack"))).toEqual([]);
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/\.pack\.tmp$/)]);
  expect(store.put(first[0] ?? "")).toBe(firstKeys[0]);
  // A text put after it (a delta of one in the sealed pack) starts the run's next pack.
  const later = version(3);
  const laterKey = store.put(later);
  expect(store.get(laterKey)).toBe(later);
  expect(store.get(firstKeys[1] ?? "")).toBe(first[1]);
  await store.drain();
  expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  expect(readdirSync(dir).filter((name) => name.endsWith(".pack"))).toHaveLength(2);
  const log = recordingLog();
  const fresh = new DiskContentStore(dir, log, () => undefined);
  expect(fresh.get(laterKey)).toBe(later);
  firstKeys.forEach((key, i) => expect(fresh.get(key)).toBe(first[i]));
  expect(log.lines).toEqual([]);
  // Nothing left to settle: a drain after it completes nothing more.
  store.settle();
  await store.drain();
  expect(readdirSync(dir).filter((name) => name.endsWith(".pack"))).toHaveLength(2);
});

it("stores texts uncompressed while asked to (a first index), as brotli streams any decoder reads, and compressed after", async () => {
  const dir = join(box.dataDir, "contents");
  const store = new DiskContentStore(dir, recordingLog(), (e) => {
    throw e;
  });
  // Sizes around the 64 KiB stored block, an empty text, and text that is not ASCII.
  const texts = ["", "x", "a".repeat(65535), "b".repeat(65536), `${"naïve 日本語 😀\n".repeat(9000)}`, version(3)];
  store.uncompressed = true;
  const stored = texts.map((t) => store.put(t));
  await store.drain();
  const uncompressed = dirBytes(dir);
  expect(uncompressed).toBeGreaterThan(texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0));
  // Sealed: the texts put since are compressed (and go to another pack).
  store.settle();
  const later = store.put(`${version(0)}# a new text\n`);
  await store.drain();
  expect(dirBytes(dir) - uncompressed).toBeLessThan(version(0).length / 2);
  const again = new DiskContentStore(dir, recordingLog(), (e) => {
    throw e;
  });
  expect(stored.map((key) => again.get(key))).toEqual(texts);
  expect(again.get(later)).toBe(`${version(0)}# a new text\n`);
});
