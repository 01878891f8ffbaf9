// `ai-blame hooks install|uninstall`: git hooks that keep notes current without anyone running `notes add` —
// post-commit writes the new commit's note, post-rewrite re-attributes amended and rebased commits (git also copies
// notes itself through notes.rewriteRef). `hooks run` is what the installed hooks call; given the new commit's sha,
// `hooks run post-commit` is the detached background run, whose messages end up in the hook log.

import { statSync, truncateSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { addNotes, HOOK_LOG, type HookReport, installHooks, parseRewrites, uninstallHooks } from "@ai-blame/shared";
import { type CliIo, UsageError } from "../io";
import type { TraceOptionValues } from "../options";
import { openGit, openGitAndSnapshot } from "./git-context";

interface DirOptions {
  dir?: string;
}

/** How a hook runs this ai-blame: node and the bundle, or the single executable itself. */
function selfCommand(): string[] {
  const script = process.argv[1];
  if (script && /\.[cm]?js$/.test(script)) return [process.execPath, resolve(script)];
  return [process.execPath];
}

const SAID: Record<HookReport["action"], string> = {
  installed: "installed",
  updated: "updated (it was ai-blame's already)",
  chained: "installed; the existing hook is kept and runs first",
  removed: "removed",
  restored: "removed; the chained hook is back in place",
  absent: "not installed",
};

/** The hook log only ever grows by appends: past MAX_LOG_BYTES it starts over (it holds the latest runs only). */
const MAX_LOG_BYTES = 1 << 20;
function keepLogSmall(path: string): void {
  try {
    if (statSync(path).size > MAX_LOG_BYTES) truncateSync(path, 0);
  } catch {
    // No log yet, or not ours to shrink: appending still works.
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolvePromise(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", () => resolvePromise(Buffer.concat(chunks).toString("utf8")));
  });
}

export function register(program: Command, io: CliIo): void {
  const hooks = program.command("hooks").description("git hooks that write notes on commit and carry them through amend/rebase");
  hooks
    .command("install")
    .description("install the post-commit (notes in the background; AI_BLAME_HOOK_SYNC=1: before the commit returns) and post-rewrite hooks and set notes.rewriteRef (existing hooks are chained)")
    .option("-d, --dir <path>", "project directory (default: the current directory)")
    .action(async (opts: DirOptions) => {
      const git = await openGit(opts, io);
      for (const r of await installHooks(git.repo, selfCommand())) io.stderr.write(`ai-blame: ${r.path}: ${SAID[r.action]}\n`);
    });
  hooks
    .command("uninstall")
    .description("remove ai-blame's hooks (restoring chained ones) and its notes.rewriteRef")
    .option("-d, --dir <path>", "project directory (default: the current directory)")
    .action(async (opts: DirOptions) => {
      const git = await openGit(opts, io);
      for (const r of await uninstallHooks(git.repo)) io.stderr.write(`ai-blame: ${r.path}: ${SAID[r.action]}\n`);
    });
  hooks
    .command("run", { hidden: true })
    .description("run a hook's work (called by the installed hooks)")
    .argument("<hook>", "post-commit or post-rewrite")
    .argument("[arg]", "post-commit: the new commit (run in the background, messages to the hook log); post-rewrite: amend or rebase")
    .action(async (hook: string, arg: string | undefined) => {
      const opts: TraceOptionValues = {};
      if (hook === "post-commit") {
        const { git, snapshot, recoveryCacheDir } = await openGitAndSnapshot(opts, io);
        const once = { maxCount: 1, force: false, withPrompts: false, recoveryCacheDir };
        if (arg === undefined) {
          await addNotes(git.repo, snapshot, git.notes, { range: "HEAD", ...once });
          return;
        }
        if (!/^[0-9a-f]{40,64}$/.test(arg)) throw new UsageError(`post-commit: expected the new commit's sha, got ${JSON.stringify(arg)}`);
        keepLogSmall(join(git.repo.commonDir, HOOK_LOG));
        const result = await addNotes(git.repo, snapshot, git.notes, { range: arg, ...once });
        const said = result.written.length > 0 ? "note written" : result.skipped > 0 ? "already noted" : "no AI lines, no note";
        io.stderr.write(`ai-blame: ${new Date().toISOString()} post-commit ${arg.slice(0, 12)}: ${said}\n`);
        return;
      }
      if (hook !== "post-rewrite") throw new UsageError(`unknown hook ${JSON.stringify(hook)}: expected post-commit or post-rewrite`);
      const rewrites = parseRewrites(await readStdin());
      if (rewrites.length === 0) return;
      const { git, snapshot, recoveryCacheDir } = await openGitAndSnapshot(opts, io);
      // The new commits get their notes again: traces first, then the old commits' notes by content. A commit
      // nothing can be said about keeps the note git copied (notes.rewriteRef).
      const shas = [...new Set(rewrites.map(([, to]) => to))];
      await addNotes(git.repo, snapshot, git.notes, { range: null, maxCount: shas.length, force: true, withPrompts: false, shas, recoveryCacheDir });
    });
}
