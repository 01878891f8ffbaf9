// The notes reader finds a commit's note by walking the notes tree (notes-tree.ts), not by listing every note: with
// git's fanout folders (`ab/cdef…`, used once there are a few hundred notes) and without them, its answers equal
// `git notes list` for noted commits, commits without a note and names that are no commit. Real git repositories.

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotesReader } from "../../src/git/notes-reader";
import { findRepository } from "../../src/git/repository";

const env = {
  PATH: process.env["PATH"] ?? "",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: "T",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "T",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

function note(path: string, n: number): string {
  const edit = { id: `e${n}`, agent: "codex-cli", agentVersion: "1.0.0", model: "gpt-5.1-codex", sessionId: `s${n}`, timestamp: "2025-01-01T00:00:00.000Z", toolCallId: `call_${n}`, action: "EDITED" };
  return `${JSON.stringify({ schema: "ai-blame/note", version: 1, path, edits: [edit], ranges: [[1, 1, 0]] })}\n`;
}

/** A repository of `count` commits (every third without a note) written by `git fast-import`. */
function repository(count: number): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), "ai-blame-notes-tree-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 26 });
  git("init", "-q", "-b", "main");
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let stream = "";
  for (let i = 1; i <= count; i++) {
    stream += `commit refs/heads/main\nmark :${i}\ncommitter T <t@example.com> ${1_700_000_000 + i} +0000\n${data(`c${i}`)}`;
    if (i > 1) stream += `from :${i - 1}\n`;
    stream += `M 100644 inline f${i % 7}.txt\n${data(`line ${i}\n`)}`;
  }
  stream += `commit refs/notes/ai-blame\ncommitter T <t@example.com> 1800000000 +0000\n${data("notes")}`;
  for (let i = 1; i <= count; i++) if (i % 3 !== 0) stream += `N inline :${i}\n${data(note(`f${i % 7}.txt`, i))}`;
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, env, input: stream });
  return { dir, git };
}

async function expectSameAsNotesList(dir: string, git: (...args: string[]) => string): Promise<void> {
  const listed = new Map(
    git("notes", "--ref=ai-blame", "list")
      .trim()
      .split("\n")
      .map((line) => line.split(" ").reverse() as [string, string]),
  );
  const commits = git("rev-list", "main").trim().split("\n");
  const repo = await findRepository(dir);
  if (!repo) throw new Error("no repository");
  // A sample of commits, and a name that is no commit at all.
  const asked = [...commits.filter((_, i) => i % 17 === 0), "0".repeat(40)];
  const reader = new NotesReader(repo, () => {});
  await reader.sync();
  const noted = await reader.noted(asked);
  expect([...noted].sort()).toEqual(asked.filter((c) => listed.has(c)).sort());
  const notes = await reader.notesOf(asked);
  expect([...notes.keys()].sort()).toEqual([...noted].sort());
  for (const commit of noted) {
    expect(reader.noteBlobOf(commit)).toBe(listed.get(commit));
    expect(notes.get(commit)?.records).toHaveLength(1);
  }
  expect((await reader.allNotedCommits()).sort()).toEqual([...listed.keys()].sort());
}

describe("notes tree lookup", () => {
  it("finds notes stored flat (few notes)", async () => {
    const { dir, git } = repository(30);
    expect(git("ls-tree", "refs/notes/ai-blame").split("\n")[0]).toMatch(/^100644 blob [0-9a-f]{40}\t[0-9a-f]{40}$/);
    await expectSameAsNotesList(dir, git);
  });

  it("finds notes in fanout folders (many notes), also after git notes rewrites the tree", async () => {
    const { dir, git } = repository(900);
    expect(git("ls-tree", "refs/notes/ai-blame").split("\n")[0]).toMatch(/^040000 tree [0-9a-f]{40}\t[0-9a-f]{2}$/);
    await expectSameAsNotesList(dir, git);
    const unnoted = git("rev-list", "main").trim().split("\n")[0] ?? ""; // commit 900: every third has no note
    git("notes", "--ref=ai-blame", "add", "-m", note("f1.txt", 9999).trim(), unnoted);
    await expectSameAsNotesList(dir, git);
  }, 60_000);
});
