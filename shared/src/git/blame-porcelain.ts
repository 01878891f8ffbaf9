// Runs `git blame --porcelain` on a file (its committed history, or an unsaved buffer through `--contents -`) and
// parses it into one entry per line: the commit that last changed the line and the line's number in that commit.
// Commit metadata is printed once per commit by git; the parser keeps one object per commit and shares it.

import type { CommitJson } from "../contract";
import type { Repository } from "./repository";
import { runGitRaw } from "./run-git";

export interface GitBlameLine {
  /** null for lines not committed yet. */
  commit: CommitJson | null;
}

const ZERO = /^0+$/;
const HEADER = /^([0-9a-f]{40,64}) (\d+) (\d+)(?: \d+)?$/;

/**
 * The git blame of `relPath` (relative to the repository root). With `text`, that content is blamed instead of the
 * work tree file (git's "Not Committed Yet" lines become null). Null when git cannot blame the file (untracked,
 * outside the repository, not in HEAD yet and not in the index…).
 */
export async function gitBlame(repo: Repository, relPath: string, text?: string): Promise<GitBlameLine[] | null> {
  const args = ["blame", "--porcelain"];
  if (text !== undefined) args.push("--contents", "-");
  args.push("--", relPath);
  const result = await runGitRaw(args, text !== undefined ? { cwd: repo.root, input: text } : { cwd: repo.root });
  if (result.code !== 0) return null;
  return parsePorcelain(result.stdout.toString("utf8"));
}

interface Meta {
  author: string;
  authorMail: string;
  authorTime: string;
  summary: string;
}

export function parsePorcelain(out: string): GitBlameLine[] {
  const metas = new Map<string, Meta>();
  // git prints `filename` once per group of lines; the lines after it in the group have only their header.
  const filenames = new Map<string, string>();
  const lines: GitBlameLine[] = [];
  const rows = out.split("\n");
  let i = 0;
  while (i < rows.length) {
    const header = HEADER.exec(rows[i] ?? "");
    i++;
    if (!header) continue;
    const sha = header[1] ?? "";
    const origLine = Number(header[2]);
    let meta = metas.get(sha);
    if (!meta) {
      meta = { author: "", authorMail: "", authorTime: "", summary: "" };
      metas.set(sha, meta);
    }
    let filename = filenames.get(sha) ?? "";
    // Key-value lines up to the content line (which starts with a tab).
    for (; i < rows.length; i++) {
      const row = rows[i] ?? "";
      if (row.startsWith("\t")) {
        i++;
        break;
      }
      const space = row.indexOf(" ");
      const key = space < 0 ? row : row.slice(0, space);
      const value = space < 0 ? "" : row.slice(space + 1);
      if (key === "author") meta.author = value;
      else if (key === "author-mail") meta.authorMail = value.replace(/^<|>$/g, "");
      else if (key === "author-time") meta.authorTime = new Date(Number(value) * 1000).toISOString();
      else if (key === "summary") meta.summary = value;
      else if (key === "filename") {
        filename = unquotePath(value);
        filenames.set(sha, filename);
      }
    }
    if (ZERO.test(sha)) {
      lines.push({ commit: null });
      continue;
    }
    lines.push({
      commit: {
        sha,
        author: meta.author,
        authorMail: meta.authorMail,
        authorTime: meta.authorTime,
        summary: meta.summary,
        path: filename,
        line: origLine,
      },
    });
  }
  return lines;
}

/** git quotes file names with special characters (`"a\tb"`, octal escapes for bytes). */
export function unquotePath(name: string): string {
  if (!name.startsWith('"') || !name.endsWith('"')) return name;
  const body = name.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = body[++i] ?? "";
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, r: 13, '"': 34, "\\": 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}
