// @ts-check
// `npm run bench`: generates (and caches under bench/data/) trace folders of the requested sizes with
// bench/generate.mjs, then measures ai-blame and — side by side, on the same inputs — the Rust reference when
// bench/setup-reference.sh could install it. Prints a table and the performance goals; writes bench/results.json.
// Usage: node bench/run.mjs [--sizes 10MB,200MB[,1GB]] [--runs 5] [--no-reference]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { pickAppendTarget } from "./lib/append.mjs";
import { checkGoals, formatGoals, formatTable } from "./lib/report.mjs";
import { cleanupMeasure } from "./lib/measure.mjs";
import { measureTools } from "./lib/scenarios.mjs";
import { ours, reference } from "./lib/tools.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const generator = join(root, "bench", "generate.mjs");
const cli = join(root, "cli", "dist", "ai-blame.js");

/** @param {string} message */
function fail(message, code = 1) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

function parseArgs(/** @type {string[]} */ argv) {
  const opts = { sizes: ["10MB", "200MB"], runs: 5, reference: true };
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
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write("usage: node bench/run.mjs [--sizes 10MB,200MB[,1GB]] [--runs N] [--no-reference]\n");
      process.exit(0);
    } else fail(`unknown option '${arg}' (see --help)`, 2);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) fail("--runs must be a positive integer", 2);
  for (const size of opts.sizes) if (!/^\d+(KB|MB|GB)$/.test(size)) fail(`bad size '${size}' (e.g. 10MB, 1GB)`, 2);
  return opts;
}

/** @param {string} message */
const progress = (message) => process.stderr.write(`bench: ${message}\n`);

/** The generated folder for `size`, regenerated when bench/generate.mjs changed since it was made. */
function dataset(/** @type {string} */ size) {
  const dir = join(root, "bench", "data", size);
  const marker = join(dir, ".generator-sha1");
  const hash = createHash("sha1").update(readFileSync(generator)).digest("hex");
  const manifestPath = join(dir, "manifest.json");
  const fresh = existsSync(manifestPath) && existsSync(marker) && readFileSync(marker, "utf8") === hash;
  if (!fresh) {
    progress(`generating ${size} into ${relative(root, dir)} (cached for later runs)`);
    rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [generator, "--size", size, "--out", dir], { stdio: ["ignore", "inherit", "inherit"] });
    if (r.status !== 0) fail(`bench/generate.mjs --size ${size} failed (exit ${r.status})`);
    writeFileSync(marker, hash);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const at = (/** @type {string} */ base, /** @type {string} */ p) => (isAbsolute(p) ? p : resolve(base, p));
  const project = at(dir, String(manifest.project));
  const home = at(dir, String(manifest.home));
  const hotAbs = at(project, String(manifest.hotFile));
  return {
    project,
    home,
    // What a user types: the path relative to the project, run from the project folder.
    hotFile: relative(project, hotAbs),
    expectedEvents: typeof manifest.events === "number" ? manifest.events : null,
    appendTarget: typeof manifest.appendTrace === "string" ? at(dir, manifest.appendTrace) : pickAppendTarget(home),
  };
}

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
async function inProcess(/** @type {string} */ dataDir, /** @type {ReturnType<typeof dataset>} */ data, /** @type {number} */ runs) {
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
  if (!existsSync(cli)) fail("cli/dist/ai-blame.js is missing: run `npm run bench` (it builds first) or `node scripts/build.mjs cli`");
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
    const data = dataset(size);
    const volume = traceVolume(data.home);
    const inputs = { project: data.project, home: data.home, hotFile: data.hotFile };
    progress(`${size}: ${(volume.bytes / 1e6).toFixed(0)} MB in ${volume.files} trace files; hot file ${data.hotFile}`);
    const tool = ours(root);
    try {
      // Ours and the reference take turns run by run (see scenarios.mjs), so machine load falls on both alike.
      const tools = ref === null ? [tool] : [tool, ref];
      const [oursResult, refResult = null] = measureTools(tools, inputs, opts.runs, data.appendTarget, progress);
      progress("ai-blame: in-process timings");
      const inProc = await inProcess(tool.dataDir?.() ?? "", data, opts.runs);
      results.push({
        size,
        traceBytes: volume.bytes,
        traceFiles: volume.files,
        expectedEvents: data.expectedEvents,
        hotFile: data.hotFile,
        ours: oursResult,
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
    reference: ref === null ? null : "ai-blame 0.5.3 (PyPI)",
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
