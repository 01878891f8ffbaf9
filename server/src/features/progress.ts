// Work-done progress (`$/progress`) while an engine indexes traces. Clients without `window.workDoneProgress`, or
// that refuse the create request, get a silent reporter; reports are throttled to whole-percent steps so a large
// first index does not flood the client.

import type { Connection } from "vscode-languageserver/node";
import type { RefreshProgress } from "@ai-blame/shared";
import type { ClientSupport } from "../capabilities";

export interface IndexProgress {
  report(progress: RefreshProgress): void;
  done(message?: string): void;
}

const silent: IndexProgress = { report() {}, done() {} };

export async function beginIndexProgress(connection: Connection, support: ClientSupport, title: string): Promise<IndexProgress> {
  if (!support.workDoneProgress) return silent;
  let reporter;
  try {
    reporter = await connection.window.createWorkDoneProgress();
  } catch {
    return silent;
  }
  const progress = reporter;
  progress.begin(title, 0, "discovering traces", false);
  let lastPercent = -1;
  let finished = false;
  return {
    report(p) {
      if (finished || p.bytesTotal <= 0) return;
      const percent = Math.min(100, Math.floor((p.bytesDone / p.bytesTotal) * 100));
      if (percent === lastPercent) return;
      lastPercent = percent;
      progress.report(percent, `${p.filesDone}/${p.filesTotal} trace files (${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)})`);
    },
    done(message) {
      if (finished) return;
      finished = true;
      // The protocol's end message is optional; the library's `done()` sends `{kind: "end"}`.
      if (message) progress.report(100, message);
      progress.done();
    },
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
