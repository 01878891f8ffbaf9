// @ts-check
// In-process timings with a warm index, bundled by run.mjs with esbuild (it imports the engine's TypeScript source):
// how long a warm refresh takes inside one process, and blame of the hot file once the index is loaded — the
// cost an editor pays per request, without process start-up — and the refresh after 1 MB is appended to a trace.
// Prints one JSON line.
import { createEngine } from "../../shared/src/index";
import { appendRecords } from "./append.mjs";

const [project, home, dataDir, hotFile, runsText, appendTarget] = process.argv.slice(2);
if (!project || !home || !dataDir || !hotFile) {
  process.stderr.write("usage: in-process PROJECT HOME DATA_DIR HOT_FILE [RUNS [APPEND_TRACE]]\n");
  process.exit(2);
}
const runs = Number(runsText ?? "5");
const env = { HOME: home, AI_BLAME_DATA_DIR: dataDir };
const ms = (/** @type {number} */ since) => performance.now() - since;

let t = performance.now();
const engine = createEngine({ projectDir: project, home, dataDir, env });
const refresh = await engine.refresh();
const refreshMs = ms(t);
t = performance.now();
const snapshot = engine.snapshot();
const snapshotMs = ms(t);
/** @type {number[]} */
const blameMs = [];
let lines = 0;
for (let i = 0; i < runs + 1; i++) {
  t = performance.now();
  lines = snapshot.blame(hotFile).lines.length;
  blameMs.push(ms(t));
}
t = performance.now();
const stats = snapshot.stats();
const statsMs = ms(t);
// Re-index after an agent appended 1 MB to one trace: the refresh a watcher triggers, in the same process.
/** @type {number[]} */
const appendMs = [];
if (appendTarget) {
  for (let round = 0; round < runs; round++) {
    const appended = appendRecords(appendTarget, project, 1, 100 + round);
    try {
      t = performance.now();
      await engine.refresh();
      appendMs.push(ms(t));
    } finally {
      appended.restore();
      await engine.refresh();
    }
  }
  appendMs.sort((a, b) => a - b);
}
const [firstBlameMs, ...repeat] = blameMs;
repeat.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    refreshMs,
    filesRead: refresh.filesRead,
    snapshotMs,
    firstBlameMs,
    blameMs: repeat[repeat.length >> 1] ?? null,
    statsMs,
    appendRefreshMs: appendMs[appendMs.length >> 1] ?? null,
    lines,
    events: stats.events,
  })}\n`,
);
