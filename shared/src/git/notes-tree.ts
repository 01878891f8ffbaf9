// Finds the notes of a few commits without listing every note: one `git cat-file --batch` process that stays open,
// asked for the notes commit's tree, then for the fanout subtrees the wanted commits' names lead to (`ab/` of
// `ab12…`, possibly `ab/12/` deeper), and finally for the note blobs themselves. A blame of a file built by 200 commits
// reads about 200 small trees and blobs, however many thousands of notes the repository holds; `git notes list` would
// print all of them. A commit with a note both flat and in a fanout folder (git concatenates those) gets the first found.

import { spawn } from "node:child_process";
import { AiBlameError } from "../util/errors";
import type { GitObject } from "./cat-file";

/** One `git cat-file --batch` process answering requests in order; `close` ends it. */
export class CatFileSession {
  private readonly child;
  private pending: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (o: GitObject | null) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(cwd: string) {
    this.child = spawn("git", ["cat-file", "--batch"], {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "ignore"],
      windowsHide: true,
    });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      this.drain();
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child.on("error", (error: NodeJS.ErrnoException) => {
      fail(new AiBlameError("io", error.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${error.message}`));
    });
    this.child.on("close", () => fail(new AiBlameError("io", "git cat-file ended before answering")));
    this.child.stdin.on("error", () => {});
  }

  /** The objects named (`<sha>`, `<rev>:<path>`, `<rev>^{tree}`), null for a missing one, in order. */
  read(names: string[]): Promise<Array<GitObject | null>> {
    if (this.failure) return Promise.reject(this.failure);
    const answers = names.map(
      (name) =>
        new Promise<GitObject | null>((resolve, reject) => {
          // A name with a newline would be two requests: it names nothing.
          if (name.includes("\n")) resolve(null);
          else this.waiting.push({ resolve, reject });
        }),
    );
    const asked = names.filter((n) => !n.includes("\n"));
    if (asked.length > 0) this.child.stdin.write(`${asked.join("\n")}\n`);
    return Promise.all(answers);
  }

  close(): void {
    this.child.stdin.end();
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const eol = this.pending.indexOf(10);
      if (eol < 0) return;
      const parts = this.pending.subarray(0, eol).toString("utf8").split(" ");
      if (parts.length !== 3 || !/^\d+$/.test(parts[2] ?? "")) {
        this.pending = this.pending.subarray(eol + 1); // "<name> missing" / "ambiguous"
        this.waiting.shift()?.resolve(null);
        continue;
      }
      const size = Number(parts[2]);
      if (this.pending.length < eol + 1 + size + 1) return;
      const content = Buffer.from(this.pending.subarray(eol + 1, eol + 1 + size));
      this.pending = this.pending.subarray(eol + 1 + size + 1);
      this.waiting.shift()?.resolve({ sha: parts[0] ?? "", type: parts[1] ?? "", content });
    }
  }
}

/** Entries of a git tree object: name → [object id, is a tree]. */
function treeEntries(content: Buffer, idBytes: number): Map<string, [string, boolean]> {
  const entries = new Map<string, [string, boolean]>();
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + idBytes > content.length) break;
    const mode = content.toString("latin1", at, space);
    entries.set(content.toString("latin1", space + 1, nul), [content.toString("hex", nul + 1, nul + 1 + idBytes), mode === "40000"]);
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** Commit → note blob id for those of `commits` that have a note in the notes commit `refSha`. */
export async function findNoteBlobs(session: CatFileSession, refSha: string, commits: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const idBytes = refSha.length / 2;
  let level = [{ tree: `${refSha}^{tree}`, consumed: 0, commits }];
  while (level.length > 0) {
    const trees = await session.read(level.map((node) => node.tree));
    const next = new Map<string, { tree: string; consumed: number; commits: string[] }>();
    level.forEach((node, i) => {
      const tree = trees[i];
      if (tree?.type !== "tree") return;
      const entries = treeEntries(tree.content, idBytes);
      for (const commit of node.commits) {
        const rest = commit.slice(node.consumed);
        const leaf = entries.get(rest);
        if (leaf && !leaf[1]) {
          found.set(commit, leaf[0]);
          continue;
        }
        const folder = rest.length > 2 ? entries.get(rest.slice(0, 2)) : undefined;
        if (!folder?.[1]) continue;
        const deeper = next.get(folder[0]) ?? { tree: folder[0], consumed: node.consumed + 2, commits: [] };
        deeper.commits.push(commit);
        next.set(folder[0], deeper);
      }
    });
    level = [...next.values()];
  }
  return found;
}
