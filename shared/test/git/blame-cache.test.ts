// The blame cache's bound: writing more entries than MAX_ENTRIES keeps only the most recently used ones.

import { mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_ENTRIES, readBlameCache, writeBlameCache } from "../../src/git/blame-cache";

describe("blame cache", () => {
  it("keeps at most MAX_ENTRIES files, evicting the least recently used", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "ai-blame-blame-cache-")), "git-blame");
    const key = (i: number) => ({ head: "a".repeat(40), path: `f${i}.py`, fromBuffer: false, textSha: String(i) });
    const entry = { lines: [{ commit: null }], notes: null };
    for (let i = 0; i < MAX_ENTRIES; i++) writeBlameCache(dir, key(i), entry);
    // Age every entry, then use entry 0 again: it becomes the most recent and survives the eviction.
    for (const name of readdirSync(dir)) utimesSync(join(dir, name), new Date(1_000_000), new Date(1_000_000));
    expect(readBlameCache(dir, key(0))).toEqual(entry);
    writeBlameCache(dir, key(MAX_ENTRIES), entry);
    expect(readdirSync(dir)).toHaveLength(MAX_ENTRIES);
    expect(readBlameCache(dir, key(0))).toEqual(entry);
    expect(readBlameCache(dir, key(MAX_ENTRIES))).toEqual(entry);
    // Exactly one of the aged, unused entries is gone.
    const gone = Array.from({ length: MAX_ENTRIES - 1 }, (_, i) => readBlameCache(dir, key(i + 1))).filter((e) => e === null);
    expect(gone).toHaveLength(1);
  });
});
