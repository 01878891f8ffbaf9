// Multi-core cold indexing: the parse worker, bundled from its source as the build does and started from that
// text, parsing while the main thread applies its output, gives exactly the events, sessions and contents of an
// in-process parse — on disk and in memory — and a worker that dies hands its files back to be parsed in-process.

import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import type { DiscoveredTrace } from "../../src/discovery/types";
import { CodexRolloutWriter, patchOutput } from "../../../examples/tools/writers/codex.mjs";
import { agentsForMainThread, JOBS_IN_FLIGHT, JobQueue, type ParseJob, type PoolRead, workerCount } from "../../src/store/parse-pool";
import { encodeStateFrame, SerializedState } from "../../src/store/parser-states";
import { openTraceIndex, type TraceIndex } from "../../src/store/trace-index";
import { parsersByAgent } from "../../src/traces";
import { editCallLine, editResultLine, noiseLine, promptLine, type SessionCtx, writeCallLine, writeResultLine } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";

let workerSource = "";
beforeAll(() => {
  const built = buildSync({
    entryPoints: [join(__dirname, "..", "..", "src", "store", "parse-worker.ts")],
    bundle: true,
    write: false,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
  });
  workerSource = built.outputFiles[0]?.text ?? "";
});

let box: Sandbox;
beforeEach(() => (box = makeSandbox()));
afterEach(() => box.cleanup());

function traces(count: number): DiscoveredTrace[] {
  return Array.from({ length: count }, (_, s) => {
    const ctx: SessionCtx = { sessionId: `00000000-0000-4000-8000-0000000000${String(s).padStart(2, "0")}`, cwd: box.project };
    const file = join(box.project, `src/mod${s}.ts`);
    let content = Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`).join("\n") + "\n";
    let text = promptLine(ctx, "2025-06-01T10:00:00.000Z", `write module ${s}`);
    text += writeCallLine(ctx, "2025-06-01T10:00:01.000Z", `toolu_w${s}`, file, content);
    text += writeResultLine(ctx, "2025-06-01T10:00:02.000Z", `toolu_w${s}`, file, content);
    for (let i = 0; i < 5; i++) {
      const ts = `2025-06-01T10:0${i + 1}:00.000Z`;
      const oldString = `export const v${i * 7} = ${i * 7};`;
      const newString = `export const v${i * 7} = ${i * 7} + 1;`;
      text += editCallLine(ctx, ts, `toolu_e${s}_${i}`, file, oldString, newString);
      text += noiseLine(ctx, ts, 20_000);
      text += editResultLine(ctx, ts, `toolu_e${s}_${i}`, file, content, oldString, newString);
      content = content.replace(oldString, newString);
    }
    const path = join(box.traces, `${ctx.sessionId}.jsonl`);
    writeFileSync(path, text);
    return discovered(path);
  });
}

async function everything(index: TraceIndex) {
  const events = index.events();
  return {
    events,
    sessions: index.sessions(),
    contents: events.flatMap((e) => [e.change.before, e.change.after]).map((k) => (k === undefined ? null : index.contents.get(k))),
  };
}

it.each(["on", "off"] as const)("workers index exactly what one thread does (mode %s)", async (mode) => {
  const files = traces(6);
  // In the same mode: on disk, large contents are kept by reference into the traces (an Edit's after left to replay).
  const single = await openTraceIndex({ dataDir: mode === "on" ? join(box.root, "single") : null, mode, parseWorkerSource: null });
  await single.update(files, parsersByAgent);
  const log = recordingLog();
  const debug: string[] = [];
  log.debug = (m) => debug.push(m);
  const pooled = await openTraceIndex({ dataDir: box.dataDir, mode, log, parseWorkerSource: workerSource, poolMinBytes: 1 });
  const progress: number[] = [];
  const result = await pooled.update(files, parsersByAgent, (p) => progress.push(p.filesDone));
  await pooled.flush();
  expect(result.filesRead).toBe(6);
  expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  expect(log.lines).toEqual([]);
  // Every trace is parsed on a worker (none is huge); the main thread only applies. One core: no pool at all.
  const workers = workerCount(6);
  const line = debug.find((m) => m.includes("worker thread")) ?? "";
  if (workers > 0) expect(line).toBe(`index: 6 of 6 trace files parsed on ${workers} worker thread${workers === 1 ? "" : "s"}`);
  else expect(line).toBe("");
  const expected = await everything(single);
  expect(expected.contents.every((c) => c !== undefined)).toBe(true);
  expect(await everything(pooled)).toEqual(expected);
  if (mode === "on") {
    // The record files hold the same bytes as the in-process index writes.
    await single.flush();
    const recordFiles = (dir: string): Map<string, Buffer> =>
      new Map(readdirSync(join(dir, "index", "traces")).map((name) => [name, readFileSync(join(dir, "index", "traces", name))]));
    const pooledFiles = recordFiles(box.dataDir);
    expect(pooledFiles.size).toBe(6);
    expect(pooledFiles).toEqual(recordFiles(join(box.root, "single")));
    // What the workers stored is what a later process loads.
    const reopened = await openTraceIndex({ dataDir: box.dataDir, mode: "on", parseWorkerSource: null });
    expect((await reopened.update(files, parsersByAgent)).filesRead).toBe(0);
    expect(await everything(reopened)).toEqual(expected);
  }
});

it("parses in-process what a dying worker could not", async () => {
  const files = traces(3);
  const single = await openTraceIndex({ dataDir: join(box.root, "single"), mode: "on", parseWorkerSource: null });
  await single.update(files, parsersByAgent);
  const debug: string[] = [];
  const log = { ...recordingLog(), debug: (m: string) => void debug.push(m) };
  const pooled = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, parseWorkerSource: "throw new Error('worker failed to start')", poolMinBytes: 1 });
  const result = await pooled.update(files, parsersByAgent);
  expect(result.filesRead).toBe(3);
  const workers = workerCount(3);
  const expected = workers > 0 ? [`index: 0 of 3 trace files parsed on ${workers} worker thread${workers === 1 ? "" : "s"}`] : [];
  expect(debug.filter((m) => m.includes("worker thread"))).toEqual(expected);
  expect(await everything(pooled)).toEqual(await everything(single));
});

/** A Codex rollout of `edits` apply_patch calls, each adding a file under the project. */
function codexRollout(edits: number): DiscoveredTrace {
  const records: object[] = [];
  let clock = Date.parse("2025-06-02T09:00:00.000Z");
  const tick = (): string => new Date((clock += 5_000)).toISOString();
  const writer = new CodexRolloutWriter({ emit: (r) => void records.push(r), tick, cwd: box.project });
  const id = "0199a000-0000-7000-8000-000000000001";
  writer.sessionMeta({ id, timestamp: tick(), cliVersion: "0.46.0" }, 0);
  writer.turnContext("gpt-5-codex", 0);
  writer.prompt("add the helpers", 0);
  for (let i = 0; i < edits; i++) {
    writer.patchCall(`call_${i}`, `*** Begin Patch\n*** Add File: lib/helper${i}.py\n+def helper${i}():\n+    return ${i}\n*** End Patch\n`, 0);
    writer.patchOutputAt(tick(), `call_${i}`, patchOutput([`A lib/helper${i}.py`], "", 0));
  }
  const path = join(box.traces, `rollout-2025-06-02T09-00-00-${id}.jsonl`);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return discovered(path, "codex-cli");
}

it("parses a small agent's traces on the main thread while the worker parses the rest, with the same result", async () => {
  const files = [...traces(4), codexRollout(3)];
  const single = await openTraceIndex({ dataDir: join(box.root, "single"), mode: "on", parseWorkerSource: null });
  await single.update(files, parsersByAgent);
  const debug: string[] = [];
  const log = { ...recordingLog(), debug: (m: string) => void debug.push(m) };
  const pooled = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, parseWorkerSource: workerSource, poolMinBytes: 1 });
  expect((await pooled.update(files, parsersByAgent)).filesRead).toBe(5);
  const workers = workerCount(5);
  const expected = workers > 0 ? [`index: 4 of 5 trace files parsed on ${workers} worker thread${workers === 1 ? "" : "s"}`] : [];
  expect(debug.filter((m) => m.includes("worker thread"))).toEqual(expected);
  const result = await everything(pooled);
  expect(result.events.filter((e) => e.agent === "codex-cli")).toHaveLength(3);
  expect(result).toEqual(await everything(single));
});

it("gives the main thread the agents with the fewest bytes, within half a thread's share, never the largest", () => {
  const read = (agent: PoolRead["file"]["agent"], bytes: number): PoolRead => ({ file: { path: `/t/${agent}/${bytes}`, agent }, fromOffset: 0, state: null, bytes });
  // 1 worker: the main thread's cap is a quarter of all bytes.
  expect([...agentsForMainThread([read("claude-code", 800), read("codex-cli", 150), read("codex-cli", 50)], 1)]).toEqual(["codex-cli"]);
  expect([...agentsForMainThread([read("claude-code", 600), read("codex-cli", 400)], 1)]).toEqual([]);
  expect([...agentsForMainThread([read("claude-code", 700), read("gemini-cli", 100), read("codex-cli", 200)], 1)].sort()).toEqual(["gemini-cli"]);
  // Three workers: an eighth.
  expect([...agentsForMainThread([read("claude-code", 800), read("codex-cli", 200)], 3)]).toEqual([]);
  expect([...agentsForMainThread([read("claude-code", 1000)], 1)]).toEqual([]);
});

it("writes a worker's serialised state byte for byte as the state object, and a later run resumes from it", async () => {
  const state = { v: 3, pending: { toolu_1: { name: "Edit", model: "claude-x", input: { a: "\u2028\"q\"" } } }, links: [["u1", null]] };
  const file = { v: 6, path: "/home/u/.claude/projects/p/s.jsonl", offset: 1234 };
  expect(encodeStateFrame({ ...file, state: new SerializedState(JSON.stringify(state)) })).toEqual(encodeStateFrame({ ...file, state }));
  expect(new SerializedState(JSON.stringify(state)).value()).toEqual(state);

  const files = traces(3);
  const pooled = await openTraceIndex({ dataDir: box.dataDir, mode: "on", parseWorkerSource: workerSource, poolMinBytes: 1 });
  await pooled.update(files, parsersByAgent);
  await pooled.flush();
  // One more prompt in the first trace: the next process resumes it from the state the worker sent.
  const first = files[0]!;
  const ctx: SessionCtx = { sessionId: "00000000-0000-4000-8000-000000000000", cwd: box.project };
  appendFileSync(first.path, promptLine(ctx, "2025-06-01T11:00:00.000Z", "one more thing"));
  const grown = files.map((f) => (f === first ? discovered(f.path) : f));
  const debug: string[] = [];
  const log = { ...recordingLog(), debug: (m: string) => void debug.push(m) };
  const next = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, parseWorkerSource: null });
  expect((await next.update(grown, parsersByAgent)).filesRead).toBe(1);
  expect(debug.some((m) => m.startsWith(`index: ${first.path}: resumed at `))).toBe(true);
  const single = await openTraceIndex({ dataDir: join(box.root, "single"), mode: "on", parseWorkerSource: null });
  await single.update(grown, parsersByAgent);
  expect(await everything(next)).toEqual(await everything(single));
});

it("has the main thread, done with its own traces, parse the smallest ones no worker started, with the same result", async () => {
  const files = [...traces(10), codexRollout(3)];
  const single = await openTraceIndex({ dataDir: join(box.root, "single"), mode: "on", parseWorkerSource: null });
  await single.update(files, parsersByAgent);
  await single.flush();
  // The worker holds its jobs until told to finish, which it is once nothing is left to take: whatever the timing, the
  // main thread takes every trace the worker did not receive.
  const holding = `const wt = require("node:worker_threads");
const on = wt.parentPort.on.bind(wt.parentPort);
const held = [];
wt.parentPort.on = (event, fn) => event !== "message" ? on(event, fn) : on(event, (m) => {
  if (m.kind !== "finish") return void held.push(m);
  for (const h of held.splice(0)) fn(h);
  fn(m);
});
${workerSource}`;
  const debug: string[] = [];
  const log = { ...recordingLog(), debug: (m: string) => void debug.push(m) };
  const pooled = await openTraceIndex({ dataDir: box.dataDir, mode: "on", log, parseWorkerSource: holding, poolMinBytes: 1, poolMinStealBytes: 1 });
  expect((await pooled.update(files, parsersByAgent)).filesRead).toBe(11);
  await pooled.flush();
  // Each worker received its first jobs (the largest); the main thread parsed the Codex rollout and the rest.
  const workers = workerCount(11);
  const expected = workers > 0 ? [`index: ${Math.min(10, JOBS_IN_FLIGHT * workers)} of 11 trace files parsed on ${workers} worker thread${workers === 1 ? "" : "s"}`] : [];
  expect(debug.filter((m) => m.includes("worker thread"))).toEqual(expected);
  expect(log.lines).toEqual([]);
  expect(await everything(pooled)).toEqual(await everything(single));
  const recordFiles = (dir: string): Map<string, Buffer> =>
    new Map(readdirSync(join(dir, "index", "traces")).map((name) => [name, readFileSync(join(dir, "index", "traces", name))]));
  expect(recordFiles(box.dataDir)).toEqual(recordFiles(join(box.root, "single")));
}, 20_000);

it("lets the main thread take a queued job only from a long enough queue, and only while the workers keep twice its bytes", () => {
  const job = (id: number): ParseJob => ({ id, path: `/t/${id}.jsonl`, agent: "claude-code", fromOffset: 0, state: null, contentsDir: null });
  const queue = (bytes: number[], minStealBytes: number): JobQueue => new JobQueue(bytes.map((n, id) => ({ job: job(id), bytes: n })), minStealBytes);
  // Below the minimum the workers keep everything; once the main thread took one, the minimum no longer applies.
  expect(queue([40, 30, 20], 100).steal()).toBeUndefined();
  const m = queue([60, 50, 40, 10, 5], 100);
  expect(m.steal()?.id).toBe(4);
  expect(m.steal()?.id).toBe(3);
  expect(m.take()?.id).toBe(0);
  expect(m.take()?.id).toBe(1);
  // 40 queued, below the minimum, but the workers have 110 besides it in flight: taken.
  expect(m.steal()?.id).toBe(2);
  expect(m.steal()).toBeUndefined();
  // Workers take the largest, the main thread the smallest, while what is left besides it is at least twice its size.
  const q = queue([50, 30, 20, 10], 1);
  expect(q.take()?.id).toBe(0);
  expect(q.steal()?.id).toBe(3);
  expect(q.steal()?.id).toBe(2);
  // Left: 50 (sent, unanswered) and 30: taking the 30 would leave the worker less than twice as much.
  expect(q.steal()).toBeUndefined();
  expect(q.take()?.id).toBe(1);
  expect(q.take()).toBeUndefined();
  // Answered bytes no longer count: with the 50 answered, a queued 20 is left to the worker beside a 30 in flight.
  const r = queue([50, 30, 20], 1);
  const first = r.take() as ParseJob;
  r.take();
  r.answered(first);
  expect(r.steal()).toBeUndefined();
  expect(r.left().map((j) => j.id)).toEqual([2]);
});
