// `stats --lines`: who owns the project's current lines — each model/agent, lines changed after AI, lines no trace
// explains — overall and per directory. In a git repository the files are the tracked ones (`git ls-files`) and
// owners also come from notes; elsewhere the files are those the traces edited. Files no trace and no note mentions
// are only counted (no attribution runs on them), so a large repository costs a line count per file. `--pattern`
// narrows the files; the time filters do not apply (a line's owner is the edit that last wrote it, whenever). The same
// pass reports each file's AI lines to an optional callback (an editor's per-file badges).

import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import type { BlameJson } from "../contract";
import type { Snapshot } from "../engine-api";
import { patternMatcher } from "../events/filter";
import type { GitBlamer } from "./blame-git";
import { runGit } from "./run-git";

export type LineOwnerKind = "ai" | "changed-after-ai" | "no-trace";

export interface LineShareJson {
  kind: LineOwnerKind;
  /** For `ai`: the model id and agent; null otherwise. */
  model: string | null;
  agent: string | null;
  lines: number;
  /** lines / total lines of the scope, 0..1. */
  share: number;
}

export interface LineSharesScopeJson {
  totalLines: number;
  owners: LineShareJson[];
}

/** `stats --lines --json`. */
export interface LineSharesJson extends LineSharesScopeJson {
  files: number;
  /** Per directory of the files (`.` for the project root), sorted by path. */
  directories: Array<LineSharesScopeJson & { directory: string }>;
}

class Tally {
  total = 0;
  readonly counts = new Map<string, { kind: LineOwnerKind; model: string | null; agent: string | null; lines: number }>();

  add(kind: LineOwnerKind, model: string | null, agent: string | null, lines: number): void {
    if (lines === 0) return;
    this.total += lines;
    const key = kind === "ai" ? `ai\u0000${model}\u0000${agent}` : kind;
    const known = this.counts.get(key);
    if (known) known.lines += lines;
    else this.counts.set(key, { kind, model, agent, lines });
  }

  json(): LineSharesScopeJson {
    const order: Record<LineOwnerKind, number> = { ai: 0, "changed-after-ai": 1, "no-trace": 2 };
    const owners = [...this.counts.values()]
      .sort((a, b) => order[a.kind] - order[b.kind] || b.lines - a.lines || ((a.model ?? "") < (b.model ?? "") ? -1 : 1))
      .map((c) => ({ ...c, share: this.total === 0 ? 0 : c.lines / this.total }));
    return { totalLines: this.total, owners };
  }
}

function countLines(text: string): number {
  if (text === "") return 0;
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return text.endsWith("\n") ? n : n + 1;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Files of the project, relative to it with `/`: tracked files in git, else the existing files the traces edited. */
async function projectFiles(snapshot: Snapshot, projectDir: string, git: GitBlamer | null): Promise<string[]> {
  if (git) {
    const out = await runGit(["ls-files", "-z", "--cached", "--", "."], { cwd: projectDir });
    return out.split("\0").filter((f) => f !== "");
  }
  const files = new Set<string>();
  for (const event of snapshot.events()) {
    const rel = snapshot.relativePath(event.file);
    if (!rel.startsWith("/") && !/^[A-Za-z]:/.test(rel)) files.add(rel);
  }
  return [...files].sort();
}

/** One file's AI lines, as `lineShares` reports them to `onFile`. */
export interface FileShare {
  /** Relative to the project, with `/`. */
  file: string;
  totalLines: number;
  /** Lines an AI edit (or a commit's note) owns. */
  aiLines: number;
}

/** Line shares of the project's current files (see the file comment); `onFile` hears each counted file. */
export async function lineShares(
  snapshot: Snapshot,
  projectDir: string,
  git: GitBlamer | null,
  pattern: string | null = null,
  onFile?: (share: FileShare) => void,
): Promise<LineSharesJson> {
  const wanted = pattern ? patternMatcher(pattern) : () => true;
  const traced = new Set(snapshot.events().map((e) => snapshot.relativePath(e.file)));
  let noted = new Set<string>();
  if (git) {
    await git.notes.sync();
    const notes = await git.notes.notesOf(await git.notes.allNotedCommits());
    noted = new Set([...notes.values()].flatMap((n) => [...n.files.keys()]));
  }
  const overall = new Tally();
  const byDir = new Map<string, Tally>();
  let files = 0;
  for (const rel of await projectFiles(snapshot, projectDir, git)) {
    if (!wanted(rel)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(projectDir, rel));
    } catch {
      continue; // deleted in the work tree, a folder (submodule), unreadable
    }
    if (bytes.subarray(0, 8192).includes(0)) continue;
    files++;
    const text = bytes.toString("utf8");
    const dir = posix.dirname(rel);
    let tally = byDir.get(dir);
    if (!tally) {
      tally = new Tally();
      byDir.set(dir, tally);
    }
    const repoPath = git ? git.repoPath(join(projectDir, rel)) : null;
    if (!traced.has(rel) && !(repoPath !== null && noted.has(repoPath))) {
      const n = countLines(text);
      overall.add("no-trace", null, null, n);
      tally.add("no-trace", null, null, n);
      onFile?.({ file: rel, totalLines: n, aiLines: 0 });
      continue;
    }
    const abs = join(projectDir, rel);
    // Outside git the blame is synchronous: yield between files so a server stays responsive during the pass.
    let blame: BlameJson;
    if (git) blame = await git.blame(snapshot, abs, text);
    else {
      await nextTurn();
      blame = snapshot.blame(abs, text);
    }
    let aiLines = 0;
    for (const line of blame.lines) {
      const kind: LineOwnerKind = line.owner ? "ai" : line.reason === "not-in-traces" ? "no-trace" : "changed-after-ai";
      const model = line.owner?.model ?? null;
      const agent = line.owner?.agent ?? null;
      if (line.owner) aiLines++;
      overall.add(kind, model, agent, 1);
      tally.add(kind, model, agent, 1);
    }
    onFile?.({ file: rel, totalLines: blame.lines.length, aiLines });
  }
  const directories = [...byDir.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([directory, tally]) => ({ directory, ...tally.json() }));
  return { files, ...overall.json(), directories };
}
