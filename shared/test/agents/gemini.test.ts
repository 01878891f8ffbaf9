// Gemini CLI: both session layouts (a whole `.json` rewritten on every message, the append-only `.jsonl` with
// message rewrites, `$set` and `$rewindTo`), discovery through the sha256 folder, projects.json slugs and
// `.project_root` markers ($GEMINI_CLI_HOME, --home), the user-modified proposal, and the index's handling of a file
// that is replaced, rewritten or caught half-written. Fixtures are hand-written (fixtures/gemini) or written with the
// Gemini writer kit (examples/tools/writers/gemini.mjs) in a temp home.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GeminiTraceParser } from "../../src/agents/gemini/parser";
import { modelVersion } from "../../src/agents/gemini/edits";
import { discoverTraces } from "../../src/discovery";
import { createEngine } from "../../src/engine";
import { loadTranscript } from "../../src/transcripts/load";
import { GeminiSession, chatsDir, projectHash, projectsJson, replaceCall, sessionFileName, writeFileCall } from "../../../examples/tools/writers/gemini.mjs";
import { brief, makeTempHome, parseWhole, placeFixture, writeTrace, type TempHome } from "../support/trace-home";

let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const parser = new GeminiTraceParser();
const LEGACY = "session-2025-11-03T09-12-3f9e2b1c.json";
const LOG = "session-2026-01-14T16-02-8c2d4e6f.jsonl";

function placeLegacy(folder = projectHash(t.project)): string {
  return placeFixture("gemini/session-legacy.json", join(chatsDir(t.home, folder), LEGACY), t.project, { HASH: projectHash(t.project) });
}

describe("Gemini session files", () => {
  it("reads the whole-record .json: FileDiff edits, relative args path, failed call, model and prompt", async () => {
    const out = await parseWhole(parser, placeLegacy());
    expect(out.error).toBeUndefined();
    expect(out.events.map((e) => brief(e, t.project))).toEqual([
      { file: "src/text.py", action: "CREATED", tool: "write_file", model: "gemini-2.5-pro", call: "write_file-1762161139644-7c1e2f3a4b5c6" },
      { file: "src/cli.py", action: "EDITED", tool: "replace", model: "gemini-2.5-pro", call: "replace-1762161145200-2d3e4f5a6b7c8" },
    ]);
    const edit = out.events[1]!;
    expect(out.contents.get(edit.change.before!)).toContain("    name = args.name\n");
    expect(out.contents.get(edit.change.after!)).toContain("    name = slugify(args.name)\n");
    expect(edit.promptText).toBe("Add a slugify helper in src/text.py and use it in the CLI");
    expect(edit.timestamp).toBe("2025-11-03T09:12:31.770Z");
    expect(out.sessions[0]).toMatchObject({ sessionId: "3f9e2b1c-7a4d-4e8f-9b2c-1d5e6f7a8b9c", agent: "gemini-cli", models: ["gemini-2.5-pro"] });
  });

  it("folds the .jsonl log: a message written again under its id counts once, $set patches, rewound messages kept", async () => {
    const path = placeFixture("gemini/session-log.jsonl", join(chatsDir(t.home, projectHash(t.project)), LOG), t.project, { HASH: projectHash(t.project) });
    const out = await parseWhole(parser, path);
    expect(out.events.map((e) => [e.toolCallId, e.model, e.promptText])).toEqual([
      ["write_file-1768406532100-a1b2c3d4e5f6", "gemini-3-pro-preview", "Start a notes file with a draft line"],
      ["replace-1768406590000-b2c3d4e5f6a7", "gemini-3-pro-preview", "Call it Draft v2"],
      ["replace-1768406650000-c3d4e5f6a7b8", "gemini-3-flash-preview", "Make it the final draft"],
    ]);
    expect(out.sessions[0]).toMatchObject({ firstPrompt: "Start a notes file with a draft line", endTime: "2026-01-14T16:04:03.500Z" });
    expect(out.skippedLines).toBe(0);
  });

  it("narrows a proposal the user modified to the lines the model proposed", () => {
    const before = "a\nb\n";
    const proposal = "a\nmodel one\nmodel two\nb\n";
    const after = "a\nmodel one\nuser line\nb\n";
    expect(modelVersion(before, after, proposal)).toBe("a\nmodel one\nb\n");
  });

  it("counts a user-modified proposal without the model's version as unprovable, and unknown shapes as skipped", async () => {
    const s = new GeminiSession({ sessionId: "5a5a5a5a-0000-4000-8000-000000000001", projectPath: t.project, startTime: "2026-02-01T10:00:00.000Z" });
    s.user("u1", "2026-02-01T10:00:01.000Z", "write it");
    const modified = writeFileCall({ id: "w1", timestamp: "2026-02-01T10:00:02.000Z", filePath: `${t.project}/a.txt`, before: null, after: "x\n", proposal: "y\n" });
    delete (modified.args as Record<string, unknown>).ai_proposed_content;
    s.gemini("g1", "2026-02-01T10:00:02.000Z", "gemini-2.5-flash", { toolCalls: [modified, { name: "no id" }, { id: "odd", name: "mystery_tool", status: "success", args: { x: 1 }, resultDisplay: { todos: [] } }] });
    const path = writeTrace(join(chatsDir(t.home, projectHash(t.project)), "session-x.jsonl"), s.jsonl());
    const out = await parseWhole(parser, path);
    expect(out.events).toEqual([]);
    expect(out.skippedLines).toBe(2);
  });
});

describe("Gemini discovery", () => {
  function session(projectPath: string, id: string): GeminiSession {
    const s = new GeminiSession({ sessionId: id, projectPath, startTime: "2026-02-02T08:00:00.000Z" });
    s.user(`${id}-u`, "2026-02-02T08:00:01.000Z", "hello");
    return s;
  }

  it("finds sessions in the sha256 folder, a projects.json slug, a .project_root marker and a subfolder's slug; not other projects'", async () => {
    const gemini = join(t.home, ".gemini");
    const sub = join(t.project, "pkg");
    const other = join(t.root, "other");
    writeTrace(join(gemini, "projects.json"), projectsJson({ [t.project]: "my-app-v2", [sub]: "pkg", [other]: "other" }));
    writeTrace(join(gemini, "tmp", "my-app-v2", ".project_root"), t.project);
    writeTrace(join(gemini, "tmp", "unregistered", ".project_root"), t.project);
    const files = {
      hash: writeTrace(join(chatsDir(t.home, projectHash(t.project)), "session-a.json"), session(t.project, "aaaaaaaa-1").json()),
      slug: writeTrace(join(chatsDir(t.home, "my-app-v2"), "session-b.jsonl"), session(t.project, "bbbbbbbb-2").jsonl()),
      marker: writeTrace(join(chatsDir(t.home, "unregistered"), "session-c.jsonl"), session(t.project, "cccccccc-3").jsonl()),
      sub: writeTrace(join(chatsDir(t.home, "pkg"), "session-d.jsonl"), session(sub, "dddddddd-4").jsonl()),
      subagent: writeTrace(join(chatsDir(t.home, "my-app-v2"), "bbbbbbbb-2", "eeeeeeee-5.jsonl"), session(t.project, "eeeeeeee-5").jsonl()),
      other: writeTrace(join(chatsDir(t.home, "other"), "session-f.jsonl"), session(other, "ffffffff-6").jsonl()),
      // A session recorded for another project in this project's slug folder is not this project's.
      foreign: writeTrace(join(chatsDir(t.home, "my-app-v2"), "session-g.jsonl"), session(other, "99999999-7").jsonl()),
    };
    const found = await discoverTraces({ projectDir: t.project, home: t.home, env: { HOME: t.home } });
    const gem = found.files.filter((f) => f.agent === "gemini-cli").map((f) => f.path).sort();
    expect(gem).toEqual([files.hash, files.marker, files.slug, files.subagent, files.sub].sort());
    expect(found.roots.filter((r) => r.agent === "gemini-cli").map((r) => r.path)).toContain(join(chatsDir(t.home, "my-app-v2")));
  });

  it("honours $GEMINI_CLI_HOME, and an explicit --home over it; --agents without gemini skips them", async () => {
    const alt = join(t.root, "alt");
    const path = writeTrace(join(chatsDir(alt, projectHash(t.project)), "session-a.jsonl"), session(t.project, "abababab-1").jsonl());
    const viaEnv = await discoverTraces({ projectDir: t.project, env: { HOME: t.home, GEMINI_CLI_HOME: alt } });
    expect(viaEnv.files.map((f) => f.path)).toContain(path);
    const explicit = await discoverTraces({ projectDir: t.project, home: t.home, env: { HOME: t.home, GEMINI_CLI_HOME: alt } });
    expect(explicit.files.map((f) => f.path)).not.toContain(path);
    const off = await discoverTraces({ projectDir: t.project, agents: { gemini: false }, env: { HOME: t.home, GEMINI_CLI_HOME: alt } });
    expect(off.files.map((f) => f.path)).not.toContain(path);
  });
});

describe("Gemini sessions in the engine", () => {
  const start = "2026-03-01T12:00:00.000Z";

  function setup(): { s: GeminiSession; path: string; write: (text: string) => void } {
    const s = new GeminiSession({ sessionId: "12345678-aaaa-4bbb-8ccc-000000000001", projectPath: t.project, startTime: start });
    const path = join(chatsDir(t.home, projectHash(t.project)), sessionFileName(start, "12345678-aaaa", ".json"));
    mkdirSync(join(path, ".."), { recursive: true });
    // Gemini CLI rewrites the whole file; here through a temp file and a rename (a new inode each time).
    const write = (text: string): void => {
      writeFileSync(`${path}.tmp`, text);
      renameSync(`${path}.tmp`, path);
    };
    return { s, path, write };
  }

  it("follows a .json rewritten on every message, keeps its events through a half-written copy", async () => {
    const { s, path, write } = setup();
    const file = join(t.project, "notes.md");
    s.user("u1", "2026-03-01T12:00:01.000Z", "create notes");
    s.gemini("g1", "2026-03-01T12:00:05.000Z", "gemini-2.5-pro", { toolCalls: [writeFileCall({ id: "w1", timestamp: "2026-03-01T12:00:05.000Z", filePath: file, before: null, after: "one\ntwo\n" })] });
    write(s.json());
    writeFileSync(file, "one\ntwo\n");
    const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, dataDir: join(t.root, "data") });
    await engine.refresh();
    expect(engine.snapshot().events().map((e) => e.toolCallId)).toEqual(["w1"]);

    s.user("u2", "2026-03-01T12:01:00.000Z", "add three");
    s.gemini("g2", "2026-03-01T12:01:04.000Z", "gemini-2.5-flash", { toolCalls: [replaceCall({ id: "r1", timestamp: "2026-03-01T12:01:04.000Z", filePath: file, before: "one\ntwo\n", oldString: "two\n", newString: "two\nthree\n" })] });
    write(s.json());
    writeFileSync(file, "one\ntwo\nthree\n");
    await engine.ingest([path]);
    expect(engine.snapshot().events().map((e) => e.toolCallId)).toEqual(["w1", "r1"]);
    const lines = engine.snapshot().blame(file).lines.map((l) => l.owner?.model ?? null);
    expect(lines).toEqual(["gemini-2.5-pro", "gemini-2.5-pro", "gemini-2.5-flash"]);

    // Caught mid-write: the JSON is cut short. Nothing indexed is lost; it is counted as unreadable.
    writeFileSync(path, s.json().slice(0, 200));
    const refreshed = await engine.refresh();
    expect(refreshed.filesRead).toBe(0);
    expect(engine.snapshot().events().map((e) => e.toolCallId)).toEqual(["w1", "r1"]);
  });

  it("a rewound edit owns its lines only where the file still holds them", async () => {
    const { s, path } = setup();
    const kept = join(t.project, "kept.txt");
    const reverted = join(t.project, "reverted.txt");
    s.user("u1", "2026-03-01T12:00:01.000Z", "first");
    s.gemini("g1", "2026-03-01T12:00:02.000Z", "gemini-2.5-pro", { toolCalls: [writeFileCall({ id: "w-kept", timestamp: "2026-03-01T12:00:02.000Z", filePath: kept, before: null, after: "kept line\n" }), writeFileCall({ id: "w-rev", timestamp: "2026-03-01T12:00:03.000Z", filePath: reverted, before: null, after: "old idea\n" })] });
    s.rewindTo("u1");
    s.user("u2", "2026-03-01T12:02:00.000Z", "again");
    s.gemini("g2", "2026-03-01T12:02:01.000Z", "gemini-2.5-flash", { toolCalls: [writeFileCall({ id: "w-new", timestamp: "2026-03-01T12:02:01.000Z", filePath: reverted, before: null, after: "new idea\n" })] });
    writeTrace(path.replace(/\.json$/, ".jsonl"), s.jsonl());
    writeFileSync(kept, "kept line\n");
    writeFileSync(reverted, "new idea\n");
    const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, cache: "off" });
    await engine.refresh();
    const snap = engine.snapshot();
    expect(snap.blame(kept).lines[0]?.owner?.toolCallId).toBe("w-kept");
    expect(snap.blame(reverted).lines[0]?.owner?.toolCallId).toBe("w-new");
  });

  it("leaves the lines a user changed in the proposal unattributed", async () => {
    const { s, path } = setup();
    const file = join(t.project, "app.py");
    s.user("u1", "2026-03-01T12:00:01.000Z", "write the app");
    s.gemini("g1", "2026-03-01T12:00:02.000Z", "gemini-2.5-pro", { toolCalls: [writeFileCall({ id: "w1", timestamp: "2026-03-01T12:00:02.000Z", filePath: file, before: null, after: "import os\nprint('user')\n", proposal: "import os\nprint('model')\n" })] });
    writeTrace(path.replace(/\.json$/, ".jsonl"), s.jsonl());
    writeFileSync(file, "import os\nprint('user')\n");
    const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, cache: "off" });
    await engine.refresh();
    expect(engine.snapshot().blame(file).lines.map((l) => l.owner?.toolCallId ?? null)).toEqual(["w1", null]);
  });

  it("shows a Gemini session as a transcript, in both layouts", async () => {
    const legacy = await loadTranscript(placeLegacy());
    expect(legacy.meta).toMatchObject({ agent: "gemini-cli", sessionId: "3f9e2b1c-7a4d-4e8f-9b2c-1d5e6f7a8b9c" });
    expect(legacy.stats).toMatchObject({ userMessageCount: 1, assistantMessageCount: 2, toolUseCount: 3, filesTouched: 2 });
    const path = placeFixture("gemini/session-log.jsonl", join(chatsDir(t.home, projectHash(t.project)), LOG), t.project, { HASH: projectHash(t.project) });
    const log = await loadTranscript(path);
    expect(log.meta.title).toBe("Notes file with a final draft line");
    expect(log.messages.filter((m) => m.role === "user").map((m) => m.content[0])).toEqual([
      { type: "text", text: "Start a notes file with a draft line" },
      { type: "text", text: "Make it the final draft" },
    ]);
  });
});
