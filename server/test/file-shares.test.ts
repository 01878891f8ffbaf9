// aiBlame/fileShares over stdio: on the bundled example every AI-touched file is listed with the same AI and total
// line counts the per-document aiBlame/fileInfo gives, files no AI wrote are not; after an agent's appended edit
// the server reports aiBlame/indexChanged and the next answer has the new counts (the pass is kept per index
// generation, not frozen).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { FileInfoResult, FileSharesResult } from "@ai-blame/shared";
import { createExampleHome, type ExampleHome } from "../../tests/support/example-home";
import { createFixture, type Fixture } from "./support/fixture";
import { fullCapabilities, LspClient } from "./support/lsp-client";
import { stopAndCheck } from "./support/session";

describe("aiBlame/fileShares on the bundled example", () => {
  let ex: ExampleHome;
  let dataDir: string;
  let client: LspClient;

  afterAll(async () => {
    const unexpected = client?.unexpected() ?? [];
    await client?.kill();
    ex?.cleanup();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    expect(unexpected).toEqual([]);
  });

  it("lists each AI-written file with fileInfo's counts, and no file without AI lines", async () => {
    ex = await createExampleHome();
    dataDir = mkdtempSync(join(tmpdir(), "ai-blame-file-shares-"));
    client = await LspClient.start({ home: ex.home, project: ex.project, dataDir, initializationOptions: { home: ex.home }, waitForIndex: true });
    const shares = await client.request<FileSharesResult>("aiBlame/fileShares", {});
    const byUri = new Map(shares.map((s) => [s.uri, s]));
    for (const file of ["tasklog/cli.py", "tasklog/store.py", "README.md", "web/format.js", "config.yaml"]) {
      const path = join(ex.project, file);
      const uri = await client.open(path, readFileSync(path, "utf8"));
      const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri });
      expect(info.aiLines, file).toBeGreaterThan(0);
      expect(byUri.get(uri), file).toEqual({ uri, totalLines: info.totalLines, aiLines: info.aiLines });
    }
    expect(byUri.has(client.uri(join(ex.project, "pyproject.toml")))).toBe(false);
    expect(shares.every((s) => s.aiLines > 0 && s.aiLines <= s.totalLines)).toBe(true);
    // Asked again with no index change: the same answer.
    expect(await client.request<FileSharesResult>("aiBlame/fileShares", {})).toEqual(shares);
  });
});

describe("aiBlame/fileShares after an index change", () => {
  let fx: Fixture;
  let client: LspClient;

  afterEach(() => stopAndCheck(client, fx));

  it("answers with the new counts once the server reports aiBlame/indexChanged", async () => {
    fx = createFixture();
    client = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      capabilities: { ...fullCapabilities, experimental: { aiBlame: { commandLinks: true, indexChanged: true } } },
      waitForIndex: true,
    });
    const greetUri = client.uri(fx.greet);
    const before = (await client.request<FileSharesResult>("aiBlame/fileShares", {})).find((s) => s.uri === greetUri);
    expect(before).toBeDefined();
    // The agent adds a docstring; the file on disk has it as the trace is flushed.
    fx.main.prompt("Document greet", new Date(Date.now() - 60_000)).edit(fx.greet, "def greet(name):\n", 'def greet(name):\n    """Greets."""\n', new Date());
    writeFileSync(fx.greet, fx.greetText.replace("def greet(name):\n", 'def greet(name):\n    """Greets."""\n'));
    fx.main.flush();
    await client.waitForNotification("aiBlame/indexChanged");
    await client.waitForRequest("workspace/codeLens/refresh");
    const after = (await client.request<FileSharesResult>("aiBlame/fileShares", {})).find((s) => s.uri === greetUri);
    expect(after?.totalLines).toBe((before?.totalLines ?? 0) + 1);
    expect(after?.aiLines).toBe((before?.aiLines ?? 0) + 1);
  });
});
