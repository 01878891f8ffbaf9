// @ts-check
// The two tools under test and how each is given the same inputs: ours (`node cli/dist/ai-blame.js`, its index in
// a throwaway AI_BLAME_DATA_DIR) and the Rust reference (`bench/.venv/bin/ai-blame`, whose DuckDB caches live
// inside the trace folders as `.ai-blame.ddb`). A cold run starts from no index at all for either tool. The reference
// runs `stats` with --skip-codex (bench/README.md says why: without it, it parses every Codex rollout twice and finds
// no edit in them; with it, it reads only the Claude traces, less than ai-blame reads). Its `blame` has no such flag.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walkFiles } from "./walk.mjs";

/**
 * @typedef {{ project: string, home: string, hotFile: string }} Inputs
 * @typedef {{ name: string, command: string, prefix: string[], env: (inputs: Inputs) => Record<string, string>,
 *   stats: (inputs: Inputs) => string[], blame: (inputs: Inputs) => string[], makeCold: (inputs: Inputs) => void,
 *   countEvents: (stdout: string) => number | null, cleanup: (inputs: Inputs) => void, dataDir?: () => string,
 *   statsFlags?: string[] }} Tool
 */

/** The environment both tools get: no user configuration leaks in, HOME is the generated home. */
function baseEnv(/** @type {string} */ home) {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1", LANG: "C.UTF-8" };
}

/** @param {string} root @returns {Tool} */
export function ours(root) {
  const dataRoot = mkdtempSync(join(tmpdir(), "ai-blame-bench-"));
  let generation = 0;
  let dataDir = join(dataRoot, "data-0");
  return {
    name: "ai-blame (ours)",
    command: process.execPath,
    prefix: [join(root, "cli", "dist", "ai-blame.js")],
    env: (inputs) => ({ ...baseEnv(inputs.home), AI_BLAME_DATA_DIR: dataDir }),
    stats: (inputs) => ["stats", "--json", "--home", inputs.home, "--dir", inputs.project],
    blame: (inputs) => ["blame", inputs.hotFile, "--home", inputs.home, "--dir", inputs.project],
    makeCold() {
      // A new empty data folder: nothing indexed, nothing cached.
      rmSync(dataDir, { recursive: true, force: true });
      generation += 1;
      dataDir = join(dataRoot, `data-${generation}`);
    },
    countEvents(stdout) {
      try {
        const events = JSON.parse(stdout).events;
        return typeof events === "number" ? events : null;
      } catch {
        return null;
      }
    },
    cleanup: () => rmSync(dataRoot, { recursive: true, force: true }),
    dataDir: () => dataDir,
  };
}

/** The reference's caches: `.ai-blame.ddb` (and DuckDB's `.wal`) in every trace folder it scanned. */
function removeReferenceCaches(/** @type {string} */ dir) {
  walkFiles(dir, (path, name) => {
    if (name.startsWith(".ai-blame.ddb")) rmSync(path, { force: true });
  });
}

/** The reference's `stats` flags: read each trace once, and none in which it cannot find an edit (see above). */
const REFERENCE_STATS_FLAGS = ["--skip-codex"];

/** @param {string} root @returns {Tool | null} null when the reference is not installed */
export function reference(root) {
  const binary = join(root, "bench", ".venv", "bin", "ai-blame");
  if (!existsSync(binary)) return null;
  return {
    statsFlags: REFERENCE_STATS_FLAGS,
    name: "reference 0.5.3",
    command: binary,
    prefix: [],
    // The reference looks for Codex traces under the real $HOME (never --home), so HOME is the generated home.
    env: (inputs) => baseEnv(inputs.home),
    stats: (inputs) => ["stats", ...REFERENCE_STATS_FLAGS, "--home", inputs.home, "--dir", inputs.project],
    blame: (inputs) => ["blame", inputs.hotFile, "--home", inputs.home, "--dir", inputs.project],
    makeCold: (inputs) => removeReferenceCaches(inputs.home),
    countEvents(stdout) {
      const match = /Total successful edits:\s*(\d+)/.exec(stdout);
      return match ? Number(match[1]) : null;
    },
    cleanup: (inputs) => removeReferenceCaches(inputs.home),
  };
}
