// `ai-blame notes add|push|pull`: AI attribution that travels with the repository in `refs/notes/ai-blame`.
// `add` writes one note per commit with AI lines (the file as it is in that commit, from git; traces, then notes of
// the commits a squash/cherry-pick/rebase copied from); `push`/`pull` move notes to and from a remote and merge them
// with a union of records, so notes written by different people for the same commit all survive.

import { type Command, InvalidArgumentError, Option } from "commander";
import { addNotes, pullNotes, pushNotes } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { addTraceOptions, type TraceOptionValues } from "../options";
import { plural } from "../output/text";
import { openGit, openGitAndSnapshot } from "./git-context";

interface AddOptions extends TraceOptionValues {
  maxCount: number;
  force?: boolean;
  withPrompts?: boolean;
  quiet?: boolean;
}

interface SyncOptions {
  dir?: string;
}

function parsePositive(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number.parseInt(value, 10) < 1) throw new InvalidArgumentError("expected a whole number ≥ 1");
  return Number.parseInt(value, 10);
}

export function register(program: Command, io: CliIo): void {
  const notes = program.command("notes").description("share AI attribution through git notes (refs/notes/ai-blame)");
  const add = notes
    .command("add")
    .description("write the notes of commits: which added lines which AI edit wrote (default: HEAD and ancestors without a note)")
    .argument("[range]", "revision range (default: HEAD and its ancestors)")
    .addOption(new Option("-n, --max-count <N>", "look at most at N commits").argParser(parsePositive).default(100))
    .option("--force", "rewrite the notes of commits that have one")
    .option("--with-prompts", "store the first 500 characters of each edit's prompt, secrets redacted")
    .option("-q, --quiet", "print nothing on success (for hooks)");
  addTraceOptions(add);
  add.action(async (range: string | undefined, opts: AddOptions) => {
    const { git, snapshot, recoveryCacheDir } = await openGitAndSnapshot(opts, io);
    const result = await addNotes(git.repo, snapshot, git.notes, {
      recoveryCacheDir,
      range: range ?? null,
      maxCount: opts.maxCount,
      force: opts.force === true,
      withPrompts: opts.withPrompts === true,
    });
    if (opts.quiet) return;
    for (const written of result.written) {
      const lines = written.files.reduce((n, f) => n + f.owned.reduce((m, r) => m + r.end - r.start + 1, 0), 0);
      io.stdout.write(`${written.commit.sha.slice(0, 8)} ${plural(lines, "AI line")} in ${plural(written.files.filter((f) => f.owned.length > 0).length, "file")}\n`);
    }
    io.stderr.write(
      `ai-blame: ${plural(result.written.length, "note")} written, ${plural(result.examined, "commit")} examined` +
        `${result.skipped > 0 ? `, ${result.skipped} already noted (--force rewrites)` : ""}\n`,
    );
  });

  notes
    .command("push")
    .description("merge the remote's notes into yours (union), then push refs/notes/ai-blame")
    .argument("[remote]", "remote name or URL", "origin")
    .option("-d, --dir <path>", "project directory (default: the current directory)")
    .action(async (remote: string, opts: SyncOptions) => {
      const git = await openGit(opts, io);
      const result = await pushNotes(git.repo, remote);
      io.stderr.write(result.pushed ? `ai-blame: notes pushed to ${remote}\n` : "ai-blame: no notes to push\n");
    });

  notes
    .command("pull")
    .description("fetch the remote's notes and merge them into yours (union: every record survives)")
    .argument("[remote]", "remote name or URL", "origin")
    .option("-d, --dir <path>", "project directory (default: the current directory)")
    .action(async (remote: string, opts: SyncOptions) => {
      const git = await openGit(opts, io);
      const result = await pullNotes(git.repo, remote);
      const said = { merged: "merged", "fast-forward": "fetched", "up-to-date": "already up to date", none: "the remote has no notes" };
      io.stderr.write(`ai-blame: notes from ${remote}: ${said[result.outcome]}\n`);
    });
}
