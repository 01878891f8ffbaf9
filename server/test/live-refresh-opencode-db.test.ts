// Live refresh of an opencode 1.2+ database: while opencode keeps `opencode.db` open in WAL mode, a new message
// and its edit part land in the `-wal` file only (no checkpoint); the server must notice, re-read the database
// (read-only, never locking it) and serve the new edit's lens. The server runs on a Node with node:sqlite — the one
// the wheels embed, fetched by scripts/test-all.sh into python-dist/build/node-cache — since reading the database
// needs Node >= 22.5.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OPENCODE_SCHEMA, OpencodeSession, toolPart } from "../../examples/tools/writers/opencode.mjs";
import { LspClient } from "./support/lsp-client";
import { sqliteNode } from "../../shared/test/support/sqlite-node";

/** Python's sqlite3 standing in for opencode: the database open in WAL mode, each batch of SQL one transaction. */
class Writer {
  private lines: string[] = [];
  private waiting: Array<() => void> = [];
  private stderr = "";
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    let buffer = "";
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on("exit", () => {
      this.lines.push(`exited: ${this.stderr.trim().split("\n").pop() ?? ""}`);
      for (const wake of this.waiting.splice(0)) wake();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        this.lines.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf("\n");
      }
      for (const wake of this.waiting.splice(0)) wake();
    });
  }

  static start(db: string): Writer {
    const script = [
      "import sqlite3, sys, json",
      `c = sqlite3.connect(${JSON.stringify(db)}, isolation_level=None)`,
      "c.execute('pragma journal_mode=wal'); c.execute('pragma wal_autocheckpoint=0')",
      "for line in sys.stdin:",
      "    c.execute('begin')",
      "    for stmt in json.loads(line): c.execute(stmt)",
      "    c.execute('commit'); print('ok', flush=True)",
    ].join("\n");
    return new Writer(spawn("python3", ["-c", script], { stdio: ["pipe", "pipe", "pipe"] }));
  }

  /** Runs `sql` (statements separated by newlines) as one transaction and waits for its commit. */
  async run(sql: string): Promise<void> {
    const want = this.lines.length + 1;
    this.child.stdin.write(`${JSON.stringify(sql.split("\n").filter((s) => s.trim() !== ""))}\n`);
    while (this.lines.length < want) await new Promise<void>((wake) => this.waiting.push(wake));
    expect(this.lines[want - 1]).toBe("ok");
  }

  close(): void {
    this.child.stdin.end();
  }
}

let client: LspClient | null = null;
let writer: Writer | null = null;
let root = "";

afterEach(async () => {
  const unexpected = client?.unexpected() ?? [];
  await client?.kill();
  client = null;
  writer?.close();
  writer = null;
  if (root) rmSync(root, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
});

const node = sqliteNode();
const hasPython = spawnSync("python3", ["-c", "import sqlite3"], { stdio: "ignore" }).status === 0;

describe.skipIf(node === null || !hasPython)("live refresh of an opencode database", () => {
  it("re-reads opencode.db when a new edit lands in its WAL while opencode holds it open", async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), "ai-blame-opencode-db-live-")));
    const home = join(root, "home");
    const project = join(root, "app");
    mkdirSync(project, { recursive: true });
    const file = join(project, "util.js");
    const data = join(home, ".local", "share", "opencode");
    mkdirSync(data, { recursive: true });
    const at = (minutesAgo: number): number => Date.now() - minutesAgo * 60_000;
    const info = { id: "ses_3e2d1c0b9a8fWalRefresh01", projectID: "9f8e7d6c", directory: project, title: "Utils", version: "1.1.36", time: { created: at(120), updated: at(120) } };
    const session = new OpencodeSession(info);
    session.user(at(120), "Write a util", { providerID: "anthropic", modelID: "claude-sonnet-4-5" });
    session.assistant(at(119), "anthropic", "claude-sonnet-4-5", [toolPart("toolu_wal_1", "write", { filePath: file, content: "export const a = 1;\n" }, { exists: false }, at(119))]);
    writer = Writer.start(join(data, "opencode.db"));
    await writer.run(`${OPENCODE_SCHEMA}\nINSERT INTO project VALUES ('9f8e7d6c', '${project.replace(/'/g, "''")}', 'git', 1, 1);\n${session.sql()}`);
    writeFileSync(file, "export const a = 1;\n");

    client = await LspClient.start({ home, project, dataDir: join(root, "data"), waitForIndex: true, node: node as string });
    const uri = await client.open(file, "export const a = 1;\n", "javascript");
    expect((await client.lensTitles(uri)).join(" ")).toContain("✦ claude-sonnet-4-5 · 1 edit ·");

    // The same session one message later: only the new rows are written (opencode inserts, never rewrites).
    const second = "export const a = 1;\nexport const b = 2;\n";
    const written = new Set(session.sql().split("\n"));
    session.user(at(11), "Add b", { providerID: "openai", modelID: "gpt-5.1-codex" });
    session.assistant(at(10), "openai", "gpt-5.1-codex", [
      toolPart("call_wal_2", "edit", { filePath: file, oldString: "a = 1;\n", newString: "a = 1;\nexport const b = 2;\n" }, { filediff: { file, before: "export const a = 1;\n", after: second, additions: 1, deletions: 0 } }, at(10)),
    ]);
    const newRows = session.sql().split("\n").filter((row) => !written.has(row) && !row.startsWith("INSERT INTO session ")).join("\n");
    await writer.run(newRows);
    expect(existsSync(join(data, "opencode.db-wal"))).toBe(true);
    // Only the WAL changed (no checkpoint): the server must see the new rows without a restart.
    writeFileSync(file, second);
    await client.change(uri, second);
    const deadline = Date.now() + 15_000;
    let titles = await client.lensTitles(uri);
    while (!titles.join(" ").includes("gpt-5.1-codex") && Date.now() < deadline) {
      await new Promise((wake) => setTimeout(wake, 200));
      titles = await client.lensTitles(uri);
    }
    expect(titles.join(" ")).toContain("gpt-5.1-codex");
    client.acknowledge("workspace/codeLens/refresh");
  });
});
