// The custom requests the VS Code client uses: aiBlame/lineInfo (one line's owner and label, 0-based line) and
// aiBlame/fileInfo (line counts, blocks and the file's edit timeline), both following the unsaved buffer.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditContentsResult, FileInfoResult, LineInfoResult } from "@ai-blame/shared";
import { createFixture, lineOf, type Fixture } from "./support/fixture";
import type { LspClient } from "./support/lsp-client";
import { startOnGreet, stopAndCheck } from "./support/session";

let fx: Fixture;
let client: LspClient;
let greetUri: string;

beforeAll(async () => {
  fx = createFixture();
  ({ client, greetUri } = await startOnGreet(fx));
});

afterAll(() => stopAndCheck(client, fx));

describe("aiBlame/lineInfo and aiBlame/fileInfo", () => {
  it("lineInfo gives the owner, no reason, and a one-line label for an AI line", async () => {
    const info = await client.request<LineInfoResult>("aiBlame/lineInfo", { uri: greetUri, line: lineOf(fx.greetText, "Goodbye") });
    expect(info.owner).toMatchObject({
      model: "claude-opus-4-5-20251101",
      agent: "claude-code",
      agentVersion: "2.0.50",
      sessionId: fx.main.sessionId,
      action: "EDITED",
      traceFile: fx.main.path,
    });
    expect(info.reason).toBeNull();
    expect(info.label).toBe(`✦ claude-opus-4-5, 2 days ago · session ${fx.main.sessionId.slice(0, 8)}`);
  });

  it("lineInfo gives the reason for a human line and empties past the end", async () => {
    const human = await client.request<LineInfoResult>("aiBlame/lineInfo", { uri: greetUri, line: lineOf(fx.greetText, "len(sys.argv)") });
    expect(human).toEqual({ owner: null, reason: "changed-after-ai", label: null });
    expect(await client.request("aiBlame/lineInfo", { uri: greetUri, line: 9999 })).toEqual({ owner: null, reason: null, label: null });
  });

  it("fileInfo counts AI lines and lists the file's edits oldest first", async () => {
    const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri: greetUri });
    const lines = fx.greetText.split("\n").length;
    expect(info.totalLines).toBeGreaterThanOrEqual(lines - 1);
    expect(info.aiLines).toBeGreaterThan(0);
    expect(info.aiLines).toBeLessThan(info.totalLines);
    expect(info.events.map((e) => [e.file, e.action, e.model, e.sessionId])).toEqual([
      ["src/greet.py", "CREATED", "claude-opus-4-5-20251101", fx.main.sessionId],
      ["src/greet.py", "EDITED", "claude-opus-4-5-20251101", fx.main.sessionId],
    ]);
    expect(info.blocks.filter((b) => b.owner !== null).length).toBeGreaterThanOrEqual(2);
  });
});

describe("aiBlame/fileInfo edits and aiBlame/editContents", () => {
  it("lists each edit once with the current lines it still owns", async () => {
    const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri: greetUri });
    expect(info.edits).toHaveLength(2);
    const [write, edit] = info.edits;
    const farewell = lineOf(fx.greetText, "def farewell") + 1;
    // The edit wrote `def farewell`, its body and blank lines around them (one range); the write owns the rest but
    // the human-changed last line.
    expect(edit?.lines).toHaveLength(1);
    expect(edit?.lines[0]?.[0]).toBeLessThanOrEqual(farewell);
    expect(edit?.lines[0]?.[1]).toBeGreaterThanOrEqual(farewell + 1);
    expect(edit?.promptText).toContain("Add a `farewell` function too");
    expect(write?.lines[0]?.[0]).toBe(1);
    expect(write?.lines.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i))).not.toContain(lineOf(fx.greetText, "len(sys.argv)") + 1);
    expect(write?.eventId).not.toBe(edit?.eventId);
  });

  it("gives the file before and after an edit, from the recorded contents", async () => {
    const info = await client.request<FileInfoResult>("aiBlame/fileInfo", { uri: greetUri });
    const [write, edit] = info.edits;
    const contents = await client.request<EditContentsResult>("aiBlame/editContents", {
      uri: greetUri,
      sessionId: edit?.sessionId,
      toolCallId: edit?.toolCallId,
    });
    expect(contents?.file).toBe("src/greet.py");
    expect(contents?.before).toBe(fx.main.content(fx.greet).replace('\n\n\ndef farewell(name):\n    return f"Goodbye, {name}."\n', "\n"));
    expect(contents?.after).toBe(fx.main.content(fx.greet));
    const created = await client.request<EditContentsResult>("aiBlame/editContents", {
      uri: greetUri,
      sessionId: write?.sessionId,
      toolCallId: write?.toolCallId,
    });
    expect(created?.before).toBe("");
    expect(created?.after).toBe(contents?.before);
    expect(await client.request("aiBlame/editContents", { uri: greetUri, sessionId: "nope", toolCallId: "nope" })).toBeNull();
  });
});
