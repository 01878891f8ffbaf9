// The git blame cache in the data folder: a repeated blame answers exactly as a blame without the cache, and a new
// notes ref, an edit of the file, a commit, or a corrupt cache file each give the fresh answer, never a stale one.
// The clone has no local traces, so every owner comes from the notes read through (or cached by) the blame.

import { appendFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { createGitExample, type GitExample, git } from "./support/git-example";
import { tempDir } from "./support/run-cli";

let repo: GitExample;
let clone: string;
let emptyHome: string;
let data: string;

beforeAll(async () => {
  repo = await createGitExample();
  expect((await repo.cli(["notes", "add"])).code).toBe(0);
  expect((await repo.cli(["notes", "push"])).code).toBe(0);
  clone = join(tempDir("ai-blame-cache-clone-"), "clone");
  emptyHome = tempDir("ai-blame-cache-home-");
  data = tempDir("ai-blame-cache-data-");
  git(repo.root, ["clone", "-q", repo.remote, clone]);
}, 60_000);

afterAll(() => repo?.cleanup());

const cacheDir = (): string => join(data, "git-blame");

/** `blame --json` in the clone with the cache (twice: the second run answers from it) and without; all must agree. */
async function blame(file: string, input?: string): Promise<BlameJson> {
  const args = ["blame", file, "--json", ...(input !== undefined ? ["--contents", "-"] : [])];
  const options = { cwd: clone, home: emptyHome, env: { AI_BLAME_DATA_DIR: data }, ...(input !== undefined ? { input } : {}) };
  const first = await repo.cli(args, options);
  const second = await repo.cli(args, options);
  const uncached = await repo.cli([...args, "--no-cache"], options);
  expect(first.code).toBe(0);
  expect(second.stdout).toBe(first.stdout);
  expect(second.stderr).toBe(first.stderr);
  expect(uncached.stdout).toBe(first.stdout);
  return JSON.parse(first.stdout) as BlameJson;
}

const sources = (b: BlameJson): Array<string | null> => b.lines.map((l) => l.source ?? null);

describe("git blame cache", () => {
  it("answers as without it, and a new notes ref after a cached blame gives the notes' owners", async () => {
    const before = await blame("web/format.js");
    expect(sources(before).every((s) => s === null)).toBe(true);
    expect(readdirSync(cacheDir()).length).toBeGreaterThan(0);
    expect((await repo.cli(["notes", "pull"], { cwd: clone, home: emptyHome, env: { AI_BLAME_DATA_DIR: data } })).code).toBe(0);
    const after = await blame("web/format.js");
    expect(after.lines.filter((l) => l.source === "note")).toHaveLength(13);
    expect(after.lines[0]?.owner?.agent).toBe("codex-cli");
    git(clone, ["notes", "--ref=ai-blame", "remove", repo.commits[1]]);
    expect(sources(await blame("web/format.js")).every((s) => s === null)).toBe(true);
    git(clone, ["fetch", "-q", "origin", "+refs/notes/ai-blame:refs/notes/ai-blame"]);
    expect(sources(await blame("web/format.js")).filter((s) => s === "note")).toHaveLength(13);
  });

  it("an edit of the file, then its commit, give the new lines and commit", async () => {
    appendFileSync(join(clone, "web/format.js"), "// added by hand\n");
    const edited = await blame("web/format.js");
    expect(edited.lines).toHaveLength(14);
    expect(edited.lines[13]).toMatchObject({ text: "// added by hand", commit: null, source: null });
    git(clone, ["commit", "-q", "-am", "Hand edit"]);
    const head = git(clone, ["rev-parse", "HEAD"]).trim();
    const committed = await blame("web/format.js");
    expect(committed.lines[13]?.commit?.sha).toBe(head);
    expect(committed.lines[0]?.source).toBe("note");
  });

  it("an unsaved buffer is keyed by its text", async () => {
    const one = await blame("README.md", "# tasklog\nnew first line\n");
    expect(one.lines[1]).toMatchObject({ text: "new first line", commit: null });
    const two = await blame("README.md", "# tasklog\nanother line\n");
    expect(two.lines[1]).toMatchObject({ text: "another line", commit: null });
    expect(two.lines[0]?.commit?.sha).toBe(repo.commits[2]);
  });

  it("ignores corrupt or malformed cache files", async () => {
    const good = await blame("tasklog/store.py");
    const files = readdirSync(cacheDir());
    const garbage = ["{not json", JSON.stringify({ format: 1, key: null, lines: "x" }), "", "[]"];
    for (const variant of garbage) {
      for (const name of files) writeFileSync(join(cacheDir(), name), variant);
      expect(await blame("tasklog/store.py")).toEqual(good);
    }
    expect(existsSync(cacheDir())).toBe(true);
  });
});
