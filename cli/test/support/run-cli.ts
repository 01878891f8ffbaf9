// Runs the BUILT CLI (`node cli/dist/ai-blame.js`) as a real process, the way users and the wheels run it: NO_COLOR
// set, a temp HOME and AI_BLAME_DATA_DIR unless the test passes its own, and a timeout that kills a hung process.
// Returns stdout, stderr and the exit code; the test decides what they must be.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..", "..");
export const cliPath = join(repoRoot, "cli", "dist", "ai-blame.js");

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** A fresh real (symlink-free) temp directory. */
export function tempDir(prefix = "ai-blame-cli-"): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}

export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run node scripts/build.mjs cli first`);
  const env: Record<string, string | undefined> = {
    PATH: process.env["PATH"],
    NO_COLOR: "1",
    HOME: options.env?.["HOME"] ?? tempDir("ai-blame-home-"),
    AI_BLAME_DATA_DIR: options.env?.["AI_BLAME_DATA_DIR"] ?? tempDir("ai-blame-data-"),
    ...options.env,
  };
  return runNode([cliPath, ...args], { ...options, env });
}

/**
 * Runs `node argv…` in `options.cwd` (the repository by default) with exactly `options.env` (variables set to
 * undefined are left out): for tests that run the CLI under Node flags or through a launcher of their own.
 */
export function runNode(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd ?? repoRoot,
      env: env as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${argv.join(" ")} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    // A command that exits before its input is closed (most never read it; under load the close can come late)
    // fails that write with EPIPE: not the test's error, the exit code and output say what happened.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** The command names listed under "Commands:" in a `--help` text. */
export function commandNames(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1] ?? "").filter((n) => n !== "" && n !== "help");
}
