// Behaviour of the durable incremental index on real Claude-format traces in temp folders: durability after a
// trace is deleted, resume after append equal to a cold parse, shrink/replace detection, version bump, corrupt
// files, off and rebuild modes, fork de-duplication and per-project scope.

import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INDEX_VERSION } from "../../src/store/index-files";
import { readFrames } from "../../src/store/frames";
import { openTraceIndex, type IndexMode, type TraceIndex } from "../../src/store/trace-index";
import { editCallLine, editResultLine, promptLine, type SessionCtx, writeCallsText } from "./support/claude-lines";
import { discovered, makeSandbox, recordingLog, type Sandbox } from "./support/fixtures";
import { coldEvents, createMiniClaudeParser, type MiniParser } from "./support/mini-claude-parser";

let box: Sandbox;
let parser: MiniParser;
beforeEach(() => {
  box = makeSandbox();
  parser = createMiniClaudeParser();
});
afterEach(() => box.cleanup());

const KEY = "project-a";

/** A session trace with `count` Write calls and results (plus prompt and noise), as one string. */
function sessionText(ctx: SessionCtx, count: number, first = 0): string {
  return promptLine(ctx, "2025-03-01T10:00:00.000Z", "please write the files") + writeCallsText(ctx, box.project, first, count, 2000);
}

function writeTrace(name: string, text: string): string {
  const path = join(box.traces, name);
  writeFileSync(path, text);
  return path;
}

async function open(mode: IndexMode = "on", log = recordingLog(), projectKey = KEY): Promise<TraceIndex> {
  return openTraceIndex({ dataDir: box.dataDir, mode, log, projectKey });
}

async function indexOnce(paths: string[], mode: IndexMode = "on", log = recordingLog()) {
  const index = await open(mode, log);
  const result = await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
  await index.flush();
  return { index, result, log };
}


const ctxA: SessionCtx = { sessionId: "sess-a", cwd: "/proj" };
const ctxB: SessionCtx = { sessionId: "sess-b", cwd: "/proj", model: "claude-sonnet-4-5-20250929" };

describe("durability", () => {
  it("keeps the events of a trace deleted after indexing, and counts them", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 3));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 2));
    const first = await indexOnce([a, b]);
    expect(first.result.newEvents).toBe(5);
    expect(first.index.stats).toEqual({ skippedLines: 0, eventsFromDeletedTraces: 0, traceFiles: 2 });

    rmSync(a);
    const second = await indexOnce([b]);
    expect(second.result.filesRead).toBe(0);
    expect(second.index.events().map((e) => e.toolCallId)).toEqual(first.index.events().map((e) => e.toolCallId));
    expect(second.index.stats).toEqual({ skippedLines: 0, eventsFromDeletedTraces: 3, traceFiles: 1 });
    expect(second.index.sessions().map((s) => s.sessionId).sort()).toEqual(["sess-a", "sess-b"]);
  });

  it("answers only for traces this project's discovery returned", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    await indexOnce([a, b]);
    const other = await open("on", recordingLog(), "project-b");
    expect(other.events()).toEqual([]);
    await other.update([discovered(b)], { "claude-code": parser });
    // b is served from the shared trace record without reading it again.
    expect(parser.calls).toHaveLength(2);
    expect(other.events().map((e) => e.sessionId)).toEqual(["sess-b"]);
    // A file that still exists but is no longer returned by discovery leaves the project's scope.
    const again = await indexOnce([b]);
    expect(again.index.events().map((e) => e.sessionId)).toEqual(["sess-b"]);
    expect(again.index.stats.eventsFromDeletedTraces).toBe(0);
  });

  it("a first index (no index folder when opened) finds, once flushed, the records another process wrote since", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    expect(existsSync(join(box.dataDir, "index"))).toBe(false);
    const index = await open();
    await index.update([discovered(a)], { "claude-code": parser });
    await index.flush();
    // Another process, indexing another project, writes the record of a trace this one has not seen yet.
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const other = await open("on", recordingLog(), "project-b");
    await other.update([discovered(b)], { "claude-code": parser });
    await other.flush();
    const parsed = parser.calls.length;
    const result = await index.update([discovered(a), discovered(b)], { "claude-code": parser });
    expect(result.filesRead).toBe(0);
    expect(parser.calls).toHaveLength(parsed);
    expect(index.events().map((e) => e.sessionId).sort()).toEqual(["sess-a", "sess-a", "sess-b"]);
  });

  it("keeps events and stored contents across processes (reopen) without reading unchanged traces", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const first = await indexOnce([a]);
    const key = first.index.events()[0]?.change.after;
    expect(key).toBeDefined();
    const reopened = await open();
    expect(reopened.events()).toEqual(first.index.events());
    expect(reopened.contents.get(key ?? "")).toBe("export const v0 = 0;\n");
    const result = await reopened.update([discovered(a)], { "claude-code": parser });
    expect(result).toEqual({ filesRead: 0, bytesRead: 0, newEvents: 0, skippedLines: 0, unreadable: 0 });
    // One pack per run that stored texts.
    expect(readdirSync(join(box.dataDir, "index", "contents"))).toEqual([expect.stringMatching(/\.pack$/)]);
  });
});

describe("incremental reads", () => {
  it("resumes a grown file from its offset, with parser state, and equals a cold parse", async () => {
    const full = sessionText(ctxA, 4);
    // Cut inside the third call's pair (after its tool_use line) and in the middle of a line.
    const lines = full.split(/(?<=\n)/);
    const head = lines.slice(0, 8).join("");
    const cut = head.length + 100;
    const a = writeTrace("a.jsonl", full.slice(0, cut));
    const first = await indexOnce([a]);
    expect(first.index.events()).toHaveLength(2);
    expect(parser.calls).toEqual([{ path: a, fromOffset: 0 }]);

    appendFileSync(a, full.slice(cut));
    const second = await indexOnce([a]);
    expect(parser.calls[1]).toEqual({ path: a, fromOffset: Buffer.byteLength(head) });
    expect(second.result.newEvents).toBe(2);
    expect(second.result.bytesRead).toBe(Buffer.byteLength(full) - Buffer.byteLength(head));
    expect(second.index.events()).toEqual(await coldEvents([a]));
  });

  it("after a cold update of many traces the same index resumes each grown one from its offset (states read back from disk)", async () => {
    // More traces than the index keeps parser states in memory for (32): a cold index writes them to disk only.
    const cuts: { path: string; full: string; head: number }[] = [];
    for (let n = 0; n < 40; n++) {
      const full = sessionText({ sessionId: `sess-${n}`, cwd: "/proj" }, 3);
      const head = full.split(/(?<=\n)/).slice(0, 5).join("");
      cuts.push({ path: writeTrace(`s${n}.jsonl`, head), full, head: Buffer.byteLength(head) });
    }
    const paths = cuts.map((c) => c.path);
    const index = await open();
    await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
    for (const c of cuts) appendFileSync(c.path, c.full.slice(c.head));
    parser.calls.length = 0;
    const result = await index.update(paths.map((p) => discovered(p)), { "claude-code": parser });
    expect(parser.calls).toEqual(cuts.map((c) => ({ path: c.path, fromOffset: c.head })));
    expect(result.bytesRead).toBe(cuts.reduce((sum, c) => sum + Buffer.byteLength(c.full) - c.head, 0));
    expect(index.events()).toEqual(await coldEvents(paths));
  });

  it("re-reads a shrunk file whole and keeps the indexed events it no longer holds (agents only append)", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 3));
    const first = await indexOnce([a]);
    truncateSync(a, Buffer.byteLength(sessionText(ctxA, 1)));
    const second = await indexOnce([a]);
    expect(parser.calls.at(-1)).toEqual({ path: a, fromOffset: 0 });
    expect(second.index.events()).toHaveLength(3);
    expect(second.index.events()).toEqual(first.index.events());
    // Those kept events are in no trace now: their record has a second copy, used when the first is damaged.
    const traces = join(box.dataDir, "index", "traces");
    const [copy] = readdirSync(traces).filter((name) => name.endsWith(".copy"));
    expect(copy).toBeDefined();
    writeFileSync(join(traces, (copy ?? "").slice(0, -".copy".length)), "torn");
    expect((await indexOnce([a])).index.events()).toEqual(first.index.events());
  });

  it("re-reads a replaced file (new inode) whole even when it grew, keeping the events it no longer holds", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    await indexOnce([a]);
    const replacement = join(box.traces, "a.jsonl.new");
    writeFileSync(replacement, sessionText(ctxB, 3));
    renameSync(replacement, a);
    const second = await indexOnce([a]);
    expect(parser.calls.at(-1)).toEqual({ path: a, fromOffset: 0 });
    expect(second.index.events().map((e) => e.sessionId).sort()).toEqual(["sess-a", "sess-a", "sess-b", "sess-b", "sess-b"]);
  });

  it("re-reads whole a file rewritten in place with more bytes (the bytes before the offset changed)", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const first = (await indexOnce([a])).index.events();
    writeFileSync(a, sessionText(ctxB, 3));
    const second = await indexOnce([a]);
    expect(parser.calls.at(-1)).toEqual({ path: a, fromOffset: 0 });
    const expected = [...first, ...(await coldEvents([a]))].map((e) => e.id).sort();
    expect(second.index.events().map((e) => e.id).sort()).toEqual(expected);
    // An explicit rebuild starts over from what the file holds now.
    const rebuilt = await indexOnce([a], "rebuild");
    expect(rebuilt.index.events()).toEqual(await coldEvents([a]));
  });

  it("re-reads a changed compressed trace whole, never from an offset", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 1));
    const index = await open();
    await index.update([discovered(a, "claude-code", true)], { "claude-code": parser });
    appendFileSync(a, sessionText(ctxA, 1, 5));
    await index.update([discovered(a, "claude-code", true)], { "claude-code": parser });
    expect(parser.calls.map((c) => c.fromOffset)).toEqual([0, 0]);
    expect(index.events()).toHaveLength(2);
  });

  it("de-duplicates a tool call copied into a forked session, also after the original is deleted", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const fork = writeTrace("fork.jsonl", sessionText(ctxA, 3));
    const first = await indexOnce([a, fork]);
    expect(first.index.events()).toHaveLength(3);
    expect(first.index.events().filter((e) => e.toolCallId === "toolu_sess-a_0")[0]?.traceFile).toBe(a);
    rmSync(a);
    const second = await indexOnce([fork]);
    expect(second.index.events()).toHaveLength(3);
    // Every event still has a live copy in the fork, so none counts as coming from a deleted trace.
    expect(second.index.stats.eventsFromDeletedTraces).toBe(0);
    expect(second.index.events().every((e) => e.traceFile === fork)).toBe(true);
  });

  it("after a read error midway keeps what was read and reads on from there next time", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 3));
    const real = createMiniClaudeParser();
    let failOnce = true;
    const flaky: MiniParser = {
      ...real,
      async parse(input) {
        const out = await real.parse(input);
        if (!failOnce) return out;
        failOnce = false;
        // As a parser reports an I/O error after the first event: what it read, and where it stopped.
        const bytes = readFileSync(input.path);
        const endOffset = bytes.indexOf(10, out.events[0]?.traceOffset ?? 0) + 1;
        return { ...out, events: out.events.slice(0, 1), endOffset, error: `cannot read ${input.path}: EIO` };
      },
    };
    const log = recordingLog();
    const index = await open("on", log);
    const failed = await index.update([discovered(a)], { "claude-code": flaky });
    expect(failed.unreadable).toBe(1);
    expect(log.lines).toEqual([`warn: index: cannot read ${a}: EIO; kept what was indexed before`]);
    expect(index.events()).toHaveLength(1);
    const again = await index.update([discovered(a)], { "claude-code": flaky });
    expect(again.filesRead).toBe(1);
    expect(real.calls.at(-1)?.fromOffset).toBeGreaterThan(0);
    expect(index.events()).toEqual(await coldEvents([a]));
  });

  it("counts skipped lines per trace and keeps failed edits out", async () => {
    const file = join(box.project, "x.ts");
    const text =
      sessionText(ctxA, 1) +
      "not json at all\n" +
      editCallLine(ctxA, "2025-03-01T11:00:00.000Z", "toolu_bad", file, "a", "b") +
      editResultLine(ctxA, "2025-03-01T11:00:01.000Z", "toolu_bad", file, "", "a", "b", true);
    const a = writeTrace("a.jsonl", text);
    const { index, result } = await indexOnce([a]);
    expect(result.skippedLines).toBe(1);
    expect(index.stats.skippedLines).toBe(1);
    expect(index.events()).toHaveLength(1);
  });
});

describe("index files", () => {
  function indexJsonFiles(): string[] {
    const root = join(box.dataDir, "index");
    return ["projects", "traces", "states"].flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).map((f) => join(root, d, f)) : []));
  }

  it("discards files of another format version with a notice and rebuilds from the traces", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const first = await indexOnce([a, b]);
    for (const file of indexJsonFiles()) {
      // As a version-2 index left them: unframed JSON (records: a head line, then the changes line).
      const payloads = readFrames(readFileSync(file)).frames.map((f) => f.toString("utf8"));
      const json = JSON.parse(payloads[0] ?? "") as { v: number };
      json.v = INDEX_VERSION - 1;
      writeFileSync(file, [JSON.stringify(json), ...payloads.slice(1)].join("\n"));
    }
    const log = recordingLog();
    const second = await indexOnce([a, b], "on", log);
    expect(second.result.filesRead).toBe(2);
    expect(second.index.events()).toEqual(first.index.events());
    expect(log.lines.some((l) => /another format version/.test(l))).toBe(true);
    // Rebuilt: a third run reads nothing and reports nothing.
    const quiet = recordingLog();
    const third = await indexOnce([a, b], "on", quiet);
    expect(third.result.filesRead).toBe(0);
    expect(quiet.lines).toEqual([]);
  });

  it("discards a corrupt index file with a notice and rebuilds it", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const first = await indexOnce([a, b]);
    const files = indexJsonFiles();
    const record = files.find((f) => f.includes(`${join("index", "traces")}`) && readFileSync(f, "utf8").includes("sess-a"));
    expect(record).toBeDefined();
    writeFileSync(record ?? "", readFileSync(record ?? "", "utf8").slice(0, 50));
    const project = files.find((f) => f.includes(join("index", "projects")));
    writeFileSync(project ?? "", "\u0000\u0001garbage");
    const log = recordingLog();
    const second = await indexOnce([a, b], "on", log);
    expect(log.lines.filter((l) => /corrupt/.test(l))).toHaveLength(3);
    expect(log.lines).toContain(`warn: index: the stored record of ${a} is torn or corrupt; re-reading the trace`);
    expect(second.result.filesRead).toBe(1);
    expect(second.index.events()).toEqual(first.index.events());
    expect((await indexOnce([a, b])).result.filesRead).toBe(0);
  });

  it("off mode reads and writes nothing on disk", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    await indexOnce([a]);
    rmSync(box.dataDir, { recursive: true });
    const { index, result } = await indexOnce([a], "off");
    expect(result.filesRead).toBe(1);
    expect(index.events()).toHaveLength(2);
    expect(index.contents.get(index.events()[0]?.change.after ?? "")).toBe("export const v0 = 0;\n");
    index.cwdCache.set(a, { size: 1, mtimeMs: 1, cwd: "/proj" });
    await index.flush();
    expect(existsSync(box.dataDir)).toBe(false);
  });

  it("rebuild mode re-reads every existing trace and keeps the events of deleted ones", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const c = writeTrace("c.jsonl", sessionText({ sessionId: "sess-c", cwd: "/proj" }, 1));
    const first = await indexOnce([a, b, c]);
    rmSync(a);
    const { index, result } = await indexOnce([b, c], "rebuild");
    expect(result.filesRead).toBe(2);
    expect(result.newEvents).toBe(0);
    expect(index.events()).toEqual(first.index.events());
    expect(index.stats.eventsFromDeletedTraces).toBe(2);
    // Within one rebuild session (a server), later updates are incremental again.
    expect((await index.update([discovered(b), discovered(c)], { "claude-code": parser })).filesRead).toBe(0);
  });

  it("persists the discovery cwd cache for traces the table's directory does not note", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 1));
    const other = join(box.traces, "another-project.jsonl");
    const { index } = await indexOnce([a]);
    index.cwdCache.set(other, { size: 10, mtimeMs: 20, cwd: "/elsewhere" });
    await index.flush();
    const reopened = await open();
    expect(reopened.cwdCache.get(other)).toEqual({ size: 10, mtimeMs: 20, cwd: "/elsewhere" });
  });

  it("grows the cwd cache by the entries set since it was read, later ones winning, and rewrites it when damaged", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 1));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const first = await open();
    first.cwdCache.set(a, { size: 1, mtimeMs: 2, cwd: "/proj" });
    first.cwdCache.set(b, { size: 3, mtimeMs: 4, cwd: null });
    await first.flush();
    const file = join(box.dataDir, "index", "cwd-cache.json");
    const whole = readFileSync(file);
    const second = await open();
    second.cwdCache.set(a, { size: 5, mtimeMs: 6, cwd: "/proj/sub" });
    await second.flush();
    // Only a frame with a's new entry was appended.
    const grown = readFileSync(file);
    expect(grown.subarray(0, whole.length)).toEqual(whole);
    expect(grown.subarray(whole.length).toString("utf8")).toContain("/proj/sub");
    expect(grown.subarray(whole.length).toString("utf8")).not.toContain("b.jsonl");
    const third = await open();
    expect(third.cwdCache.get(a)).toEqual({ size: 5, mtimeMs: 6, cwd: "/proj/sub" });
    expect(third.cwdCache.get(b)).toEqual({ size: 3, mtimeMs: 4, cwd: null });
    // A torn append keeps the entries before it; the next save rewrites the file whole.
    writeFileSync(file, grown.subarray(0, grown.length - 3));
    const fourth = await open();
    expect(fourth.cwdCache.get(a)).toEqual({ size: 1, mtimeMs: 2, cwd: "/proj" });
    fourth.cwdCache.set(b, { size: 7, mtimeMs: 8, cwd: "/proj" });
    await fourth.flush();
    expect(readFileSync(file).toString("utf8")).not.toContain("/proj/sub");
    const fifth = await open();
    expect(fifth.cwdCache.get(a)).toEqual({ size: 1, mtimeMs: 2, cwd: "/proj" });
    expect(fifth.cwdCache.get(b)).toEqual({ size: 7, mtimeMs: 8, cwd: "/proj" });
  });

  it("keeps working in memory when the data dir cannot be written, with one warning", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    writeFileSync(box.dataDir, "a file where the data folder should be");
    const log = recordingLog();
    const { index } = await indexOnce([a], "on", log);
    expect(index.events()).toHaveLength(2);
    expect(index.contents.get(index.events()[1]?.change.after ?? "")).toBe("export const v1 = 1;\n");
    expect(log.lines.filter((l) => l.startsWith("warn:"))).toHaveLength(1);
  });

  it("a parser state that cannot be saved concerns its trace only: every other file is still saved", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    const real = createMiniClaudeParser();
    const unserialisable: MiniParser = {
      ...real,
      async parse(input) {
        const out = await real.parse(input);
        // JSON.stringify throws on a BigInt, as it overflows on a 100k-deep value.
        return input.path === a ? { ...out, state: { depth: 10n } } : out;
      },
    };
    const log = recordingLog();
    const index = await open("on", log);
    await index.update([discovered(a), discovered(b)], { "claude-code": unserialisable });
    await index.flush();
    expect(log.lines).toEqual([expect.stringMatching(new RegExp(`^warn: index: cannot save what was read of ${a} \\(`))]);
    const root = join(box.dataDir, "index");
    expect(readdirSync(join(root, "traces"))).toHaveLength(2);
    expect(readdirSync(join(root, "projects"))).toHaveLength(2);
    expect((await indexOnce([a, b])).index.events()).toHaveLength(3);
    // b's state was saved: grown, it is read on from where it stopped; a, with none saved, is read whole.
    const sizeB = readFileSync(b).length;
    appendFileSync(a, writeCallsText(ctxA, box.project, 2, 1, 2000));
    appendFileSync(b, writeCallsText(ctxB, box.project, 1, 1, 2000));
    parser.calls.length = 0;
    const grown = await indexOnce([a, b]);
    expect(parser.calls).toEqual([{ path: a, fromOffset: 0 }, { path: b, fromOffset: sizeB }]);
    expect(grown.index.events()).toHaveLength(5);
  });

  it("keeps the edits of a deleted trace in scope when one copy of the project's trace list is corrupt", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    await indexOnce([a, b]);
    rmSync(a);
    const projects = join(box.dataDir, "index", "projects");
    const [list] = readdirSync(projects).filter((name) => !name.endsWith(".copy"));
    const bytes = readFileSync(join(projects, list ?? ""));
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x01;
    writeFileSync(join(projects, list ?? ""), bytes);
    const after = await indexOnce([b]);
    expect(after.index.events().map((e) => e.sessionId).sort()).toEqual(["sess-a", "sess-a", "sess-b"]);
    expect(after.index.stats.eventsFromDeletedTraces).toBe(2);
    // The damaged first copy was rewritten from the good one.
    expect(readFileSync(join(projects, list ?? ""))).toEqual(readFileSync(join(projects, `${list ?? ""}.copy`)));
  });

  it("keeps the edits of a deleted trace when its record is then damaged (the record has a second copy once gone)", async () => {
    const a = writeTrace("a.jsonl", sessionText(ctxA, 2));
    const b = writeTrace("b.jsonl", sessionText(ctxB, 1));
    await indexOnce([a, b]);
    rmSync(a);
    await indexOnce([b]);
    const traces = join(box.dataDir, "index", "traces");
    const copies = readdirSync(traces).filter((name) => name.endsWith(".copy"));
    expect(copies).toHaveLength(1);
    const record = join(traces, (copies[0] ?? "").slice(0, -".copy".length));
    const bytes = readFileSync(record);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x04;
    writeFileSync(record, bytes);
    const after = await indexOnce([b]);
    expect(after.index.events().map((e) => e.sessionId).sort()).toEqual(["sess-a", "sess-a", "sess-b"]);
    expect(readFileSync(record)).toEqual(readFileSync(`${record}.copy`));
  });
});
