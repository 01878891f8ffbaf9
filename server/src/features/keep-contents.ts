// Copies the file contents the index still reads from trace files into the index while the server is idle, a small
// batch at a time after each index, so the edits of a workspace outlive their traces without a user running
// `ai-blame gc`, and a later blame finds them warm. A batch waits in the engine's queue behind any index run, and the
// next one starts only after a pause, so requests are never held up for long. After blames, once they pause, what
// they copied is written too (contents, and the replays kept for their files' next blames, which wait for those
// contents to be complete on disk): without an index run in between they would otherwise wait in memory.

import type { Engine } from "@ai-blame/shared";
import type { ServerLog } from "../log";

/** References copied per batch (a few milliseconds each). */
const BATCH = 16;
/** Pause before each batch. */
const PAUSE_MS = 2000;

export class IdleContentKeeper {
  private running = new WeakSet<Engine>();
  /** Per engine, the pending write after its last blame. */
  private readonly settling = new WeakMap<Engine, NodeJS.Timeout>();

  constructor(private readonly log: ServerLog) {}

  /** Starts copying for `engine` unless it already is; stops when nothing is pending or `live()` turns false. */
  start(engine: Engine, name: string, live: () => boolean): void {
    if (this.running.has(engine)) return;
    this.running.add(engine);
    let copied = 0;
    const step = (): void => {
      if (!live()) {
        this.running.delete(engine);
        return;
      }
      engine.keepContents(BATCH).then(
        (result) => {
          copied += result.copied;
          if (result.pending > 0 && live()) {
            setTimeout(step, PAUSE_MS).unref();
            return;
          }
          this.running.delete(engine);
          if (copied > 0) this.log.debug(`${name}: copied ${copied} file contents from trace files into the index`);
        },
        (error: unknown) => {
          this.running.delete(engine);
          this.log.warn(`${name}: cannot copy file contents into the index: ${String(error)}`);
        },
      );
    };
    setTimeout(step, PAUSE_MS).unref();
  }

  /** After a blame: once blames pause, writes what they copied and kept (unless `live()` turned false meanwhile). */
  afterBlame(engine: Engine, name: string, live: () => boolean): void {
    clearTimeout(this.settling.get(engine));
    const timer = setTimeout(() => {
      this.settling.delete(engine);
      if (!live()) return;
      engine.keepContents(0).catch((error: unknown) => this.log.warn(`${name}: cannot write what blames kept: ${String(error)}`));
    }, PAUSE_MS);
    timer.unref();
    this.settling.set(engine, timer);
  }
}
