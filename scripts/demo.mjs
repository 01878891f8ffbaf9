#!/usr/bin/env node
// @ts-check
// The README demo: materializes the bundled example into .ai-blame-demo/ (gitignored) and runs the built CLI on it
// — stats, timeline, blame of a file — printing each command line before its output. The index goes to
// .ai-blame-demo/data so the demo never touches the user's own data folder. Exits non-zero if any command fails.
// Usage: node scripts/demo.mjs        (npm run demo builds the CLI first)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { materializeExample } from "./materialize-example.mjs";

const repo = fileURLToPath(new URL("..", import.meta.url));
const cli = join(repo, "cli", "dist", "ai-blame.js");

function main() {
  if (!existsSync(cli)) {
    console.error("demo: cli/dist/ai-blame.js is missing; build it with: node scripts/build.mjs cli");
    return 1;
  }
  const demo = join(repo, ".ai-blame-demo");
  let paths;
  try {
    paths = materializeExample(demo);
  } catch (e) {
    console.error(`demo: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  // Relative paths keep the printed commands short; every command runs from the repository root.
  const rel = (/** @type {string} */ p) => relative(repo, p).split("\\").join("/");
  const where = ["--home", rel(paths.home), "--dir", rel(paths.project)];
  const commands = [
    ["stats", ...where],
    ["timeline", ...where],
    ["blame", rel(join(paths.project, "tasklog", "cli.py")), ...where],
  ];
  const env = { ...process.env, AI_BLAME_DATA_DIR: join(demo, "data") };
  let failed = 0;
  for (const args of commands) {
    process.stdout.write(`\n$ ai-blame ${args.join(" ")}\n`);
    const run = spawnSync(process.execPath, [cli, ...args], { cwd: repo, env, stdio: "inherit" });
    if (run.status !== 0) {
      failed += 1;
      console.error(`demo: 'ai-blame ${args[0]}' ${run.signal ? `was killed by ${run.signal}` : `exited with ${run.status}`}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
