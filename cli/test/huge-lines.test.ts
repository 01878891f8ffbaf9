// Huge trace lines through the built CLI: a 40 MB line of `{},{},…` in a record the prefilter must parse is skipped
// (counted) after a bounded structural scan instead of costing gigabytes in JSON.parse, while a genuinely large
// record (a Write of a 20 MB file) is still read. Not timed: the spawned CLI's peak memory is measured instead.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

const probe = join(__dirname, "support", "rss-probe.cjs");

describe("huge trace lines", () => {
  it("skips a 40 MB line of tiny objects with bounded memory and keeps the edits around it", async () => {
    const p = makeProject();
    const session = new ClaudeSession(p.project)
      .prompt("write the modules")
      .write(p.path("src/a.ts"), "export const a = 1;\n");
    const trace = session.save(p.home);
    const { sessionId } = session;
    // A user record (always parsed: it may carry a prompt) padded with 40 MB of `{},`.
    const junk = `{"parentUuid":null,"isSidechain":false,"type":"user","sessionId":"${sessionId}","message":{"role":"user","content":"padding"},"uuid":"u-pad","timestamp":"2025-12-28T15:21:00.000Z","padding":[${"{},".repeat(13_000_000)}{}]}\n`;
    const before = readFileSync(trace, "utf8");
    const big = "x".repeat(120) + "\n";
    session
      .prompt("a large data file")
      .write(p.path("src/data.txt"), big.repeat(170_000))
      .write(p.path("src/b.ts"), "export const b = 2;\n");
    writeFileSync(trace, before + junk + session.jsonl().slice(before.length));
    const rssFile = join(p.root, "rss");
    const r = await p.run(["stats", "--json"], {
      env: { NODE_OPTIONS: `--require ${probe}`, AI_BLAME_TEST_RSS_FILE: rssFile },
      timeoutMs: 120_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const stats = JSON.parse(r.stdout) as { events: number; skippedLines: number; files: number };
    expect(stats.events).toBe(3);
    expect(stats.files).toBe(3);
    expect(stats.skippedLines).toBe(1);
    // Parsing the padding took ~1.4 GB at 40 MB (7 GB at 252 MB); the 40 MB line buffer and the 20 MB Write remain.
    const peakMiB = Number(readFileSync(rssFile, "utf8")) / 1024;
    expect(peakMiB).toBeLessThan(600);
  });
});
