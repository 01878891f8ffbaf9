// Runs git as a child process: argv arrays only (no shell, so paths and revisions never become shell syntax), output
// collected as bytes, optional stdin. Every git feature of the engine goes through here, so a missing git or a failing
// command becomes one AiBlameError with git's own first line of stderr.

import { spawn } from "node:child_process";
import { AiBlameError } from "../util/errors";

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitRunOptions {
  cwd: string;
  /** Bytes or text written to git's stdin (then closed). */
  input?: string | Buffer;
  /** Extra environment (merged over the process environment). */
  env?: Record<string, string>;
}

/** Runs `git <args>` and resolves with its exit code and output, whatever the code. */
export function runGitRaw(args: string[], options: GitRunOptions): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "ENOENT" ? "git is not installed or not on PATH" : `cannot run git: ${error.message}`;
      reject(new AiBlameError("io", why));
    });
    child.on("close", (code) => {
      resolvePromise({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") });
    });
    // A git that exits before reading its input closes the pipe; that is reported by its exit code, not EPIPE.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/** Runs `git <args>`; a non-zero exit throws an AiBlameError with git's first stderr line. Resolves with stdout. */
export async function runGit(args: string[], options: GitRunOptions): Promise<string> {
  const result = await runGitRaw(args, options);
  if (result.code !== 0) throw gitError(args, result);
  return result.stdout.toString("utf8");
}

export function gitError(args: string[], result: GitResult): AiBlameError {
  const first = result.stderr.split("\n").find((l) => l.trim() !== "") ?? `exit code ${result.code}`;
  return new AiBlameError("io", `git ${args[0] ?? ""} failed: ${first.replace(/^(fatal|error): /, "")}`);
}
