// What the git commands (log, notes, hooks, export) open first: the repository of the project (a clear error outside
// git) with its notes reader, and, for the commands that attribute, the engine snapshot of the traces. Warnings
// about notes (invalid or oversized notes of other clones) always reach stderr: they explain missing attribution.

import { join } from "node:path";
import { escapeControlChars, GitBlamer, type Snapshot } from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "../io";
import { openSnapshot } from "../open";
import { engineOptionsFrom, type TraceOptionValues } from "../options";

export function noteWarnings(io: CliIo): (message: string) => void {
  return (message) => io.stderr.write(`ai-blame: warning: ${escapeControlChars(message)}\n`);
}

/** The repository of `--dir` (default: the current directory), or a RuntimeError outside git. */
export async function openGit(opts: TraceOptionValues, io: CliIo): Promise<GitBlamer> {
  const dir = (await engineOptionsFrom(opts, io.env, io.cwd)).projectDir;
  const git = await GitBlamer.open(dir, noteWarnings(io));
  if (!git) throw new RuntimeError(`not a git repository: ${dir}`);
  return git;
}

/**
 * The repository, the snapshot of the project's traces, and where `notes add`'s recovery keeps its candidates between
 * runs (`git-recovery` in the data folder; null without one).
 */
export async function openGitAndSnapshot(
  opts: TraceOptionValues,
  io: CliIo,
): Promise<{ git: GitBlamer; snapshot: Snapshot; recoveryCacheDir: string | null }> {
  const [git, { engine, snapshot }] = await Promise.all([openGit(opts, io), openSnapshot(opts, io)]);
  const dataDir = engine.dataDir();
  return { git, snapshot, recoveryCacheDir: dataDir === null ? null : join(dataDir, "git-recovery") };
}
