// Recursive listing of trace files under a folder: follows symlinked folders but never visits a real folder twice
// (so symlink cycles end), stats every file for the incremental index, and counts what cannot be listed or stat'ed
// instead of failing. A missing root is not an error: agents create their folders lazily. A symlink that leads out
// of the agent's own folder (`within`, e.g. one to `/`) is followed only OUTSIDE_DEPTH folders deep and the files
// found there are marked `outside`: discovery takes them only when their recorded cwd is the project.
// The file system is asked synchronously, yielding to the event loop every YIELD_EVERY calls: an awaited call per
// file cost 3-4× the CPU of a direct one (a warm command stats every trace), and the yields keep a server answering
// while it walks a large home. A command line run, which serves nothing meanwhile, walks without them.

import { readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { sep } from "node:path";
import { isInside, normalizePath } from "../util/paths";

export interface FoundFile {
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  compressed: boolean;
  /** Reached through a symlink that leads out of the agent's folder: to be trusted only by its recorded cwd. */
  outside?: true;
}

export interface WalkOptions {
  /** Names ending in one of these are trace files too. */
  extraSuffixes?: readonly string[];
  /** The agent's own folder: what lies outside it (through symlinks) is walked shallowly and marked. Default: root. */
  within?: string;
  /**
   * Lets the event loop run every YIELD_EVERY file system calls (default true). Off where nothing else waits for the
   * thread (EngineOptions.blockingReads): at 3 GB (1,083 traces in 449 folders) its eight turns of the event loop
   * cost ~0.7 ms of CPU of a walk in a fresh process (12.96 against 13.65 ms, medians of 15 alternating runs).
   */
  paced?: boolean;
}

/** Folder levels walked below a symlinked folder outside the agent's folder (Claude: sessions, then subagents). */
const OUTSIDE_DEPTH = 2;

/** A folder the walk is in: its sorted entries, the next to look at, and what its entries' paths start with. */
interface Folder {
  entries: Dirent[];
  next: number;
  prefix: string;
  realPrefix: string;
  depth: number;
  outsideDepth: number;
}

export interface WalkCounters {
  unreadable: number;
}

const MAX_DEPTH = 12;

function isTraceName(name: string, allowCompressed: boolean, extraSuffixes: readonly string[]): boolean {
  return name.endsWith(".jsonl") || (allowCompressed && name.endsWith(".jsonl.zst")) || extraSuffixes.some((s) => name.endsWith(s));
}

function errorCode(err: unknown): string {
  return err && typeof err === "object" && "code" in err ? String((err as { code: unknown }).code) : "";
}

/** File system calls between two yields to the event loop. */
const YIELD_EVERY = 200;

/** Counts file system calls and lets the event loop run after every YIELD_EVERY of them (never, when not `paced`). */
class Pacer {
  private calls = 0;

  constructor(private readonly paced: boolean) {}

  /** Call before each file system call; awaits a turn of the event loop when one is due. */
  tick(): Promise<void> | null {
    if (!this.paced) return null;
    this.calls += 1;
    return this.calls % YIELD_EVERY === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : null;
  }
}

/** `fs.realpath`'s answer (the OS's realpath, as the promise API gives it), synchronously. */
const realpath = (path: string): string => realpathSync.native(path);

/** All `.jsonl` (and, when allowed, `.jsonl.zst`, and names ending in one of `extraSuffixes`) files under `root`, sorted by path. */
export async function walkTraceFiles(
  root: string,
  allowCompressed: boolean,
  counters: WalkCounters,
  options: WalkOptions = {},
): Promise<FoundFile[]> {
  const extraSuffixes = options.extraSuffixes ?? [];
  const found: FoundFile[] = [];
  const visited = new Set<string>();
  const pacer = new Pacer(options.paced ?? true);
  let within = normalizePath(options.within ?? root);
  try {
    within = normalizePath(realpath(within));
  } catch {
    // Not there (yet): compared as given.
  }
  /**
   * Opens a folder for the walk: its real path checked against `within` and the folders visited, its entries listed
   * and sorted; null when it is not to be walked. `outsideDepth`: levels below the first folder outside `within`, or
   * -1 while inside it. `known`: the folder's real path when its parent's is known and it is no symlink (then it is
   * that path and its name: no call needed).
   */
  const open = (dir: string, depth: number, isRoot: boolean, outsideDepth: number, known?: string): Folder | null => {
    let real: string;
    try {
      real = known ?? realpath(dir);
    } catch (err) {
      if (!(isRoot && errorCode(err) === "ENOENT")) counters.unreadable++;
      return null;
    }
    // A folder entered by name from one inside `within` is inside it too (`known` is its parent's real path and name).
    if (outsideDepth === -1 && !(known !== undefined && !isRoot) && !isInside(within, normalizePath(real))) outsideDepth = 0;
    if (visited.has(real) || depth > MAX_DEPTH || outsideDepth > OUTSIDE_DEPTH) return null;
    visited.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (!(isRoot && errorCode(err) === "ENOENT")) counters.unreadable++;
      return null;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A listed name holds no separator and is never `.` or `..`: the folder's normalized path, `/` and the name is the
    // entry's normalized path; only the root is normalized (once per walk: path.resolve per folder was ~3 ms at 3 GB).
    const base = isRoot ? normalizePath(dir) : dir;
    const prefix = base.endsWith("/") ? base : `${base}/`;
    const realPrefix = real.endsWith(sep) ? real : real + sep;
    return { entries, next: 0, prefix, realPrefix, depth, outsideDepth };
  };
  // Depth first, each folder's entries in name order, a subfolder walked whole before its next sibling. A loop over a
  // stack of open folders, not an async call per folder: the walk awaits only the pacer's turns of the event loop
  // (an awaited call per folder cost a promise and a microtask turn each, ~450 of them at 3 GB).
  const stack: Folder[] = [];
  const enter = (dir: string, depth: number, isRoot: boolean, outsideDepth: number, known?: string): void => {
    const folder = open(dir, depth, isRoot, outsideDepth, known);
    if (folder !== null) stack.push(folder);
  };
  const first = pacer.tick();
  if (first !== null) await first;
  enter(root, 0, true, -1);
  while (stack.length > 0) {
    const folder = stack[stack.length - 1] as Folder;
    const entry = folder.entries[folder.next];
    if (entry === undefined) {
      stack.pop();
      continue;
    }
    folder.next += 1;
    const { depth, outsideDepth } = folder;
    const full = folder.prefix + entry.name;
    const candidateFile = isTraceName(entry.name, allowCompressed, extraSuffixes);
    if (!entry.isDirectory() && !entry.isSymbolicLink() && !(entry.isFile() && candidateFile)) continue;
    // At the depth limit outside the agent's folder, subfolders are not entered: not even stat'ed.
    if (outsideDepth >= OUTSIDE_DEPTH && !candidateFile) continue;
    const pause = pacer.tick();
    if (pause !== null) await pause;
    // A folder that is no symlink needs no stat (its type is the listing's) nor a realpath (its parent's and its name).
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      enter(full, depth + 1, false, outsideDepth === -1 ? -1 : outsideDepth + 1, folder.realPrefix + entry.name);
      continue;
    }
    let info: Stats;
    try {
      info = statSync(full);
    } catch (err) {
      // A dangling symlink is not a trace; a trace file that vanished or cannot be stat'ed is counted.
      if (candidateFile || errorCode(err) !== "ENOENT" || !entry.isSymbolicLink()) counters.unreadable++;
      continue;
    }
    if (info.isDirectory()) {
      const pauseAgain = pacer.tick();
      if (pauseAgain !== null) await pauseAgain;
      enter(full, depth + 1, false, outsideDepth === -1 ? -1 : outsideDepth + 1);
    } else if (info.isFile() && candidateFile) {
      const file: FoundFile = {
        path: full,
        size: info.size,
        mtimeMs: info.mtimeMs,
        dev: info.dev,
        ino: info.ino,
        compressed: entry.name.endsWith(".zst"),
      };
      // A file symlink counts where it leads.
      let outside = outsideDepth !== -1;
      if (!outside && entry.isSymbolicLink()) {
        try {
          outside = !isInside(within, normalizePath(realpath(full)));
        } catch {
          outside = true;
        }
      }
      if (outside) file.outside = true;
      found.push(file);
    }
  }
  // Codex briefly keeps a plain rollout beside its compressed copy: read the plain one only.
  if (!found.some((f) => f.compressed)) return found;
  const plain = new Set(found.filter((f) => !f.compressed).map((f) => f.path));
  return found.filter((f) => !f.compressed || !plain.has(f.path.slice(0, -".zst".length)));
}
