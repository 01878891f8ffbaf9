// The `ai-blame` script Node runs (cli/dist/ai-blame.js): a small launcher that runs the CLI bundle beside it
// (ai-blame-core.js) with V8's code cache, so a warm command does not parse and compile 1.6 MB of JavaScript again.
// The cache lives in the data folder (`code-cache/`), is named after the bundle's length and CRC-32, Node's version
// and flags (and found by a link named after the bundle file's identity once that has settled, so a warm command
// need not checksum the bundle: core-identity.ts), carries a CRC-32 of its bytes (V8 checks only a header, and a corrupt payload must never reach it) and is
// written atomically once per command name it has not seen yet; other builds' caches are removed then, and of this
// build only the few most recent (one per set of Node flags) are kept. Until the data folder has one, the cache the
// build made beside the launcher (`code-cache/`, same name and format) serves: a first index compiles no more than
// a warm command, and the command after it writes the data folder's own. Any problem with it means compiling as before:
// the cache only ever saves time. `--no-cache` and AI_BLAME_NO_CACHE leave it alone, as they do the index.

import { isAscii } from "node:buffer";
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import { crc32 as zlibCrc32Export } from "node:zlib";
import { defaultDataDir } from "@ai-blame/shared";
import { type FileIdentity, identityLinkName, identitySettled, linkCache, pruneLinks } from "./core-identity";
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

/**
 * The start of a sha1 of `bytes` in hex, on a Node without zlib.crc32 (before 20.15) only: node:crypto is loaded
 * here and nowhere else in the launcher, as loading it took ~1-2 ms of every start.
 */
function sha1(bytes: Uint8Array | string, digits: number): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return createHash("sha1").update(bytes).digest("hex").slice(0, digits);
}

/** zlib's native CRC-32, undefined on a Node before 20.15 (a named import: a namespace one copied all of zlib's exports). */
const zlibCrc32 = zlibCrc32Export as ((data: Uint8Array | string) => number) | undefined;

/**
 * A fast checksum of `bytes` as 16 hex digits: their length and zlib's native CRC-32 (~0.7 ms for the 1.9 MB
 * bundle, where a sha1 took 4-9 ms of every command), or the start of a sha1 on a Node without zlib.crc32. What it
 * guards against is a rebuilt bundle or a damaged cache, not an adversary: a same-length rebuild meets an old cache
 * only when their CRC-32s also agree (one chance in 4 billion).
 */
function checksum(bytes: Uint8Array): string {
  if (typeof zlibCrc32 !== "function") return sha1(bytes, 16);
  return bytes.length.toString(16).padStart(8, "0").slice(-8) + zlibCrc32(bytes).toString(16).padStart(8, "0");
}

/** The command word of the arguments (`blame`), "" for `--help`, `--version` or none. */
function commandName(args: readonly string[]): string {
  return args.find((arg) => !arg.startsWith("-")) ?? "";
}

/** Whether the flags or the environment turn caching off (`--no-cache`, AI_BLAME_NO_CACHE=1). */
function cacheDisabled(args: readonly string[], env: Record<string, string | undefined>): boolean {
  return envFlag(env["AI_BLAME_NO_CACHE"]) || args.includes("--no-cache");
}

/** 16 hex digits of a short text: two CRC-32s (of it and of it reversed), or a sha1's start on an older Node. */
function textHash(text: string): string {
  if (typeof zlibCrc32 !== "function") return sha1(text, 16);
  const crc = (t: string) => (zlibCrc32 as (data: string) => number)(t).toString(16).padStart(8, "0");
  return crc(text) + crc([...text].reverse().join(""));
}

/** This Node's version, platform and flags as 12 hex digits: V8 rejects a cache made under other ones. */
function runtimeKey(): string {
  return textHash(JSON.stringify([process.version, process.arch, process.execArgv])).slice(0, 12);
}

/** The cache file's name for the bundle of checksum `coreHash` on this runtime. */
function cacheName(coreHash: string, runtime: string): string {
  return `${coreHash}-${runtime}.bin`;
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
function writeCache(file: string, data: Buffer, commands: readonly string[]): boolean {
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
    return false;
  }
  pruneCaches(dir, basename(file));
  return true;
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
  pruneLinks(dir);
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

/** The same wrapper Node puts around a CommonJS file. */
const WRAPPER_START = "(function (exports, require, module, __filename, __dirname) { ";
const WRAPPER_END = "\n})";

/** The bundle's bytes, its source wrapped as a CommonJS module, and its file's identity. */
interface CoreSource {
  bytes: Buffer;
  wrapped: string;
  identity: FileIdentity;
}

/**
 * Reads the bundle into a buffer that holds the module wrapper around it, so that its source is one flat string: the
 * wrapper added by concatenation made a string V8 had to copy whole (~1 ms) before compiling. A shebang line stays a
 * comment of the same length.
 */
function readCore(corePath: string): CoreSource {
  const fd = openSync(corePath, "r");
  try {
    const stat = fstatSync(fd, { bigint: true });
    const identity = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs };
    const size = Number(stat.size);
    const buffer = Buffer.allocUnsafe(WRAPPER_START.length + size + WRAPPER_END.length);
    buffer.write(WRAPPER_START, 0, "latin1");
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, WRAPPER_START.length + read, size - read, null);
      if (n === 0) break;
      read += n;
    }
    const bytes = buffer.subarray(WRAPPER_START.length, WRAPPER_START.length + read);
    if (bytes[0] === 0x23 && bytes[1] === 0x21) bytes.write("//", 0, "latin1");
    const end = WRAPPER_START.length + read;
    buffer.write(WRAPPER_END, end, "latin1");
    const whole = buffer.subarray(0, end + WRAPPER_END.length);
    // A production bundle is ASCII (esbuild escapes the rest): read as latin1 it is the same text, decoded in half
    // the time.
    return { bytes, wrapped: isAscii(whole) ? whole.toString("latin1") : whole.toString("utf8"), identity };
  } finally {
    closeSync(fd);
  }
}

/** The bundle compiled with `cached` when V8 accepts it (rejected: V8 compiled it from its source). */
function compileCore(corePath: string, wrapped: string, cached: LoadedCache | null): { script: Script; rejected: boolean } {
  // No importModuleDynamically: the bundle never runs a real import() (Node would warn that the option is experimental).
  const script = new Script(wrapped, { filename: corePath, cachedData: cached?.data });
  return { script, rejected: cached === null || script.cachedDataRejected === true };
}

/**
 * Runs the compiled bundle as a CommonJS module of its own path. Its `require` is the launcher's own: the bundle
 * requires only Node's built-ins, and the launcher sits in its folder (createRequire meant loading node:module).
 */
function runCore(script: Script, corePath: string): void {
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const coreModule = { exports: {}, filename: corePath, id: corePath, loaded: false };
  run.call(coreModule.exports, coreModule.exports, require, coreModule, corePath, dirname(corePath));
}

function launch(): void {
  const corePath = join(__dirname, CORE_FILE);
  let core: CoreSource;
  try {
    core = readCore(corePath);
  } catch (error) {
    process.stderr.write(`ai-blame: error: cannot read ${corePath} (${(error as NodeJS.ErrnoException).code ?? "error"}); reinstall ai-blame\n`);
    process.exit(1);
  }
  const args = process.argv.slice(2);
  if (cacheDisabled(args, process.env)) {
    runCore(compileCore(corePath, core.wrapped, null).script, corePath);
    return;
  }
  let dir: string | null = null;
  let cached: LoadedCache | null = null;
  let shipped = false;
  let indexed = false;
  const runtime = runtimeKey();
  const link = identityLinkName(core.identity, runtime, textHash);
  // The bundle's checksum names its cache (a rebuilt bundle of the same length, all V8 compares, does not meet an old
  // one); computed only when the link of the bundle's identity does not lead to it (core-identity.ts).
  let coreHash: string | null = null;
  const hashOfCore = () => (coreHash ??= checksum(core.bytes));
  try {
    const dataDir = defaultDataDir(process.env, homedir());
    dir = join(dataDir, "code-cache");
    cached = readCache(join(dir, link));
    if (cached === null) {
      cached = readCache(join(dir, cacheName(hashOfCore(), runtime)));
      if (cached !== null && identitySettled(core.identity)) linkCache(dir, link, cacheName(hashOfCore(), runtime));
    }
    if (cached === null) {
      cached = readCache(join(__dirname, SHIPPED_DIR, cacheName(hashOfCore(), runtime)));
      shipped = cached !== null;
      indexed = shipped && existsSync(join(dataDir, "index"));
    }
  } catch {
    dir = null;
  }
  const command = commandName(args);
  const { script, rejected } = compileCore(corePath, core.wrapped, cached);
  debug(cached === null ? "code cache: none" : rejected ? "code cache: rejected by V8" : shipped ? "code cache: used (shipped)" : "code cache: used");
  const covered = !rejected && cached !== null && cached.commands.includes(command);
  // The shipped cache holds what runs on the bundled example, not all a real folder runs: a first index keeps it (and
  // its speed: writing a cache costs ~10 ms), the next command writes the data folder's own, from what it ran.
  if (dir === null || (covered && !indexed)) {
    runCore(script, corePath);
    return;
  }
  // Made before the bundle runs (it may change V8's flags), and only by a run that writes the cache (~0.3 ms).
  const flags = flagsProbe();
  runCore(script, corePath);
  const cacheDir = dir;
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
      const name = cacheName(hashOfCore(), runtime);
      if (writeCache(join(cacheDir, name), script.createCachedData(), commands) && identitySettled(core.identity)) linkCache(cacheDir, link, name);
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
