// textDocument/codeLens + codeLens/resolve: cheap lenses above each AI run (consecutive AI lines of one session) with
// self-contained data, titles on resolve ("✦ models · N edits · time"), stale lenses resolving to an empty title, the
// codeLens.enabled setting, and the runs of the bundled example (a /model switch and a subagent inside one session).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CodeLens } from "vscode-languageserver-protocol";
import type { LineInfoResult } from "@ai-blame/shared";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import type { LspClient } from "./support/lsp-client";
import { startOnGreet, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeEach(async () => {
  fx = createFixture();
  ({ client, greetUri } = await startOnGreet(fx));
});

afterEach(() => stopAndCheck(client, fx));

describe("code lens", () => {
  it("lists one unresolved lens per AI run, with uri, version and run index as data", async () => {
    const lenses = (await client.codeLens(greetUri)) ?? [];
    // Both edits of the main session (the module, then farewell) make one run; the human's last line ends it.
    expect(lenses.map((l) => l.range.start.line)).toEqual([0]);
    expect(lenses[0]?.command).toBeUndefined();
    expect(lenses[0]?.data).toEqual({ uri: greetUri, version: 1, run: 0 });
  });

  it("resolves titles: models, edits owning lines of the run, newest edit's time; opens the newest edit", async () => {
    expect(await client.lensTitles(greetUri)).toEqual(["1: ✦ claude-opus-4-5 · 2 edits · 2 days ago"]);
    const lenses = (await client.codeLens(greetUri)) ?? [];
    const resolved = await client.resolve(lenses[0] as CodeLens);
    const farewell = await client.request<LineInfoResult>("aiBlame/lineInfo", { uri: greetUri, line: lineOf(fx.greetText, "def farewell") });
    expect(resolved.command?.command).toBe("aiBlame.showTranscript");
    expect(resolved.command?.arguments?.[0]).toEqual({ sessionId: fx.main.sessionId, toolCallId: farewell.owner?.toolCallId, traceFile: fx.main.path });

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
