// @ts-check
// Blame of a generated folder's hot file, in-process and as a whole CLI process: the engine source is bundled on the
// fly with esbuild and imported, the index is warmed by one refresh, then blame alone is timed (median of --runs).
// With --cli-runs, `ai-blame blame HOT --json` (cli/dist) is also timed as a process against the same warm data dir.
//
//   node bench/blame-inprocess.mjs --data /tmp/b200 [--data-dir DIR] [--runs 7] [--cli-runs 5]
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** @param {string} message */
function fail(message) {
  process.stderr.write(`blame-inprocess: ${message}\n`);
  process.exit(2);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i] ?? "";
    const value = argv[i + 1];
    if (!key.startsWith("--") || value === undefined) fail(`bad argument ${key}: expected --data DIR [--data-dir DIR] [--runs N] [--cli-runs N]`);
    opts[key.slice(2)] = value;
  }
  if (!opts.data) fail("--data DIR is required (a folder made by bench/generate.mjs)");
  return opts;
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const manifestPath = join(opts.data ?? "", "manifest.json");
  if (!existsSync(manifestPath)) fail(`${manifestPath} is missing: run node bench/generate.mjs --size 200MB --out DIR first`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const runs = Number(opts.runs ?? "7");
  const cliRuns = Number(opts["cli-runs"] ?? "0");
  const tmp = mkdtempSync(join(tmpdir(), "ai-blame-blame-inproc-"));
  const dataDir = opts["data-dir"] ?? join(tmp, "data");
  try {
    const bundle = join(tmp, "engine.cjs");
    await esbuild.build({
      entryPoints: [join(root, "shared", "src", "index.ts")],
      outfile: bundle,
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      define: { __AI_BLAME_VERSION__: JSON.stringify("bench") },
      logLevel: "error",
    });
    const { createEngine } = createRequire(import.meta.url)(bundle);
    const env = { HOME: manifest.home, AI_BLAME_DATA_DIR: dataDir };
    const engine = createEngine({ projectDir: manifest.project, home: manifest.home, dataDir, env });
    let t = performance.now();
    await engine.refresh();
    const refreshMs = performance.now() - t;
    const snapshot = engine.snapshot();
    t = performance.now();
    const first = snapshot.blame(manifest.hotFile);
    const firstMs = performance.now() - t;
    /** @type {number[]} */
    const times = [];
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      snapshot.blame(manifest.hotFile);
      times.push(performance.now() - t);
    }
    const owned = first.lines.filter((/** @type {{owner: unknown}} */ l) => l.owner !== null).length;
    /** @type {Record<string, unknown>} */
    const out = { refreshMs: round(refreshMs), firstBlameMs: round(firstMs), blameMs: round(median(times)), lines: first.lines.length, owned, events: first.events };
    if (cliRuns > 0) {
      const cli = join(root, "cli", "dist", "ai-blame.js");
      if (!existsSync(cli)) fail("cli/dist/ai-blame.js is missing: node scripts/build.mjs cli");
      const args = [cli, "blame", manifest.hotFile, "--home", manifest.home, "--dir", manifest.project, "--json"];
      const childEnv = { PATH: process.env.PATH ?? "", HOME: manifest.home, AI_BLAME_DATA_DIR: dataDir };
      /** @type {number[]} */
      const wall = [];
      for (let i = 0; i < cliRuns + 1; i++) {
        t = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: manifest.project, env: childEnv, stdio: ["ignore", "ignore", "pipe"] });
        const ms = performance.now() - t;
        if (r.status !== 0) fail(`cli blame failed: ${String(r.stderr).trim().split("\n")[0]}`);
        if (i > 0) wall.push(ms);
      }
      out.cliBlameMs = round(median(wall));
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** @param {number} ms */
function round(ms) {
  return Math.round(ms * 10) / 10;
}

await main();
