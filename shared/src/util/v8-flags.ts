// The V8 flags the engine sets while it runs (util/young-generation.ts: the heap's bounds during a bulk index or a
// replay; util/bulk-inlining.ts: TurboFan's inlining budget during a bulk index), kept at V8's defaults while a worker
// isolate starts, and set back to them at exit. V8 hashes its flags into every code cache and rejects
// one made under other flags, Node's own for its built-in modules included: a parse worker that starts while any flag
// differs compiles every built-in module it loads from source (its start took 50-55 ms of CPU instead of ~25). So a
// worker's start holds the flags at their defaults until it runs its own code, and sets them again then.
// The old generation's bound is read at each full GC: if this thread had one while the flags were held, the limit it
// left lets the old generation grow up to 4x (a cold 3 GB index peaked at 117-126 MiB instead of 110-112), so a full
// GC is made at once under the bound.

import { GCProfiler, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** V8's defaults of the flags the engine sets, by name (see flagName). */
const DEFAULT_FLAGS: ReadonlyMap<string, string> = new Map([
  ["semi-space-growth-factor", "--semi-space-growth-factor=2"],
  ["heap-growing-percent", "--heap-growing-percent=0"],
  ["flush-bytecode", "--flush-bytecode"],
  ["max-inlined-bytecode-size-cumulative", "--max-inlined-bytecode-size-cumulative=920"],
]);

/** The flags set and not reset to their defaults, by name. */
const flags = new Map<string, string>();
/** Worker starts under way: whether each runs its own code yet (it tells without this thread's event loop), its end. */
const startsUnderWay = new Map<() => boolean, () => void>();
/** This thread's garbage collections while the flags are held. */
let heldGcs: GCProfiler | null = null;
let resetAtExit = false;

/** `--no-flush-bytecode` and `--semi-space-growth-factor=1` name flush-bytecode and semi-space-growth-factor. */
function flagName(flag: string): string {
  return flag.replace(/^--(no-)?/, "").split("=")[0] ?? flag;
}

/**
 * Sets a V8 flag (one of DEFAULT_FLAGS), or keeps it for the end of the worker starts under way; `now`: sets it at once,
 * ending those holds (the young generation's bound: a doubled new space never shrinks again).
 */
export function setV8Flag(flag: string, now = false): void {
  restoreAtExit();
  const name = flagName(flag);
  if (flag === DEFAULT_FLAGS.get(name)) flags.delete(name);
  else flags.set(name, flag);
  if (startsUnderWay.size === 0) setFlagsFromString(flag);
  else if (now) for (const release of [...startsUnderWay.values()]) release();
}

/** A flag (by name, one of DEFAULT_FLAGS') back at V8's default, as setV8Flag sets one. */
export function setV8FlagDefault(name: string): void {
  const flag = DEFAULT_FLAGS.get(name);
  if (flag !== undefined) setV8Flag(flag);
}

/** Every flag back at its default (at exit: V8 writes no code cache the next run could use otherwise). */
export function resetV8Flags(): void {
  for (const name of flags.keys()) setFlagsFromString(DEFAULT_FLAGS.get(name) ?? "");
  flags.clear();
}

/**
 * V8 hashes its flags into every code cache it makes and rejects a cache made under other flags: the flags set here
 * go back to V8's defaults before the CLI launcher's exit handler writes one (cli/src/launch.ts), or no index would
 * ever leave a cache the next run can use. Prepended, so it runs before listeners registered earlier, the launcher's
 * included.
 */
function restoreAtExit(): void {
  if (resetAtExit) return;
  resetAtExit = true;
  process.prependOnceListener("exit", () => {
    resetV8Flags();
  });
}

/**
 * Just before a worker's isolate is made: V8's flags are at their defaults until the returned function is called
 * (once the worker runs its own code, or is gone), so its built-in modules come from Node's code cache; flags set
 * meanwhile are set then. `running` says whether the worker runs its own code yet: where this thread runs on without a
 * turn of its event loop (checkWorkerStarts), the worker's message saying so would wait, and the flags with it.
 */
export function holdFlagsForWorkerStart(running: () => boolean): () => void {
  if (startsUnderWay.size === 0) {
    for (const name of flags.keys()) setFlagsFromString(DEFAULT_FLAGS.get(name) ?? "");
    heldGcs = new GCProfiler();
    heldGcs.start();
  }
  const release = (): void => {
    if (!startsUnderWay.delete(running) || startsUnderWay.size > 0) return;
    for (const flag of flags.values()) setFlagsFromString(flag);
    const fullGcs = heldGcs?.stop().statistics.filter((gc) => gc.gcType === "MarkSweepCompact").length ?? 0;
    heldGcs = null;
    if (fullGcs > 0 && flags.has("heap-growing-percent")) collectGarbage();
  };
  startsUnderWay.set(running, release);
  return release;
}

/** Ends the holds of workers that run their own code by now (called where this thread runs long without a turn). */
export function checkWorkerStarts(): void {
  for (const [running, release] of startsUnderWay) if (running()) release();
}

/** A full garbage collection of this thread's heap, by V8's `gc` function (exposed for a moment, in a context of its own). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  gc();
}
