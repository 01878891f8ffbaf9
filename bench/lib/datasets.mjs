// @ts-check
// Where the benchmark's generated trace folders live and how each size is made: outside any git work tree by default
// (`${XDG_CACHE_HOME:-~/.cache}/ai-blame-bench/<size>`; a project inside a repository makes every blame wait on
// git, which a real project would not), one folder per size, regenerated when the generator's code changed (a
// marker holds its hash). Sizes are `<N>KB|MB|GB` (one corpus of about that many trace bytes) or `<N>GB-single`
// (the 200 MB corpus's shape plus one Claude session of N GB: the "append to a 2 GB trace" corpus).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { pickAppendTarget } from "./append.mjs";

const MB = 1024 * 1024;
const UNITS = { KB: 1024, MB, GB: 1024 * MB };
/** What a size's generator run may leave in its folder (anything else there is not ours: never deleted). */
const OURS = new Set(["project", "home", "manifest.json", ".generator-sha1"]);
/** The old-space cap of the generator: it streams every trace, so it needs the project's files, not the corpus. */
const GENERATOR_HEAP_MB = 192;

/** `${XDG_CACHE_HOME:-~/.cache}/ai-blame-bench` (XDG says a relative XDG_CACHE_HOME is to be ignored). */
export function defaultDataRoot() {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "ai-blame-bench");
}

/**
 * A size as given on the command line, or null when it is not one: its generator arguments and roughly how many
 * bytes its traces take on disk.
 * @param {string} size
 * @returns {{ generatorArgs: string[], traceBytes: number } | null}
 */
export function parseBenchSize(size) {
  const m = /^(\d+)(KB|MB|GB)(-single)?$/.exec(size);
  if (!m) return null;
  const unit = UNITS[/** @type {"KB" | "MB" | "GB"} */ (m[2])];
  const bytes = Number(m[1]) * unit;
  if (bytes <= 0) return null;
  if (m[3] === undefined) return { generatorArgs: ["--size", size], traceBytes: bytes };
  // The single big trace comes on top of a 200 MB corpus (so the other sessions, Codex and subagents are as usual).
  const total = bytes + 200 * MB;
  return { generatorArgs: ["--size", `${Math.round(total / MB)}MB`, "--big-trace", `${m[1]}${m[2]}`], traceBytes: total };
}

/** Hash of the generator's code (entry, its gen-* modules, the trace-writer kits it writes through) and its arguments. */
function generatorHash(/** @type {string} */ root, /** @type {string[]} */ args) {
  const hash = createHash("sha1").update(args.join(" "));
  const files = [join(root, "bench", "generate.mjs")];
  for (const name of readdirSync(join(root, "bench", "lib")).sort()) if (name.startsWith("gen-")) files.push(join(root, "bench", "lib", name));
  const writers = join(root, "examples", "tools", "writers");
  if (existsSync(writers)) for (const name of readdirSync(writers).sort()) files.push(join(writers, name));
  for (const file of files) hash.update(relative(root, file)).update(readFileSync(file));
  return hash.digest("hex");
}

/** Free bytes where `dir` is (or would be created). */
function freeBytes(/** @type {string} */ dir) {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const fs = statfsSync(at);
  return fs.bavail * fs.bsize;
}

/** True when `dir` lies inside a git work tree (then every blame in it runs git, which skews warm blame). */
function insideGitWorkTree(/** @type {string} */ dir) {
  const r = spawnSync("git", ["-C", dir, "rev-parse", "--is-inside-work-tree"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "true";
}

/**
 * The generated folder for `size` under `dataRoot`, generated first when missing or made by other generator code.
 * `fail` ends the benchmark with one line.
 * @param {{ root: string, dataRoot: string, size: string, progress: (m: string) => void, fail: (m: string) => never }} o
 */
export function dataset(o) {
  const spec = parseBenchSize(o.size);
  if (spec === null) return o.fail(`bad size '${o.size}' (e.g. 10MB, 1GB, 3GB, 2GB-single)`);
  const dir = join(o.dataRoot, o.size);
  const marker = join(dir, ".generator-sha1");
  const hash = generatorHash(o.root, spec.generatorArgs);
  const manifestPath = join(dir, "manifest.json");
  const fresh = existsSync(manifestPath) && existsSync(marker) && readFileSync(marker, "utf8") === hash;
  if (!fresh) {
    const foreign = existsSync(dir) ? readdirSync(dir).filter((name) => !OURS.has(name) && !name.startsWith("manifest.json.")) : [];
    if (foreign.length > 0) o.fail(`${dir} holds files the benchmark did not generate (${foreign[0]}); remove them or choose another --data`);
    // Traces, plus the project, our index and the reference's caches (each well under a tenth of the traces).
    const needed = Math.round(spec.traceBytes * 1.15) + 100 * MB;
    const free = freeBytes(dir);
    if (free < needed) o.fail(`${o.size} needs about ${(needed / 2 ** 30).toFixed(1)} GiB free under ${o.dataRoot}, only ${(free / 2 ** 30).toFixed(1)} GiB are; choose another --data`);
    o.progress(`generating ${o.size} into ${dir} (about ${(spec.traceBytes / 2 ** 30).toFixed(2)} GiB of traces, cached for later runs)`);
    rmSync(dir, { recursive: true, force: true });
    const generator = join(o.root, "bench", "generate.mjs");
    const r = spawnSync(process.execPath, [`--max-old-space-size=${GENERATOR_HEAP_MB}`, generator, ...spec.generatorArgs, "--out", dir], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (r.status !== 0) o.fail(`bench/generate.mjs ${spec.generatorArgs.join(" ")} failed (exit ${r.status})`);
    writeFileSync(marker, hash);
  }
  if (insideGitWorkTree(dir)) o.progress(`note: ${dir} is inside a git work tree, so every blame there also waits on git`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const at = (/** @type {string} */ base, /** @type {string} */ p) => (isAbsolute(p) ? p : resolve(base, p));
  const project = at(dir, String(manifest.project));
  const home = at(dir, String(manifest.home));
  const hotAbs = at(project, String(manifest.hotFile));
  const count = (/** @type {unknown} */ n) => (typeof n === "number" ? n : null);
  return {
    dir,
    project,
    home,
    // What a user types: the path relative to the project, run from the project folder.
    hotFile: relative(project, hotAbs),
    expectedEvents: count(manifest.events),
    expectedClaudeEvents: count(manifest.claudeEvents),
    expectedCodexEvents: count(manifest.codexEvents),
    appendTarget: typeof manifest.appendTrace === "string" ? at(dir, manifest.appendTrace) : pickAppendTarget(home),
  };
}
