// Parses many trace files on every core for a cold index: the main thread takes jobs from the same queue as one worker
// thread per other core (so two cores cost one extra isolate, not two, and the main thread does not sit idle). The
// workers run from the source text of a separately bundled parse-worker.ts (`new Worker(source, { eval: true })`),
// which also works in a single-executable build; without that source, or for small work, the index parses in-process.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { AgentKind } from "../events/edit-event";
import type { ParseOutput } from "../traces/parser";

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

export type ParseReply =
  | { id: number; ok: true; out: ParseOutput; texts: [key: string, text: string][] }
  | { id: number; ok: false; message: string };

/** To a worker: a job, or "finish" (complete the pack of contents, then answer `finished`). */
export type ToWorker = { kind: "job"; job: ParseJob } | { kind: "finish" };
/** From a worker; `texts` are contents it could not store (a write failure), for the index to keep. */
export type FromWorker = { kind: "reply"; reply: ParseReply } | { kind: "finished"; texts: [key: string, text: string][] };

/** Jobs a worker holds at once: the one it parses and the next. */
const JOBS_IN_FLIGHT = 2;

/** Below this many bytes to read, starting workers (~40 ms each) costs more than it saves. */
export const MIN_POOL_BYTES = 32 * 1024 * 1024;

/** The parse worker's bundled source when the build provides it (scripts/build.mjs defines it). */
declare const __AI_BLAME_PARSE_WORKER__: string | undefined;

export function bundledWorkerSource(): string | null {
  return typeof __AI_BLAME_PARSE_WORKER__ === "string" ? __AI_BLAME_PARSE_WORKER__ : null;
}

/** How many threads parse `jobs` jobs: one per core, at most 4, never more than the jobs (the main thread among them). */
export function poolSize(jobs: number): number {
  return Math.max(0, Math.min(availableParallelism(), 4, jobs));
}

/**
 * Runs `jobs` (in the caller's order) on `size` workers and, when `here` is given, on the calling thread too (both
 * take the next job from one queue), calling `onReply` as each worker's job is answered and `onTexts` with contents
 * a worker could not store. Returns the jobs to parse in-process: those no thread took, and those of a worker that
 * died before its contents were complete on disk.
 */
export async function runOnWorkers(
  source: string,
  size: number,
  jobs: ParseJob[],
  onReply: (job: ParseJob, reply: ParseReply) => void,
  onTexts: (texts: [key: string, text: string][]) => void,
  here?: (job: ParseJob) => Promise<void>,
): Promise<ParseJob[]> {
  const queue = [...jobs];
  const redo: ParseJob[] = [];
  const hereLane = async (): Promise<void> => {
    if (here === undefined) return;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) await here(job);
  };
  const lane = (worker: Worker): Promise<void> =>
    new Promise((resolve) => {
      // Jobs sent and not yet answered, in order (a worker answers its jobs in turn). Keeping the next one queued in
      // the worker lets it start that trace at once, instead of idling until this thread, busy parsing or writing,
      // gets round to its reply.
      const inFlight: ParseJob[] = [];
      const answered: ParseJob[] = [];
      let finished = false;
      let finishSent = false;
      const send = (message: ToWorker): void => worker.postMessage(message);
      const fill = (): void => {
        while (!finishSent && inFlight.length < JOBS_IN_FLIGHT) {
          const job = queue.shift();
          if (job === undefined) {
            // The worker completes its pack after the jobs it still has.
            send({ kind: "finish" });
            finishSent = true;
            return;
          }
          inFlight.push(job);
          send({ kind: "job", job });
        }
      };
      worker.on("message", (message: FromWorker) => {
        if (message.kind === "finished") {
          finished = true;
          onTexts(message.texts);
          resolve();
          return;
        }
        const job = inFlight.shift();
        if (job !== undefined) {
          onReply(job, message.reply);
          answered.push(job);
        }
        fill();
      });
      const gone = (): void => {
        if (finished) return;
        // The worker died before its pack was complete: its jobs (answered ones too) go back to the caller.
        redo.push(...answered, ...inFlight);
        inFlight.length = 0;
        finished = true;
        resolve();
      };
      worker.on("error", gone);
      worker.on("exit", gone);
      fill();
    });
  // A small young generation; with contents by reference, 2 to 16 MB gave the same peak at 1 GB (bench/README.md).
  const workers = Array.from({ length: size }, () => new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } }));
  // The calling thread takes the first job (the largest): a worker would hold that trace's parse in a heap of its own
  // and send all its output across, on top of what the calling thread holds anyway (at 2 GB: 470 MiB peak, not 306).
  const hereDone = hereLane();
  try {
    await Promise.all([...workers.map(lane), hereDone]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return [...redo, ...queue];
}

/** A planned read the pool can run: the trace, where to start and what the parser resumes from. */
export interface PoolRead {
  file: { path: string; agent: AgentKind; scope?: string[] };
  fromOffset: number;
  state: unknown;
  bytes: number;
}

/**
 * Parses `reads` on every core — the calling thread with `here`, and one worker per other core — largest first (so
 * the cores stay busy to the end), and calls `done` as each finishes (`onWorker` tells where); `keep` receives texts
 * a worker could not store itself. Returns the reads left to parse in-process (re-parsing one already `done` just
 * replaces its result).
 */
export async function parseInPool<R extends PoolRead>(
  source: string,
  reads: R[],
  contentsDir: string | null,
  here: (read: R) => Promise<ParseOutput | Error>,
  done: (read: R, out: ParseOutput | Error, texts: string[], onWorker: boolean) => void,
  keep: (texts: string[]) => void,
): Promise<R[]> {
  const ordered = [...reads].sort((a, b) => b.bytes - a.bytes);
  const jobs: ParseJob[] = ordered.map((r, id) => ({
    id,
    path: r.file.path,
    agent: r.file.agent,
    fromOffset: r.fromOffset,
    state: r.state,
    contentsDir,
    ...(r.file.scope ? { scope: r.file.scope } : {}),
  }));
  const left = await runOnWorkers(
    source,
    poolSize(jobs.length) - 1,
    jobs,
    (job, reply) => {
      const read = ordered[job.id];
      if (read === undefined) return;
      if (reply.ok) done(read, reply.out, reply.texts.map(([, text]) => text), true);
      else done(read, new Error(reply.message), [], true);
    },
    (texts) => keep(texts.map(([, text]) => text)),
    async (job) => {
      const read = ordered[job.id];
      if (read !== undefined) done(read, await here(read), [], false);
    },
  );
  return left.map((job) => ordered[job.id]).filter((r): r is R => r !== undefined);
}
