// Recovery's candidates (noted commits no commit being noted reaches), kept between runs in a cache folder, must equal
// the ones computed from scratch after every kind of change: new commits on top, notes added and removed, a switch to
// another branch and back, a merge, a history rewrite that drops commits, several tips at once. Real git repository.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotesReader } from "../../src/git/notes-reader";
import { recoveryCandidates } from "../../src/git/recovery-candidates";
import { findRepository } from "../../src/git/repository";

const env = {
  PATH: process.env["PATH"] ?? "",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

describe("recovery candidates", () => {
  it("derived from the cached ones equal the ones computed from scratch, whatever changed in between", async () => {
    const root = mkdtempSync(join(tmpdir(), "ai-blame-candidates-"));
    const project = join(root, "p");
    const cache = join(root, "cache");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: project, env: { ...env, HOME: root }, encoding: "utf8" }).trim();
    execFileSync("git", ["init", "-q", "-b", "main", project], { env });
    let n = 0;
    const commit = (): string => {
      n++;
      writeFileSync(join(project, `f${n}.txt`), `line ${n}\n`);
      git("add", `f${n}.txt`);
      git("commit", "-q", "-m", `c${n}`);
      return git("rev-parse", "HEAD");
    };
    const note = (sha: string) => git("notes", "--ref=ai-blame", "add", "-f", "-m", `{"n":"${sha}"}`, sha);
    const repo = await findRepository(project);
    if (!repo) throw new Error("no repository");

    const check = async (tips: string[], label: string): Promise<string[]> => {
      const notes = new NotesReader(repo, () => {});
      await notes.sync();
      const scratch = await recoveryCandidates(repo, notes, tips, null);
      const cached = await recoveryCandidates(repo, notes, tips, cache);
      expect(cached.sort(), label).toEqual(scratch.sort());
      return scratch;
    };

    const base = commit();
    note(base);
    git("checkout", "-q", "-b", "feature");
    const f1 = commit();
    const f2 = commit();
    note(f1);
    note(f2);
    git("checkout", "-q", "main");
    expect(await check([base], "first run, from scratch")).toEqual([f1, f2].sort());
    expect(readdirSync(cache)).toHaveLength(1);
    // New commits on top, each then noted (what the post-commit hook does).
    for (let i = 0; i < 3; i++) {
      const head = commit();
      await check([head], `commit ${i} on main`);
      note(head);
    }
    // A note removed, a note added on the side branch.
    git("notes", "--ref=ai-blame", "remove", f1);
    expect(await check([git("rev-parse", "HEAD")], "note of f1 removed")).toEqual([f2]);
    git("checkout", "-q", "feature");
    const f3 = commit();
    note(f3);
    git("checkout", "-q", "main");
    expect(await check([git("rev-parse", "HEAD")], "note on feature added")).toEqual([f2, f3].sort());
    // Switch to the side branch: main's noted commits are the candidates now.
    git("checkout", "-q", "feature");
    const onFeature = await check([git("rev-parse", "HEAD")], "on feature");
    expect(onFeature.length).toBe(3);
    // Merge feature into main: nothing noted is outside the history any more.
    git("checkout", "-q", "main");
    git("merge", "-q", "--no-edit", "feature");
    expect(await check([git("rev-parse", "HEAD")], "after the merge")).toEqual([]);
    // Drop the merge (reset): feature's notes are candidates again; several tips at once.
    git("reset", "-q", "--hard", "HEAD~1");
    const head = git("rev-parse", "HEAD");
    expect(await check([head, git("rev-parse", "HEAD~1")], "merge dropped, two tips")).toEqual([f2, f3].sort());
    // A corrupt cache file is ignored.
    for (const name of readdirSync(cache)) writeFileSync(join(cache, name), "{not json");
    await check([head], "corrupt cache");
  }, 60_000);
});
