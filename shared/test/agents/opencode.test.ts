// opencode: the JSON storage of versions before 1.2 and the SQLite database of 1.2 and later, both written with the
// opencode writer kit (examples/tools/writers/opencode.mjs) in a temp home. The database is read through node:sqlite
// by the built CLI on a Node that has it (this Node, $AI_BLAME_TEST_NODE, or the Node the wheels embed when
// python-dist has fetched it) while another process keeps it open in WAL mode with a write transaction pending; on a
// Node without node:sqlite the CLI says it cannot read it and why.

import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine";
import { OPENCODE_SCHEMA, OpencodeSession, toolPart } from "../../../examples/tools/writers/opencode.mjs";
import { makeTempHome, type TempHome } from "../support/trace-home";
import { sqliteNode } from "../support/sqlite-node";

const repoRoot = join(__dirname, "..", "..", "..");
const cli = join(repoRoot, "cli", "dist", "ai-blame.js");
let t: TempHome;
beforeEach(() => {
  t = makeTempHome();
});
afterEach(() => t.cleanup());

const T0 = 1767000000000;
const data = (): string => join(t.home, ".local", "share", "opencode");

function session(id: string, directory: string, parentID?: string): OpencodeSession {
  return new OpencodeSession({ id, projectID: "4b1f0c9e2d7a", directory, ...(parentID ? { parentID } : {}), title: "Greeting module", version: "1.1.36", time: { created: T0, updated: T0 + 60_000 } });
}

/** A session that writes greet.ts, edits it (filediff before/after), adds notes.md by apply_patch, and fails one edit. */
function story(): { main: OpencodeSession; sub: OpencodeSession; other: OpencodeSession } {
  const greet = join(t.project, "greet.ts");
  const main = session("ses_4f2a9b8c7d6eAbCdEf123456", t.project);
  main.user(T0 + 1_000, "Add a greeting module", { providerID: "anthropic", modelID: "claude-sonnet-4-5" });
  main.assistant(T0 + 2_000, "anthropic", "claude-sonnet-4-5", [
    toolPart("toolu_01", "write", { filePath: greet, content: "export const hi = 1;\n" }, { exists: false }, T0 + 3_000),
    toolPart("toolu_02", "edit", { filePath: greet, oldString: "hi = 1", newString: "hi = 2" }, { filediff: { file: greet, before: "export const hi = 1;\n", after: "export const hi = 2;\nexport const bye = 0;\n", additions: 2, deletions: 1 } }, T0 + 4_000),
    toolPart("toolu_03", "edit", { filePath: greet, oldString: "nope", newString: "x" }, {}, T0 + 4_500, "error"),
  ]);
  main.user(T0 + 10_000, "Also add notes", { providerID: "openai", modelID: "gpt-5.1-codex" });
  main.assistant(T0 + 11_000, "openai", "gpt-5.1-codex", [
    toolPart("call_04", "apply_patch", { patchText: "*** Begin Patch\n*** Add File: notes.md\n+# Notes\n*** End Patch" }, {}, T0 + 12_000),
  ]);
  const sub = session("ses_5a1b2c3d4e5fAbCdEf654321", t.project, main.info.id);
  sub.user(T0 + 20_000, "Refine the greeting", { providerID: "anthropic", modelID: "claude-haiku-4-5" });
  sub.assistant(T0 + 21_000, "anthropic", "claude-haiku-4-5", [toolPart("toolu_05", "edit", { filePath: greet, oldString: "bye = 0", newString: "bye = 3" }, { filediff: { file: greet, before: "export const hi = 2;\nexport const bye = 0;\n", after: "export const hi = 2;\nexport const bye = 3;\n", additions: 1, deletions: 1 } }, T0 + 22_000)]);
  const other = session("ses_6c6c6c6c6c6cAbCdEf000000", join(t.root, "elsewhere"));
  other.user(T0 + 30_000, "unrelated", { providerID: "anthropic", modelID: "claude-sonnet-4-5" });
  other.assistant(T0 + 31_000, "anthropic", "claude-sonnet-4-5", [toolPart("toolu_06", "write", { filePath: join(t.root, "elsewhere", "x.ts"), content: "x\n" }, { exists: false }, T0 + 32_000)]);
  writeFileSync(greet, "export const hi = 2;\nexport const bye = 3;\n");
  writeFileSync(join(t.project, "notes.md"), "# Notes\n");
  return { main, sub, other };
}

describe("opencode JSON storage (before 1.2)", () => {
  it("reads write, edit and apply_patch parts of the project's sessions, sub-sessions under their parent", async () => {
    const { main, sub, other } = story();
    for (const s of [main, sub, other]) s.writeStorage(data());
    const engine = createEngine({ projectDir: t.project, home: t.home, env: { HOME: t.home }, cache: "off" });
    await engine.refresh();
    const snap = engine.snapshot();
    expect(snap.events().map((e) => [e.toolCallId, e.action, e.model, e.sessionId, e.subagentId, e.promptText])).toEqual([
      ["toolu_01", "CREATED", "claude-sonnet-4-5", main.info.id, null, "Add a greeting module"],
      ["toolu_02", "EDITED", "claude-sonnet-4-5", main.info.id, null, "Add a greeting module"],
      ["call_04", "CREATED", "gpt-5.1-codex", main.info.id, null, "Also add notes"],
      ["toolu_05", "EDITED", "claude-haiku-4-5", main.info.id, sub.info.id, "Refine the greeting"],
    ]);
    expect(snap.blame(join(t.project, "greet.ts")).lines.map((l) => l.owner?.toolCallId ?? null)).toEqual(["toolu_02", "toolu_05"]);
    expect(snap.blame(join(t.project, "notes.md")).lines.map((l) => l.owner?.model ?? null)).toEqual(["gpt-5.1-codex"]);
  });
});


const hasPython = spawnSync("python3", ["-c", "import sqlite3"], { stdio: "ignore" }).status === 0;
const thisNodeHasSqlite = spawnSync(process.execPath, ["-e", "require('node:sqlite')"], { stdio: "ignore" }).status === 0;
const sha = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");

/** Creates opencode.db in WAL mode and keeps it open with a write transaction pending until `release()`. */
async function holdDatabase(sql: string): Promise<{ db: string; release: () => Promise<void> }> {
  const db = join(data(), "opencode.db");
  const script = [
    "import sqlite3, sys, os",
    `os.makedirs(${JSON.stringify(data())}, exist_ok=True)`,
    `c = sqlite3.connect(${JSON.stringify(db)}, isolation_level=None)`,
    "c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')",
    "c.executescript(sys.stdin.read())",
    "c.execute('begin immediate'); c.execute(\"insert into project values ('p2', '/x', 'git', 1, 1)\")",
    "print('ready', flush=True); sys.stdin.close()",
    "import time; time.sleep(30)",
  ].join("\n");
  const child = spawn("python3", ["-c", script], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(sql);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => (chunk.toString().includes("ready") ? resolve() : undefined));
    child.on("exit", (code) => reject(new Error(`python exited ${code}`)));
  });
  return { db, release: () => new Promise((resolve) => { child.on("exit", () => resolve()); child.kill(); }) };
}

describe("opencode database (1.2 and later)", () => {
  const node = sqliteNode();

  it.skipIf(!hasPython || node === null)("is read through node:sqlite while opencode holds it open, unchanged, only the project's sessions", async () => {
    const { main, sub, other } = story();
    const held = await holdDatabase([OPENCODE_SCHEMA, main.sql(), sub.sql(), other.sql()].join("\n"));
    try {
      expect(existsSync(`${held.db}-wal`)).toBe(true);
      const before = [sha(held.db), sha(`${held.db}-wal`)];
      const r = spawnSync(node!, [cli, "timeline", "--json", "--home", t.home, "--dir", t.project], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: t.home, AI_BLAME_DATA_DIR: join(t.root, "data") } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const rows = JSON.parse(r.stdout) as { toolCallId: string; agent: string; agentVersion: string }[];
      expect(rows.map((e) => [e.toolCallId, e.agent, e.agentVersion])).toEqual([
        ["toolu_01", "opencode", "1.1.36"],
        ["toolu_02", "opencode", "1.1.36"],
        ["call_04", "opencode", "1.1.36"],
        ["toolu_05", "opencode", "1.1.36"],
      ]);
      expect([sha(held.db), sha(`${held.db}-wal`)]).toEqual(before);
    } finally {
      await held.release();
    }
  });

  it.skipIf(!hasPython || thisNodeHasSqlite)("on a Node without node:sqlite, is counted unreadable and -v says why", async () => {
    const { main } = story();
    const held = await holdDatabase([OPENCODE_SCHEMA, main.sql()].join("\n"));
    try {
      const r = spawnSync(process.execPath, [cli, "stats", "-v", "--home", t.home, "--dir", t.project], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: t.home, AI_BLAME_DATA_DIR: join(t.root, "data") } });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Could not read 1 trace file (-v says why)");
      expect(r.stderr).toContain(`reading opencode.db needs Node.js 22.5 or later (node:sqlite); this is Node ${process.versions.node}`);
    } finally {
      await held.release();
    }
  });

  it.skipIf(node === null)("counts a corrupt database as unreadable and keeps going", () => {
    story();
    mkdirSync(data(), { recursive: true });
    writeFileSync(join(data(), "opencode.db"), "this is not a database, just text that is long enough\n".repeat(20));
    const r = spawnSync(node!, [cli, "stats", "-v", "--home", t.home, "--dir", t.project], { encoding: "utf8", env: { PATH: process.env.PATH, HOME: t.home, AI_BLAME_DATA_DIR: join(t.root, "data") } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Could not read 1 trace file");
    expect(r.stderr).toMatch(/opencode\.db: .*(not a database|file is not)/);
  });
});
