// @ts-check
// Runs one command as a whole process and measures it: wall time from spawn to exit (what a user waits for), CPU
// time and peak resident memory from GNU time (`/usr/bin/time -f "%M %U %S"`), else from a preload that reports the
// child's own (Node children only). A non-zero exit is returned as data, never thrown, so one failure ends no bench.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const rssFile = join(tmpdir(), `ai-blame-bench-rss-${process.pid}.txt`);
const probe = join(here, "rss-probe.cjs");

/** @type {boolean | undefined} */
let gnuTime;
function hasGnuTime() {
  if (gnuTime === undefined) {
    gnuTime = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", rssFile, "true"]).status === 0;
  }
  return gnuTime;
}

/**
 * @typedef {{ ms: number, cpuMs: number | null, rssMB: number | null, status: number | null, stdout: string,
 *   stderr: string }} RunResult
 * @param {string} command  an executable, or `node` for a Node script (then the RSS fallback works too)
 * @param {string[]} args
 * @param {{ cwd: string, env: Record<string, string> }} options
 * @returns {RunResult}
 */
export function runTimed(command, args, options) {
  rmSync(rssFile, { force: true });
  let file = command;
  let argv = args;
  let env = options.env;
  if (hasGnuTime()) {
    file = "/usr/bin/time";
    argv = ["-f", "%M %U %S", "-o", rssFile, command, ...args];
  } else if (command === process.execPath) {
    env = { ...env, AI_BLAME_BENCH_RSS_FILE: rssFile };
    argv = ["--require", probe, ...args];
  }
  const started = process.hrtime.bigint();
  const child = spawnSync(file, argv, { cwd: options.cwd, env, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let rssMB = null;
  let cpuMs = null;
  try {
    // GNU time writes "Command exited with non-zero status N" before the numbers when the child fails.
    const lines = readFileSync(rssFile, "utf8").trim().split("\n");
    const [kb, user, sys] = (lines[lines.length - 1] ?? "").split(" ").map(Number);
    if (kb !== undefined && Number.isFinite(kb) && kb > 0) rssMB = kb / 1024;
    if (user !== undefined && sys !== undefined && Number.isFinite(user + sys)) cpuMs = (user + sys) * 1000;
  } catch {
    rssMB = null;
  }
  return { ms, cpuMs, rssMB, status: child.status, stdout: child.stdout ?? "", stderr: child.stderr ?? "" };
}

/** Removes the scratch file GNU time reports into (call once, at the end of the benchmark). */
export function cleanupMeasure() {
  rmSync(rssFile, { force: true });
}

/** @param {number[]} values */
export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}
