// workspace/executeCommand: aiBlame.showTranscript returns the session as markdown positioned at the tool call the
// hover linked to; aiBlame.refresh re-indexes; bad arguments and unknown sessions are protocol errors.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import type { ShowTranscriptArgs, ShowTranscriptResult } from "@ai-blame/shared";
import { createFixture, FAREWELL_PROMPT, GREET_PROMPT, lineOf, type Fixture } from "./support/fixture";
import { LspClient } from "./support/lsp-client";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeAll(async () => {
  fx = createFixture();
  client = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, waitForIndex: true });
  greetUri = await client.open(fx.greet, fx.greetText, "python");
});

afterAll(async () => {
  const unexpected = client.unexpected();
  await client.kill();
  fx.cleanup();
  expect(unexpected).toEqual([]);
});

async function linkArgs(line: number): Promise<ShowTranscriptArgs> {
  const hover = await client.hover(greetUri, line);
  const match = /command:aiBlame\.showTranscript\?([^)]+)\)/.exec((hover?.contents as MarkupContent).value);
  return (JSON.parse(decodeURIComponent(match?.[1] ?? "[]")) as ShowTranscriptArgs[])[0] as ShowTranscriptArgs;
}

describe("executeCommand", () => {
  it("aiBlame.showTranscript returns the session's markdown and the line of the linked tool call", async () => {
    const args = await linkArgs(lineOf(fx.greetText, "def farewell"));
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [args],
    });
    expect(result.title).toBe(`AI session ${fx.main.sessionId.slice(0, 8)}`);
    expect(result.markdown).toContain(GREET_PROMPT);
    expect(result.markdown).toContain("> Add a \\`farewell\\` function");
    expect(FAREWELL_PROMPT.startsWith("Add a `farewell` function")).toBe(true);
    expect(result.line).not.toBeNull();
    const lines = result.markdown.split("\n");
    const heading = lines[(result.line ?? 0) - 1] ?? "";
    expect(heading).toMatch(/^### .* · edited `src\/greet\.py`$/);
    // The linked edit is the second one of the session; its tool call id follows its heading.
    expect(lines.slice(result.line ?? 0, (result.line ?? 0) + 3).join("\n")).toContain(args.toolCallId ?? "missing");
    expect(result.markdown.match(/^### /gm)).toHaveLength(2);
  });

  it("aiBlame.showTranscript without a tool call opens at no particular line", async () => {
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [{ sessionId: fx.second.sessionId }],
    });
    expect(result.line).toBeNull();
    expect(result.markdown).toContain("`src/util.ts`");
    expect(result.markdown).toContain("claude-sonnet-4-5");
  });

  it("rejects malformed arguments and unknown sessions with protocol errors", async () => {
    await expect(
      client.request("workspace/executeCommand", { command: "aiBlame.showTranscript", arguments: [{ toolCallId: "x" }] }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      client.request("workspace/executeCommand", { command: "aiBlame.showTranscript", arguments: [{ sessionId: "no-such-session" }] }),
    ).rejects.toMatchObject({ code: -32803, message: "no indexed session has the id no-such-session" });
    await expect(client.request("workspace/executeCommand", { command: "aiBlame.nope", arguments: [] })).rejects.toMatchObject({
      code: -32602,
    });
  });

  it("aiBlame.refresh re-indexes every folder and reports what it found", async () => {
    const result = await client.request("workspace/executeCommand", { command: "aiBlame.refresh", arguments: [] });
    expect(result).toEqual({ folders: 1, traceFiles: 2, newEvents: 0 });
    await client.waitForProgressEnd();
  });
});
