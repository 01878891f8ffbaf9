// Blame knows git: on the example committed in three commits, `blame --json` gives every line its commit (sha,
// author, time, summary, line in that commit), `null` for a line not committed yet, the G column shows the short sha,
// and `stats --lines` counts the current lines by owner overall and per directory.

import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson, LineSharesJson } from "@ai-blame/shared";
import { createGitExample, type GitExample } from "./support/git-example";

let repo: GitExample;

beforeAll(async () => {
  repo = await createGitExample();
}, 60_000);

afterAll(() => repo?.cleanup());

describe("blame in a git repository", () => {
  it("gives each line its commit, and null once the line is changed and not committed", async () => {
    const [c1, , c3] = repo.commits;
    const before = JSON.parse((await repo.cli(["blame", "README.md", "--json"])).stdout) as BlameJson;
    expect(before.lines).toHaveLength(24);
    for (const line of before.lines) {
      expect(line.commit).toMatchObject({ sha: c3, author: "Alice", authorMail: "alice@example.com", summary: "Add README" });
      expect(line.commit?.line).toBe(line.line);
      expect(line.commit?.authorTime).toBe("2025-11-05T12:00:00.000Z");
      expect(line.source).toBe(line.owner ? "trace" : null);
    }
    const cli = JSON.parse((await repo.cli(["blame", "tasklog/cli.py", "--json"])).stdout) as BlameJson;
    expect(new Set(cli.lines.map((l) => l.commit?.sha))).toEqual(new Set([c1]));

    appendFileSync(join(repo.project, "README.md"), "one more line\n");
    const after = JSON.parse((await repo.cli(["blame", "README.md", "--json"])).stdout) as BlameJson;
    expect(after.lines[24]).toMatchObject({ text: "one more line", commit: null, owner: null });
    expect(after.lines[0]?.commit?.sha).toBe(c3);
    const text = await repo.cli(["blame", "README.md", "--columns", "GLC", "--no-header"]);
    const rows = text.stdout.split("\n");
    expect(rows[0]).toMatch(/^commit +line \| code/);
    expect(rows[2]).toBe(`${c3.slice(0, 8)}     1 | # tasklog`);
    expect(rows[26]).toBe("00000000    25 | one more line");
  });

  it("blames an unsaved buffer given with --contents - against git (changed lines not committed yet)", async () => {
    const [, c2] = repo.commits;
    const text = readFileSync(join(repo.project, "web/format.js"), "utf8").replace(/^/, "// unsaved header\n");
    const r = await repo.cli(["blame", "web/format.js", "--contents", "-", "--json"], { input: text });
    expect(r.stderr).toBe("");
    const blame = JSON.parse(r.stdout) as BlameJson;
    expect(blame.lines[0]).toMatchObject({ text: "// unsaved header", commit: null });
    expect(blame.lines.slice(1).every((l, i) => l.commit?.sha === c2 && l.commit.line === i + 1)).toBe(true);
  });

  it("stats --lines counts current lines by owner, overall and per directory", async () => {
    const r = await repo.cli(["stats", "--lines", "--json", "--dir", repo.project]);
    expect(r.stderr).toBe("");
    const shares = JSON.parse(r.stdout) as LineSharesJson;
    // The README grew by one uncommitted human line in the test above: 170 + 1 lines in 7 tracked files.
    expect(shares.files).toBe(7);
    expect(shares.totalLines).toBe(171);
    const ai = shares.owners.filter((o) => o.kind === "ai").reduce((n, o) => n + o.lines, 0);
    expect(ai).toBe(155);
    const byModel = new Map(shares.owners.filter((o) => o.kind === "ai").map((o) => [o.model, o.lines]));
    expect(byModel.get("gpt-5.1-codex")).toBe(18);
    expect(byModel.get("claude-haiku-4-5-20251001")).toBe(8);
    expect(shares.owners.find((o) => o.kind === "no-trace")?.lines).toBe(7); // pyproject.toml
    const web = shares.directories.find((d) => d.directory === "web");
    expect(web).toMatchObject({ totalLines: 13 });
    expect(web?.owners.map((o) => [o.model, o.lines])).toEqual([["gpt-5.1-codex", 9], ["gpt-5.1-codex-max", 4]]);
    const tasklog = JSON.parse((await repo.cli(["stats", "--lines", "--json", "--pattern", "tasklog/**"])).stdout) as LineSharesJson;
    expect([tasklog.files, tasklog.totalLines, tasklog.directories.map((d) => d.directory)]).toEqual([3, 114, ["tasklog"]]);
    const text = await repo.cli(["stats", "--lines"]);
    expect(text.stdout).toContain("Current lines: 171 in 7 files");
    expect(text.stdout).toMatch(/web\/ +13 lines, AI 100\.0%/);
  });
});
