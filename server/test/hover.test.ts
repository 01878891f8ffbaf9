// textDocument/hover over real Claude traces: provenance of AI-written lines (model, agent and version, times,
// action, session, escaped prompt, transcript link), the reason for lines no trace explains, and the detail setting.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import { createFixture, FAREWELL_PROMPT, GREET_PROMPT, lineOf, type Fixture } from "./support/fixture";
import { fullCapabilities, LspClient } from "./support/lsp-client";
import { startOnGreet, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeAll(async () => {
  fx = createFixture();
  ({ client, greetUri } = await startOnGreet(fx));
});

afterAll(() => stopAndCheck(client, fx));

async function hoverText(uri: string, line: number): Promise<string> {
  const hover = await client.hover(uri, line, 2);
  if (!hover) throw new Error(`no hover at line ${line}`);
  return (hover.contents as MarkupContent).value;
}

describe("hover", () => {
  it("shows who wrote an edited line, when, in which session, and the prompt behind it", async () => {
    const line = lineOf(fx.greetText, "def farewell");
    const hover = await client.hover(greetUri, line, 4);
    expect(hover?.range).toEqual({ start: { line, character: 0 }, end: { line, character: "def farewell(name):".length } });
    const text = (hover?.contents as MarkupContent).value;
    expect((hover?.contents as MarkupContent).kind).toBe("markdown");
    const [head, when] = text.split("\n\n");
    expect(head).toBe("**✦ claude-opus-4-5** · Claude Code 2.0.50 · edited");
    expect(when).toMatch(/^2 days ago \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\) · session `[0-9a-f]{8}`$/);
    expect(when).toContain(fx.main.sessionId.slice(0, 8));
    // The prompt is quoted with markdown escaped, so `*f-strings*` and <stdout> show as typed.
    expect(FAREWELL_PROMPT).toContain("*f-strings*");
    expect(text).toContain("> Add a \\`farewell\\` function too — use \\*f-strings\\* and keep \\<stdout\\> clean");
  });

  it("links to the transcript at the tool call that wrote the line", async () => {
    const text = await hoverText(greetUri, lineOf(fx.greetText, "Goodbye"));
    const link = /\[Open transcript at this edit\]\(command:aiBlame\.showTranscript\?([^)]+)\)/.exec(text);
    expect(link).not.toBeNull();
    const args = JSON.parse(decodeURIComponent(link?.[1] ?? "")) as { sessionId: string; toolCallId: string; traceFile: string }[];
    expect(args).toHaveLength(1);
    expect(args[0]?.sessionId).toBe(fx.main.sessionId);
    expect(args[0]?.toolCallId).toMatch(/^toolu_01/);
    expect(args[0]?.traceFile).toBe(fx.main.path);
    // Beside it, VS Code's "Show the change": the diff of that edit of this document.
    const change = /· \[Show the change\]\(command:aiBlame\.showChange\?([^)]+)\)/.exec(text);
    expect(JSON.parse(decodeURIComponent(change?.[1] ?? "[]"))).toEqual([{ uri: greetUri, sessionId: fx.main.sessionId, toolCallId: args[0]?.toolCallId }]);
    // The line's edit changed an existing file: last, the diff of the AI edit that wrote this line before it.
    const previous = /· \[Previous AI edit of this line\]\(command:aiBlame\.showPreviousEdit\?([^)]+)\)$/.exec(text);
    expect(JSON.parse(decodeURIComponent(previous?.[1] ?? "[]"))).toEqual([{ uri: greetUri, line: lineOf(fx.greetText, "Goodbye") }]);
  });

  it("attributes an untouched line of the first Write to that write", async () => {
    const text = await hoverText(greetUri, lineOf(fx.greetText, "def greet"));
    expect(text).toContain("· created");
    // A created file had no earlier content: no "previous AI edit" link.
    expect(text).toContain("[Show the change]");
    expect(text).not.toContain("Previous AI edit");
    expect(text).toMatch(/\n\n3 days ago \(/);
    expect(text).toContain(`> ${GREET_PROMPT}`);
  });

  it("says in one line why a line changed by a human after the AI is not attributed (unattributed: brief)", async () => {
    const text = await hoverText(greetUri, lineOf(fx.greetText, "len(sys.argv)"));
    expect(text).toBe(
      "_Not AI-written:_ This line changed after the last AI edit of this file (a human or an untraced tool wrote it).",
    );
  });

  it("shows no hover at all on a file the agents never touched (unattributed: brief)", async () => {
    const uri = await client.open(fx.readme, fx.readmeText, "markdown");
    expect(await client.hover(uri, 0, 2)).toBeNull();
  });

  it("with unattributed 'full' says so with a heading everywhere; with 'off' says nothing", async () => {
    const full = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      initializationOptions: { hover: { unattributed: "full" } },
      waitForIndex: true,
    });
    const off = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      initializationOptions: { hover: { unattributed: "off" } },
      waitForIndex: true,
    });
    try {
      const readme = await full.open(fx.readme, fx.readmeText, "markdown");
      expect(((await full.hover(readme, 0, 2))?.contents as MarkupContent).value).toBe(
        "**No AI trace explains this line**\n\nNo recorded AI session (Claude Code, Codex) edited this file.",
      );
      const greet = await off.open(fx.greet, fx.greetText, "python");
      expect(await off.hover(greet, lineOf(fx.greetText, "len(sys.argv)"), 2)).toBeNull();
      // Attributed lines are not affected.
      expect(((await off.hover(greet, lineOf(fx.greetText, "def farewell"), 4))?.contents as MarkupContent).value).toContain("claude-opus-4-5");
    } finally {
      await full.kill();
      await off.kill();
    }
  });

  it("gives a client without command-link support (Neovim) the :AiBlameTranscript hint, others no link", async () => {
    const { experimental: _links, ...plain } = fullCapabilities;
    const nvim = await LspClient.start({
      home: fx.home,
      project: fx.project,
      dataDir: fx.dataDir,
      capabilities: plain,
      clientName: "Neovim",
      waitForIndex: true,
    });
    const other = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, capabilities: plain, waitForIndex: true });
    try {
      const line = lineOf(fx.greetText, "def farewell");
      const nvimText = ((await nvim.hover(await nvim.open(fx.greet, fx.greetText, "python"), line, 4))?.contents as MarkupContent).value;
      expect(nvimText).not.toContain("command:");
      expect(nvimText.endsWith("\n\n`:AiBlameTranscript` opens the transcript at this edit")).toBe(true);
      const otherText = ((await other.hover(await other.open(fx.greet, fx.greetText, "python"), line, 4))?.contents as MarkupContent).value;
      expect(otherText).not.toContain("command:");
      expect(otherText).not.toContain("AiBlameTranscript");
      expect(otherText).toContain("> Add a \\`farewell\\` function too");
    } finally {
      await nvim.kill();
      await other.kill();
    }
  });

  it("shows the other session's model and agent version for another file", async () => {
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    const text = await hoverText(uri, 1);
    expect(text.split("\n\n")[0]).toBe("**✦ claude-sonnet-4-5** · Claude Code 2.0.55 · created");
    expect(text).toContain(fx.second.sessionId.slice(0, 8));
  });

  it("returns null past the last line", async () => {
    expect(await client.hover(greetUri, 500)).toBeNull();
  });
});

describe("hover on lines edited without a trace", () => {
  it("says a line is reformatted since its edit", async () => {
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    // Re-indented to 4 spaces with a trailing space: whitespace only, so the line keeps its owner.
    await client.change(uri, fx.utilText.replace("  return Math.min", "    return  Math.min").replace("{\n", "{ \n"));
    const text = await hoverText(uri, 1);
    expect(text.split("\n\n")[0]).toBe("**✦ claude-sonnet-4-5** · Claude Code 2.0.55 · created");
    expect(text).toContain("\n\n_Reformatted since this edit (whitespace or line breaks only)._");
    await client.change(uri, fx.utilText);
    expect(await hoverText(uri, 1)).not.toContain("Reformatted since");
  });

  it("says a line is moved within the file since its edit", async () => {
    const uri = await client.open(fx.util, fx.utilText, "typescript");
    const [head, body, close] = fx.utilText.split("\n");
    // The body is cut and pasted above the signature: one of the two is kept in place, the other moved.
    await client.change(uri, `${body}\n${head}\n${close}\n`);
    const hovers = [await hoverText(uri, 0), await hoverText(uri, 1)];
    const moved = hovers.filter((text) => text.includes("\n\n_Moved within the file since this edit._"));
    expect(moved).toHaveLength(1);
    expect(moved[0]?.split("\n\n")[0]).toBe("**✦ claude-sonnet-4-5** · Claude Code 2.0.55 · created");
    await client.change(uri, fx.utilText);
  });
});
