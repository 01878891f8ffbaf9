// Provenance that travels with the repository, through the built CLI and real git: `log` and the PR summary on the
// example committed in three commits (asserted numbers), `notes add` + `notes push`, a clone in a second folder with
// an empty home (no traces) answering the same owners through notes (CLI and LSP hover), two clones noting the same
// commit from different traces and both pushing without losing a record, and hostile notes ignored with a warning.

import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson, LogEntryJson, LogSummaryJson } from "@ai-blame/shared";
import { LspClient } from "../../server/test/support/lsp-client";
import { createGitExample, type GitExample, git } from "./support/git-example";
import { tempDir } from "./support/run-cli";

/** Without the one-line note that a project has no local traces (these tests read notes instead, on purpose). */
function withoutNoTraceNote(stderr: string): string {
  return stderr.replace(/^ai-blame: no agent traces found for [^\n]*\n/, "");
}

const FILES = ["README.md", "config.yaml", "pyproject.toml", "tasklog/__init__.py", "tasklog/cli.py", "tasklog/store.py", "web/format.js"];
let repo: GitExample;

beforeAll(async () => {
  repo = await createGitExample();
}, 60_000);

afterAll(() => repo?.cleanup());

function ownersOf(blame: BlameJson): Array<string | null> {
  return blame.lines.map((l) => (l.owner ? `${l.owner.model} ${l.owner.sessionId} ${l.owner.agent}` : null));
}

async function blameJson(r: GitExample, file: string, options: { cwd?: string; home?: string } = {}): Promise<BlameJson> {
  const out = await r.cli(["blame", file, "--json"], options);
  expect(withoutNoTraceNote(out.stderr)).toBe("");
  return JSON.parse(out.stdout) as BlameJson;
}

describe("log", () => {
  it("gives each commit's added lines and AI lines by model", async () => {
    const [c1, c2, c3] = repo.commits;
    const r = await repo.cli(["log", "--json"]);
    expect(r.stderr).toBe("");
    const entries = JSON.parse(r.stdout) as LogEntryJson[];
    expect(entries.map((e) => [e.sha, e.added, e.ai, e.source])).toEqual([
      [c3, 24, 19, "trace"],
      [c2, 13, 13, "trace"],
      [c1, 133, 123, "trace"],
    ]);
    expect(entries[0]?.models).toEqual([
      { model: "claude-opus-4-5-20251101", agent: "claude-code", lines: 16 },
      { model: "claude-sonnet-4-5-20250929", agent: "claude-code", lines: 3 },
    ]);
    expect(entries[1]?.models).toEqual([
      { model: "gpt-5.1-codex", agent: "codex-cli", lines: 9 },
      { model: "gpt-5.1-codex-max", agent: "codex-cli", lines: 4 },
    ]);
    expect(entries[2]?.files.find((f) => f.path === "pyproject.toml")).toEqual({ path: "pyproject.toml", added: 7, ai: 0 });
    const text = (await repo.cli(["log"])).stdout;
    expect(text).toContain(`${c2.slice(0, 8)} 2025-11-05 Bob              Add web formatter\n`);
    expect(text).toMatch(/13 lines added, 13 by AI \(100\.0%\) +█{20} +gpt-5\.1-codex \(codex-cli\) 9, gpt-5\.1-codex-max \(codex-cli\) 4/);
    expect(text).toContain("3 commits: 170 lines added, 155 by AI (91.2%)\n");
  });

  it("summarises a range as markdown for a pull request", async () => {
    const [c1] = repo.commits;
    const md = await repo.cli(["log", `${c1}..HEAD`, "--summary", "--format", "markdown"]);
    expect(md.stderr).toBe("");
    expect(md.stdout).toContain("**32 of 37 added lines (86.5%)** were written by AI edits, in 2 commits");
    expect(md.stdout).toContain("| claude-opus-4-5-20251101 | claude-code | 16 | 43.2% |");
    expect(md.stdout).toContain("| gpt-5.1-codex-max | codex-cli | 4 | 10.8% |");
    expect(md.stdout).toContain("| README.md | 24 | 19 | 79.2% |\n| web/format.js | 13 | 13 | 100.0% |");
    // The first prompt line of each session, escaped (the example's prompt has backticks and a path with __).
    expect(md.stdout).toContain("- codex-cli session 019a4e53 (gpt-5.1-codex-max; 4 lines): Show hours and minutes in the JS formatter, add a delete\\_entry helper");
    expect(md.stdout).toMatch(/- claude-code session 14408b5e \(claude-opus-4-5-20251101, claude-sonnet-4-5-20250929; 19 lines\): Let's build tasklog/);
    const json = JSON.parse((await repo.cli(["log", `${c1}..HEAD`, "--summary", "--json"])).stdout) as LogSummaryJson;
    expect([json.commits, json.added, json.ai]).toEqual([2, 37, 32]);
    expect(json.share).toBeCloseTo(32 / 37, 10);
    const all = JSON.parse((await repo.cli(["log", "--summary", "--json"])).stdout) as LogSummaryJson;
    expect([all.commits, all.added, all.ai]).toEqual([3, 170, 155]);
  });

  it("refuses a bad range and a folder outside git with one line", async () => {
    const bad = await repo.cli(["log", "no-such-branch..HEAD"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ai-blame: error: git log failed: .*no-such-branch.*\n$/);
    const outside = await repo.cli(["log"], { cwd: repo.home });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^ai-blame: error: not a git repository: /);
  });
});

describe("notes", () => {
  it("travel to a clone without traces: blame, log and the LSP hover give the same owners", async () => {
    const original = new Map<string, Array<string | null>>();
    for (const file of FILES) original.set(file, ownersOf(await blameJson(repo, file)));

    const add = await repo.cli(["notes", "add"]);
    expect(add.code).toBe(0);
    expect(add.stderr).toBe("ai-blame: 3 notes written, 3 commits examined\n");
    const note = git(repo.project, ["notes", "--ref=ai-blame", "show", repo.commits[1]]);
    const record = JSON.parse(note.trim()) as { schema: string; version: number; path: string; ranges: number[][] };
    expect(record).toMatchObject({ schema: "ai-blame/note", version: 1, path: "web/format.js", ranges: [[1, 3, 0], [4, 7, 1], [8, 13, 0]] });
    expect(note).not.toContain(repo.project); // no machine paths
    expect(note).not.toContain("prompt");
    const again = await repo.cli(["notes", "add"]);
    expect(again.stderr).toBe("ai-blame: 0 notes written, 0 commits examined, 3 already noted (--force rewrites)\n");
    expect((await repo.cli(["notes", "push"])).stderr).toBe("ai-blame: notes pushed to origin\n");

    const clone = join(tempDir("ai-blame-clone-"), "clone");
    const emptyHome = tempDir("ai-blame-empty-home-");
    git(repo.root, ["clone", "-q", repo.remote, clone]);
    expect((await repo.cli(["notes", "pull"], { cwd: clone, home: emptyHome })).stderr).toBe("ai-blame: notes from origin: fetched\n");
    let compared = 0;
    for (const file of FILES) {
      const blame = await blameJson(repo, file, { cwd: clone, home: emptyHome });
      const owners = ownersOf(blame);
      original.get(file)?.forEach((owner, i) => {
        if (owner === null) return;
        expect(owners[i], `${file}:${i + 1}`).toBe(owner);
        expect(blame.lines[i]?.source).toBe("note");
        compared++;
      });
    }
    expect(compared).toBe(155);
    const log = JSON.parse((await repo.cli(["log", "--json"], { cwd: clone, home: emptyHome })).stdout) as LogEntryJson[];
    expect(log.map((e) => [e.ai, e.source])).toEqual([[19, "note"], [13, "note"], [123, "note"]]);

    const client = await LspClient.start({ home: emptyHome, project: clone, dataDir: tempDir("ai-blame-lsp-data-"), waitForIndex: true });
    try {
      const uri = await client.open(join(clone, "web/format.js"), readFileSync(join(clone, "web/format.js"), "utf8"), "javascript");
      const hover = await client.hover(uri, 4);
      const value = (hover?.contents as { value: string }).value;
      expect(value).toContain("gpt-5.1-codex-max");
      expect(value).toMatch(/committed in `[0-9a-f]{7}` by Bob, .* · attribution from the commit's git note/);
      expect(value).not.toContain("transcript");
    } finally {
      await client.kill();
    }
  }, 120_000);

  it("written by two clones for the same commit from different traces both survive push and pull", async () => {
    const fresh = await createGitExample();
    try {
      // One teammate has only the Claude traces, the other only the Codex ones.
      const claudeHome = tempDir("ai-blame-claude-home-");
      const codexHome = tempDir("ai-blame-codex-home-");
      cpSync(join(fresh.home, ".claude"), join(claudeHome, ".claude"), { recursive: true });
      cpSync(join(fresh.home, ".codex"), join(codexHome, ".codex"), { recursive: true });
      const expected = ownersOf(await blameJson(fresh, "tasklog/store.py"));
      // Each writes the notes of the three commits from its own traces (in the original folder, where the traces
      // say the project is); clone A gets the Claude notes, clone B the Codex ones, then both push.
      expect((await fresh.cli(["notes", "add"], { home: claudeHome })).stderr).toBe("ai-blame: 2 notes written, 3 commits examined\n");
      git(fresh.project, ["update-ref", "refs/notes/claude-side", "refs/notes/ai-blame"]);
      git(fresh.project, ["update-ref", "-d", "refs/notes/ai-blame"]);
      expect((await fresh.cli(["notes", "add"], { home: codexHome })).stderr).toBe("ai-blame: 2 notes written, 3 commits examined\n");
      const [a, b] = ["a", "b"].map((n) => {
        const dir = join(tempDir(`ai-blame-clone-${n}-`), "clone");
        git(fresh.root, ["clone", "-q", fresh.remote, dir]);
        return dir;
      }) as [string, string];
      git(a, ["fetch", "-q", fresh.project, "refs/notes/claude-side:refs/notes/ai-blame"]);
      git(b, ["fetch", "-q", fresh.project, "refs/notes/ai-blame:refs/notes/ai-blame"]);

      const files = ["tasklog/store.py", "config.yaml", "web/format.js", "README.md"];
      const before = new Map<string, Array<Array<string | null>>>();
      for (const file of files) {
        before.set(file, [
          ownersOf(await blameJson(fresh, file, { cwd: a, home: tempDir() })),
          ownersOf(await blameJson(fresh, file, { cwd: b, home: tempDir() })),
        ]);
      }

      expect((await fresh.cli(["notes", "push"], { cwd: a, home: tempDir() })).stderr).toBe("ai-blame: notes pushed to origin\n");
      expect((await fresh.cli(["notes", "push"], { cwd: b, home: tempDir() })).stderr).toBe("ai-blame: notes pushed to origin\n");
      expect((await fresh.cli(["notes", "pull"], { cwd: a, home: tempDir() })).stderr).toBe("ai-blame: notes from origin: merged\n");
      // After the merge each clone has every line either side attributed, with that side's owner.
      for (const clone of [a, b]) {
        for (const file of files) {
          const [fromA, fromB] = before.get(file) ?? [];
          const owners = ownersOf(await blameJson(fresh, file, { cwd: clone, home: tempDir() }));
          owners.forEach((owner, i) => {
            const sides = [fromA?.[i] ?? null, fromB?.[i] ?? null].filter((o) => o !== null);
            if (sides.length === 0) expect(owner, `${file}:${i + 1}`).toBeNull();
            else expect(sides, `${file}:${i + 1}`).toContain(owner);
          });
        }
      }
      // Store.py was written by both agents: after the merge its lines name both.
      const store = ownersOf(await blameJson(fresh, "tasklog/store.py", { cwd: a, home: tempDir() }));
      expect(new Set(store.filter((o) => o !== null).map((o) => o.split(" ")[2]))).toEqual(new Set(["claude-code", "codex-cli"]));
      expect(store.filter((o) => o !== null).length).toBeGreaterThan(expected.filter((o) => o !== null).length - 3);
      const merged = git(a, ["notes", "--ref=ai-blame", "show", fresh.commits[0]]);
      expect(merged.split("\n").filter((l) => l.includes('"path":"tasklog/store.py"'))).toHaveLength(2);
    } finally {
      fresh.cleanup();
    }
  }, 120_000);

  it("a hostile note (invalid JSON, ranges past any end, huge) is ignored with a warning", async () => {
    const hostile = await createGitExample();
    try {
      const [c1, c2, c3] = hostile.commits;
      const emptyHome = tempDir("ai-blame-empty-home-");
      const valid = {
        schema: "ai-blame/note",
        version: 1,
        path: "README.md",
        edits: [{ id: "x", agent: "claude-code", agentVersion: null, model: "m-valid", sessionId: "s1", timestamp: "2025-11-05T00:00:00Z", toolCallId: "t", action: "CREATED" }],
        ranges: [[1, 2, 0]],
      };
      const pastEnd = { ...valid, ranges: [[3, 99_999_999, 0]] };
      writeFileSync(join(hostile.root, "n3"), `{not json\n${JSON.stringify(valid)}\n${JSON.stringify(pastEnd)}\n`);
      git(hostile.project, ["notes", "--ref=ai-blame", "add", "-F", join(hostile.root, "n3"), c3]);
      writeFileSync(join(hostile.root, "n2"), `${JSON.stringify({ ...valid, path: "web/format.js" })}\n`.repeat(80_000));
      git(hostile.project, ["notes", "--ref=ai-blame", "add", "-F", join(hostile.root, "n2"), c2]);
      writeFileSync(join(hostile.root, "n1"), '{"schema":"ai-blame/note","version":99}\n[1,2,3]\n"\\u0000"\n');
      git(hostile.project, ["notes", "--ref=ai-blame", "add", "-F", join(hostile.root, "n1"), c1]);

      const readme = await hostile.cli(["blame", "README.md", "--json"], { home: emptyHome });
      expect(readme.code).toBe(0);
      expect(withoutNoTraceNote(readme.stderr)).toBe(
        `ai-blame: warning: ignoring 2 invalid records of the ai-blame note of commit ${c3.slice(0, 12)} (a line is not JSON)\n`,
      );
      const lines = (JSON.parse(readme.stdout) as BlameJson).lines;
      expect(lines.map((l) => l.owner?.model ?? null).slice(0, 4)).toEqual(["m-valid", "m-valid", null, null]);
      const web = await hostile.cli(["blame", "web/format.js", "--json"], { home: emptyHome });
      expect(web.code).toBe(0);
      expect(withoutNoTraceNote(web.stderr)).toMatch(/^ai-blame: warning: ignoring the ai-blame note of commit [0-9a-f]{12}: \d+ bytes is more than 4194304\n$/);
      expect((JSON.parse(web.stdout) as BlameJson).lines.every((l) => l.owner === null)).toBe(true);
      const log = await hostile.cli(["log", "--json"], { home: emptyHome });
      expect(log.code).toBe(0);
      expect(log.stderr).toContain("unsupported version 99");
      expect((JSON.parse(log.stdout) as LogEntryJson[]).map((e) => e.ai)).toEqual([2, 0, 0]);
    } finally {
      hostile.cleanup();
    }
  }, 120_000);
});
