// CLI and language server agree on the bundled example: for every line of every file, the server's hover names the
// same model, session and tool call as `ai-blame blame --json` names as the line's owner (or says no trace explains
// the line, for the same reason, when the CLI's owner is null), and every code lens starts on a line the CLI
// attributes. Both run as built bundles (node scripts/build.mjs), each with its own fresh index.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import type { BlameJson, FileInfoResult } from "@ai-blame/shared/contract";
import { reasonText } from "../server/src/convert";
import { LspClient, repoRoot } from "../server/test/support/lsp-client";
import { createExampleHome, type ExampleHome } from "./support/example-home";

const cliBundle = join(repoRoot, "cli/dist/ai-blame.js");

let ex: ExampleHome;
let cliData: string;
let serverData: string;
let client: LspClient;
let files: string[];

function projectFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? projectFiles(path) : [path];
  });
}

function cliBlame(file: string): BlameJson {
  const run = spawnSync(process.execPath, [cliBundle, "blame", file, "--json", "--home", ex.home, "--dir", ex.project], {
    cwd: ex.project,
    env: { PATH: process.env.PATH, HOME: ex.home, AI_BLAME_DATA_DIR: cliData, NO_COLOR: "1" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`ai-blame blame ${file} exited with ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as BlameJson;
}

beforeAll(async () => {
  for (const bundle of [cliBundle, join(repoRoot, "server/dist/server.js")]) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run node scripts/build.mjs first`);
  }
  ex = await createExampleHome();
  cliData = mkdtempSync(join(tmpdir(), "ai-blame-parity-cli-"));
  serverData = mkdtempSync(join(tmpdir(), "ai-blame-parity-server-"));
  files = projectFiles(ex.project).sort();
  client = await LspClient.start({
    home: ex.home,
    project: ex.project,
    dataDir: serverData,
    initializationOptions: { home: ex.home, hover: { detail: "full", unattributed: "full" } },
    waitForIndex: true,
  });
});

afterAll(async () => {
  const unexpected = client?.unexpected() ?? [];
  await client?.kill();
  ex?.cleanup();
  for (const dir of [cliData, serverData]) if (dir) rmSync(dir, { recursive: true, force: true });
  expect(unexpected).toEqual([]);
});

describe("CLI and server parity on the bundled example", () => {
  it("covers every file of the example, attributed or not", () => {
    expect(files.map((f) => relative(ex.project, f))).toEqual([
      "README.md",
      "config.yaml",
      "pyproject.toml",
      "tasklog/__init__.py",
      "tasklog/cli.py",
      "tasklog/store.py",
      "tests/test_store.py",
      "web/format.js",
      "web/format.test.js",
    ]);
  });

  it("hovers every line with the owner `blame --json` gives, and lenses only lines it attributes", async () => {
    let attributed = 0;
    let unattributed = 0;
    for (const file of files) {
      const name = relative(ex.project, file);
      const cli = cliBlame(file);
      const uri = await client.open(file, readFileSync(file, "utf8"));
      const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri });
      expect(info.totalLines, `${name}: line count`).toBe(cli.lines.length);

      for (const line of cli.lines) {
        const where = `${name}:${line.line}`;
        const hover = await client.hover(uri, line.line - 1);
        const text = (hover?.contents as MarkupContent | undefined)?.value ?? "(no hover)";
        if (line.owner) {
          attributed++;
          expect(text, where).toContain(`model \`${line.owner.model}\``);
          expect(text, where).toContain(`session \`${line.owner.sessionId}\``);
          expect(text, where).toContain(`tool call \`${line.owner.toolCallId}\``);
        } else {
          unattributed++;
          expect(text, where).toBe(`**No AI trace explains this line**\n\n${reasonText(line.reason, cli.events)}`);
        }
      }

      const lenses = (await client.codeLens(uri)) ?? [];
      for (const lens of lenses) {
        const owner = cli.lines[lens.range.start.line]?.owner ?? null;
        expect(owner, `${name}: lens at line ${lens.range.start.line + 1}`).not.toBeNull();
      }
      // A file with attributed lines has at least one lens, and a file without has none.
      expect(lenses.length > 0, `${name}: has lenses`).toBe(cli.lines.some((l) => l.owner !== null));
    }
    // The example exercises both kinds of line (human edits, a file no trace touched).
    expect(attributed).toBeGreaterThan(100);
    expect(unattributed).toBeGreaterThan(5);
  });
});
