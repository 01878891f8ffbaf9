// Parses many trace files on the other cores for a cold index: one worker thread per core but one takes the traces
// from a queue, largest first, while the main thread applies what they send back (merging records, writing the
// index). The main thread itself parses only traces too large to send across whole (HUGE_TRACE_BYTES) and the traces
// of agents with a small share of the bytes (agentsForMainThread): parsing the same traces as the workers would make
// it the busiest thread and have a second isolate compile the same parsers on the same cores. Once its own are done,
// it takes the smallest traces no worker has started while the workers still have a long tail ahead (JobQueue.steal),
// so that both cores stay busy to the end. The workers run from the source text of the bundled parse-worker.ts
// (`new Worker(source, { eval: true })`), which also works in a single-executable build; without that source, on one
// core, or for small work, the index parses in-process.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { AgentKind } from "../events/edit-event";
import type { ParseOutput } from "../traces/parser";
import { holdFlagsForWorkerStart } from "../util/v8-flags";
import { SerializedState } from "./parser-states";

export interface ParseJob {
  id: number;
  path: string;
  agent: AgentKind;
  fromOffset: number;
  state: unknown;
  /** The project folders a trace shared by several projects is read for (see DiscoveredTrace.scope). */
  scope?: string[];
  /** The index's blob folder, or null to send contents back (in-memory index). */
  contentsDir: string | null;
}

/** A worker's output: its parser state as JSON in `stateJson` (see SerializedState; null: none), `out.state` null. */
export type ParseReply =
  | { id: number; ok: true; out: ParseOutput; stateJson: string | null; texts: [key: string, text: string][] }
  | { id: number; ok: false; message: string };

/** To a worker: a job, or "finish" (complete the pack of contents, then answer `finished`). */
export type ToWorker = { kind: "job"; job: ParseJob } | { kind: "finish" };
/**
 * From a worker: "ready" once its code runs (it loaded what it needs), then its replies; `texts` are contents it could
 * not store (a write failure), for the index to keep.
 */
export type FromWorker = { kind: "ready" } | { kind: "reply"; reply: ParseReply } | { kind: "finished"; texts: [key: string, text: string][] };

/** What a worker starts with: `running`, a 32-bit flag it sets to 1 once it runs its own code (as it says "ready"). */
export interface ParseWorkerData {
  running: SharedArrayBuffer;
}

/**
 * Bytes the workers must still have queued for the main thread, done with its own traces, to start taking theirs:
 * a second isolate then compiles and optimises their parser, which a short tail does not repay.
 */
export const MIN_STEAL_BYTES = 64 * 1024 * 1024;

/**
 * Jobs a worker holds at once: the one it parses and the next two, so that it keeps parsing while this thread, busy
 * parsing or writing (or, on a loaded machine, not running), has not read its replies yet. With one queued, at 1 GB
 * under load the worker waited 165-736 ms in all between jobs (up to 413 ms at once); with two, 151-290 ms.
 */
export const JOBS_IN_FLIGHT = 3;

/**
 * Below this many bytes to read, one thread parses everything: on 2 quiet cores at 200 MB a worker gave no wall time
 * (0.44-0.47 s against 0.42-0.45 s) for ~110 ms more CPU and 15 MiB more RSS (the worker's heap, a second compile of
 * the parsers); at 500 MB it gave ~5% (0.75-0.83 against 0.81-0.84 s), at 1 GB ~13% (1.31-1.39 against 1.51-1.54 s).
 * With the worker's start halved, the pool still adds ~100 ms of CPU at 200 MB for ~150 ms less on the main thread,
 * while V8's compiler threads already take much of the second core (bench/README.md, "The fixed cost of a first index").
 */
export const MIN_POOL_BYTES = 256 * 1024 * 1024;

/** The parse worker's bundled source when the build provides it (scripts/build.mjs defines it). */
declare const __AI_BLAME_PARSE_WORKER__: string | undefined;

export function bundledWorkerSource(): string | null {
  return typeof __AI_BLAME_PARSE_WORKER__ === "string" ? __AI_BLAME_PARSE_WORKER__ : null;
}

/**
 * Traces from this size up are parsed on the main thread, beside the workers: a worker would hold that trace's parse in
 * a heap of its own and send all of it across, on top of what the main thread holds anyway (a 2 GB session: 470 MiB
 * peak instead of 306).
 */
export const HUGE_TRACE_BYTES = 256 * 1024 * 1024;

/** How many worker threads parse `jobs` jobs: one per core but one (which applies their output), at most 3. */
export function workerCount(jobs: number): number {
  return Math.max(0, Math.min(availableParallelism() - 1, 3, jobs));
}

/** A started worker thread and whether it has already exited (a failed start exits before any job is sent). */
export interface PoolWorker {
  worker: Worker;
  exited: boolean;
  /** Ends the hold of V8's flags for its start (holdFlagsForWorkerStart), if it still lasts. */
  release: () => void;
}

/**
 * Starts `size` parse workers. They do not keep the process alive until a run uses them, so workers started ahead of
 * need (while discovery runs) and then not used cost nothing at exit; `stopWorkers` ends them.
 */
export function startWorkers(source: string, size: number): PoolWorker[] {
  return Array.from({ length: size }, () => {
    // V8's flags wait until the worker loaded what it needs (or is gone): its built-in modules then come from Node's
    // code cache (util/v8-flags.ts).
    const running = new Int32Array(new SharedArrayBuffer(4));
    const release = holdFlagsForWorkerStart(() => Atomics.load(running, 0) === 1);
    const workerData: ParseWorkerData = { running: running.buffer as SharedArrayBuffer };
    // A small young generation; with contents by reference, 2 to 16 MB gave the same peak at 1 GB (bench/README.md).
    const options = { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } };
    const started: PoolWorker = { worker: new Worker(source, options), exited: false, release };
    // A worker that fails to start reports an error: never an uncaught one here (its run hands its jobs back).
    started.worker.on("error", release);
    started.worker.once("message", release);
    started.worker.on("exit", () => {
      started.exited = true;
      release();
    });
    started.worker.unref();
    return started;
  });
}

export async function stopWorkers(workers: PoolWorker[]): Promise<void> {
  // A worker stopped while it starts (unused: the index is too small) holds the flags no longer: its exit can come
  // after this thread indexed for a while without the heap's bounds.
  for (const { release } of workers) release();
  await Promise.all(workers.map(({ worker }) => worker.terminate()));
}

/**
 * The jobs waiting for a worker, largest first: the workers take from the front, the main thread, once its own traces
 * are parsed, from the back (the smallest), while the workers still have enough ahead of them (see `steal`).
 */
export class JobQueue {
  /** Jobs queued, largest first. */
  private readonly jobs: ParseJob[];
  /** Each job's bytes to read. */
  private readonly bytesOf = new Map<ParseJob, number>();
  /** Bytes of the jobs queued. */
  private queued = 0;
  /** Bytes of the jobs queued and of those sent to a worker and not yet answered. */
  private pending = 0;
  /** Whether the main thread took a job already (its parser is then compiled there too). */
  private stolen = false;
  /** Called when the main thread took the last job: each worker's lane then sends "finish" after its jobs. */
  onEmptied: () => void = () => undefined;

  constructor(jobs: { job: ParseJob; bytes: number }[], private readonly minStealBytes: number) {
    this.jobs = jobs.map((j) => j.job);
    for (const { job, bytes } of jobs) {
      this.bytesOf.set(job, bytes);
      this.queued += bytes;
    }
    this.pending = this.queued;
  }

  get length(): number {
    return this.jobs.length;
  }

  /** The next job for a worker (the largest left), its bytes pending until `answered`. */
  take(): ParseJob | undefined {
    const job = this.jobs.shift();
    if (job !== undefined) this.queued -= this.bytesOf.get(job) ?? 0;
    return job;
  }

  /** A job taken by a worker was answered (or given back): its bytes no longer count as the workers' tail. */
  answered(job: ParseJob): void {
    this.pending -= this.bytesOf.get(job) ?? 0;
  }

  /**
   * The smallest job left, for the main thread to parse, or undefined when none should be: the queue is empty, or, for
   * the first one, it holds less than `minStealBytes` (parsing an agent's traces warms up a second compile of its
   * parser, which only a long enough tail repays), or the workers have less than twice that job's bytes left besides
   * it (the main thread, also applying their replies, would then finish last).
   */
  steal(): ParseJob | undefined {
    const job = this.jobs.at(-1);
    if (job === undefined) return undefined;
    const bytes = this.bytesOf.get(job) ?? 0;
    if ((!this.stolen && this.queued < this.minStealBytes) || this.pending - bytes < 2 * bytes) return undefined;
    this.stolen = true;
    this.jobs.pop();
    this.queued -= bytes;
    this.pending -= bytes;
    if (this.jobs.length === 0) this.onEmptied();
    return job;
  }

  /** The jobs no worker took (none is left to take after this). */
  left(): ParseJob[] {
    this.queued = 0;
    return this.jobs.splice(0);
  }
}

/**
 * Runs the jobs of `queue` (in its order) on `workers` (which it stops at the end), calling `onReply` as each
 * worker's job is answered and `onTexts` with contents a worker could not store. Returns the jobs to parse
 * in-process: those no worker took, and those of a worker that died before its contents were complete on disk.
 */
export async function runOnWorkers(
  workers: PoolWorker[],
  queue: JobQueue,
  onReply: (job: ParseJob, reply: ParseReply) => void,
  onTexts: (texts: [key: string, text: string][]) => void,
): Promise<ParseJob[]> {
  const redo: ParseJob[] = [];
  const fills: (() => void)[] = [];
  queue.onEmptied = () => {
    for (const fill of fills) fill();
  };
  const lane = ({ worker, exited }: PoolWorker): Promise<void> =>
    new Promise((resolve) => {
      // Jobs sent and not yet answered, in order (a worker answers its jobs in turn). Keeping the next one queued in
      // the worker lets it start that trace at once, instead of idling until this thread, busy writing, gets round to
      // its reply.
      const inFlight: ParseJob[] = [];
      const answered: ParseJob[] = [];
      let finished = false;
      let finishSent = false;
      const send = (message: ToWorker): void => worker.postMessage(message);
      const fill = (): void => {
        if (finished || finishSent) return;
        for (let job: ParseJob | undefined; inFlight.length < JOBS_IN_FLIGHT && (job = queue.take()) !== undefined; ) {
          inFlight.push(job);
          send({ kind: "job", job });
        }
        if (queue.length > 0) return;
        // Nothing left to take (the main thread may have taken the last jobs): the worker completes its pack after the
        // jobs it still has.
        send({ kind: "finish" });
        finishSent = true;
      };
      worker.on("message", (message: FromWorker) => {
        if (message.kind === "ready") return;
        if (message.kind === "finished") {
          finished = true;
          onTexts(message.texts);
          resolve();
          return;
        }
        const job = inFlight.shift();
        if (job !== undefined) {
          queue.answered(job);
          onReply(job, message.reply);
          answered.push(job);
        }
        fill();
      });
      const gone = (): void => {
        if (finished) return;
        // The worker died before its pack was complete: its jobs (answered ones too) go back to the caller.
        redo.push(...answered, ...inFlight);
        for (const job of inFlight) queue.answered(job);
        inFlight.length = 0;
        finished = true;
        resolve();
      };
      if (exited) {
        gone();
        return;
      }
      worker.on("error", gone);
      worker.on("exit", gone);
      fills.push(fill);
      fill();
    });
  // Running jobs keep the process alive until they are answered.
  for (const { worker } of workers) worker.ref();
  try {
    await Promise.all(workers.map(lane));
  } finally {
    await stopWorkers(workers);
  }
  return [...redo, ...queue.left()];
}

/**
 * The agents whose traces the main thread parses itself, beside applying everything: those other than the agent with
 * the most bytes, smallest first, while their bytes stay within half a thread's fair share. A parser is then compiled
 * by one isolate only (each thread's JIT compiles what it runs, on the same cores), and the main thread, which only
 * applies otherwise, is not left idle: at 1 GB (a fifth of it Codex rollouts, on 2 cores) the busiest thread's CPU
 * went from 1.6-2.0 s to 1.3-1.6 s.
 */
export function agentsForMainThread(reads: readonly PoolRead[], workers: number): Set<AgentKind> {
  const bytes = new Map<AgentKind, number>();
  let total = 0;
  for (const r of reads) {
    bytes.set(r.file.agent, (bytes.get(r.file.agent) ?? 0) + r.bytes);
    total += r.bytes;
  }
  const byBytes = [...bytes].sort((a, b) => a[1] - b[1]);
  byBytes.pop();
  const cap = total / (2 * (workers + 1));
  const chosen = new Set<AgentKind>();
  let taken = 0;
  for (const [agent, n] of byBytes) {
    if (taken + n > cap) break;
    chosen.add(agent);
    taken += n;
  }
  return chosen;
}

/** A planned read the pool can run: the trace, where to start and what the parser resumes from. */
export interface PoolRead {
  file: { path: string; agent: AgentKind; scope?: string[] };
  fromOffset: number;
  state: unknown;
  bytes: number;
}

/**
 * Parses `reads` on `workers` (stopped at the end), largest first (so the cores stay busy to the end), except huge
 * traces and those of the agents agentsForMainThread chooses, which `here` parses on the calling thread meanwhile;
 * calls `done` as each finishes (`onWorker` tells where); `keep` receives texts a worker could not store itself.
 * Returns the reads left to parse in-process (re-parsing one already `done` just replaces its result).
 */
export async function parseInPool<R extends PoolRead>(
  workers: PoolWorker[],
  reads: R[],
  contentsDir: string | null,
  here: (read: R) => Promise<ParseOutput | Error>,
  done: (read: R, out: ParseOutput | Error, texts: string[], onWorker: boolean) => void,
  keep: (texts: string[]) => void,
  minStealBytes = MIN_STEAL_BYTES,
): Promise<R[]> {
  const sorted = [...reads].sort((a, b) => b.bytes - a.bytes);
  const mainAgents = agentsForMainThread(sorted, workers.length);
  const onMain = (r: R): boolean => r.bytes >= HUGE_TRACE_BYTES || mainAgents.has(r.file.agent);
  const ordered = sorted.filter((r) => !onMain(r));
  const jobs = ordered.map((r, id) => ({
    job: { id, path: r.file.path, agent: r.file.agent, fromOffset: r.fromOffset, state: r.state, contentsDir, ...(r.file.scope ? { scope: r.file.scope } : {}) },
    bytes: r.bytes,
  }));
  const queue = new JobQueue(jobs, minStealBytes);
  // Started first, so that each worker holds its first jobs before this thread looks at what is left to take.
  const running = runOnWorkers(
    workers,
    queue,
    (job, reply) => {
      const read = ordered[job.id];
      if (read === undefined) return;
      if (reply.ok) {
        const state = reply.stateJson === null ? undefined : new SerializedState(reply.stateJson);
        done(read, { ...reply.out, state }, reply.texts.map(([, text]) => text), true);
      } else done(read, new Error(reply.message), [], true);
    },
    (texts) => keep(texts.map(([, text]) => text)),
  );
  const hereDone = (async () => {
    for (const read of sorted) if (onMain(read)) done(read, await here(read), [], false);
    // Then the smallest traces the workers have not started, while that shortens their tail (JobQueue.steal).
    for (let job = queue.steal(); job !== undefined; job = queue.steal()) {
      const read = ordered[job.id];
      if (read !== undefined) done(read, await here(read), [], false);
    }
  })();
  // Awaited only after the workers finish: until then a failure must not count as an unhandled rejection (which ends
  // the process) but reach the caller as it would in-process.
  hereDone.catch(() => undefined);
  const left = await running;
  await hereDone;
  return left.map((job) => ordered[job.id]).filter((r): r is R => r !== undefined);
}
