// @ts-check
// `npm run bench`: generates (and caches outside the checkout, see lib/datasets.mjs) trace folders of the requested
// sizes with bench/generate.mjs, then measures ai-blame and — side by side, on the same inputs — the Rust reference
// when bench/setup-reference.sh could install it, and the language server's cold index. Prints a table and the
// performance goals; writes bench/results.json.
// Usage: node bench/run.mjs [--sizes 10MB,200MB[,1GB,3GB,2GB-single]] [--runs 5] [--no-reference] [--data DIR]
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { dataset, defaultDataRoot, parseBenchSize } from "./lib/datasets.mjs";
import { checkGoals, formatGoals, formatTable } from "./lib/report.mjs";
import { cleanupMeasure } from "./lib/measure.mjs";
import { measureServer, measureTools } from "./lib/scenarios.mjs";
import { ours, reference } from "./lib/tools.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const generator = join(root, "bench", "generate.mjs");
const cli = join(root, "cli", "dist", "ai-blame.js");
const server = join(root, "server", "dist", "server.js");
const usage = "usage: node bench/run.mjs [--sizes 10MB,200MB[,1GB,3GB,2GB-single]] [--runs N] [--no-reference] [--data DIR]";

/** @param {string} message @returns {never} */
function fail(message, code = 1) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

function parseArgs(/** @type {string[]} */ argv) {
  const opts = { sizes: ["10MB", "200MB"], runs: 5, reference: true, data: defaultDataRoot() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`, 2);
      return /** @type {string} */ (v);
    };
    if (arg === "--sizes") opts.sizes = value().split(",").map((s) => s.trim()).filter(Boolean);
    else if (arg === "--runs") opts.runs = Number(value());
    else if (arg === "--no-reference") opts.reference = false;
    else if (arg === "--data") opts.data = resolve(value());
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else fail(`unknown option '${arg}' (see --help)`, 2);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) fail("--runs must be a positive integer", 2);
  if (opts.sizes.length === 0) fail("--sizes needs at least one size (e.g. 10MB)", 2);
  for (const size of opts.sizes) if (parseBenchSize(size) === null) fail(`bad size '${size}' (e.g. 10MB, 1GB, 3GB, 2GB-single)`, 2);
  if (existsSync(opts.data) && !statSync(opts.data).isDirectory()) fail(`--data ${opts.data} is not a folder`, 2);
  return opts;
}

/** @param {string} message */
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

/** Bytes and count of trace files under the generated home (what each tool must read cold). */
function traceVolume(/** @type {string} */ home) {
  let bytes = 0;
  let files = 0;
  const walk = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".jsonl") || entry.name.endsWith(".jsonl.zst")) {
        bytes += statSync(path).size;
        files += 1;
      }
    }
  };
  walk(home);
  return { bytes, files };
}

/** Bundles bench/lib/in-process.mjs (it imports the engine's TypeScript) and runs it against a warm data dir. */
async function inProcess(/** @type {string} */ dataDir, /** @type {{ project: string, home: string, hotFile: string, appendTarget: string | null }} */ data, /** @type {number} */ runs) {
  const out = join(mkdtempSync(join(tmpdir(), "ai-blame-bench-inproc-")), "in-process.mjs");
  try {
    await esbuild.build({
      entryPoints: [join(root, "bench", "lib", "in-process.mjs")],
      outfile: out,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      define: { __AI_BLAME_VERSION__: JSON.stringify("bench") },
      // CommonJS dependencies of the engine (yaml) call require(), which an ESM bundle must be given.
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: "error",
    });
    const args = [out, data.project, data.home, dataDir, join(data.project, data.hotFile), String(runs), data.appendTarget ?? ""];
    const r = spawnSync(process.execPath, args, { cwd: data.project, env: { PATH: process.env.PATH ?? "", HOME: data.home }, encoding: "utf8" });
    if (r.status !== 0) {
      progress(`in-process measure failed: ${(r.stderr || "").trim().split("\n")[0]}`);
      return null;
    }
    return JSON.parse(r.stdout);
  } finally {
    rmSync(join(out, ".."), { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(cli)) fail("cli/dist/ai-blame.js is missing: run `npm run bench` (it builds first) or `node scripts/build.mjs cli server`");
  if (!existsSync(server)) fail("server/dist/server.js is missing: run `npm run bench` (it builds first) or `node scripts/build.mjs cli server`");
  if (!existsSync(generator)) fail("bench/generate.mjs is missing: it generates the trace folders this benchmark reads");
  let ref = null;
  if (opts.reference) {
    spawnSync("bash", [join(root, "bench", "setup-reference.sh")], { stdio: ["ignore", "inherit", "inherit"] });
    ref = reference(root);
    if (ref === null) progress("the reference is not installed; its columns are skipped");
  }
  const results = [];
  const loadBefore = loadavg()[0] ?? 0;
  for (const size of opts.sizes) {
    const data = dataset({ root, dataRoot: opts.data, size, progress, fail });
    const volume = traceVolume(data.home);
    const inputs = { project: data.project, home: data.home, hotFile: data.hotFile };
    progress(`${size}: ${(volume.bytes / 1e6).toFixed(0)} MB in ${volume.files} trace files; hot file ${data.hotFile}`);
    const tool = ours(root);
    try {
      // Ours and the reference take turns run by run (see scenarios.mjs), so machine load falls on both alike.
      const tools = ref === null ? [tool] : [tool, ref];
      const [oursResult, refResult = null] = measureTools(tools, inputs, opts.runs, data.appendTarget, progress);
      progress("ai-blame: language server's cold index");
      const serverResult = await measureServer(server, inputs, opts.runs);
      progress("ai-blame: in-process timings");
      const inProc = await inProcess(tool.dataDir?.() ?? "", data, opts.runs);
      results.push({
        size,
        traceBytes: volume.bytes,
        traceFiles: volume.files,
        expectedEvents: data.expectedEvents,
        expectedClaudeEvents: data.expectedClaudeEvents,
        expectedCodexEvents: data.expectedCodexEvents,
        appendTraceBytes: data.appendTarget === null ? null : statSync(data.appendTarget).size,
        hotFile: data.hotFile,
        ours: oursResult,
        server: serverResult,
        reference: refResult,
        inProcess: inProc,
      });
    } finally {
      tool.cleanup(inputs);
      ref?.cleanup(inputs);
    }
  }
  const goals = checkGoals(results);
  const cpu = cpus();
  const load = [loadBefore, loadavg()[0] ?? 0].map((l) => l.toFixed(1));
  process.stdout.write(`\n${formatTable(results)}\n\nGoals:\n${formatGoals(goals)}\n`);
  process.stdout.write(`\n${cpu.length} CPUs, load average ${load[0]} before / ${load[1]} after: wall times grow with load, CPU times much less.\n`);
  const report = {
    generatedAt: new Date().toISOString(),
    machine: {
      platform: process.platform,
      arch: process.arch,
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? null,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: load.map(Number),
    },
    runs: opts.runs,
    reference: ref === null ? null : { tool: "ai-blame 0.5.3 (PyPI)", statsFlags: ref.statsFlags },
    sizes: results,
    goals,
  };
  const target = join(root, "bench", "results.json");
  writeFileSync(`${target}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
  progress(`wrote ${relative(root, target)}`);
}

try {
  await main();
} finally {
  cleanupMeasure();
}
