// textDocument/codeLens + codeLens/resolve: cheap lenses above each AI block with self-contained data, titles on
// resolve ("✦ model · N edits · time"), stale lenses resolving to an empty title, and the codeLens.enabled setting.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CodeLens } from "vscode-languageserver-protocol";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeEach(async () => {
  fx = createFixture();
  client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
  greetUri = await client.open(fx.greet, fx.greetText, "python");
});

afterEach(async () => {
  const unexpected = client.unexpected();
  await client.kill();
  fx.cleanup();
  expect(unexpected).toEqual([]);
});

describe("code lens", () => {
  it("lists one unresolved lens per AI block, with uri, version and block index as data", async () => {
    const lenses = (await client.codeLens(greetUri)) ?? [];
    expect(lenses.length).toBeGreaterThanOrEqual(2);
    for (const lens of lenses) {
      expect(lens.command).toBeUndefined();
      expect(lens.data).toMatchObject({ uri: greetUri, version: 1 });
      expect(Number.isInteger((lens.data as { block: number }).block)).toBe(true);
    }
    // The farewell function is a block of its own (the later Edit), starting at or before its def line.
    const starts = lenses.map((l) => l.range.start.line);
    expect(starts[0]).toBe(0);
    expect(starts.some((s) => s <= lineOf(fx.greetText, "def farewell") && s > lineOf(fx.greetText, "Hello"))).toBe(true);
  });

  it("resolves titles: model without date, edits of this file in that session, relative time", async () => {
    const titles = await client.lensTitles(greetUri);
    expect(titles[0]).toBe("1: ✦ claude-opus-4-5 · 2 edits · 3 days ago");
    expect(titles).toContainEqual(expect.stringMatching(/^\d+: ✦ claude-opus-4-5 · 2 edits · 2 days ago$/));
    const lenses = (await client.codeLens(greetUri)) ?? [];
    const resolved = await client.resolve(lenses[0] as CodeLens);
    expect(resolved.command?.command).toBe("aiBlame.showTranscript");
    expect(resolved.command?.arguments?.[0]).toMatchObject({ sessionId: fx.main.sessionId, traceFile: fx.main.path });

    const utilUri = await client.open(fx.util, fx.utilText, "typescript");
    expect(await client.lensTitles(utilUri)).toEqual(["1: ✦ claude-sonnet-4-5 · 1 edit · 1 day ago"]);
  });

  it("gives no lens on a file no agent edited", async () => {
    const uri = await client.open(fx.readme, fx.readmeText, "markdown");
    expect(await client.codeLens(uri)).toEqual([]);
  });

  it("resolves a lens of an older document version to an empty title, not an error", async () => {
    const lenses = (await client.codeLens(greetUri)) ?? [];
    await client.change(greetUri, `# header\n${fx.greetText}`);
    const stale = await client.resolve(lenses[0] as CodeLens);
    expect(stale.command).toEqual({ title: "", command: "" });
  });

  it("returns no lenses when aiBlame.codeLens.enabled is false, and asks the client to refresh", async () => {
    client.configuration = { codeLens: { enabled: false } };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitForRequest("workspace/codeLens/refresh");
    await client.waitForRequest("workspace/inlayHint/refresh");
    expect(await client.codeLens(greetUri)).toEqual([]);
  });
});
