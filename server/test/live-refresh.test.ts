// Live updates while an agent works: appending to a trace file makes the server index the new bytes, ask the client
// to refresh its lenses, and serve new lenses; a trace folder that appears after start-up is picked up the same way.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import { ClaudeSession, daysAgo } from "./support/claude-trace";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import type { SessionsResult } from "@ai-blame/shared";
import { fullCapabilities, LspClient } from "./support/lsp-client";
import { startServer, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;

beforeEach(() => {
  fx = createFixture();
});

afterEach(() => stopAndCheck(client, fx));

describe("live refresh", () => {
  it("indexes an appended edit, sends workspace/codeLens/refresh, and the lenses change", async () => {
    client = await startServer(fx);
    // The agent is about to edit util.ts; the editor already shows the new text (reloaded from disk).
    fx.second.model = "claude-haiku-4-5-20251001";
    fx.second
      .prompt("Also add a lerp helper", new Date(Date.now() - 5 * 60_000))
      .edit(
        fx.util,
        "}\n",
        "}\n\nexport function lerp(a: number, b: number, t: number): number {\n  return a + (b - a) * t;\n}\n",
        new Date(Date.now() - 4 * 60_000),
      );
    const text = fx.second.content(fx.util);
    writeFileSync(fx.util, text);
    const uri = await client.open(fx.util, text, "typescript");
    const lerp = lineOf(text, "export function lerp");
    expect(((await client.hover(uri, lerp))?.contents as MarkupContent).value).toContain("This line changed after the last AI edit");
    expect(await client.lensTitles(uri)).toEqual(["1: ✦ claude-sonnet-4-5 · 1 edit · 1 day ago"]);

    fx.second.flush();
    await client.waitForRequest("workspace/codeLens/refresh");
    // The /model switch stays inside the session's run: one lens, haiku's lines outnumber sonnet's, newest time.
    expect(await client.lensTitles(uri)).toEqual(["1: ✦ claude-haiku-4-5, claude-sonnet-4-5 · 2 edits · 4 minutes ago"]);
    expect(((await client.hover(uri, lerp))?.contents as MarkupContent).value).toContain("> Also add a lerp helper");
  });

  it("tells a client that asked for it that the index changed, and aiBlame/sessions then lists the new edit", async () => {
    client = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      capabilities: { ...fullCapabilities, experimental: { aiBlame: { commandLinks: true, indexChanged: true } } },
      waitForIndex: true,
    });
    const before = await client.request<SessionsResult>("aiBlame/sessions", {});
    // Newest session first: the second session (yesterday), then the main one; edits oldest first.
    expect(before.map((s) => [s.sessionId, s.edits.map((e) => e.file)])).toEqual([
      [fx.second.sessionId, ["src/util.ts"]],
      [fx.main.sessionId, ["src/greet.py", "src/greet.py"]],
    ]);
    expect(before[1]?.firstPrompt).toContain("Create a greeting module");
    expect(before[1]?.edits[0]?.uri).toBe(client.uri(fx.greet));
    const uri = await client.open(fx.greet, fx.greetText, "python");
    expect(await client.lensTitles(uri)).toHaveLength(1);
    fx.main.prompt("Document greet", new Date(Date.now() - 60_000)).edit(fx.greet, "def greet(name):\n", 'def greet(name):\n    """Greets."""\n', new Date()).flush();
    await client.waitForNotification("aiBlame/indexChanged");
    await client.waitForRequest("workspace/codeLens/refresh");
    const after = await client.request<SessionsResult>("aiBlame/sessions", {});
    expect(after[0]?.sessionId).toBe(fx.main.sessionId);
    expect(after[0]?.edits).toHaveLength(3);
  });

  it("picks up a trace folder that appears after start-up, and survives it vanishing", async () => {
    // A second workspace folder whose project has no Claude folder yet.
    const other = join(fx.root, "other");
    mkdirSync(other);
    const file = join(other, "notes.md");
    writeFileSync(file, "# Notes\n\nWritten by an agent.\n");
    client = await LspClient.start({ home: fx.home, project: other, dataDir: fx.dataDir, waitForIndex: true });
    const uri = await client.open(file, "# Notes\n\nWritten by an agent.\n", "markdown");
    expect(await client.codeLens(uri)).toEqual([]);

    const session = new ClaudeSession({ home: fx.home, project: other });
    session.prompt("Start a notes file", daysAgo(0, 2)).write(file, "# Notes\n\nWritten by an agent.\n", daysAgo(0, 1)).flush();
    await client.waitForRequest("workspace/codeLens/refresh");
    expect(await client.lensTitles(uri)).toEqual(["1: ✦ claude-opus-4-5 · 1 edit · 1 hour ago"]);

    // The folder vanishes (retention sweep) and comes back with a new session: events survive, new ones arrive.
    rmSync(dirname(session.path), { recursive: true, force: true });
    const again = new ClaudeSession({ home: fx.home, project: other, model: "claude-sonnet-4-5-20250929" });
    again
      .know(file, "# Notes\n\nWritten by an agent.\n")
      .prompt("Rewrite the notes title", new Date(Date.now() - 10 * 60_000))
      .write(file, "# Project notes\n\nWritten by an agent.\n", new Date(Date.now() - 9 * 60_000))
      .flush();
    await client.change(uri, "# Project notes\n\nWritten by an agent.\n");
    await client.waitForRequest("workspace/codeLens/refresh");
    const hover = ((await client.hover(uri, 0))?.contents as MarkupContent).value;
    expect(hover).toContain("claude-sonnet-4-5");
    expect(((await client.hover(uri, 2))?.contents as MarkupContent).value).toContain("claude-opus-4-5");
  });
});
