// Keeps V8's heap small during a bulk index (a first index or a rebuild: every trace read, for seconds), in every
// isolate of the process (the main thread and the parse workers), and during a replay of a file's history from its
// contents (attribution/attribute.ts: each content decoded, split and joined is garbage once the next step replays):
// - the young generation: V8 doubles its semi-spaces while many objects survive, up to 16 MiB each, 32 MiB of RSS
//   that only holds short-lived garbage. `--max-semi-space-size` can only be given where Node starts; the growth
//   factor is read at each growth, so once the new space reaches the cap it is set to 1 (no further growth). The
//   main thread's discovery of a first index grows it before any trace is read, so it is checked after every
//   scavenge from the index's start (a GC observer), and where a stretch runs without a turn of the event loop, in
//   which the observer's reports wait (heapCheckpoint: discovery reads every head synchronously).
// - the old generation: by default V8 lets it grow to up to 4× what the last full GC kept before it collects again;
//   during a bulk index most of what it promotes is one trace's parse, garbage once that trace is applied, so it
//   would grow with the corpus. `--heap-growing-percent` (read at every full GC) keeps the next limit close to what
//   is live; full GCs of the index's ~20 MB heaps take a few ms each.
// Both flags are process-wide and stay set until exit: every later index of the process (the server's) keeps the same
// bounds. While a worker starts they are at V8's defaults (util/v8-flags.ts says why), and set again once it runs; a
// start with its own semi-space flag is left alone.

import { constants, PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";
import { capInliningForBulkIndex } from "./bulk-inlining";
import { checkWorkerStarts, setV8Flag } from "./v8-flags";

/** New space (both semi-spaces) at which growth stops: two 4 MiB semi-spaces cost no measurable CPU at 1 GB. */
const NEW_SPACE_CAP = 8 * 1024 * 1024;

/** How far (percent) the old generation may grow past what the last full GC kept, during and after a bulk index. */
const OLD_GENERATION_GROWTH_PERCENT = 30;

const ownFlag = process.execArgv.some((arg) => arg.includes("semi-space") || arg.includes("semi_space"));
let settled = ownFlag;
let observer: PerformanceObserver | null = null;
/** A bulk index runs (boundHeapForBulkIndex was called). */
let armed = false;
const ownBytecodeFlag = process.execArgv.some((arg) => arg.includes("flush-bytecode") || arg.includes("flush_bytecode"));
/** A replay runs with V8's flushing of bytecode off (boundHeapForReplay, until replayEnded). */
let bytecodeKept = false;

/** Stops the young generation's growth once it reached the cap; cheap enough to call after every trace file. */
export function boundYoungGeneration(): void {
  if (settled) return;
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  if (newSpace === undefined) {
    settled = true;
    return;
  }
  if (newSpace.space_size < NEW_SPACE_CAP) return;
  setV8Flag("--semi-space-growth-factor=1", true);
  settled = true;
}

/**
 * Checks the young generation's bound after every scavenge, until it reached its cap. Called before the bounds set
 * any V8 flag: it loads node:perf_hooks, and Node compiles a built-in module from its own code cache only under the
 * flags that cache was made with (V8 hashes them into it); loaded after a flag changed, perf_hooks and the eight
 * modules it loads were compiled from their source (~1.3 ms of a first index's main thread).
 */
function watchScavenges(): void {
  if (settled || observer !== null) return;
  const watch = new PerformanceObserver((list) => {
    if (!list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)) return;
    boundYoungGeneration();
    if (settled) watch.disconnect();
  });
  observer = watch;
  watch.observe({ entryTypes: ["gc"] });
}

/**
 * At the start of a bulk index or of a replay from contents: bounds the old generation's growth, and checks the young
 * generation's after every scavenge until it reached its cap.
 */
export function boundHeapForBulkIndex(): void {
  watchScavenges();
  setV8Flag(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
  armed = true;
}

/**
 * At the start of a bulk index: the heap's bounds, and TurboFan's inlining budget capped until the index ends
 * (util/bulk-inlining.ts; the engine lifts it when the update returns).
 */
export function startBulkIndex(): void {
  boundHeapForBulkIndex();
  capInliningForBulkIndex();
}

/**
 * At the start of a replay from contents (a first blame): the bulk index's bounds, and V8's bytecode kept until
 * replayEnded. A full GC drops the bytecode of functions that did not run for several of them, and the bounds make a
 * replay's full GCs frequent: what ran before it (start, refresh, snapshot) lost its bytecode, so the code cache the
 * CLI writes at exit (cli/src/launch.ts) held half the functions and every warm blame after compiled the rest again
 * (~40 ms of CPU at 200 MB).
 */
export function boundHeapForReplay(): void {
  watchScavenges();
  if (!ownBytecodeFlag && !bytecodeKept) {
    setV8Flag("--no-flush-bytecode");
    bytecodeKept = true;
  }
  boundHeapForBulkIndex();
}

/** At the end of a replay: V8 flushes unused bytecode again (a server runs on for hours). */
export function replayEnded(): void {
  if (!bytecodeKept) return;
  setV8Flag("--flush-bytecode");
  bytecodeKept = false;
}

/**
 * Where a bulk index or a replay runs long without a turn of the event loop (discovery reads every trace's head
 * synchronously; a replay steps through every event of a file), so the GC observer's reports wait: checks the young
 * generation's bound there. Nothing otherwise (a warm command's young generation is left to grow).
 */
export function heapCheckpoint(): void {
  checkWorkerStarts();
  if (armed && !settled) boundYoungGeneration();
}
