// A Node that has node:sqlite (Node >= 22.5), for the tests that read opencode databases: this Node,
// $AI_BLAME_TEST_NODE, or the Node the wheels embed (scripts/test-all.sh fetches it into python-dist's cache).

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const repoRoot = join(__dirname, "..", "..", "..");

/** The path of a Node with node:sqlite, or null when none is found. */
export function sqliteNode(): string | null {
  const candidates = [process.env.AI_BLAME_TEST_NODE, process.execPath];
  const cache = join(repoRoot, "python-dist", "build", "node-cache");
  if (existsSync(cache)) for (const dir of readdirSync(cache)) candidates.push(join(cache, dir, "node"));
  for (const node of candidates) {
    if (node && existsSync(node) && spawnSync(node, ["-e", "require('node:sqlite')"], { stdio: "ignore" }).status === 0) return node;
  }
  return null;
}
