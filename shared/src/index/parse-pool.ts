// Parses many trace files on worker threads for a cold index (both cores instead of one). The workers run from the
// source text of a separately bundled parse-worker.ts (`new Worker(source, { eval: true })`), which also works in a
// single-executable build; without that source, or for small work, the index parses in-process instead.

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
  /** The index's blob folder, or null to send contents back (in-memory index). */
  contentsDir: string | null;
}

export type ParseReply =
  | { id: number; ok: true; out: ParseOutput; texts: [key: string, text: string][] }
  | { id: number; ok: false; message: string };

/** Below this many bytes to read, starting workers (~40 ms each) costs more than it saves. */
export const MIN_POOL_BYTES = 32 * 1024 * 1024;

/** The parse worker's bundled source when the build provides it (scripts/build.mjs defines it). */
declare const __AI_BLAME_PARSE_WORKER__: string | undefined;

export function bundledWorkerSource(): string | null {
  return typeof __AI_BLAME_PARSE_WORKER__ === "string" ? __AI_BLAME_PARSE_WORKER__ : null;
}

/** How many workers to start for `jobs` jobs: one per core, at most 4, never more than the jobs. */
export function poolSize(jobs: number): number {
  return Math.max(0, Math.min(availableParallelism(), 4, jobs));
}

/**
 * Runs `jobs` (largest first is the caller's order) on `size` workers, calling `onReply` as each finishes. Jobs a
 * failed worker could not answer are returned, to be parsed in-process by the caller.
 */
export async function runOnWorkers(
  source: string,
  size: number,
  jobs: ParseJob[],
  onReply: (job: ParseJob, reply: ParseReply) => void,
): Promise<ParseJob[]> {
  const queue = [...jobs];
  const unanswered: ParseJob[] = [];
  const lane = (worker: Worker): Promise<void> =>
    new Promise((resolve) => {
      let current: ParseJob | undefined;
      const next = (): void => {
        current = queue.shift();
        if (current === undefined) {
          resolve();
          return;
        }
        worker.postMessage(current);
      };
      worker.on("message", (reply: ParseReply) => {
        if (current !== undefined) onReply(current, reply);
        next();
      });
      const gone = (): void => {
        // The worker died: its job goes back to the caller (other lanes keep taking from the queue).
        if (current !== undefined) unanswered.push(current);
        current = undefined;
        resolve();
      };
      worker.on("error", gone);
      worker.on("exit", gone);
      next();
    });
  // A small young generation keeps each worker's heap near its live data (measured at 1 GB: 8 MB → ~250 MB peak
  // process RSS with two workers, 16 MB → ~280 MB, default → ~310 MB; the time barely changes).
  const workers = Array.from({ length: size }, () => new Worker(source, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } }));
  try {
    await Promise.all(workers.map(lane));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return [...unanswered, ...queue];
}

/** A planned read the pool can run: the trace, where to start and what the parser resumes from. */
export interface PoolRead {
  file: { path: string; agent: AgentKind };
  fromOffset: number;
  state: unknown;
  bytes: number;
}

/**
 * Parses `reads` on one worker per core (largest first, so the cores stay busy to the end) and calls `done` as each
 * finishes, with the texts a worker could not store itself. Returns the reads left to parse in-process.
 */
export async function parseInPool<R extends PoolRead>(
  source: string,
  reads: R[],
  contentsDir: string | null,
  done: (read: R, out: ParseOutput | Error, texts: string[]) => void,
): Promise<R[]> {
  const ordered = [...reads].sort((a, b) => b.bytes - a.bytes);
  const jobs: ParseJob[] = ordered.map((r, id) => ({ id, path: r.file.path, agent: r.file.agent, fromOffset: r.fromOffset, state: r.state, contentsDir }));
  const left = await runOnWorkers(source, poolSize(jobs.length), jobs, (job, reply) => {
    const read = ordered[job.id];
    if (read === undefined) return;
    if (reply.ok) done(read, reply.out, reply.texts.map(([, text]) => text));
    else done(read, new Error(reply.message), []);
  });
  return left.map((job) => ordered[job.id]).filter((r): r is R => r !== undefined);
}
