// workspace/executeCommand: aiBlame.showTranscript returns the session as markdown positioned at the tool call the
// hover linked to; aiBlame.refresh re-indexes; bad arguments and unknown sessions are protocol errors.

import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarkupContent } from "vscode-languageserver-protocol";
import type { ShowTranscriptArgs, ShowTranscriptResult } from "@ai-blame/shared";
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

async function linkArgs(line: number): Promise<ShowTranscriptArgs> {
  const hover = await client.hover(greetUri, line);
  const match = /command:aiBlame\.showTranscript\?([^)]+)\)/.exec((hover?.contents as MarkupContent).value);
  return (JSON.parse(decodeURIComponent(match?.[1] ?? "[]")) as ShowTranscriptArgs[])[0] as ShowTranscriptArgs;
}

describe("executeCommand", () => {
  it("aiBlame.showTranscript returns the whole conversation and the line of the linked tool call", async () => {
    const args = await linkArgs(lineOf(fx.greetText, "def farewell"));
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [args],
    });
    expect(result.title).toBe(`AI session ${fx.main.sessionId.slice(0, 8)}`);
    // The conversation itself: both prompts and the assistant's tool calls, read from the trace file.
    expect(result.markdown).toContain(GREET_PROMPT);
    // The prompt's markup characters escaped: its backticks, stars and `<stdout>` show as typed.
    expect(FAREWELL_PROMPT).toBe("Add a `farewell` function too — use *f-strings* and keep <stdout> clean");
    expect(result.markdown).toContain("Add a \\`farewell\\` function too — use \\*f-strings\\* and keep \\<stdout\\> clean");
    expect(result.markdown).toContain(fx.main.path);
    expect(result.line).not.toBeNull();
    const lines = result.markdown.split("\n");
    expect(lines[(result.line ?? 0) - 1]).toBe(`**Tool Use:** \`Edit\` (\`${args.toolCallId}\`)`);
    // VS Code (it declares command links) renders the markdown in its preview: the edit as a diff, unfolded.
    expect(lines.slice(result.line ?? 0, (result.line ?? 0) + 3)).toEqual(["", "<details open><summary>Change</summary>", ""]);
    expect(lines[(result.line ?? 0) + 3]).toBe("```diff");
    expect(result.markdown).toContain('+def farewell(name):');
  });

  it("aiBlame.showTranscript gives other editors plain markdown (no <details>, the edit's input as JSON)", async () => {
    const { experimental: _links, ...plain } = fullCapabilities;
    const other = await LspClient.start({ home: fx.home, project: fx.project, dataDir: fx.dataDir, capabilities: plain, waitForIndex: true });
    try {
      const args = await linkArgs(lineOf(fx.greetText, "def farewell"));
      const result = await other.request<ShowTranscriptResult>("workspace/executeCommand", { command: "aiBlame.showTranscript", arguments: [args] });
      expect(result.markdown).not.toContain("<details");
      expect(result.markdown.split("\n")[(result.line ?? 0) + 1]).toBe("```json");
    } finally {
      await other.kill();
    }
  });

  it("aiBlame.showTranscript without a tool call opens at no particular line", async () => {
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [{ sessionId: fx.second.sessionId }],
    });
    expect(result.line).toBeNull();
    expect(result.markdown).toContain("Add a clamp helper in TypeScript");
    expect(result.markdown).toContain("claude-sonnet-4-5-20250929");
  });

  it("does not read a trace file the index does not know for that session", async () => {
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [{ sessionId: fx.second.sessionId, traceFile: fx.main.path }],
    });
    expect(result.markdown).toContain(fx.second.path);
    expect(result.markdown).not.toContain(GREET_PROMPT);
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

  // Last: it deletes a trace file.
  it("shows the edits the index kept once the agent has deleted the session's trace file", async () => {
    const args = await linkArgs(lineOf(fx.greetText, "def farewell"));
    rmSync(fx.main.path);
    const result = await client.request<ShowTranscriptResult>("workspace/executeCommand", {
      command: "aiBlame.showTranscript",
      arguments: [args],
    });
    expect(result.markdown).toContain("_The trace file of this session is gone (agents delete old sessions); these are the edits the index kept._");
    expect(result.markdown).toContain("## Edits (2)");
    expect(result.markdown).toContain("> Add a \\`farewell\\` function too");
    const lines = result.markdown.split("\n");
    expect(lines[(result.line ?? 0) - 1]).toMatch(/^### \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · edited `src\/greet\.py`$/);
    expect(lines[(result.line ?? 0) + 1]).toContain(`tool call \`${args.toolCallId}\``);
  });
});
