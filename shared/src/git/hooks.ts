// `hooks install|uninstall`: a post-commit hook that writes the new commit's note and a post-rewrite hook (amend,
// rebase) that re-attributes the rewritten commits, plus `notes.rewriteRef` so git itself copies notes on rewrites
// when the hook cannot do better. The hooks folder is git's own answer (`git rev-parse --git-path hooks`), so
// `core.hooksPath` and linked worktrees (which share the common folder's hooks) just work. A hook that is not ours is
// kept: it moves to `<name>.ai-blame-chained` and our hook runs it first with the same arguments and input;
// uninstall puts it back. Installing twice rewrites our hooks in place.

import { existsSync, readFileSync, renameSync, unlinkSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { AiBlameError } from "../util/errors";
import { writeFileAtomic } from "../util/atomic-write";
import { NOTES_REF } from "./note-format";
import type { Repository } from "./repository";
import { runGit, runGitRaw } from "./run-git";

export const HOOK_NAMES = ["post-commit", "post-rewrite"] as const;
export type HookName = (typeof HOOK_NAMES)[number];
const MARKER = "# ai-blame-hook v1";
export const CHAINED_SUFFIX = ".ai-blame-chained";
/** The background post-commit hook's log, in the common git folder. */
export const HOOK_LOG = "ai-blame-hook.log";

export interface HookReport {
  name: HookName;
  path: string;
  /** What happened: installed fresh, updated (ours already), chained (a foreign hook kept), removed, restored, absent. */
  action: "installed" | "updated" | "chained" | "removed" | "restored" | "absent";
}

/** The hooks folder git runs hooks from (core.hooksPath, worktrees' common folder), absolute. */
export async function hooksDir(repo: Repository): Promise<string> {
  const out = (await runGit(["rev-parse", "--git-path", "hooks"], { cwd: repo.root })).trim();
  return isAbsolute(out) ? out : resolve(repo.root, out);
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** The script of one hook: run a chained hook first (same arguments, same input), then ours; never fail git. */
export function hookScript(name: HookName, command: string[]): string {
  const ai = command.map(shellQuote).join(" ");
  const lines = ["#!/bin/sh", MARKER, "# Installed by `ai-blame hooks install`; `ai-blame hooks uninstall` removes it (and restores a chained hook)."];
  if (name === "post-rewrite") {
    lines.push(
      'input=$(cat)',
      `chained="$0${CHAINED_SUFFIX}"`,
      'if [ -x "$chained" ]; then printf \'%s\\n\' "$input" | "$chained" "$@" || status=$?; fi',
      `printf '%s\\n' "$input" | ${ai} hooks run post-rewrite "$@" || echo "ai-blame: the post-rewrite hook could not update notes" >&2`,
    );
  } else {
    // The note is written by a detached background process, so the commit returns at once; it gets the new
    // commit's sha (HEAD may move before it runs) and appends its messages to HOOK_LOG in the common git folder.
    // AI_BLAME_HOOK_SYNC=1 writes the note before the commit returns (scripts that read it right after).
    lines.push(
      `chained="$0${CHAINED_SUFFIX}"`,
      'if [ -x "$chained" ]; then "$chained" "$@" || status=$?; fi',
      'if [ -n "$AI_BLAME_HOOK_SYNC" ]; then',
      `  ${ai} hooks run post-commit || echo "ai-blame: the post-commit hook could not write the note" >&2`,
      "else",
      "  head=$(git rev-parse HEAD)",
      `  log="$(git rev-parse --git-common-dir)/${HOOK_LOG}"`,
      "  if command -v nohup >/dev/null 2>&1; then detach=nohup; else detach=; fi",
      `  $detach ${ai} hooks run post-commit "$head" >>"$log" 2>&1 </dev/null &`,
      "fi",
    );
  }
  lines.push("exit ${status:-0}", "");
  return lines.join("\n");
}

function isOurs(path: string): boolean {
  try {
    return readFileSync(path, "utf8").includes(MARKER);
  } catch {
    return false;
  }
}

/** Installs both hooks and `notes.rewriteRef`; `command` is how to run this ai-blame (argv). */
export async function installHooks(repo: Repository, command: string[]): Promise<HookReport[]> {
  const dir = await hooksDir(repo);
  const reports: HookReport[] = [];
  for (const name of HOOK_NAMES) {
    const path = join(dir, name);
    const chained = `${path}${CHAINED_SUFFIX}`;
    let action: HookReport["action"] = "installed";
    if (existsSync(path) && isOurs(path)) action = "updated";
    else if (existsSync(path)) {
      if (existsSync(chained)) {
        throw new AiBlameError("io", `${path} is not ai-blame's and ${chained} exists too: merge them by hand, then install again`);
      }
      renameSync(path, chained);
      action = "chained";
    }
    writeFileAtomic(path, hookScript(name, command), { mode: 0o755, createParents: true });
    reports.push({ name, path, action });
  }
  const refs = await runGitRaw(["config", "--get-all", "notes.rewriteRef"], { cwd: repo.root });
  if (!refs.stdout.toString("utf8").split("\n").includes(NOTES_REF)) {
    await runGit(["config", "--add", "notes.rewriteRef", NOTES_REF], { cwd: repo.root });
  }
  return reports;
}

/** Removes our hooks (restoring chained ones) and our `notes.rewriteRef`; foreign hooks are left alone. */
export async function uninstallHooks(repo: Repository): Promise<HookReport[]> {
  const dir = await hooksDir(repo);
  const reports: HookReport[] = [];
  for (const name of HOOK_NAMES) {
    const path = join(dir, name);
    const chained = `${path}${CHAINED_SUFFIX}`;
    if (!existsSync(path) || !isOurs(path)) {
      reports.push({ name, path, action: "absent" });
      continue;
    }
    if (existsSync(chained)) {
      renameSync(chained, path);
      reports.push({ name, path, action: "restored" });
    } else {
      unlinkSync(path);
      reports.push({ name, path, action: "removed" });
    }
  }
  // Exit code 5: no such value — already gone.
  await runGitRaw(["config", "--unset-all", "notes.rewriteRef", `^${NOTES_REF.replace(/\//g, "\\/")}$`], { cwd: repo.root });
  return reports;
}

/** Old → new pairs from post-rewrite's input (`<old> <new> [<extra>]` per line). */
export function parseRewrites(input: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of input.split("\n")) {
    const [from, to] = line.trim().split(/\s+/);
    if (from && to && /^[0-9a-f]{40,64}$/.test(from) && /^[0-9a-f]{40,64}$/.test(to)) pairs.push([from, to]);
  }
  return pairs;
}
