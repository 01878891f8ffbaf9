// The `ai-blame` script Node runs (cli/dist/ai-blame.js): a small launcher that runs the CLI bundle beside it
// (ai-blame-core.js) with V8's code cache, so a warm command does not parse and compile 1.6 MB of JavaScript again.
// The cache lives in the data folder (`code-cache/`), is named after the bundle's length and CRC-32, Node's version
// and flags, carries a CRC-32 of its bytes (V8 checks only a header, and a corrupt payload must never reach it) and is
// written atomically once per command name it has not seen yet; other builds' caches are removed then, and of this
// build only the few most recent (one per set of Node flags) are kept. Until the data folder has one, the cache the
// build made beside the launcher (`code-cache/`, same name and format) serves: a first index compiles no more than
// a warm command, and the command after it writes the data folder's own. Any problem with it means compiling as before:
// the cache only ever saves time. `--no-cache` and AI_BLAME_NO_CACHE leave it alone, as they do the index.

import { isAscii } from "node:buffer";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import * as zlib from "node:zlib";
import { defaultDataDir } from "@ai-blame/shared";
import { envFlag } from "./env-flag";

const CORE_FILE = "ai-blame-core.js";
/**
 * The folder beside the launcher holding the cache the build made (scripts/build.mjs): a first run, whose data folder
 * has none yet, starts from it. Its file name is that of a data folder's cache, so it is only ever read by the Node
 * version and flags, and for the bundle, it was made for.
 */
const SHIPPED_DIR = "code-cache";
const MAGIC = "ai-blame code cache 2";

/** What a cache file says about itself on its first line; the V8 data follows. */
interface CacheHeader {
  magic: string;
  /** The checksum of the V8 data (checksum() below). */
  sum: string;
  /** The commands whose runs produced it: a command not listed yet adds its functions by writing it again. */
  commands: string[];
}

interface LoadedCache {
  data: Buffer;
  commands: string[];
}

const sha1 = (bytes: Buffer) => createHash("sha1").update(bytes).digest("hex");

/**
 * A fast checksum of `bytes` as 16 hex digits: their length and zlib's native CRC-32 (~0.5 ms for the 1.9 MB
 * bundle, where a sha1 took 4-9 ms of every command), or the start of a sha1 on a Node without zlib.crc32 (before
 * 20.15). What it guards against is a rebuilt bundle or a damaged cache, not an adversary: a same-length rebuild
 * meets an old cache only when their CRC-32s also agree (one chance in 4 billion).
 */
function checksum(bytes: Buffer): string {
  const crc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (typeof crc32 !== "function") return sha1(bytes).slice(0, 16);
  return bytes.length.toString(16).padStart(8, "0").slice(-8) + crc32(bytes).toString(16).padStart(8, "0");
}

/** The command word of the arguments (`blame`), "" for `--help`, `--version` or none. */
function commandName(args: readonly string[]): string {
  return args.find((arg) => !arg.startsWith("-")) ?? "";
}

/** Whether the flags or the environment turn caching off (`--no-cache`, AI_BLAME_NO_CACHE=1). */
function cacheDisabled(args: readonly string[], env: Record<string, string | undefined>): boolean {
  return envFlag(env["AI_BLAME_NO_CACHE"]) || args.includes("--no-cache");
}

/** The cache file for this bundle on this Node with these flags (V8 rejects a cache made under other ones). */
function cacheFileFor(dir: string, coreHash: string): string {
  const runtime = sha1(Buffer.from(JSON.stringify([process.version, process.arch, process.execArgv]))).slice(0, 12);
  return join(dir, `${coreHash}-${runtime}.bin`);
}

/** The cache's V8 data and commands when the file is whole and its checksum holds; null otherwise. */
function readCache(file: string): LoadedCache | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0 || newline > 4096) return null;
  let header: CacheHeader;
  try {
    header = JSON.parse(bytes.toString("utf8", 0, newline)) as CacheHeader;
  } catch {
    return null;
  }
  if (header === null || typeof header !== "object" || header.magic !== MAGIC || !Array.isArray(header.commands)) return null;
  const data = bytes.subarray(newline + 1);
  if (typeof header.sum !== "string" || checksum(data) !== header.sum) return null;
  return { data, commands: header.commands.filter((c): c is string => typeof c === "string") };
}

/**
 * Writes the cache atomically (a temp file renamed over it) and removes the caches of other builds of the bundle;
 * every failure (read-only or full disk) is silent: the next run compiles as before.
 */
function writeCache(file: string, data: Buffer, commands: readonly string[]): void {
  const dir = dirname(file);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    const header: CacheHeader = { magic: MAGIC, sum: checksum(data), commands: [...commands] };
    writeFileSync(temp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), data]));
    renameSync(temp, file);
    debug(`code cache: written for ${commands.map((c) => c || "(none)").join(", ")}`);
  } catch (error) {
    debug(`code cache: not written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    try {
      unlinkSync(temp);
    } catch {
      // Never created.
    }
    return;
  }
  pruneCaches(dir, basename(file));
}

/** Caches kept for one bundle: one per set of Node flags in use (plain runs, a debugger, a profiler…). */
const CACHES_PER_BUNDLE = 4;

/**
 * Removes the caches of other builds of the bundle, and of this build all but the CACHES_PER_BUNDLE most recently
 * written (each profiled run with new `--cpu-prof-dir` flags makes one); `kept` is the one just written.
 */
function pruneCaches(dir: string, kept: string): void {
  const build = kept.split("-")[0] ?? "";
  try {
    const ours: Array<{ name: string; mtimeMs: number }> = [];
    for (const name of readdirSync(dir)) {
      if (!/^[0-9a-f]+-[0-9a-f]+\.bin$/.test(name)) continue;
      if (!name.startsWith(`${build}-`)) unlinkSync(join(dir, name));
      else if (name !== kept) ours.push({ name, mtimeMs: statSync(join(dir, name)).mtimeMs });
    }
    ours.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of ours.slice(CACHES_PER_BUNDLE - 1)) unlinkSync(join(dir, old.name));
  } catch {
    // Another process cleaned first, or the folder is not ours to list.
  }
}

/**
 * Tells whether V8's flags changed since it was made: a cache carries a hash of the flags it was made under and V8
 * rejects it under others, and the engine sets a flag during a long index (util/young-generation.ts) or for one
 * command (line-ranges.ts). Such a run wrote a cache that the next run threw away, every time. The probe is the
 * cache of a one-token script, tried at exit on another script of the same length, so that V8's own check answers
 * (the same source would come from the isolate's compilation cache, unchecked): ~15 µs.
 */
function flagsProbe(): { changed: () => boolean } {
  const made = new Script("0", { filename: "ai-blame-flags-probe" }).createCachedData();
  return { changed: () => new Script("1", { filename: "ai-blame-flags-probe", cachedData: made }).cachedDataRejected === true };
}

/** Runs the bundle as a CommonJS module of its own path, compiled with `cached` when V8 accepts it. */
function runCore(corePath: string, source: string, cached: LoadedCache | null): { script: Script; rejected: boolean } {
  // The same wrapper Node puts around a CommonJS file; a shebang line stays a comment of the same length.
  const body = source.startsWith("#!") ? `//${source.slice(2)}` : source;
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${body}\n})`;
  // No importModuleDynamically: the bundle never runs a real import() (Node would warn that the option is experimental).
  const script = new Script(wrapped, { filename: corePath, cachedData: cached?.data });
  const rejected = cached === null || script.cachedDataRejected === true;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const coreModule = { exports: {}, filename: corePath, id: corePath, loaded: false };
  run.call(coreModule.exports, coreModule.exports, createRequire(corePath), coreModule, corePath, dirname(corePath));
  return { script, rejected };
}

function launch(): void {
  const corePath = join(__dirname, CORE_FILE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(corePath);
  } catch (error) {
    process.stderr.write(`ai-blame: error: cannot read ${corePath} (${(error as NodeJS.ErrnoException).code ?? "error"}); reinstall ai-blame\n`);
    process.exit(1);
  }
  // A production bundle is ASCII (esbuild escapes the rest): read as latin1 it is the same text, decoded in half
  // the time.
  const source = isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
  const args = process.argv.slice(2);
  if (cacheDisabled(args, process.env)) {
    runCore(corePath, source, null);
    return;
  }
  let file: string | null = null;
  let cached: LoadedCache | null = null;
  let shipped = false;
  let indexed = false;
  try {
    const dataDir = defaultDataDir(process.env, homedir());
    // The bundle's own checksum names its cache: a rebuilt bundle of the same length (all V8 compares) does not meet
    // an old one.
    file = cacheFileFor(join(dataDir, "code-cache"), checksum(bytes));
    cached = readCache(file);
    if (cached === null) {
      cached = readCache(join(__dirname, SHIPPED_DIR, basename(file)));
      shipped = cached !== null;
      indexed = shipped && existsSync(join(dataDir, "index"));
    }
  } catch {
    file = null;
  }
  const command = commandName(args);
  const flags = flagsProbe();
  const { script, rejected } = runCore(corePath, source, cached);
  debug(cached === null ? "code cache: none" : rejected ? "code cache: rejected by V8" : shipped ? "code cache: used (shipped)" : "code cache: used");
  const covered = !rejected && cached !== null && cached.commands.includes(command);
  // The shipped cache holds what runs on the bundled example, not all a real folder runs: a first index keeps it (and
  // its speed: writing a cache costs ~10 ms), the next command writes the data folder's own, from what it ran.
  if (file === null || (covered && !indexed)) return;
  const target = file;
  // The data folder's cache holds the functions of the cache it started from and this run's; it names the commands
  // that ran with it (the shipped one's ran on the example only, so they are not named).
  const commands = rejected || cached === null || shipped ? [command] : [...cached.commands, command];
  // At exit V8 has compiled what this command ran, so the cache holds those functions as well.
  process.once("exit", () => {
    try {
      if (flags.changed()) {
        debug("code cache: not written (V8 flags changed during the run)");
        return;
      }
      writeCache(target, script.createCachedData(), commands);
    } catch {
      // The cache only saves time.
    }
  });
}

/** With AI_BLAME_DEBUG set, what became of the cache (the tests read it; nobody else needs to). */
function debug(message: string): void {
  if ((process.env["AI_BLAME_DEBUG"] ?? "") !== "") process.stderr.write(`ai-blame: debug: ${message}\n`);
}

launch();
