// Settings: initializationOptions for clients without workspace/configuration (Helix, simple clients), the pulled
// `aiBlame` section for those with it, invalid values falling back with one warning, and changes applied live
// (hover detail, inlay hints, trace folders).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlayHint, MarkupContent } from "vscode-languageserver-protocol";
import { ClaudeSession, daysAgo } from "./support/claude-trace";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";
import { startServer, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;

beforeEach(() => {
  fx = createFixture();
});

afterEach(() => stopAndCheck(client, fx));

async function hoverText(uri: string, line: number): Promise<string> {
  return ((await client.hover(uri, line))?.contents as MarkupContent).value;
}

function inlayHints(uri: string, lines: number): Promise<InlayHint[] | null> {
  return client.request("textDocument/inlayHint", {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
  });
}

describe("settings", () => {
  it("uses initializationOptions when the client has no workspace/configuration", async () => {
    client = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      configuration: null,
      // Inlay hints instead of lenses (with both on, a client that draws lenses gets no hints).
      initializationOptions: { hover: { detail: "full" }, inlayHints: { enabled: true }, codeLens: { enabled: false } },
      waitForIndex: true,
    });
    expect(client.requests.some((r) => r.method === "workspace/configuration")).toBe(false);
    const uri = await client.open(fx.greet, fx.greetText, "python");
    const text = await hoverText(uri, lineOf(fx.greetText, "def farewell"));
    expect(text).toContain("model `claude-opus-4-5-20251101`");
    expect(text).toContain(`session \`${fx.main.sessionId}\``);
    expect(text).toContain(`trace \`${fx.main.path}\``);
    const hints = (await inlayHints(uri, 20)) ?? [];
    expect(hints[0]).toMatchObject({
      position: { line: 0, character: "import sys".length },
      // One run (both edits of the session): its newest edit's time.
      label: `✦ claude-opus-4-5 · 2 days ago · ${fx.main.sessionId.slice(0, 8)}`,
      paddingLeft: true,
    });
  });

  it("accepts VS Code's dotted keys and the {aiBlame: …} wrapper in initializationOptions", async () => {
    client = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      configuration: null,
      initializationOptions: { aiBlame: { "hover.detail": "minimal", "codeLens.enabled": false } },
      waitForIndex: true,
    });
    const uri = await client.open(fx.greet, fx.greetText, "python");
    expect(await hoverText(uri, lineOf(fx.greetText, "def farewell"))).toBe("**✦ claude-opus-4-5** · 2 days ago");
    expect(await client.codeLens(uri)).toEqual([]);
  });

  it("falls back to defaults for invalid values, with one warning each", async () => {
    client = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      configuration: { cacheSize: "big", hover: { detail: "everything" }, traceDirs: "not-a-list" },
      waitForIndex: true,
    });
    const uri = await client.open(fx.greet, fx.greetText, "python");
    expect(await hoverText(uri, lineOf(fx.greetText, "def farewell"))).toContain("Claude Code 2.0.50");
    const warnings = client.logs().filter((l) => l.startsWith("warn: settings:"));
    expect(warnings).toEqual([
      'warn: settings: aiBlame.traceDirs: ignoring "not-a-list" (expected an array of paths)',
      'warn: settings: aiBlame.hover: ignoring {"detail":"everything"} (expected {detail: "minimal" | "normal" | "full", unattributed: "off" | "brief" | "full"})',
      'warn: settings: aiBlame.cacheSize: ignoring "big" (expected an integer from 1 to 100000)',
    ]);
  });

  it("pulls the aiBlame section per folder and applies changes on didChangeConfiguration", async () => {
    client = await startServer(fx);
    const scopes = client.requests
      .filter((r) => r.method === "workspace/configuration")
      .flatMap((r) => (r.params as { items: { scopeUri?: string; section: string }[] }).items);
    expect(scopes).toContainEqual({ scopeUri: client.uri(fx.project), section: "aiBlame" });
    const uri = await client.open(fx.greet, fx.greetText, "python");
    expect(await inlayHints(uri, 20)).toEqual([]);

    client.configuration = { inlayHints: { enabled: true }, codeLens: { enabled: false }, hover: { detail: "minimal" } };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitForRequest("workspace/inlayHint/refresh");
    await client.waitForRequest("workspace/codeLens/refresh");
    expect(await hoverText(uri, lineOf(fx.greetText, "def greet"))).toBe("**✦ claude-opus-4-5** · 3 days ago");
    expect(((await inlayHints(uri, 20)) ?? []).map((h) => h.position.line)).toEqual([0]);
  });

  it("keeps at most aiBlame.cacheSize documents' blame, recomputing evicted ones", async () => {
    const blames = () => client.logs().filter((l) => /^log: blame \S+ v\d+: /.test(l)).map((l) => l.split(":")[1]?.trim());
    const run = async (cacheSize: number) => {
      client = await LspClient.start({
        home: fx.home,
        project: fx.project,
        dataDir: fx.dataDir,
        configuration: { cacheSize, logLevel: "debug" },
        waitForIndex: true,
      });
      const greet = await client.open(fx.greet, fx.greetText, "python");
      const util = await client.open(fx.util, fx.utilText, "typescript");
      await client.hover(greet, 0);
      await client.hover(greet, 1);
      await client.hover(util, 0);
      await client.hover(greet, 2);
      const computed = blames();
      await client.kill();
      return computed;
    };
    expect(await run(1)).toEqual(["blame src/greet.py v1", "blame src/util.ts v1", "blame src/greet.py v1"]);
    expect(await run(2)).toEqual(["blame src/greet.py v1", "blame src/util.ts v1"]);
  });

  it("re-indexes when aiBlame.home changes, reading traces of the new home", async () => {
    client = await startServer(fx);
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    expect(await hoverText(uri, 0)).toContain("claude-sonnet-4-5");

    // Another home where a Codex-free, different Claude session wrote util.ts.
    const otherHome = `${fx.root}/other-home`;
    const other = new ClaudeSession({ home: otherHome, project: fx.project, model: "claude-haiku-4-5-20251001" });
    other.prompt("Write clamp", daysAgo(5, 1)).write(fx.util, fx.utilText, daysAgo(5)).flush();
    client.configuration = { home: otherHome };
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.waitForProgressEnd();
    await client.waitForRequest("workspace/codeLens/refresh");
    expect(await hoverText(uri, 0)).toContain("claude-haiku-4-5");
    client.acknowledge("workspace/inlayHint/refresh");
  });
});
