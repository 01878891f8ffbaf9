// A one-line progress indicator on stderr for long index refreshes. It appears only when stderr is a terminal and
// only once a run has lasted about a second, so quick runs and pipes never see it; `done()` always erases it.

import type { RefreshProgress } from "@ai-blame/shared";
import type { CliIo } from "../io";

export interface ProgressIndicator {
  update(p: RefreshProgress): void;
  done(): void;
}

const DELAY_MS = 1000;
const REDRAW_MS = 100;

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** Formats one progress line, e.g. `Indexing traces: 12/300 files, 45.2/200.0 MB (22%)`. */
export function formatProgress(p: RefreshProgress, label = "Indexing traces"): string {
  const percent = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0;
  return `${label}: ${p.filesDone}/${p.filesTotal} files, ${megabytes(p.bytesDone)}/${megabytes(p.bytesTotal)} MB (${percent}%)`;
}

export function createProgress(io: CliIo, now: () => number = Date.now, label?: string): ProgressIndicator {
  const start = now();
  let lastDraw = 0;
  let shown = false;
  return {
    update(p) {
      if (!io.stderrIsTTY) return;
      const t = now();
      if (t - start < DELAY_MS || t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      shown = true;
      const line = formatProgress(p, label).slice(0, Math.max(10, io.width - 1));
      io.stderr.write(`\r\x1b[K${line}`);
    },
    done() {
      if (shown) io.stderr.write("\r\x1b[K");
      shown = false;
    },
  };
}
