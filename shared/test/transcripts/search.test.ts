// The engine's transcript search below the CLI: the raw-bytes check that skips files reads big traces in chunks and
// must find a query that straddles two chunks; a regular expression runs per line over bounded windows, so a match
// deep inside a very long line is still found with its position right; snippets cut with `...` on both sides.

import { mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { searchTranscripts } from "../../src/transcripts/search";

function claudeLine(text: string, n: number): string {
  return JSON.stringify({
    parentUuid: null, isSidechain: false, userType: "external", cwd: "/p", sessionId: "s-1", version: "2.0.75",
    gitBranch: "main", type: "user", uuid: `u-${n}`, timestamp: `2025-12-28T15:2${n}:00.000Z`,
    message: { role: "user", content: text },
  });
}

function traceWith(lines: string[]): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-search-")));
  const path = join(dir, "s-1.jsonl");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("searchTranscripts", () => {
  it("finds a plain query that straddles the 4 MiB chunks of the raw check", async () => {
    const chunk = 4 * 1024 * 1024;
    const head = claudeLine("x", 0);
    const prefix = head.slice(0, head.indexOf('"content":"x"') + '"content":"'.length);
    // The query starts 3 bytes before the end of the first chunk.
    const filler = "f".repeat(chunk - 3 - prefix.length);
    const path = traceWith([claudeLine(`${filler}NeedleXyz tail`, 1)]);
    const result = await searchTranscripts([path], { query: "needlexyz" });
    expect(result.totalMatches).toBe(1);
    expect(result.matchingTranscripts[0]?.matches[0]?.snippet).toBe(`...${"f".repeat(60)}NeedleXyz tail`);
    expect((await searchTranscripts([path], { query: "needlexyz", caseSensitive: true })).totalMatches).toBe(0);
  });

  it("matches a regular expression deep inside a long line, per line, and reports where", async () => {
    const long = `${"a".repeat(50_000)} marker-42 ${"b".repeat(500)}`;
    const path = traceWith([claudeLine("first line\nsecond", 1), claudeLine(long, 2)]);
    const result = await searchTranscripts([path], { query: "marker-\\d+", regex: true });
    expect(result.matchingTranscripts[0]?.matches.map((m) => m.snippet)).toEqual([`...${"a".repeat(59)} marker-42 ${"b".repeat(59)}...`]);
    // A match is looked for within one line: `first line\nsecond` does not match across the line break.
    expect((await searchTranscripts([path], { query: "line.second", regex: true })).totalMatches).toBe(0);
    expect((await searchTranscripts([path], { query: "^second$", regex: true })).totalMatches).toBe(1);
  });

  it("refuses an empty query and a bad date", async () => {
    const path = traceWith([claudeLine("hello", 1)]);
    await expect(searchTranscripts([path], { query: "" })).rejects.toThrow(/empty/);
    await expect(searchTranscripts([path], { query: "hello", since: "soon" })).rejects.toThrow(/invalid --since date/);
  });
});
