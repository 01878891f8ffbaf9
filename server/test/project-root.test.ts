// Workspace folders resolved as the CLI resolves the current folder: a folder opened inside a git repository is
// served as the repository (sessions recorded at its top explain its files), `aiBlame.pathMap` maps a moved
// project's old path, and a folder without any trace says so once in the log with the places it looked in, and in
// the aiBlame/fileInfo answer the status bar's tooltip shows.

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import type { FileInfoResult } from "@ai-blame/shared";
import { ClaudeSession, daysAgo } from "./support/claude-trace";
import { createFixture, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";
import { stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;

beforeEach(() => {
  fx = createFixture();
});

afterEach(() => stopAndCheck(client, fx));

describe("workspace folders and their project", () => {
  it("a folder opened inside a git repository is served as the repository", async () => {
    const repo = join(fx.root, "repo");
    const sub = join(repo, "tasklog");
    mkdirSync(sub, { recursive: true });
    execFileSync("git", ["init", "-q", repo]);
    const file = join(sub, "cli.py");
    const text = "def main():\n    return 0\n";
    writeFileSync(file, text);
    new ClaudeSession({ home: fx.home, project: repo }).prompt("Write the CLI", daysAgo(1, 2)).write(file, text, daysAgo(1, 1)).flush();
    client = await LspClient.start({ home: fx.home, project: sub, dataDir: fx.dataDir, waitForIndex: true });
    const uri = await client.open(file, text, "python");
    expect(((await client.hover(uri, 0))?.contents as MarkupContent).value).toContain("> Write the CLI");
    expect(client.logs()).toContain(`info: project: project ${repo}`);
    expect(await client.request<FileInfoResult>("aiBlame/fileInfo", { uri })).not.toHaveProperty("notice");
  });

  it("aiBlame.pathMap finds the traces of a project's old path and lands their edits on the new files", async () => {
    const old = join(fx.root, "old", "app");
    const moved = join(fx.root, "new", "app");
    mkdirSync(moved, { recursive: true });
    const text = "def main():\n    return 0\n";
    writeFileSync(join(moved, "main.py"), text);
    new ClaudeSession({ home: fx.home, project: old }).prompt("Write main.py", daysAgo(1, 2)).write(join(old, "main.py"), text, daysAgo(1, 1)).flush();
    client = await LspClient.start({
      home: fx.home,
      project: moved,
      dataDir: fx.dataDir,
      waitForIndex: true,
      configuration: { pathMap: { [old]: moved } },
    });
    const uri = await client.open(join(moved, "main.py"), text, "python");
    expect(((await client.hover(uri, 0))?.contents as MarkupContent).value).toContain("> Write main.py");
  });

  it("a folder with no trace at all says so once in the log, with the places looked in", async () => {
    const lonely = join(fx.root, "lonely");
    mkdirSync(lonely);
    client = await LspClient.start({ home: fx.home, project: lonely, dataDir: fx.dataDir, waitForIndex: true });
    const warnings = client.logs().filter((l) => l.startsWith("warn: no agent traces found"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`no agent traces found for ${lonely} (looked in ${fx.home}/.claude/projects/`);
    expect(warnings[0]).toContain(`${fx.home}/.codex/sessions`);
    // The status bar's request carries the same notice, for its tooltip.
    const uri = await client.open(join(lonely, "a.py"), "x = 1\n", "python");
    const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri });
    expect(info.notice).toBe(warnings[0]?.slice("warn: ".length));
    expect(info.notice).toContain(`no agent traces found for ${lonely} (looked in ${fx.home}/.claude/projects/`);
  });
});
