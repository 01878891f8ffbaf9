#!/usr/bin/env node
// @ts-check
// Deterministic generator of a realistic trace folder for benchmarks: a project of a few hundred files plus a
// home with Claude sessions (with subagents) and Codex rollouts whose edits replay exactly to the project files,
// one hot file (10,000 lines, 500 Edits at 200MB and above), total trace bytes within ±10% of the target. With
// --big-trace SIZE the first Claude session alone is about SIZE (the rest of --size is shared by the other sessions
// as usual): the single-big-trace corpus. Memory stays flat whatever the size: traces are streamed to disk, and only
// the project's files are held.
// Usage: node bench/generate.mjs --size 10MB|200MB|1GB --out DIR [--big-trace SIZE] [--seed N] [--hot-lines N] [--hot-edits N]
//        node bench/generate.mjs --append-mb N --file TRACE [--seed N]   (append N MB incl. one new edit)
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { appendToTrace } from "./lib/gen-append.mjs";
import { Project } from "./lib/gen-project.mjs";
import { Rng, makeTextPools } from "./lib/gen-random.mjs";
import { claudeSession, codexSession } from "./lib/gen-sessions.mjs";

export { appendToTrace };

const MB = 1024 * 1024;

/** Parse sizes like 10MB, 200MB, 1GB, 512KB. @param {string} text */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)$/i.exec(text.trim());
  if (!m) throw new UsageError(`bad size '${text}' (expected e.g. 10MB, 200MB, 1GB)`);
  const unit = { KB: 1024, MB, GB: 1024 * MB }[/** @type {"KB" | "MB" | "GB"} */ ((m[2] ?? "").toUpperCase())];
  return Math.round(Number(m[1]) * unit);
}

class UsageError extends Error {}

/** Claude's project folder name for a path. @param {string} path */
function encode(path) {
  return path.replace(/[^A-Za-z0-9]/g, "-");
}

/**
 * Generate a folder. Returns the manifest (also written to out/manifest.json).
 * @param {{size: number, out: string, bigTrace?: number, seed?: number, hotLines?: number, hotEdits?: number,
 *   log?: (line: string) => void}} o
 */
export function generate(o) {
  const seed = o.seed ?? 1;
  const log = o.log ?? (() => {});
  const bigTrace = o.bigTrace ?? 0;
  if (bigTrace > 0 && bigTrace >= o.size) throw new UsageError("--big-trace must be smaller than --size (the other sessions share the rest)");
  prepareOut(o.out);
  const root = realpathSync(o.out);
  const projectDir = join(root, "project");
  const home = join(root, "home");
  const claudeDir = join(home, ".claude", "projects", encode(projectDir));
  const codexDir = join(home, ".codex", "sessions");
  const scale = Math.min(1, o.size / (200 * MB));
  const hotLines = o.hotLines ?? Math.max(300, Math.round(10_000 * Math.sqrt(scale)));
  const hotEdits = o.hotEdits ?? Math.max(10, Math.round(500 * scale));

  const rng = new Rng(seed);
  const pools = makeTextPools(rng);
  const project = new Project(rng);
  const fileCount = o.size >= 100 * MB ? 300 : 200;
  for (let i = 0; i < fileCount; i++) {
    const path = project.newPath();
    project.add(path, project.codeBlock(path.endsWith(".py") ? "py" : "ts", rng.int(30, 400)), "human");
  }
  const started = Date.UTC(2025, 8, 1, 8, 0, 0);
  const clock = { ms: started };
  const stats = { events: 0, editRecords: 0, files: 0, bytes: 0, subagents: 0, hotEdits: 0 };
  const hot = { path: "src/core/engine.py", lines: hotLines, edits: hotEdits, initialLines: Math.round(hotLines * 0.2) };
  const ctx = { rng, pools, clock, project, cwd: projectDir, claudeDir, codexDir, stats, hot };

  // The big trace (when asked for) is session 0, a Claude session; the other sessions are sized from what is left.
  const rest = o.size - bigTrace;
  const sessionBytes = Math.min(6 * MB, Math.max(150 * 1024, rest / 40));
  const sessions = Math.max(4, Math.round(rest / sessionBytes)) + (bigTrace > 0 ? 1 : 0);
  /** @type {string | null} */
  let bigTracePath = null;
  let codexEvents = 0;
  const kinds = Array.from({ length: sessions }, (_, i) => (i % 4 === 3 ? "codex" : "claude"));
  const claudeCount = kinds.filter((k) => k === "claude").length;
  let claudeIndex = 0;
  for (let i = 0; i < sessions; i++) {
    const hotFile = project.files.get(hot.path);
    const lineBytes = hotFile ? project.text(hot.path).length / Math.max(1, hotFile.lines.length) + 1 : 36;
    const done = stats.hotEdits;
    const current = hotFile ? hotFile.lines.length : hot.initialLines;
    // Remaining hot-edit bytes: each edit record carries the whole file (growing linearly to hot.lines).
    const hotRemaining = (hot.edits - done) * (((current + hot.lines) / 2) * lineBytes * 1.02 + 2_500);
    const left = Math.max(0, o.size - stats.bytes - hotRemaining);
    const jitter = i === sessions - 1 ? 1 : 0.6 + rng.next() * 0.8;
    const big = i === 0 && bigTrace > 0;
    const budget = big ? bigTrace : Math.max(20_000, (left / (sessions - i)) * jitter);
    if (kinds[i] === "claude") {
      const quota = Math.floor(((claudeIndex + 1) * hot.edits) / claudeCount) - Math.floor((claudeIndex * hot.edits) / claudeCount);
      const path = claudeSession(ctx, budget, quota, claudeIndex === 0, big);
      if (big) bigTracePath = path;
      claudeIndex += 1;
    } else {
      const before = stats.events;
      codexSession(ctx, budget);
      codexEvents += stats.events - before;
    }
    clock.ms += rng.int(10 * 60_000, 20 * 3600_000);
    log(`  session ${String(i + 1).padStart(3)}/${sessions} ${kinds[i]?.padEnd(6)} total ${(stats.bytes / MB).toFixed(1)} MB`);
  }

  // A developer touches a few AI-edited files afterwards (so blame shows changed-after-ai lines).
  const touched = [...project.files.entries()].filter(([, f]) => f.createdBy !== "human").map(([p]) => p).sort();
  for (const path of [hot.path, ...touched.filter(() => rng.chance(0.05))]) {
    const f = project.files.get(path);
    if (f && f.lines.length > 10) f.lines[rng.int(0, f.lines.length - 1)] += "  # reviewed";
  }
  project.writeTo(projectDir);

  const manifest = {
    generator: "bench/generate.mjs",
    seed,
    targetSize: o.size,
    size: stats.bytes,
    project: projectDir,
    home,
    hotFile: join(projectDir, hot.path),
    hotFileRelative: hot.path,
    hotFileLines: project.files.get(hot.path)?.lines.length ?? 0,
    hotFileEdits: stats.hotEdits,
    events: stats.events,
    claudeEvents: stats.events - codexEvents,
    codexEvents,
    editRecords: stats.editRecords,
    traceFiles: stats.files,
    claudeSessions: claudeCount,
    codexSessions: sessions - claudeCount,
    subagents: stats.subagents,
    projectFiles: project.files.size,
    firstTimestamp: new Date(started).toISOString(),
    lastTimestamp: new Date(clock.ms).toISOString(),
    // The trace the benchmark's append scenario grows: the big trace when there is one (else the largest session).
    ...(bigTracePath === null ? {} : { appendTrace: bigTracePath, bigTraceBytes: statSync(bigTracePath).size }),
  };
  const tmp = join(root, `manifest.json.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, join(root, "manifest.json"));
  return manifest;
}

/** The output folder must be new, empty, or an earlier output of this generator (which is replaced). @param {string} out */
function prepareOut(out) {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !entries.includes("manifest.json")) {
      throw new Error(`${out} is not empty and holds no manifest.json from this generator; choose another --out`);
    }
    for (const e of ["project", "home", "manifest.json"]) rmSync(join(out, e), { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    if (!a.startsWith("--")) throw new UsageError(`unexpected argument '${a}'`);
    const [name, inline] = a.slice(2).split("=", 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags[/** @type {string} */ (name)] = value;
  }
  const known = ["size", "out", "big-trace", "seed", "hot-lines", "hot-edits", "append-mb", "file"];
  for (const k of Object.keys(flags)) if (!known.includes(k)) throw new UsageError(`unknown option --${k}`);
  const int = (/** @type {string} */ k) => {
    if (flags[k] === undefined) return undefined;
    const n = Number(flags[k]);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${k} must be a non-negative integer`);
    return n;
  };
  return { flags, int };
}

function main() {
  const usage = [
    "usage: node bench/generate.mjs --size 10MB|200MB|1GB --out DIR [--big-trace SIZE] [--seed N] [--hot-lines N] [--hot-edits N]",
    "       node bench/generate.mjs --append-mb N --file TRACE [--seed N]",
  ].join("\n");
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(usage);
    return 0;
  }
  try {
    const { flags, int } = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    if (flags["append-mb"] !== undefined || flags.file !== undefined) {
      const mb = Number(flags["append-mb"]);
      if (!flags.file || !(mb > 0)) throw new UsageError("--append-mb N (N > 0) and --file TRACE go together");
      const r = appendToTrace(resolve(flags.file), mb, { seed: int("seed") ?? 7 });
      console.log(`appended ${(r.bytes / MB).toFixed(2)} MB (${r.records} records, ${r.events} new edit) to ${r.file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    if (!flags.size || !flags.out) throw new UsageError("--size and --out are required");
    const manifest = generate({
      size: parseSize(flags.size), out: resolve(flags.out), seed: int("seed"),
      ...(flags["big-trace"] === undefined ? {} : { bigTrace: parseSize(flags["big-trace"]) }), hotLines: int("hot-lines"), hotEdits: int("hot-edits"),
      log: (line) => process.stderr.isTTY && process.stderr.write(`${line}\r`),
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    const secs = (performance.now() - t0) / 1000;
    console.log(`wrote ${manifest.traceFiles} trace files, ${(manifest.size / MB).toFixed(1)} MB (target ${(manifest.targetSize / MB).toFixed(0)} MB) in ${secs.toFixed(1)} s`);
    console.log(`  sessions: ${manifest.claudeSessions} Claude (+${manifest.subagents} subagents), ${manifest.codexSessions} Codex`);
    console.log(`  events: ${manifest.events} (${manifest.claudeEvents} Claude, ${manifest.codexEvents} Codex) in ${manifest.editRecords} edit records; project: ${manifest.projectFiles} files`);
    if (manifest.appendTrace) console.log(`  big trace: ${manifest.appendTrace} (${(Number(manifest.bigTraceBytes) / MB).toFixed(1)} MB)`);
    console.log(`  hot file: ${manifest.hotFileRelative} (${manifest.hotFileLines} lines, ${manifest.hotFileEdits} edits)`);
    console.log(`  home: ${manifest.home}\n  project: ${manifest.project}\n  manifest: ${join(resolve(flags.out), "manifest.json")}`);
    return 0;
  } catch (e) {
    // One line: what is wrong (usage errors point to --help).
    console.error(`generate: ${e instanceof Error ? e.message : String(e)}${e instanceof UsageError ? " (see --help)" : ""}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
