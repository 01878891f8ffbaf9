// Where a warm refresh learns the working directory a trace's head names: the project's event table directory notes it
// for every trace it knows, as last indexed, so the index's cwd cache file is read only for a trace the directory does
// not note (a new one, another project's). Each refresh here is a new engine, as each command is a new process; the
// cache file is rewritten with answers that contradict the traces, so which source answered shows in what is found.

import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrackedCwdCache } from "../../src/discovery/head";
import { createEngine } from "../../src/engine";
import { CwdCacheFile } from "../../src/store/cwd-cache-file";
import { DirEntries } from "../../src/store/directory-entries";
import { encodeFrame, splitFrames } from "../../src/store/frames";
import { INDEX_VERSION } from "../../src/store/index-files";
import { DIRECTORY_FORMAT } from "../../src/store/table-directory";
import { claudeSessionPath, makeTempHome, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

const SID = "7d3c1f0e-5b2a-4c9d-8e1f-2a3b4c5d6e7f";
const OTHER = "9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
let t: TempHome;
let session: string;

beforeEach(() => {
  t = makeTempHome();
  session = placeFixture("claude/session.jsonl", claudeSessionPath(t.home, t.project, `${SID}.jsonl`), t.project);
});
afterEach(() => t.cleanup());

const cacheFile = (): string => join(t.root, "data", "index", "cwd-cache.json");

/**
 * A folder beside the project whose path Claude Code would file under the project's own folder name (`my_app.v2` and
 * `my-app-v2` encode alike): a trace there whose head names it is that folder's, not the project's.
 */
const lookalike = (): string => join(dirname(t.project), "my-app-v2");

/** One command's refresh: a new engine on the same data folder, counting only (as `stats` does). */
async function command() {
  const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: join(t.root, "data"), countsOnly: true });
  const result = await engine.refresh();
  return { result, events: engine.snapshot().stats().events };
}

/** Rewrites the cache file whole with entries saying each trace (at its size and time now) ran in `cwd`. */
function cacheSays(cwd: string, ...traces: string[]): void {
  const cache = new TrackedCwdCache();
  for (const path of traces) {
    const { size, mtimeMs } = statSync(path);
    cache.set(path, { size, mtimeMs, cwd });
  }
  new CwdCacheFile(cacheFile(), INDEX_VERSION).save(cache);
}

/** A Write call and its result by another session of the project, as Claude Code writes them. */
function otherSession(): string {
  const base = { isSidechain: false, userType: "external", cwd: t.project, sessionId: OTHER, version: "2.0.75", gitBranch: "main" };
  const path = `${t.project}/other.txt`;
  const use = { ...base, parentUuid: null, type: "assistant", message: { model: "claude-opus-4-5-20251101", role: "assistant", content: [{ type: "tool_use", id: "toolu_other", name: "Write", input: { file_path: path, content: "new\n" } }] }, uuid: "o-a", timestamp: "2025-12-21T10:00:00Z" };
  const result = { ...base, parentUuid: "o-a", type: "user", message: { role: "user", content: [{ tool_use_id: "toolu_other", type: "tool_result", content: "ok" }] }, uuid: "o-r", timestamp: "2025-12-21T10:00:01Z", toolUseResult: { type: "create", filePath: path, content: "new\n", structuredPatch: [], originalFile: null } };
  return writeTrace(claudeSessionPath(t.home, t.project, `${OTHER}.jsonl`), `${JSON.stringify(use)}\n${JSON.stringify(result)}\n`);
}

describe("cwd notes of the table's directory", () => {
  it("place an indexed trace without the cache file: a file contradicting them is not read", async () => {
    const first = await command();
    expect(first.result.traceFiles).toBe(1);
    await command();
    cacheSays(lookalike(), session);
    const warm = await command();
    expect(warm.result).toMatchObject({ traceFiles: 1, filesRead: 0 });
    expect(warm.events).toBe(first.events);
  });

  it("leave a trace they do not note to the cache file, read for it", async () => {
    await command();
    await command();
    const other = otherSession();
    // The cache file's answer for the new trace is taken: it places the trace in the lookalike, not the project.
    cacheSays(lookalike(), other);
    expect((await command()).result.traceFiles).toBe(1);
    // Without an answer for it (the file's only entry is the noted trace's, which is not read) its head is read.
    cacheSays(lookalike(), session);
    const found = await command();
    expect(found.result).toMatchObject({ traceFiles: 2, filesRead: 1 });
  });

  it("follow a noted trace that grew by its head's checksum, without writing the cache file, and note it anew", async () => {
    const first = await command();
    await command();
    const before = readFileSync(cacheFile());
    appendFileSync(session, "\n");
    appendFileSync(session, `${readFileSync(session, "utf8").split("\n")[0]}\n`);
    const grown = await command();
    expect(grown.result).toMatchObject({ traceFiles: 1, filesRead: 1 });
    expect(readFileSync(cacheFile())).toEqual(before);
    // Noted anew: a contradicting cache file is not read, nothing is read again.
    cacheSays(lookalike(), session);
    const after = await command();
    expect(after.result).toMatchObject({ traceFiles: 1, filesRead: 0 });
    expect(after.events).toBe(first.events);
  });

  it("are numbers of their entry's row; a directory of format 5 (entries as JSON) is not read, and is written anew", async () => {
    const first = await command();
    await command();
    const views = join(t.root, "data", "index", "views");
    const dir = join(views, readdirSync(views).find((n) => n.endsWith(".dir")) ?? "");
    const { frames } = splitFrames(readFileSync(dir));
    const json = JSON.parse((frames[0] ?? Buffer.alloc(0)).toString("utf8")) as { format: number; count: number; agents: string[]; cwds: (string | null)[] };
    expect(json.format).toBe(DIRECTORY_FORMAT);
    const note = DirEntries.decode(frames[1] ?? Buffer.alloc(0), frames[2] ?? Buffer.alloc(0), json.count, json.agents, json.cwds)?.get(session)?.note;
    expect(note).toMatchObject({ cwd: t.project, size: statSync(session).size, agent: "claude-code" });
    expect(note?.head?.[0]).toBeGreaterThan(0);
    const rewrite = (head: object): void => writeFileSync(dir, Buffer.concat([encodeFrame(JSON.stringify(head)), ...frames.slice(1).map((f) => encodeFrame(f))]));
    cacheSays(lookalike(), session);
    // Written again as it was, the directory is read: its note places the trace, the contradicting file is not read.
    rewrite(json);
    expect((await command()).result).toMatchObject({ traceFiles: 1, filesRead: 0 });
    // As format 5 said, it is not: the cache file answers (the lookalike), so the project has no trace.
    rewrite({ ...json, format: 5 });
    expect((await command()).result.traceFiles).toBe(0);
    cacheSays(t.project, session);
    expect((await command()).events).toBe(first.events);
    const again = JSON.parse((splitFrames(readFileSync(dir)).frames[0] ?? Buffer.alloc(0)).toString("utf8")) as { format: number; count: number };
    expect(again).toMatchObject({ format: DIRECTORY_FORMAT, count: 1 });
  });
});
