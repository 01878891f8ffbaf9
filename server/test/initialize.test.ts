// initialize/initialized: the capabilities the server announces, work-done progress around the first index, and a
// request sent before the index is ready that waits for it and gets a real answer instead of an error.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";

let fx: Fixture;
let client: LspClient | null = null;

beforeEach(() => {
  fx = createFixture();
});

afterEach(async () => {
  const unexpected = client?.unexpected() ?? [];
  await client?.kill();
  client = null;
  fx.cleanup();
  expect(unexpected).toEqual([]);
});

describe("initialize", () => {
  it("announces hover, code lens with resolve, inlay hints, commands and full sync", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
    const result = client.initializeResult as { capabilities: Record<string, unknown>; serverInfo: { name: string; version: string } };
    expect(result.serverInfo.name).toBe("ai-blame");
    expect(result.serverInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.capabilities).toMatchObject({
      textDocumentSync: 1,
      hoverProvider: true,
      codeLensProvider: { resolveProvider: true },
      inlayHintProvider: true,
      executeCommandProvider: { commands: ["aiBlame.showTranscript", "aiBlame.refresh", "aiBlame.searchTranscripts"] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    });
  });

  it("reports $/progress begin → end while the first index builds, after creating the token", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
    const create = client.requests.find((r) => r.method === "window/workDoneProgress/create");
    expect(create).toBeDefined();
    const token = (create?.params as { token: string | number }).token;
    const kinds = client.notifications
      .filter((n) => n.method === "$/progress" && (n.params as { token: unknown }).token === token)
      .map((n) => (n.params as { value: { kind: string; title?: string } }).value);
    expect(kinds[0]).toMatchObject({ kind: "begin", title: "Indexing AI traces (project)" });
    expect(kinds.at(-1)?.kind).toBe("end");
    expect(client.logs().some((l) => l.startsWith("info: project: indexed 2 trace files"))).toBe(true);
  });

  it("answers a hover sent before the index is ready once it is, never with an error", async () => {
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir });
    const uri = await client.open(fx.greet, fx.greetText, "python");
    // Sent immediately after initialized: the first index is (at best) still being built.
    const hover = await client.hover(uri, lineOf(fx.greetText, "def farewell"));
    expect(JSON.stringify(hover?.contents)).toContain("claude-opus-4-5");
    await client.waitForProgressEnd();
  });

  it("serves without workspace folders: an opened file's git root becomes its project", async () => {
    mkdirSync(join(fx.project, ".git"));
    client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, noFolders: true });
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    const hover = await client.hover(uri, 0);
    expect(JSON.stringify(hover?.contents)).toContain("claude-sonnet-4-5");
    expect(client.logs()).toContain(`info: ${fx.util} is outside the workspace folders; using ${fx.project} as its project`);
  });
});
